"""The parent's Absenten tab: every absence of one school year, with totals excused and unexcused, the parents'
sick reports and leave requests of that year."""

from django.db.models import Q
from django.views.decorators.http import require_safe

from ouderportaal.absences.models import Absence, LeaveRequest, SickReport
from ouderportaal.school.access import parent_page
from ouderportaal.school.models import SchoolYear
from ouderportaal.school.pages import chosen_school_year, current_start_year, render_child_page, year_options

# A school day has two dagdelen (morning, afternoon); being late counts in minutes, not in dagdelen.
DAYPARTS = {Absence.PartOfDay.MORNING: 1, Absence.PartOfDay.AFTERNOON: 1, Absence.PartOfDay.WHOLE_DAY: 2}


def school_years_of(pupil):
    """School years (start years, newest first) with anything recorded for the child, and the current one while
    the child is at school: a year without records is not offered (it would only say "nothing")."""
    months = Absence.objects.filter(pupil=pupil).dates("date", "month")
    years = {SchoolYear.start_year_for(month) for month in months}
    if pupil.left_on is None or pupil.left_on >= SchoolYear(start_year=current_start_year()).starts_on:
        years.add(current_start_year())
    if not years:
        years.add(SchoolYear.start_year_for(pupil.left_on))
    return sorted(years, reverse=True)


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
    in_year = Q(starts_on__range=(year.starts_on, year.ends_on))
    reports = list(SickReport.objects.filter(in_year, pupil=pupil).order_by("-starts_on"))
    leaves = list(LeaveRequest.objects.filter(in_year, pupil=pupil).defer("statement", "letter").order_by("-starts_on"))
    context = {"year": year, "years": year_options(years, year), "absences": rows, "totals": totals(rows)}
    context |= {"sick_reports": reports, "leave_requests": leaves}
    return render_child_page(request, pupil, "pupil_absences", "absences/absences.html", context)
