"""School holidays per region (noord, midden, zuid), so demo dates fall on school days of the school's own region.

The published years (rijksoverheid.nl, "schoolvakanties") come from the one national table,
ouderportaal/schoolcalendar/national.py; other years follow the usual pattern: Christmas two weeks around New Year,
summer six weeks with the regions taking turns to start early, mid or late July.
"""

import datetime
from functools import lru_cache

from ouderportaal.schoolcalendar.national import SCHOOL_HOLIDAYS

REGIONS = ("noord", "midden", "zuid")
D = datetime.date

# Which region starts the summer first, by start year modulo 3 (the government rotates them).
SUMMER_ORDER = {0: ("zuid", "midden", "noord"), 1: ("midden", "noord", "zuid"), 2: ("noord", "zuid", "midden")}


def _saturday_on_or_before(day):
    return day - datetime.timedelta(days=(day.weekday() - 5) % 7)


def _pattern(start_year, region):
    """The usual holidays of a year without a published list."""
    autumn = _saturday_on_or_before(D(start_year, 10, 20))
    christmas = _saturday_on_or_before(D(start_year, 12, 24))
    spring = _saturday_on_or_before(D(start_year + 1, 2, 20))
    may = _saturday_on_or_before(D(start_year + 1, 4, 30))
    order = SUMMER_ORDER[(start_year + 1) % 3]
    summer = _saturday_on_or_before(D(start_year + 1, 7, 8)) + datetime.timedelta(weeks=order.index(region))
    return [
        (autumn, autumn + datetime.timedelta(days=8)),
        (christmas, christmas + datetime.timedelta(days=15)),
        (spring, spring + datetime.timedelta(days=8)),
        (may, may + datetime.timedelta(days=8)),
        (summer, summer + datetime.timedelta(days=43)),
    ]


@lru_cache(maxsize=64)
def holidays(start_year, region):
    """[(first day, last day)] of autumn, Christmas, spring, May and summer, weekends included."""
    if start_year in SCHOOL_HOLIDAYS:
        return [dates[region] for _name, dates in SCHOOL_HOLIDAYS[start_year]]
    return _pattern(start_year, region)


class SchoolCalendar:
    """The school days of one region; a school year runs from the end of one summer holiday to the next."""

    def __init__(self, region):
        if region not in REGIONS:
            raise ValueError(region)
        self.region = region

    def holiday_periods(self, day):
        start_year = day.year if day.month >= 8 else day.year - 1
        return holidays(start_year - 1, self.region) + holidays(start_year, self.region)

    def is_holiday(self, day):
        return any(first <= day <= last for first, last in self.holiday_periods(day))

    def is_school_day(self, day):
        return day.weekday() < 5 and not self.is_holiday(day)

    def next_school_day(self, day):
        while not self.is_school_day(day):
            day += datetime.timedelta(days=1)
        return day

    def first_school_day(self, start_year):
        summer_end = holidays(start_year - 1, self.region)[-1][1]
        return self.next_school_day(summer_end + datetime.timedelta(days=1))

    def last_school_day(self, start_year):
        day = holidays(start_year, self.region)[-1][0] - datetime.timedelta(days=1)
        while not self.is_school_day(day):
            day -= datetime.timedelta(days=1)
        return day

    def christmas(self, start_year):
        return holidays(start_year, self.region)[1]

    def test_window(self, start_year, moment):
        """When a group takes its tests: mid-year (M) in January/February after the Christmas holiday and before the
        spring holiday, end of year (E) in late May/June, the method's own test ("B") in early December."""
        if moment == "M":
            after_christmas = self.christmas(start_year)[1] + datetime.timedelta(days=8)
            spring = holidays(start_year, self.region)[2][0]
            return max(after_christmas, D(start_year + 1, 1, 12)), min(
                spring - datetime.timedelta(days=1), D(start_year + 1, 2, 6)
            )
        if moment == "E":
            return D(start_year + 1, 5, 26), D(start_year + 1, 6, 19)
        return D(start_year, 12, 1), D(start_year, 12, 12)
