"""The growth chart as server-rendered SVG: no JavaScript, no charting library. One chart per series (one subject on
one ability scale); x is the date taken, so gaps and a repeated year keep their true distance; a line joins only
tests without a missing moment between them. Colours come from the level classes (/niveaukleuren.css); every point
also carries its level as text."""

import math
from html import escape

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ouderportaal.core.l10n import number
from ouderportaal.results.levels import level_class

WIDTH, HEIGHT = 420, 230
LEFT, RIGHT, TOP, BOTTOM = 46, 18, 26, 44
NICE_STEPS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000]


def y_ticks(low, high):
    """Round tick values covering [low, high], at most six."""
    step = next((s for s in NICE_STEPS if (high - low) / s <= 5), NICE_STEPS[-1])
    first = math.floor(low / step) * step
    last = math.ceil(high / step) * step
    return [first + i * step for i in range(int((last - first) / step) + 1)]


def _number(value):
    return number(value, decimal_pos=1 if value != int(value) else 0)


def _at(value):
    """A coordinate to a tenth, without a trailing ".0": ten charts a page add up to kilobytes."""
    return f"{value:.1f}".removesuffix(".0")


def _text(cls, x, y, content):
    # Centred on x, the y-axis labels right-aligned: text-anchor comes from results.css, not from every element.
    return f'<text class="{cls}" x="{_at(x)}" y="{_at(y)}">{escape(str(content))}</text>'


def growth_svg(series, *, chart_id, title):
    points = series.points
    scores = [float(p.score) for p in points]
    # Room above and below the points for their level labels; at least ten points of scale in view.
    pad = max((max(scores) - min(scores)) * 0.1, 5 - (max(scores) - min(scores)) / 2)
    ticks = y_ticks(min(scores) - pad, max(scores) + pad)
    low, high = ticks[0], ticks[-1]
    days = [p.result.taken_on.toordinal() for p in points]
    first, last = min(days), max(days)
    span = max(last - first, 1)
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    inset = 14  # the first and last point clear of the axes

    def x(day):
        return LEFT + inset + (0.5 if last == first else (day - first) / span) * (inner_w - 2 * inset)

    def y(score):
        return TOP + inner_h - (score - low) / (high - low) * inner_h

    description = _("De cijfers staan in de tabel bij deze grafiek.")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="growth-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for tick in ticks:
        ty = y(tick)
        parts.append(f'<line class="grid" x1="{LEFT}" y1="{_at(ty)}" x2="{WIDTH - RIGHT}" y2="{_at(ty)}"/>')
        parts.append(_text("axis axis-y", LEFT - 6, ty + 4, _number(tick)))
    for run in series.runs:
        if len(run) > 1:
            coords = " ".join(f"{_at(x(p.result.taken_on.toordinal()))},{_at(y(float(p.score)))}" for p in run)
            parts.append(f'<polyline class="growth-line" points="{coords}"/>')
    previous_year = None
    for point, day in zip(points, days, strict=True):
        px, py = x(day), y(float(point.score))
        result = point.result
        level = result.level or ""
        label = f"{result.moment}: {_number(float(point.score))}" + (f", {level}" if level else "")
        parts.append(
            f'<circle class="point {level_class(level)}" cx="{_at(px)}" cy="{_at(py)}" r="6"><title>{escape(label)}'
            "</title></circle>"
        )
        if level:
            parts.append(_text("point-level", px, py - 10, level))
        base = HEIGHT - BOTTOM
        parts.append(_text("axis", px, base + 16, result.moment))
        year = result.taken_on.year
        if year != previous_year:
            parts.append(_text("axis axis-year", px, base + 32, str(year)))
            previous_year = year
    parts.append("</svg>")
    # Every piece of text above went through escape() (the standard library's, which Django's wraps); numbers are
    # formatted here.
    return mark_safe("".join(parts))  # noqa: S308
