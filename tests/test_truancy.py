"""The DUO report list: 16 or more unexcused hours within 4 school weeks, counted on the school calendar (a week
in a holiday is no school week), hours per part of day set per school; long absences; the CSV export."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from ouderportaal.absences import truancy
from ouderportaal.absences.models import Absence, AttendanceSettings
from ouderportaal.school.models import SchoolYear
from ouderportaal.schoolcalendar.calendar import SchoolCalendar
from tests import factories as f

FIRST, LAST = date(2026, 8, 31), date(2026, 12, 18)


def unexcused(pupil, day, part="dag", **kw):
    return Absence.objects.create(pupil=pupil, date=day, part_of_day=part, reason="ongeoorloofd", excused=False, **kw)


def found(school):
    calendar = SchoolCalendar(school, [2025, 2026])
    return truancy.findings(school=school, calendar=calendar, first=FIRST, last=LAST)


def test_sixteen_hours_within_four_school_weeks_across_the_autumn_holiday(cast):
    # Regio midden: herfstvakantie 17–25 October 2026. 3 whole days of 5.5 hours (3.5 + 2) = 16.5 hours in the
    # school weeks of 5 Oct, 12 Oct, 26 Oct and 2 Nov: four school weeks, five calendar weeks.
    for day in (date(2026, 10, 6), date(2026, 10, 28), date(2026, 11, 3)):
        unexcused(cast.child1, day)
    (finding,) = found(cast.school)
    assert finding.pupil == cast.child1 and finding.hours == Decimal("16.5") and finding.absences == 3
    assert finding.first_day == date(2026, 10, 5) and finding.last_day == date(2026, 11, 6)


def test_not_when_the_hours_lie_further_apart_than_four_school_weeks(cast):
    for day in (date(2026, 10, 6), date(2026, 11, 3), date(2026, 11, 10)):
        unexcused(cast.child1, day)
    assert found(cast.school) == []


def test_the_hours_per_part_of_day_are_the_schools_and_sixteen_counts(cast):
    AttendanceSettings.objects.create(school=cast.school, morning_hours=4, afternoon_hours=4)
    unexcused(cast.child1, date(2026, 11, 2))
    unexcused(cast.child1, date(2026, 11, 3), "ochtend")
    assert found(cast.school) == []  # 12 hours
    unexcused(cast.child1, date(2026, 11, 4), "middag")
    assert found(cast.school)[0].hours == 16


def test_late_minutes_count_and_excused_absence_does_not(cast):
    for day in (date(2026, 11, 2), date(2026, 11, 3)):
        unexcused(cast.child1, day)
    Absence.objects.create(pupil=cast.child1, date=date(2026, 11, 4), reason="ziek", excused=True)
    assert found(cast.school) == []  # 11 hours
    for i in range(5):
        unexcused(cast.child1, date(2026, 11, 9 + i), "te_laat", minutes_late=60)
    assert found(cast.school)[0].hours == 16


def test_long_absence_is_twenty_school_days_in_a_row(cast):
    calendar = SchoolCalendar(cast.school, [2025, 2026])
    days = calendar.school_days(date(2026, 11, 2), LAST)[:20]
    for day in days[:19]:
        Absence.objects.create(pupil=cast.child2, date=day, reason="ziek", excused=True)
    assert truancy.long_absences(school=cast.school, calendar=calendar, first=FIRST, last=LAST) == []
    Absence.objects.create(pupil=cast.child2, date=days[19], reason="ziek", excused=True)
    (long,) = truancy.long_absences(school=cast.school, calendar=calendar, first=FIRST, last=LAST)
    assert long.pupil == cast.child2 and long.school_days == 20


def test_the_page_and_its_csv(client, cast):
    today = timezone.localdate()
    first = SchoolYear(start_year=SchoolYear.start_year_for(today)).starts_on
    calendar = SchoolCalendar.covering(cast.school, first, today)
    days = calendar.school_days(first, today)
    if len(days) < 3:
        pytest.skip("too early in the school year")
    for day in days[-3:]:
        unexcused(cast.child1, day)
    client.force_login(cast.staff)
    html = client.get("/beheer/verzuim/").content.decode()
    assert cast.child1.full_name in html and cast.child2.full_name not in html
    response = client.get("/beheer/verzuim/?formaat=csv")
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == ";".join(truancy_columns())
    assert lines[1].startswith(f"ongeoorloofd;{cast.child1.full_name};") and ";16,5;" in lines[1]
    client.force_login(f.make_staff(cast.school, role="leerkracht"))
    assert client.get("/beheer/verzuim/").status_code == 404
    client.force_login(cast.other_staff)
    assert cast.child1.full_name not in client.get("/beheer/verzuim/").content.decode()


def truancy_columns():
    from ouderportaal.backoffice.absence_views import CSV_COLUMNS

    return CSV_COLUMNS


def test_query_count_does_not_grow_with_pupils(client, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cast.staff)
    for day in (date(2026, 11, 2), date(2026, 11, 3), date(2026, 11, 4)):
        unexcused(cast.child1, day)
    client.get("/beheer/verzuim/")  # warm the session
    with CaptureQueriesContext(connection) as one:
        client.get("/beheer/verzuim/")
    for _ in range(10):
        pupil = f.make_pupil(cast.school, cast.group)
        for day in (date(2026, 11, 2), date(2026, 11, 3), date(2026, 11, 4)):
            unexcused(pupil, day)
    with CaptureQueriesContext(connection) as eleven:
        client.get("/beheer/verzuim/")
    assert len(eleven.captured_queries) == len(one.captured_queries)
