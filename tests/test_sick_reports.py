"""Sick reports: the parent reports one or more children, the cut-off marks late reports, days without school are
refused, beter melden ends the period; the morning list for staff, scoped to their groups."""

from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ouderportaal.absences import services
from ouderportaal.absences.models import Absence, AttendanceSettings, SickReport
from ouderportaal.core.models import AuditLogEntry
from ouderportaal.school.models import Teacher
from ouderportaal.schoolcalendar.calendar import SchoolCalendar
from ouderportaal.schoolcalendar.models import DayOff
from tests import factories as f


def next_school_day(school, after=None):
    day = after or timezone.localdate()
    calendar = SchoolCalendar.covering(school, day, day + timedelta(days=14))
    while not calendar.is_school_day(day):
        day += timedelta(days=1)
    return day


@pytest.fixture
def parent_client(client, cast):
    client.force_login(cast.parent)
    return client


def post_report(client, pupils, day, **extra):
    data = {"pupils": [p.public_id for p in pupils], "starts_on": day, "part_of_day": "dag", "remark": "", **extra}
    return client.post("/ziekmelden/", data)


def test_a_parent_reports_two_children_at_once(parent_client, cast):
    day = next_school_day(cast.school)
    response = post_report(parent_client, [cast.child1, cast.child2], day, remark="Koorts")
    assert response.status_code == 302
    reports = SickReport.objects.order_by("pupil__roepnaam")
    assert [r.pupil for r in reports] == [cast.child2, cast.child1]
    assert all(r.reported_by == cast.parent and r.remark == "Koorts" for r in reports)
    assert Absence.objects.filter(reason="ziek", date=day, excused=True).count() == 2
    assert AuditLogEntry.objects.filter(action="pupil.sick.report", actor=cast.parent).count() == 2
    page = parent_client.get(f"/kind/{cast.child1.public_id}/absenten/").content.decode()
    assert "nog niet beter gemeld" in page


def test_a_report_after_the_cut_off_is_late(cast):
    day = next_school_day(cast.school)
    tz = timezone.get_current_timezone()
    early = services.report_sick(
        pupils=[cast.child1],
        acting_user=cast.parent,
        starts_on=day,
        part_of_day="dag",
        now=datetime.combine(day, time(8, 29), tz),
    )[0]
    late = services.report_sick(
        pupils=[cast.child2],
        acting_user=cast.parent,
        starts_on=day,
        part_of_day="dag",
        now=datetime.combine(day, time(8, 31), tz),
    )[0]
    assert not early.late and late.late
    # The cut-off is the school's: at 10:00 the same report is in time; for a later day never late.
    AttendanceSettings.objects.create(school=cast.school, report_cutoff=time(10, 0))
    assert not services.is_late(cast.school, day, datetime.combine(day, time(9, 30), tz))
    assert not services.is_late(cast.school, day + timedelta(days=1), datetime.combine(day, time(23, 0), tz))


def test_no_report_for_a_weekend_or_a_study_day(parent_client, cast):
    today = timezone.localdate()
    saturday = today + timedelta(days=(5 - today.weekday()) % 7)
    response = post_report(parent_client, [cast.child1], saturday)
    assert response.status_code == 200 and "weekend" in response.content.decode()
    day = next_school_day(cast.school)
    DayOff.objects.create(
        school=cast.school,
        school_year=f.current_year(),
        kind="studiedag",
        name="Studiedag",
        starts_on=day,
        ends_on=day,
    )
    response = post_report(parent_client, [cast.child1, cast.child2], day)
    assert "Studiedag" in response.content.decode()
    assert not SickReport.objects.exists() and not Absence.objects.exists()


@pytest.mark.parametrize(
    "extra, message",
    [
        ({"starts_on": "1900-01-01"}, "voorbij"),
        ({"starts_on": "2200-01-01"}, "twee weken vooruit"),
        ({"starts_on": "31-02-2026"}, "geldige datum"),
        ({"remark": "x" * 10_000}, "500 tekens"),
    ],
)
def test_bad_input_gives_a_dutch_error_and_writes_nothing(parent_client, cast, extra, message):
    response = post_report(parent_client, [cast.child1], next_school_day(cast.school), **extra)
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert not SickReport.objects.exists()
    if "remark" in extra:
        assert "x" * 10_000 in html  # what was typed is kept


def test_a_parent_cannot_report_a_child_they_may_not_view(client, cast):
    client.force_login(cast.outsider)
    assert post_report(client, [cast.child1], next_school_day(cast.school)).status_code == 404
    client.force_login(cast.no_authority)
    assert post_report(client, [cast.child1], next_school_day(cast.school)).status_code == 404
    assert not SickReport.objects.exists()


def test_the_school_may_allow_only_guardians_with_authority(parent_client, cast):
    AttendanceSettings.objects.create(school=cast.school, reporters="authority")
    cast.guardian.guardianships.filter(pupil=cast.child2).update(has_authority=False)
    page = parent_client.get("/ziekmelden/").content.decode()
    assert cast.child1.public_id in page and cast.child2.public_id not in page
    assert post_report(parent_client, [cast.child2], next_school_day(cast.school)).status_code == 404


def test_beter_melden_ends_the_period_and_fills_the_school_days(parent_client, cast):
    # Ill from Monday 2 November 2026, back on Thursday: Monday to Wednesday are absences.
    report = services.report_sick(
        pupils=[cast.child1], acting_user=cast.parent, starts_on=date(2026, 11, 2), part_of_day="dag"
    )[0]
    services.report_better(report=report, acting_user=cast.coparent, back_on=date(2026, 11, 5))
    report.refresh_from_db()
    assert report.ends_on == date(2026, 11, 4) and report.ended_by == cast.coparent
    days = sorted(Absence.objects.filter(sick_report=report).values_list("date", flat=True))
    assert days == [date(2026, 11, 2), date(2026, 11, 3), date(2026, 11, 4)]
    assert AuditLogEntry.objects.filter(action="pupil.sick.better").count() == 1
    with pytest.raises(services.RuleError):
        services.report_better(report=report, acting_user=cast.parent, back_on=date(2026, 11, 6))
    html = parent_client.get(f"/kind/{cast.child1.public_id}/absenten/?schooljaar=2026-2027").content.decode()
    assert "Ziek van ma 2 november 2026 tot en met wo 4 november 2026" in html


def test_beter_melden_from_the_page(parent_client, cast):
    day = next_school_day(cast.school)
    post_report(parent_client, [cast.child1], day)
    report = SickReport.objects.get()
    response = parent_client.post(
        "/ziekmelden/", {"action": "better", "report": report.public_id, "back_on": day + timedelta(days=1)}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.ends_on == day
    # Someone else's report: 404.
    other = services.report_sick(
        pupils=[cast.outsider_child],
        acting_user=cast.outsider,
        starts_on=next_school_day(cast.other_school),
        part_of_day="dag",
    )[0]
    response = parent_client.post("/ziekmelden/", {"action": "better", "report": other.public_id, "back_on": day})
    assert response.status_code == 404


def test_a_child_cannot_be_reported_twice(cast):
    day = next_school_day(cast.school)
    services.report_sick(pupils=[cast.child1], acting_user=cast.parent, starts_on=day, part_of_day="dag")
    with pytest.raises(services.RuleError, match="al ziek gemeld"):
        services.report_sick(
            pupils=[cast.child2, cast.child1], acting_user=cast.parent, starts_on=day, part_of_day="dag"
        )
    assert SickReport.objects.count() == 1  # all or nothing


def morning_list(client, day):
    response = client.get(f"/beheer/ziekmeldingen/?datum={day}")
    assert response.status_code == 200
    return response


def test_the_morning_list_shows_the_reports_and_refreshes_itself(client, cast):
    day = next_school_day(cast.school)
    services.report_sick(
        pupils=[cast.child1, cast.child2], acting_user=cast.parent, starts_on=day, part_of_day="dag", remark="Koorts"
    )
    client.force_login(cast.staff)
    html = morning_list(client, day).content.decode()
    assert cast.child1.full_name in html and cast.child2.full_name in html and "Koorts" in html
    assert 'data-refresh-seconds="30"' in html and "js/refresh.js" in html
    assert "<script>" not in html  # no inline script: the CSP holds
    client.force_login(cast.other_staff)
    assert cast.child1.full_name not in morning_list(client, day).content.decode()


def test_a_teacher_sees_only_their_groups(client, cast):
    day = next_school_day(cast.school)
    services.report_sick(pupils=[cast.child1, cast.child2], acting_user=cast.parent, starts_on=day, part_of_day="dag")
    teacher_user = f.make_staff(cast.school, role="leerkracht", email="juf.anna@school.example")
    teacher = Teacher.objects.create(
        school=cast.school, first_name="Anna", surname="Bos", email="Juf.Anna@school.example"
    )
    cast.group.teachers.add(teacher)
    client.force_login(teacher_user)
    html = morning_list(client, day).content.decode()
    assert cast.child1.full_name in html and cast.child2.full_name not in html
    response = client.get(f"/beheer/ziekmeldingen/?datum={day}&groep={cast.other_group.pk}")
    assert cast.child2.full_name not in response.content.decode()


def test_morning_list_queries_do_not_grow_with_reports(client, cast, django_assert_num_queries):
    day = next_school_day(cast.school)
    client.force_login(cast.staff)
    services.report_sick(pupils=[cast.child1], acting_user=cast.parent, starts_on=day, part_of_day="dag")
    morning_list(client, day)  # warm the session
    with CaptureQueriesContext(connection) as one:
        morning_list(client, day)
    pupils = [f.make_pupil(cast.school, cast.group) for _ in range(29)]
    services.report_sick(pupils=pupils, acting_user=cast.parent, starts_on=day, part_of_day="dag")
    with django_assert_num_queries(len(one.captured_queries)):
        response = morning_list(client, day)
    assert len(response.context["reports"]) == 30
