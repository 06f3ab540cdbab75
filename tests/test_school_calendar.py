"""The school calendar: national defaults per region, public holidays, the school's own edits, school weeks."""

from datetime import date

import pytest

from ouderportaal.core.models import AuditLogEntry
from ouderportaal.schoolcalendar import national
from ouderportaal.schoolcalendar.calendar import SchoolCalendar, take_over_defaults
from ouderportaal.schoolcalendar.models import CalendarSettings, DayOff
from tests import factories as f


def calendar(region, *years):
    return SchoolCalendar(None, years, region=region, rows=[])


def test_regions_have_their_own_autumn_holiday():
    assert not calendar("zuid", 2025).is_school_day(date(2025, 10, 13))
    assert calendar("noord", 2025).is_school_day(date(2025, 10, 13))
    assert not calendar("noord", 2025).is_school_day(date(2025, 10, 20))


def test_christmas_is_national_and_weekends_have_no_school():
    for region in ("noord", "midden", "zuid"):
        assert not calendar(region, 2026).is_school_day(date(2026, 12, 21))
    assert calendar("midden", 2026).is_school_day(date(2026, 12, 18))
    assert not calendar("midden", 2026).is_school_day(date(2026, 12, 5))  # a Saturday


def test_public_holidays_follow_easter_and_kings_day_moves_off_sunday():
    assert national.easter_sunday(2026) == date(2026, 4, 5)
    assert national.easter_sunday(2027) == date(2027, 3, 28)
    days = dict(national.public_holidays(2025))
    assert days["Tweede Paasdag"] == date(2026, 4, 6)
    assert days["Hemelvaartsdag"] == date(2026, 5, 14)
    assert days["Tweede Pinksterdag"] == date(2026, 5, 25)
    assert dict(national.public_holidays(2024))["Koningsdag"] == date(2025, 4, 26)  # 27 April 2025 is a Sunday
    assert "Bevrijdingsdag" in dict(national.public_holidays(2024))  # 2025: a lustrum year
    assert not calendar("midden", 2026).is_school_day(date(2027, 3, 29))


def test_first_school_day_and_first_two_weeks_follow_the_summer_holiday():
    cal = calendar("midden", 2025, 2026)
    assert cal.first_school_day(2026) == date(2026, 8, 31)
    assert cal.first_two_weeks(2026) == (date(2026, 8, 31), date(2026, 9, 13))
    assert calendar("noord", 2025, 2026).first_school_day(2026) == date(2026, 8, 17)


def test_a_week_in_a_holiday_is_no_school_week():
    weeks = calendar("midden", 2026).school_weeks(date(2026, 10, 5), date(2026, 11, 8))
    assert date(2026, 10, 19) not in weeks
    assert weeks == [date(2026, 10, 5), date(2026, 10, 12), date(2026, 10, 26), date(2026, 11, 2)]


def test_why_no_school_names_the_holiday():
    assert "Kerstvakantie" in calendar("midden", 2026).why_no_school(date(2026, 12, 22))
    assert "weekend" in calendar("midden", 2026).why_no_school(date(2026, 12, 6))
    assert calendar("midden", 2026).why_no_school(date(2026, 12, 7)) is None


def test_a_school_follows_its_own_calendar_once_edited(db):
    school = f.make_school()
    CalendarSettings.objects.create(school=school, region="zuid")
    assert not SchoolCalendar(school, [2025]).is_school_day(date(2025, 10, 13))  # zuid default
    year = take_over_defaults(school, 2025)
    assert DayOff.objects.filter(school=school, school_year=year).count() == len(national.defaults(2025, "zuid"))
    take_over_defaults(school, 2025)  # only once
    assert DayOff.objects.filter(school=school, school_year=year).count() == len(national.defaults(2025, "zuid"))
    DayOff.objects.filter(school=school, name="Herfstvakantie").delete()
    DayOff.objects.create(
        school=school,
        school_year=year,
        kind="studiedag",
        name="Studiedag",
        starts_on=date(2025, 11, 3),
        ends_on=date(2025, 11, 3),
    )
    cal = SchoolCalendar(school, [2025])
    assert cal.is_school_day(date(2025, 10, 13))
    assert "Studiedag" in cal.why_no_school(date(2025, 11, 3))


@pytest.fixture
def director(cast):
    return f.make_staff(cast.school, role="directeur")


def test_staff_add_a_study_day_and_it_is_audited(client, cast, director):
    client.force_login(cast.staff)
    year = f.current_year()
    day = year.starts_on.replace(month=11, day=4)
    page = client.get("/beheer/kalender/?jaar=2026")
    assert page.status_code == 200
    if year.start_year == 2026:
        assert "Eerste schooldag: maandag 31 augustus 2026" in page.content.decode()  # regio midden
    response = client.post(
        f"/beheer/kalender/?jaar={year.start_year}",
        {"action": "add", "name": "Studiedag team", "kind": "studiedag", "starts_on": day, "ends_on": day},
    )
    assert response.status_code == 302
    assert DayOff.objects.filter(school=cast.school, name="Studiedag team").exists()
    assert DayOff.objects.filter(school=cast.school, name="Kerstvakantie").exists()  # the defaults came along
    assert AuditLogEntry.objects.filter(action="calendar.add", actor=cast.staff).exists()
    assert not SchoolCalendar(cast.school, [year.start_year]).is_school_day(day)


def test_bad_calendar_input_writes_nothing(client, cast):
    client.force_login(cast.staff)
    year = f.current_year()
    response = client.post(
        f"/beheer/kalender/?jaar={year.start_year}",
        {"action": "add", "name": "Iets", "kind": "studiedag", "starts_on": "2026-11-05", "ends_on": "2026-11-01"},
    )
    assert response.status_code == 200 and "vóór de eerste dag" in response.content.decode()
    response = client.post(
        f"/beheer/kalender/?jaar={year.start_year}",
        {"action": "add", "name": "Iets", "kind": "studiedag", "starts_on": "1900-01-01", "ends_on": "1900-01-01"},
    )
    assert "in dit schooljaar" in response.content.decode()
    assert not DayOff.objects.exists()


def test_teachers_do_not_edit_the_calendar(client, cast):
    client.force_login(f.make_staff(cast.school, role="leerkracht"))
    assert client.get("/beheer/kalender/").status_code == 404


def test_a_year_beyond_the_tables_still_knows_its_public_holidays():
    cal = calendar("midden", 2035)
    assert [p.name for p in cal.periods] == ["Tweede Paasdag", "Koningsdag", "Hemelvaartsdag", "Tweede Pinksterdag"]
    assert cal.is_school_day(date(2035, 10, 15))


def test_the_demo_calendar_reads_the_national_table():
    # One place for the published holiday dates: the demo plans its school days from the same table.
    from ouderportaal.demo.calendar import SchoolCalendar as DemoCalendar

    for start_year, region in [(2023, "noord"), (2025, "noord"), (2025, "zuid"), (2027, "midden")]:
        demo = DemoCalendar(region)
        for name, first, last in national.defaults(start_year, region):
            if name.endswith("vakantie"):
                assert demo.is_holiday(first) and demo.is_holiday(last), (start_year, region, name)
    assert not DemoCalendar("noord").is_school_day(date(2026, 2, 23))  # noord's spring holiday 2026: 21 Feb-1 Mar
