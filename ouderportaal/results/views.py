"""The parent's Toetsen tab (closed during test weeks by results/visibility.py) and the level colours."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from ouderportaal.core.pages import public_page
from ouderportaal.results.calendar import calendar_text, renew_calendar_feed
from ouderportaal.results.levels import level_colours_css
from ouderportaal.results.models import CalendarFeed
from ouderportaal.results.report_cache import report_html
from ouderportaal.results.visibility import START_YEAR, open_results_shown
from ouderportaal.school.access import parent_page
from ouderportaal.school.pages import chosen_school_year, render_child_page, year_options


@parent_page
@require_safe
def results(request, pupil):
    # One query of plain rows for every year, the test-week gate inside it: the year choice and the key of the cached
    # table and charts come from it (the results are loaded as models only to draw those anew).
    until, shown = open_results_shown(pupil)
    context = {"closed_until": until}
    if until is None:
        years = {row[START_YEAR] for row in shown}
        # Early in a school year there are no results yet: open on the latest year that has some.
        year = chosen_school_year(request, years, default=max(years, default=None))
        context |= {
            "year": year,
            "years": year_options(years, year),
            "report": report_html(request, pupil, shown, year),
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
