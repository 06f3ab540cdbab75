"""The parent's Toetsen tab (closed during test weeks by results/visibility.py) and the level colours."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from ouderportaal.core.pages import public_page
from ouderportaal.results.calendar import calendar_text, renew_calendar_feed
from ouderportaal.results.charts import growth_svg
from ouderportaal.results.levels import band_meanings, level_colours_css
from ouderportaal.results.models import Assessment, CalendarFeed
from ouderportaal.results.report import growth, levels_on_page, year_table
from ouderportaal.results.visibility import open_results_loaded
from ouderportaal.school.access import parent_page
from ouderportaal.school.pages import chosen_school_year, render_child_page, year_options


@parent_page
@require_safe
def results(request, pupil):
    # One query for every year: the year's table, the growth charts and the year choice are all cut from it.
    until, everything = open_results_loaded(pupil)
    context = {"closed_until": until}
    if until is None:
        years = {r.school_year.start_year for r in everything}
        # Early in a school year there are no results yet: open on the latest year that has some.
        year = chosen_school_year(request, years, default=max(years, default=None))
        this_year = [r for r in everything if r.school_year.start_year == year.start_year]
        schemes = {r.assessment.level_scheme for r in everything}
        table = year_table(this_year) if this_year else None
        context |= {
            "year": year,
            "years": year_options(years, year),
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
    return render_child_page(request, pupil, "pupil_results", "results/results.html", context)


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


@public_page
@require_safe
def level_colours(request):
    """The configurable colours of the level bands (settings.RESULT_LEVEL_COLOURS) as a stylesheet: the strict
    CSP forbids inline styles, and a static file could not follow the settings."""
    response = HttpResponse(level_colours_css(), content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@public_page
@never_cache
@require_safe
def calendar_feed(request, token):
    """The test weeks as iCalendar for a calendar app, which cannot log in: the unguessable token is the key."""
    feed = CalendarFeed.objects.filter(token=token, user__is_active=True).select_related("user").first()
    if feed is None:
        raise Http404("Onbekende agenda")
    response = HttpResponse(calendar_text(feed.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="toetsweken.ics"'
    return response


@parent_page
@require_http_methods(["GET", "HEAD", "POST"])
def calendar_feed_renew(request):
    """GET explains what a new address does; POST makes it. The old address stops working."""
    if request.method == "POST":
        renew_calendar_feed(user=request.user)
        messages.success(request, _("Uw agenda-adres is klaar. Een eerder adres werkt niet meer."))
        return redirect("account")
    has_feed = CalendarFeed.objects.filter(user=request.user).exists()
    return render(request, "results/calendar_feed_renew.html", {"has_feed": has_feed, "section": "account"})
