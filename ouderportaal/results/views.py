"""The parent's Toetsen tab, the one gate that keeps results closed during test weeks, and the level colours."""

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from ouderportaal.core.pages import public_page
from ouderportaal.results.levels import level_colours_css
from ouderportaal.results.models import Assessment
from ouderportaal.results.visibility import open_results_for
from ouderportaal.school.access import parent_page
from ouderportaal.school.pages import chosen_school_year, render_child_page, year_options

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
@require_safe
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


@public_page
@require_safe
def level_colours(request):
    """The configurable colours of the level bands (settings.RESULT_LEVEL_COLOURS) as a stylesheet: the strict
    CSP forbids inline styles, and a static file could not follow the settings."""
    response = HttpResponse(level_colours_css(), content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response
