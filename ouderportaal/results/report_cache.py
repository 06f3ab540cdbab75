"""The Toetsen tab's year table, legend, growth charts and level popovers as one piece of HTML, kept in the cache
under a digest of everything it is drawn from: every field the page shows of each visible result and its test, the
chosen school year, the child's name, the language, the level colours and the code and translations that draw it.
A changed, added or removed result (an import, a correction) or a renamed test is another key, so nothing is ever
forgotten by hand and a stale piece can never be shown; a piece nobody asks for again falls out of the cache.
The test-week gate (results/visibility.py) is in the query for the rows the key is made of: a closed tab never comes
here."""

import functools
import hashlib
import re
from operator import attrgetter
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.template import engines
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ouderportaal.results.charts import growth_svg
from ouderportaal.results.levels import band_meanings
from ouderportaal.results.models import Assessment
from ouderportaal.results.report import growth, levels_on_page, year_table
from ouderportaal.results.visibility import SHOWN, open_results_loaded

TEMPLATE = "results/report.html"
TIMEOUT = 7 * 24 * 3600
# The template's indentation: a tenth of the piece, read from the cache and sent on every view. A line break stays
# where it was, so words between tags keep their space (the piece has no <pre> or <textarea>).
INDENTATION = re.compile(r"\n\s+")


@functools.cache
def code_version():
    """A digest of the template, the code that computes and writes the piece, and the translations: a new release
    never reads a piece its predecessor drew."""
    here = Path(__file__).resolve().parent
    files = [
        settings.BASE_DIR / "jinja2" / TEMPLATE,
        *(here / name for name in ("report_cache.py", "report.py", "charts.py", "levels.py", "templatetags/levels.py")),
        here.parent / "core" / "l10n.py",
        here.parent / "jinja.py",
        *(path for folder in settings.LOCALE_PATHS for path in sorted(Path(folder).glob("*/LC_MESSAGES/django.mo"))),
    ]
    digest = hashlib.blake2b(digest_size=16)
    for path in files:
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()


# A loaded result as the row of SHOWN fields that open_results_shown() reads.
shown_row = attrgetter(*(name.replace("__", ".") for name in SHOWN))


def cache_key(pupil, shown, year):
    what = (code_version(), get_language(), year.start_year, pupil.roepnaam, settings.RESULT_LEVEL_COLOURS, shown)
    return "toetsen:" + hashlib.blake2b(repr(what).encode(), digest_size=20).hexdigest()


def report_html(request, pupil, shown, year):
    """The piece for the child's visible results (`shown`: their rows from open_results_shown()) in school year
    `year`. Only when it is not in the cache are the results loaded as models and drawn; the piece is kept under the
    key of what was drawn (a result changed between the two reads is simply another key)."""
    html = cache.get(cache_key(pupil, shown, year))
    if html is None:
        until, everything = open_results_loaded(pupil)
        if until is not None:  # closed between the two reads: draw nothing
            return ""
        html = engines["jinja2"].get_template(TEMPLATE).render(_context(pupil, everything, year), request)
        html = INDENTATION.sub("\n", html)
        cache.set(cache_key(pupil, [shown_row(r) for r in everything], year), html, TIMEOUT)
    # Our own template's output, autoescaped when it was drawn.
    return mark_safe(html)  # noqa: S308


def _context(pupil, everything, year):
    this_year = [r for r in everything if r.school_year.start_year == year.start_year]
    schemes = {r.assessment.level_scheme for r in everything}
    table = year_table(this_year) if this_year else None
    return {
        "pupil": pupil,
        "year": year,
        "table": table,
        "columns_class": f"cols-{len(table.columns)}" if table and len(table.columns) <= 4 else "cols-many",
        "subjects": _charts(growth(everything)),
        "legends": [
            (Assessment.LevelScheme(s).label, s, band_meanings(s, short=True))
            for s in Assessment.LevelScheme
            if s in schemes
        ],
        "halves": any(r.level.strip().endswith(("+", "-")) for r in everything),
        "popovers": levels_on_page(everything),
        "has_raw_scores": any(r.score and r.ability_score is not None for r in this_year),
    }


def _charts(subjects):
    for i, subject in enumerate(subjects, start=1):
        several = len(subject.series) > 1
        subject.charts = [
            growth_svg(
                series,
                chart_id=f"groei-{i}-{j}",
                title=_("%(subject)s: vaardigheidsscore per toetsmoment") % {"subject": subject.name}
                + (f" ({series.name})" if several else ""),
            )
            for j, series in enumerate(subject.series, start=1)
        ]
    return subjects
