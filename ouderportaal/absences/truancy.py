"""Which pupils must be reported to DUO (Leerplichtwet art. 21): 16 or more hours of unexcused absence within
4 school weeks. School weeks are counted on the school calendar: a week entirely in a holiday is no school week,
so a window of 4 school weeks can span a holiday. The hours of a part of day are set per school."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from ouderportaal.absences.models import Absence, AttendanceSettings

THRESHOLD_HOURS = Decimal(16)
WINDOW_WEEKS = 4


@dataclass
class Finding:
    pupil: object
    hours: Decimal
    first_day: date
    last_day: date
    absences: int


def hours_of(absence, settings):
    part = absence.part_of_day
    if part == Absence.PartOfDay.MORNING:
        return settings.morning_hours
    if part == Absence.PartOfDay.AFTERNOON:
        return settings.afternoon_hours
    if part == Absence.PartOfDay.WHOLE_DAY:
        return settings.morning_hours + settings.afternoon_hours
    return Decimal(absence.minutes_late or 0) / 60  # late: the minutes missed


def findings(*, school, calendar, first, last):
    """Pupils of `school` whose unexcused hours in some 4 consecutive school weeks between `first` and `last`
    reach 16; for each, the heaviest window. Two queries (settings and absences), whatever the number of pupils."""
    settings = AttendanceSettings.for_school(school)
    weeks = calendar.school_weeks(first, last)
    position = {monday: i for i, monday in enumerate(weeks)}
    per_pupil = {}
    rows = Absence.objects.filter(pupil__school=school, excused=False, date__range=(first, last)).select_related(
        "pupil"
    )
    for absence in rows:
        monday = absence.date - timedelta(days=absence.date.weekday())
        if monday not in position:
            continue  # recorded on a day without school: not a school week
        pupil_weeks = per_pupil.setdefault(absence.pupil, {})
        hours, count = pupil_weeks.get(position[monday], (Decimal(0), 0))
        pupil_weeks[position[monday]] = (hours + hours_of(absence, settings), count + 1)
    result = []
    for pupil, pupil_weeks in per_pupil.items():
        best = None
        for start in sorted(pupil_weeks):
            window = [pupil_weeks.get(i, (Decimal(0), 0)) for i in range(start, start + WINDOW_WEEKS)]
            hours = sum((h for h, _c in window), Decimal(0))
            if hours >= THRESHOLD_HOURS and (best is None or hours > best.hours):
                end = min(start + WINDOW_WEEKS, len(weeks)) - 1
                best = Finding(pupil, hours, weeks[start], weeks[end] + timedelta(days=4), sum(c for _h, c in window))
        if best is not None:
            result.append(best)
    return sorted(result, key=lambda f: (-f.hours, f.pupil.surname))


LONG_ABSENCE_SCHOOL_DAYS = 20  # four school weeks in a row


@dataclass
class LongAbsence:
    pupil: object
    first_day: date
    last_day: date
    school_days: int
    ongoing: bool


def long_absences(*, school, calendar, first, last):
    """Pupils absent a whole day (any reason, including an open sick report) on 20 or more school days in a row
    between `first` and `last`: langdurig verzuim, for the leerplichtambtenaar (illness: with the school doctor)."""
    from ouderportaal.absences.models import SickReport

    absent = {}
    for absence in Absence.objects.filter(
        pupil__school=school, part_of_day=Absence.PartOfDay.WHOLE_DAY, date__range=(first, last)
    ).select_related("pupil"):
        absent.setdefault(absence.pupil, set()).add(absence.date)
    for report in SickReport.objects.filter(
        pupil__school=school, ends_on__isnull=True, starts_on__lte=last
    ).select_related("pupil"):
        absent.setdefault(report.pupil, set()).update(calendar.school_days(max(report.starts_on, first), last))
    days = calendar.school_days(first, last)
    result = []
    for pupil, dates in absent.items():
        run = []
        best = []
        for day in days:
            run = [*run, day] if day in dates else []
            if len(run) > len(best):
                best = run
        if len(best) >= LONG_ABSENCE_SCHOOL_DAYS:
            result.append(LongAbsence(pupil, best[0], best[-1], len(best), ongoing=best[-1] == days[-1]))
    return sorted(result, key=lambda a: (-a.school_days, a.pupil.surname))
