"""The test-week calendar feed: an unguessable per-user address, renewable from the Account tab; the test weeks of the
user's children's schools only; valid RFC 5545 (read back with the icalendar package); never a result."""

import datetime

import icalendar
import pytest
from django.conf import settings
from django.utils import timezone

from ouderportaal.core.models import AuditLogEntry
from ouderportaal.results.calendar import fold
from ouderportaal.results.models import Assessment, CalendarFeed, ResultsClosure, TestResult
from tests import factories as f

DAY = datetime.timedelta(days=1)


@pytest.fixture
def weeks(cast):
    now = timezone.now().replace(microsecond=0)
    return {
        "past": ResultsClosure.objects.create(
            school=cast.school, starts_at=now - 60 * DAY, ends_at=now - 50 * DAY, reason="Intern: juf ziek"
        ),
        "long_ago": ResultsClosure.objects.create(
            school=cast.school, starts_at=now - 800 * DAY, ends_at=now - 790 * DAY
        ),
        "running": ResultsClosure.objects.create(school=cast.school, starts_at=now - DAY, ends_at=now + DAY),
        "ahead": ResultsClosure.objects.create(school=cast.school, starts_at=now + 40 * DAY, ends_at=now + 50 * DAY),
        "other_school": ResultsClosure.objects.create(
            school=cast.other_school, starts_at=now + 10 * DAY, ends_at=now + 12 * DAY
        ),
    }


def make_feed(client, user):
    client.force_login(user)
    assert client.post("/account/agenda/").status_code == 302
    return CalendarFeed.objects.get(user=user)


def read(client, token):
    client.logout()  # a calendar app has no session
    response = client.get(f"/agenda/{token}/toetsweken.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response.content


def test_feed_lists_the_schools_test_weeks_and_nothing_else(client, cast, weeks):
    year = f.current_year()
    assessment = Assessment.objects.create(supplier="Cito", subject="Spelling", name="Geheimetoets", level_scheme="IV")
    TestResult.objects.create(
        pupil=cast.child1, assessment=assessment, school_year=year, moment="M5", taken_on=year.starts_on, level="II"
    )
    feed = make_feed(client, cast.parent)
    body = read(client, feed.token)
    calendar = icalendar.Calendar.from_ical(body)
    events = calendar.walk("VEVENT")
    starts = sorted(e.decoded("DTSTART") for e in events)
    expected = sorted(weeks[k].starts_at for k in ("past", "running", "ahead"))
    assert starts == expected
    for event in events:
        assert str(event["SUMMARY"]) == f"Toetsweek {cast.school.name}"
        assert event["UID"].startswith("toetsweek-") and "DTSTAMP" in event
    text = body.decode()
    for leak in ("Geheimetoets", "Intern: juf ziek", cast.child1.roepnaam, "II"):
        assert leak not in text.replace("VCALENDAR", "").replace("GREGORIAN", "")
    assert all(line.endswith(b"\r") or line == b"" for line in body.split(b"\n"))


def test_account_tab_shows_and_renews_the_address(client, cast, weeks):
    client.force_login(cast.parent)
    assert "Agenda-adres maken" in client.get("/account/").content.decode()
    old = make_feed(client, cast.parent).token
    assert len(old) >= 40
    page = client.get("/account/").content.decode()
    assert f"/agenda/{old}/toetsweken.ics" in page and "Nieuw agenda-adres maken" in page
    host = settings.SITE_URL.split("://", 1)[1]
    assert f'href="webcal://{host}/agenda/{old}/toetsweken.ics"' in page
    assert "Uw huidige adres werkt daarna niet meer" in client.get("/account/agenda/").content.decode()
    new = make_feed(client, cast.parent).token
    assert new != old
    client.logout()
    assert client.get(f"/agenda/{old}/toetsweken.ics").status_code == 404
    assert client.get(f"/agenda/{new}/toetsweken.ics").status_code == 200
    actions = list(AuditLogEntry.objects.filter(actor=cast.parent).values_list("action", flat=True).order_by("pk"))
    assert actions == ["results.calendar_feed.created", "results.calendar_feed.renewed"]


@pytest.mark.parametrize("token", ["ongeldig", "x" * 200, "%00", "a%00b", "..%2F..%2Fetc", "é"])
def test_wrong_token_is_404(client, db, token):
    assert client.get(f"/agenda/{token}/toetsweken.ics").status_code == 404


def test_inactive_user_feed_is_404(client, cast, weeks):
    feed = make_feed(client, cast.parent)
    cast.parent.is_active = False
    cast.parent.save()
    client.logout()
    assert client.get(f"/agenda/{feed.token}/toetsweken.ics").status_code == 404


def test_each_parent_sees_their_own_schools(client, cast, weeks):
    outsider = make_feed(client, cast.outsider)
    events = icalendar.Calendar.from_ical(read(client, outsider.token)).walk("VEVENT")
    assert [e.decoded("DTSTART") for e in events] == [weeks["other_school"].starts_at]
    # A guardian without the right to view the child gets no weeks of that child's school.
    hidden = make_feed(client, cast.no_authority)
    assert icalendar.Calendar.from_ical(read(client, hidden.token)).walk("VEVENT") == []


def test_long_names_are_folded_and_read_back_intact(client, cast, weeks):
    cast.school.name = "Openbare Basisschool De Regenboog, locatie Zuid; ingang Ölandstraat — " + "é" * 30
    cast.school.save()
    body = read(client, make_feed(client, cast.parent).token)
    assert all(len(line) <= 76 for line in body.split(b"\n"))  # 75 octets + CR
    summaries = {str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(body).walk("VEVENT")}
    assert summaries == {f"Toetsweek {cast.school.name}"}


def test_fold_never_splits_a_character():
    line = "SUMMARY:" + "€" * 60
    folded = fold(line).encode()
    assert all(len(part) <= 75 for part in folded.split(b"\r\n"))
    assert folded.replace(b"\r\n ", b"").decode() == line


def test_feed_query_count_is_constant(client, cast, weeks, django_assert_num_queries):
    feed = make_feed(client, cast.parent)
    client.logout()
    with django_assert_num_queries(2):
        client.get(f"/agenda/{feed.token}/toetsweken.ics")
    now = timezone.now()
    for i in range(8):
        ResultsClosure.objects.create(school=cast.school, starts_at=now + (60 + i) * DAY, ends_at=now + (61 + i) * DAY)
    with django_assert_num_queries(2):
        client.get(f"/agenda/{feed.token}/toetsweken.ics")
