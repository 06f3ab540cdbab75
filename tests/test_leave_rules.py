"""Every Leerplichtwet leave rule at its boundaries (absences/leave_rules.py), on the 2026-2027 calendar of
regio midden (first school day 31 August 2026; voorjaarsvakantie 20–28 February 2027)."""

from datetime import date
from types import SimpleNamespace

import pytest

from ouderportaal.absences.leave_rules import assess, compulsory_from
from ouderportaal.schoolcalendar.calendar import SchoolCalendar

CALENDAR = SchoolCalendar(None, [2025, 2026], region="midden", rows=[])
CHILD = SimpleNamespace(roepnaam="Sanne", birth_date=date(2018, 5, 3))


def check(kind, first, last, pupil=CHILD, **kw):
    return assess(pupil=pupil, kind=kind, starts_on=first, ends_on=last, calendar=CALENDAR, has_statement=True, **kw)


def test_13a_ten_school_days_may_be_granted():
    result = check("13a", date(2027, 3, 1), date(2027, 3, 12))
    assert result.school_days == 10 and result.ok and result.outcome == "pending"


def test_13a_eleven_school_days_cannot():
    result = check("13a", date(2027, 3, 1), date(2027, 3, 15))
    assert result.school_days == 11 and not result.ok
    assert "hooguit 10 schooldagen" in result.problems[0] and "11 schooldagen" in result.problems[0]


def test_weekends_and_holidays_do_not_count_as_school_days():
    # Two calendar weeks around the spring holiday: 5 school days before it, none in it.
    assert check("13a", date(2027, 2, 15), date(2027, 2, 28)).school_days == 5


def test_13a_never_in_the_first_two_school_weeks():
    last_day_of_week_two = check("13a", date(2026, 9, 11), date(2026, 9, 11))
    assert not last_day_of_week_two.ok and "eerste twee weken" in last_day_of_week_two.problems[0]
    assert check("13a", date(2026, 9, 14), date(2026, 9, 18)).ok
    # Ending just inside the two weeks is refused too.
    assert not check("13a", date(2026, 8, 24), date(2026, 9, 1)).ok


def test_13a_only_once_a_school_year():
    result = check("13a", date(2027, 3, 1), date(2027, 3, 3), other_13a_this_year=True)
    assert not result.ok and "één keer per schooljaar" in result.problems[0]


def test_13a_needs_the_employers_statement():
    result = assess(
        pupil=CHILD,
        kind="13a",
        starts_on=date(2027, 3, 1),
        ends_on=date(2027, 3, 3),
        calendar=CALENDAR,
        has_statement=False,
    )
    assert not result.ok and "verklaring van de werkgever" in result.problems[0]


def test_14_up_to_ten_days_goes_to_the_director_more_to_the_leerplichtambtenaar():
    assert check("14", date(2027, 3, 1), date(2027, 3, 12)).outcome == "pending"
    more = check("14", date(2027, 3, 1), date(2027, 3, 15))
    assert more.ok and more.outcome == "forwarded" and "leerplichtambtenaar" in more.notes[0]


def test_leave_in_a_holiday_is_not_needed():
    result = check("14", date(2027, 2, 20), date(2027, 2, 28))
    assert not result.ok and "geen school" in result.problems[0]


@pytest.mark.parametrize(
    "birth, first_day",
    [
        (date(2022, 6, 15), date(2027, 7, 1)),
        (date(2021, 12, 15), date(2027, 1, 1)),
        (date(2021, 3, 1), date(2026, 4, 1)),
    ],
)
def test_compulsory_schooling_starts_the_month_after_the_fifth_birthday(birth, first_day):
    assert compulsory_from(birth) == first_day


def test_under_fives_leave_is_only_noted_whatever_the_rules():
    toddler = SimpleNamespace(roepnaam="Bram", birth_date=date(2022, 6, 15))
    result = check("13a", date(2027, 3, 1), date(2027, 3, 15), pupil=toddler)
    assert result.ok and result.outcome == "noted" and "nog niet leerplichtig" in result.notes[0]
    # From the first of the month after the fifth birthday the rules apply.
    five = SimpleNamespace(roepnaam="Bram", birth_date=date(2021, 12, 15))
    assert check("13a", date(2027, 1, 4), date(2027, 1, 19), pupil=five).outcome == "pending"
    assert not check("13a", date(2027, 1, 4), date(2027, 1, 19), pupil=five).ok
