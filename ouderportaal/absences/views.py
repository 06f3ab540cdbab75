"""The parent's Absenten tab: every absence of one school year, with totals excused and unexcused."""

from django.views.decorators.http import require_safe

from ouderportaal.absences.models import Absence
from ouderportaal.school.access import parent_page
from ouderportaal.school.models import SchoolYear
from ouderportaal.school.pages import chosen_school_year, current_start_year, render_child_page, year_options

# A school day has two dagdelen (morning, afternoon); being late counts in minutes, not in dagdelen.
DAYPARTS = {Absence.PartOfDay.MORNING: 1, Absence.PartOfDay.AFTERNOON: 1, Absence.PartOfDay.WHOLE_DAY: 2}
# A primary-school career spans at most nine school years, more only in odd cases: that is enough to choose from.
MAX_YEARS = 12


def school_years_of(pupil):
    """Start years from the child's enrolment to now (or to leaving), newest first: no query needed."""
    last = current_start_year()
    if pupil.left_on:
        last = min(last, SchoolYear.start_year_for(pupil.left_on))
    first = max(SchoolYear.start_year_for(pupil.enrolled_on), last - MAX_YEARS + 1)
    return list(range(last, first - 1, -1))


def totals(absences):
    result = {
        "excused": {"count": 0, "dayparts": 0},
        "unexcused": {"count": 0, "dayparts": 0},
        "late": {"count": 0, "minutes": 0},
    }
    for absence in absences:
        if absence.part_of_day == Absence.PartOfDay.LATE:
            result["late"]["count"] += 1
            result["late"]["minutes"] += absence.minutes_late or 0
            continue  # late arrivals have their own total, not also a count of absences
        bucket = result["excused" if absence.excused else "unexcused"]
        bucket["count"] += 1
        bucket["dayparts"] += DAYPARTS.get(absence.part_of_day, 0)
    return result


@parent_page
@require_safe
def absences(request, pupil):
    years = school_years_of(pupil)
    year = chosen_school_year(request, years, default=years[0])  # a child who left: its last year
    rows = list(Absence.objects.filter(pupil=pupil).in_school_year(year).order_by("-date", "part_of_day"))
    return render_child_page(
        request,
        pupil,
        "pupil_absences",
        "absences/absences.html",
        {"year": year, "years": year_options(years, year), "absences": rows, "totals": totals(rows)},
    )
