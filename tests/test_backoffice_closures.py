"""Test weeks in the back-office: schedule, edit, delete, close now, open now; every change audited; the parent's
Toetsen tab follows at once."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from ouderportaal.core.models import AuditLogEntry
from ouderportaal.results.models import ResultsClosure
from ouderportaal.results.visibility import closed_until
from tests import factories as f

AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def staff_client(client, cast):
    client.force_login(cast.staff)
    return client


def schedule(client, starts, ends, reason="Toetsweek M"):
    return client.post(
        "/beheer/toetsweken/", {"action": "schedule", "starts_at": starts, "ends_at": ends, "reason": reason}
    )


def test_staff_schedule_a_closure_in_amsterdam_time(staff_client, cast):
    response = schedule(staff_client, "2027-01-25T08:00", "2027-02-05T17:30")
    assert response.status_code == 302
    closure = ResultsClosure.objects.get()
    assert closure.school == cast.school
    assert closure.starts_at == datetime.datetime(2027, 1, 25, 8, 0, tzinfo=AMS)
    assert closure.ends_at == datetime.datetime(2027, 2, 5, 16, 30, tzinfo=datetime.UTC)
    entry = AuditLogEntry.objects.get(action="results.closure.created")
    assert entry.actor == cast.staff and entry.school_id == cast.school.pk
    html = staff_client.get("/beheer/toetsweken/").content.decode()
    assert "25 januari 2027 08:00" in html and "5 februari 2027 17:30" in html and "Toetsweek M" in html


@pytest.mark.parametrize(
    "starts, ends, error",
    [
        ("2027-02-05T08:00", "2027-01-25T08:00", "Het einde moet na het begin liggen."),
        ("2027-02-05T08:00", "2027-02-05T08:00", "Het einde moet na het begin liggen."),
        ("gisteren", "2027-01-25T08:00", "Vul een geldige datum en tijd in"),
        ("2027-13-45T99:00", "", "Vul een geldige datum en tijd in"),
        ("2027-01-25T08:00", "", "Dit veld is verplicht."),
        # 02:30 on the night clocks go forward does not exist in Amsterdam.
        ("2027-03-28T02:30", "2027-03-29T08:00", "Europe/Amsterdam"),
    ],
)
def test_bad_input_gives_a_dutch_error_and_keeps_what_was_typed(staff_client, starts, ends, error):
    response = schedule(staff_client, starts, ends, reason="Mijn reden")
    assert response.status_code == 200
    html = response.content.decode()
    assert error in html
    assert 'value="Mijn reden"' in html
    assert not ResultsClosure.objects.exists()


def test_edit_and_delete_are_audited(staff_client, cast):
    closure = ResultsClosure.objects.create(
        school=cast.school,
        starts_at=datetime.datetime(2027, 1, 25, 8, tzinfo=AMS),
        ends_at=datetime.datetime(2027, 2, 5, 17, tzinfo=AMS),
    )
    page = staff_client.get(f"/beheer/toetsweken/{closure.pk}/").content.decode()
    assert 'value="2027-01-25T08:00"' in page
    response = staff_client.post(
        f"/beheer/toetsweken/{closure.pk}/",
        {"starts_at": "2027-01-26T08:00", "ends_at": "2027-02-06T12:00", "reason": "Verschoven"},
    )
    assert response.status_code == 302
    closure.refresh_from_db()
    assert closure.starts_at == datetime.datetime(2027, 1, 26, 8, tzinfo=AMS) and closure.reason == "Verschoven"
    changed = AuditLogEntry.objects.get(action="results.closure.changed")
    assert changed.data["before"]["starts_at"].startswith("2027-01-25T07:00")
    assert staff_client.post(f"/beheer/toetsweken/{closure.pk}/verwijderen/").status_code == 302
    assert not ResultsClosure.objects.exists()
    assert AuditLogEntry.objects.filter(action="results.closure.deleted", object_id=str(closure.pk)).exists()


def test_edit_rejects_an_end_before_the_start(staff_client, cast):
    start = timezone.now() + datetime.timedelta(days=3)
    closure = ResultsClosure.objects.create(school=cast.school, starts_at=start, ends_at=start + datetime.timedelta(1))
    response = staff_client.post(
        f"/beheer/toetsweken/{closure.pk}/", {"starts_at": "2027-02-06T08:00", "ends_at": "2027-02-01T08:00"}
    )
    assert "Het einde moet na het begin liggen." in response.content.decode()
    closure.refresh_from_db()
    assert closure.starts_at == start


def test_close_now_and_open_now(staff_client, cast):
    parent = f"/kind/{cast.child1.public_id}/toetsen/"
    until = timezone.localtime() + datetime.timedelta(days=2)
    response = staff_client.post(
        "/beheer/toetsweken/",
        {"action": "close_now", "school": cast.school.pk, f"nu-{cast.school.pk}-ends_at": f"{until:%Y-%m-%dT%H:%M}"},
    )
    assert response.status_code == 302
    assert closed_until(cast.school.pk) is not None
    assert AuditLogEntry.objects.filter(action="results.closure.closed_now").count() == 1
    staff_client.force_login(cast.parent)
    assert "weer zichtbaar vanaf" in staff_client.get(parent).content.decode()

    staff_client.force_login(cast.staff)
    assert "Nu openen" in staff_client.get("/beheer/toetsweken/").content.decode()
    response = staff_client.post("/beheer/toetsweken/", {"action": "open_now", "school": cast.school.pk})
    assert response.status_code == 302
    assert closed_until(cast.school.pk) is None
    assert AuditLogEntry.objects.filter(action="results.closure.opened_now").count() == 1
    staff_client.force_login(cast.parent)
    assert "weer zichtbaar vanaf" not in staff_client.get(parent).content.decode()


def test_open_now_ends_overlapping_closures_and_keeps_scheduled_ones(staff_client, cast):
    now = timezone.now()
    day = datetime.timedelta(days=1)
    ResultsClosure.objects.create(school=cast.school, starts_at=now - day, ends_at=now + day)
    ResultsClosure.objects.create(school=cast.school, starts_at=now - 2 * day, ends_at=now + 3 * day)
    later = ResultsClosure.objects.create(school=cast.school, starts_at=now + 10 * day, ends_at=now + 12 * day)
    staff_client.post("/beheer/toetsweken/", {"action": "open_now", "school": cast.school.pk})
    assert closed_until(cast.school.pk) is None
    assert ResultsClosure.objects.filter(pk=later.pk, starts_at=later.starts_at).exists()
    assert AuditLogEntry.objects.filter(action="results.closure.opened_now").count() == 2


def test_close_now_needs_a_future_end(staff_client, cast):
    past = timezone.localtime() - datetime.timedelta(hours=1)
    response = staff_client.post(
        "/beheer/toetsweken/",
        {"action": "close_now", "school": cast.school.pk, f"nu-{cast.school.pk}-ends_at": f"{past:%Y-%m-%dT%H:%M}"},
    )
    assert response.status_code == 200
    assert "Kies een moment in de toekomst." in response.content.decode()
    assert not ResultsClosure.objects.exists()


def test_staff_cannot_touch_another_schools_test_weeks(client, cast):
    now = timezone.now()
    theirs = ResultsClosure.objects.create(
        school=cast.other_school, starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(1)
    )
    client.force_login(cast.staff)
    assert client.get(f"/beheer/toetsweken/{theirs.pk}/").status_code == 404
    assert client.post(f"/beheer/toetsweken/{theirs.pk}/verwijderen/").status_code == 404
    assert client.post("/beheer/toetsweken/", {"action": "open_now", "school": cast.other_school.pk}).status_code == 404
    response = client.post(
        "/beheer/toetsweken/",
        {
            "action": "schedule",
            "school": cast.other_school.pk,
            "starts_at": "2027-01-25T08:00",
            "ends_at": "2027-02-05T08:00",
        },
    )
    assert ResultsClosure.objects.filter(school=cast.school).count() == (1 if response.status_code == 302 else 0)
    assert ResultsClosure.objects.filter(school=cast.other_school).count() == 1
    assert closed_until(cast.other_school.pk) is not None


def test_teachers_do_not_run_test_weeks(client, cast):
    from ouderportaal.school.models import StaffRole

    teacher = f.make_user("juf")
    StaffRole.objects.create(user=teacher, school=cast.school, role=StaffRole.Role.TEACHER)
    client.force_login(teacher)
    assert client.get("/beheer/toetsweken/").status_code == 404


def test_list_page_query_count_is_constant(
    staff_client, cast, django_assert_num_queries, django_assert_max_num_queries
):
    start = timezone.now() + datetime.timedelta(days=5)
    ResultsClosure.objects.create(school=cast.school, starts_at=start, ends_at=start + datetime.timedelta(1))
    with django_assert_max_num_queries(50) as one:
        staff_client.get("/beheer/toetsweken/")
    for i in range(8):
        s = start + datetime.timedelta(days=10 * i - 40)
        ResultsClosure.objects.create(school=cast.school, starts_at=s, ends_at=s + datetime.timedelta(2))
    with django_assert_num_queries(len(one.captured_queries)):
        staff_client.get("/beheer/toetsweken/")
