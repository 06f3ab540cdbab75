"""The parent's Toetsen tab, the one gate that keeps results closed during test weeks, and the level colours."""

import hashlib
import re

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from ouderportaal.core.pages import public_page
from ouderportaal.results.models import Assessment, level_band
from ouderportaal.results.visibility import open_results_for
from ouderportaal.school.access import parent_page
from ouderportaal.school.views import chosen_school_year, render_child_page, year_options

HEX_COLOUR = re.compile(r"#?(?:[0-9a-fA-F]{3}){1,2}")

# What each band means: (band, share of all Dutch pupils of that year level in percent, description).
LEGENDS = {
    Assessment.LevelScheme.I_TO_V: [
        ("I", 20, _("hoogst scorende leerlingen")),
        ("II", 20, _("net boven het landelijk gemiddelde")),
        ("III", 20, _("rond het landelijk gemiddelde")),
        ("IV", 20, _("net onder het landelijk gemiddelde")),
        ("V", 20, _("laagst scorende leerlingen")),
    ],
    Assessment.LevelScheme.A_TO_E: [
        ("A", 25, _("hoogst scorende leerlingen")),
        ("B", 25, _("net boven het landelijk gemiddelde")),
        ("C", 25, _("net onder het landelijk gemiddelde")),
        ("D", 15, _("ruim onder het landelijk gemiddelde")),
        ("E", 10, _("laagst scorende leerlingen")),
    ],
}


@parent_page
def results(request, pupil):
    until, visible = open_results_for(pupil)
    context = {"closed_until": until}
    if until is None:
        years = set(visible.order_by().values_list("school_year__start_year", flat=True).distinct())
        # Early in a school year there are no results yet: open on the latest year that has some.
        year = chosen_school_year(request, years, default=max(years, default=None))
        rows = list(
            visible.filter(school_year__start_year=year.start_year)
            .select_related("assessment")
            .order_by("taken_on", "assessment__subject", "assessment__name")
        )
        schemes = {row.assessment.level_scheme for row in rows}
        context |= {
            "year": year,
            "years": year_options(years, year),
            "results": rows,
            "legends": [(Assessment.LevelScheme(s).label, LEGENDS[s]) for s in LEGENDS if s in schemes],
        }
    return render_child_page(request, pupil, "pupil_results", "results/results.html", context)


def text_colour_for(hex_colour):
    """Black or white, whichever contrasts more with the background (WCAG relative luminance): ≥ 4.5:1."""
    hex_colour = hex_colour.lstrip("#")
    if len(hex_colour) == 3:
        hex_colour = "".join(c * 2 for c in hex_colour)
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#000000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#ffffff"


def level_colours_css():
    rules = [
        f".level-{band}{{background-color:{colour};color:{text_colour_for(colour)}}}"
        for band, colour in settings.RESULT_LEVEL_COLOURS.items()
        if band.isalnum() and HEX_COLOUR.fullmatch(colour)
    ]
    return "\n".join(rules) + "\n"


def level_colours_version():
    return hashlib.sha256(level_colours_css().encode()).hexdigest()[:10]


@public_page
@require_GET
def level_colours(request):
    """The configurable colours of the level bands (settings.RESULT_LEVEL_COLOURS) as a stylesheet: the strict
    CSP forbids inline styles, and a static file could not follow the settings."""
    response = HttpResponse(level_colours_css(), content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def level_class(level):
    band = level_band(level or "")
    return f"level-{band}" if band in settings.RESULT_LEVEL_COLOURS and band.isalnum() else "level-other"
