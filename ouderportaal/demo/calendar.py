"""School holidays per region (noord, midden, zuid), so demo dates fall on school days of the school's own region.

The years the demo shows now come from the government's published list (rijksoverheid.nl, "schoolvakanties");
other years follow the usual pattern: Christmas two weeks around New Year, summer six weeks with the regions
taking turns to start early, mid or late July.
"""

import datetime
from functools import lru_cache

REGIONS = ("noord", "midden", "zuid")
D = datetime.date

# start year → region → [(first day, last day)] (autumn, Christmas, spring, May, summer), weekends included.
PUBLISHED = {
    2023: {
        "noord": [
            (D(2023, 10, 21), D(2023, 10, 29)),
            (D(2023, 12, 23), D(2024, 1, 7)),
            (D(2024, 2, 17), D(2024, 2, 25)),
            (D(2024, 4, 27), D(2024, 5, 5)),
            (D(2024, 7, 20), D(2024, 9, 1)),
        ],
        "midden": [
            (D(2023, 10, 14), D(2023, 10, 22)),
            (D(2023, 12, 23), D(2024, 1, 7)),
            (D(2024, 2, 10), D(2024, 2, 18)),
            (D(2024, 4, 27), D(2024, 5, 5)),
            (D(2024, 7, 13), D(2024, 8, 25)),
        ],
        "zuid": [
            (D(2023, 10, 14), D(2023, 10, 22)),
            (D(2023, 12, 23), D(2024, 1, 7)),
            (D(2024, 2, 10), D(2024, 2, 18)),
            (D(2024, 4, 27), D(2024, 5, 5)),
            (D(2024, 7, 6), D(2024, 8, 18)),
        ],
    },
    2024: {
        "noord": [
            (D(2024, 10, 19), D(2024, 10, 27)),
            (D(2024, 12, 21), D(2025, 1, 5)),
            (D(2025, 2, 15), D(2025, 2, 23)),
            (D(2025, 4, 26), D(2025, 5, 4)),
            (D(2025, 7, 12), D(2025, 8, 24)),
        ],
        "midden": [
            (D(2024, 10, 26), D(2024, 11, 3)),
            (D(2024, 12, 21), D(2025, 1, 5)),
            (D(2025, 2, 22), D(2025, 3, 2)),
            (D(2025, 4, 26), D(2025, 5, 4)),
            (D(2025, 7, 19), D(2025, 8, 31)),
        ],
        "zuid": [
            (D(2024, 10, 19), D(2024, 10, 27)),
            (D(2024, 12, 21), D(2025, 1, 5)),
            (D(2025, 2, 22), D(2025, 3, 2)),
            (D(2025, 4, 26), D(2025, 5, 4)),
            (D(2025, 7, 5), D(2025, 8, 17)),
        ],
    },
    2025: {
        "noord": [
            (D(2025, 10, 18), D(2025, 10, 26)),
            (D(2025, 12, 20), D(2026, 1, 4)),
            (D(2026, 2, 14), D(2026, 2, 22)),
            (D(2026, 4, 25), D(2026, 5, 3)),
            (D(2026, 7, 4), D(2026, 8, 16)),
        ],
        "midden": [
            (D(2025, 10, 18), D(2025, 10, 26)),
            (D(2025, 12, 20), D(2026, 1, 4)),
            (D(2026, 2, 14), D(2026, 2, 22)),
            (D(2026, 4, 25), D(2026, 5, 3)),
            (D(2026, 7, 18), D(2026, 8, 30)),
        ],
        "zuid": [
            (D(2025, 10, 11), D(2025, 10, 19)),
            (D(2025, 12, 20), D(2026, 1, 4)),
            (D(2026, 2, 14), D(2026, 2, 22)),
            (D(2026, 4, 25), D(2026, 5, 3)),
            (D(2026, 7, 11), D(2026, 8, 23)),
        ],
    },
}
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
    return PUBLISHED.get(start_year, {}).get(region) or _pattern(start_year, region)


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
