"""Staff record or correct absences per group per day; teachers only for their own groups; every change audited."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ouderportaal.absences.models import Absence
from ouderportaal.core.models import AuditLogEntry
from ouderportaal.school.models import Teacher
from ouderportaal.schoolcalendar.calendar import SchoolCalendar
from tests import factories as f


@pytest.fixture
def school_day(cast):
    today = timezone.localdate()
    calendar = SchoolCalendar.covering(cast.school, today - timedelta(days=30), today)
    days = calendar.school_days(max(today - timedelta(days=30), f.current_year().starts_on), today)
    if not days:
        pytest.skip("no school day yet this school year")
    return days[-1]


def url(cast, day, group=None):
    return f"/beheer/absenties/?groep={(group or cast.group).pk}&datum={day:%Y-%m-%d}"


def test_record_and_correct_an_absence(client, cast, school_day):
    client.force_login(cast.staff)
    key = cast.child1.public_id
    page = client.get(url(cast, school_day))
    assert page.status_code == 200 and cast.child1.full_name in page.content.decode()
    response = client.post(
        url(cast, school_day), {f"part-{key}": "te_laat", f"reason-{key}": "te_laat", f"minutes-{key}": "10"}
    )
    assert response.status_code == 302
    absence = Absence.objects.get(pupil=cast.child1, date=school_day)
    assert absence.minutes_late == 10 and not absence.excused
    client.post(url(cast, school_day), {f"part-{key}": "ochtend", f"reason-{key}": "arts", f"note-{key}": "Tandarts"})
    absence = Absence.objects.get(pupil=cast.child1, date=school_day)
    assert absence.part_of_day == "ochtend" and absence.excused and absence.note == "Tandarts"
    client.post(url(cast, school_day), {})  # a row not on the form sent is left alone
    assert Absence.objects.filter(pupil=cast.child1).exists()
    client.post(url(cast, school_day), {f"part-{key}": "", f"reason-{key}": ""})
    assert not Absence.objects.filter(pupil=cast.child1).exists()
    entries = AuditLogEntry.objects.filter(action="pupil.absence.record", actor=cast.staff)
    assert entries.count() == 3 and entries.order_by("pk").last().data["before"][0][1] == "arts"


@pytest.mark.parametrize(
    "data, message",
    [
        ({"part": "te_laat", "reason": "te_laat", "minutes": "abc"}, "minuten te laat"),
        ({"part": "dag", "reason": ""}, "kies een dagdeel en een reden"),
        ({"part": "dag", "reason": "ziek", "note": "x" * 10_000}, "langer dan 500 tekens"),
    ],
)
def test_bad_rows_keep_what_was_typed_and_write_nothing(client, cast, school_day, data, message):
    client.force_login(cast.staff)
    key = cast.child1.public_id
    response = client.post(url(cast, school_day), {f"{k}-{key}": v for k, v in data.items()})
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert not Absence.objects.exists()


def test_a_teacher_records_only_for_their_groups(client, cast, school_day):
    user = f.make_staff(cast.school, role="leerkracht", email="meester@school.example")
    cast.group.teachers.add(
        Teacher.objects.create(school=cast.school, first_name="Bas", surname="Kok", email=user.email)
    )
    client.force_login(user)
    html = client.get(url(cast, school_day, cast.other_group)).content.decode()
    assert cast.child2.full_name not in html and cast.child1.full_name in html  # falls back to the own group
    key = cast.child2.public_id
    client.post(url(cast, school_day, cast.other_group), {f"part-{key}": "dag", f"reason-{key}": "ongeoorloofd"})
    assert not Absence.objects.filter(pupil=cast.child2).exists()


def test_queries_do_not_grow_with_the_group(client, cast, school_day, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cast.staff)
    client.get(url(cast, school_day))
    with CaptureQueriesContext(connection) as few:
        client.get(url(cast, school_day))
    for _ in range(20):
        pupil = f.make_pupil(cast.school, cast.group)
        Absence.objects.create(pupil=pupil, date=school_day, reason="ziek", excused=True)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url(cast, school_day))
