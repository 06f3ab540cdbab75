"""The school calendar in one place: which days a school has school. Every rule that counts school days, school
weeks or refuses a day without school (sick reports, leave, the DUO report list) asks a SchoolCalendar.

A school year the school has not edited follows the national defaults of its region (`national.py`); the first
edit copies those defaults into DayOff rows, which then rule that year.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from ouderportaal.school.models import SchoolYear
from ouderportaal.schoolcalendar import national
from ouderportaal.schoolcalendar.models import CalendarSettings, DayOff


@dataclass(frozen=True)
class Period:
    name: str
    starts_on: date
    ends_on: date
    kind: str = DayOff.Kind.HOLIDAY


def region_of(school):
    settings = CalendarSettings.objects.filter(school=school).first()
    return settings.region if settings else national.MIDDEN


def default_periods(start_year, region):
    return [Period(name, first, last) for name, first, last in national.defaults(start_year, region)]


class SchoolCalendar:
    """The days off of one school over some school years, loaded in two queries."""

    def __init__(self, school, start_years, *, region=None, rows=None):
        self.school = school
        self.start_years = sorted(set(start_years))
        region = region or region_of(school)
        if rows is None:
            rows = DayOff.objects.filter(school=school, school_year__start_year__in=self.start_years).select_related(
                "school_year"
            )
        stored = {}
        for row in rows:
            stored.setdefault(row.school_year.start_year, []).append(
                Period(row.name, row.starts_on, row.ends_on, row.kind)
            )
        self.periods = []
        for year in self.start_years:
            self.periods += stored[year] if year in stored else default_periods(year, region)
        self._off = {}
        for period in self.periods:
            day = period.starts_on
            while day <= period.ends_on:
                self._off.setdefault(day, period)
                day += timedelta(days=1)

    @classmethod
    def covering(cls, school, first, last=None):
        """A calendar that knows every day from `first` to `last` (the summer holiday spans two school years)."""
        last = last or first
        years = range(SchoolYear.start_year_for(first) - 1, SchoolYear.start_year_for(last) + 1)
        return cls(school, years)

    def day_off(self, day):
        return self._off.get(day)

    def is_school_day(self, day):
        return day.weekday() < 5 and day not in self._off

    def why_no_school(self, day):
        """A plain-Dutch reason when `day` has no school, else None."""
        if day.weekday() >= 5:
            return _("%(day)s is in het weekend: dan is er geen school.") % {"day": _format(day)}
        period = self._off.get(day)
        if period is not None:
            return _("%(day)s is er geen school (%(name)s).") % {"day": _format(day), "name": period.name}
        return None

    def school_days(self, first, last):
        days, day = [], first
        while day <= last:
            if self.is_school_day(day):
                days.append(day)
            day += timedelta(days=1)
        return days

    def first_school_day(self, start_year):
        """The first day of lessons of a school year: the first school day from 1 August on."""
        day = date(start_year, 8, 1)
        while not self.is_school_day(day) and day.year == start_year:
            day += timedelta(days=1)
        return day

    def first_two_weeks(self, start_year):
        """(first, last) day of the first two school weeks: the week of the first school day and the next one."""
        first = self.first_school_day(start_year)
        monday = first - timedelta(days=first.weekday())
        return first, monday + timedelta(days=13)

    def school_weeks(self, first, last):
        """Mondays of the weeks from `first` to `last` that have at least one school day: a week entirely in a
        holiday is no school week (what the 16-hours-in-4-school-weeks rule counts)."""
        monday = first - timedelta(days=first.weekday())
        weeks = []
        while monday <= last:
            if any(self.is_school_day(monday + timedelta(days=i)) for i in range(5)):
                weeks.append(monday)
            monday += timedelta(days=7)
        return weeks


def _format(day):
    from django.utils.formats import date_format

    return date_format(day, "l j F Y")


@transaction.atomic
def take_over_defaults(school, start_year):
    """Copy the national defaults into the school's own calendar for that year, once (before the first edit)."""
    school_year, _created = SchoolYear.objects.get_or_create(start_year=start_year)
    if DayOff.objects.filter(school=school, school_year=school_year).exists():
        return school_year
    DayOff.objects.bulk_create(
        DayOff(school=school, school_year=school_year, name=p.name, starts_on=p.starts_on, ends_on=p.ends_on)
        for p in default_periods(start_year, region_of(school))
    )
    return school_year
