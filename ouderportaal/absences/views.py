"""The parent's Absenten tab: every absence of one school year, with totals excused and unexcused, the parents'
sick reports and leave requests of that year."""

from django.views.decorators.http import require_safe

from ouderportaal.absences.models import Absence, LeaveRequest, SickReport
from ouderportaal.core.prepared import Prepared
from ouderportaal.school.access import parent_page
from ouderportaal.school.models import Pupil, SchoolYear
from ouderportaal.school.pages import chosen_school_year, current_start_year, render_child_page, year_options

# A school day has two dagdelen (morning, afternoon); being late counts in minutes, not in dagdelen.
DAYPARTS = {Absence.PartOfDay.MORNING: 1, Absence.PartOfDay.AFTERNOON: 1, Absence.PartOfDay.WHOLE_DAY: 2}


def school_years_of(pupil, absences):
    """School years (start years, newest first) with anything recorded for the child (`absences`: all of them), and
    the current one while the child is at school: a year without records is not offered (it would only say
    "nothing")."""
    years = {SchoolYear.start_year_for(absence.date) for absence in absences}
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


# The tab's queries: all of a child's records (a few dozen at most), their SQL built once per process
# (core/prepared.py); the chosen year is cut from them here.
def _of_pupil(model, *defer, order):
    return Prepared(
        model,
        lambda pupil: model.objects.filter(pupil=pupil).defer(*defer).order_by(*order),
        probe=lambda pk: Pupil(pk=pk),
    )


_absences = _of_pupil(Absence, order=("-date", "part_of_day"))
_sick_reports = _of_pupil(SickReport, order=("-starts_on",))
_leave_requests = _of_pupil(LeaveRequest, "statement", "letter", order=("-starts_on",))


@parent_page
@require_safe
def absences(request, pupil):
    everything = _absences(pupil)
    years = school_years_of(pupil, everything)
    year = chosen_school_year(request, years, default=years[0])  # a child who left: its last year

    def in_year(day):
        return SchoolYear.start_year_for(day) == year.start_year

    rows = [absence for absence in everything if in_year(absence.date)]
    reports = [report for report in _sick_reports(pupil) if in_year(report.starts_on)]
    leaves = [leave for leave in _leave_requests(pupil) if in_year(leave.starts_on)]
    context = {"year": year, "years": year_options(years, year), "absences": rows, "totals": totals(rows)}
    context |= {"sick_reports": reports, "leave_requests": leaves}
    return render_child_page(request, pupil, "pupil_absences", "absences/absences.html", context)
