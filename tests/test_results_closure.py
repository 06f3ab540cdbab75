"""The one gate (results/visibility.py) at the edges of a test week, and a sweep over every route that could carry
result data while the school's results are closed."""

import datetime
import zoneinfo

import pytest
from django.test import Client
from django.utils import timezone

from ouderportaal.core.pages import PARENT, PUBLIC
from ouderportaal.results import visibility
from ouderportaal.results.calendar import renew_calendar_feed
from ouderportaal.results.models import Assessment, ResultsClosure, TestResult
from ouderportaal.results.visibility import closed_until, open_results_for, open_results_loaded, open_results_shown
from tests import factories as f
from tests.test_url_sweep import ROUTES, fill, page_kind

AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
SECOND = datetime.timedelta(seconds=1)


@pytest.fixture
def result(cast):
    year = f.current_year()
    assessment = Assessment.objects.create(
        supplier="Cito", subject="Rekenen-Wiskunde", name="Geheimetoets Rekenen", level_scheme="IV"
    )
    return TestResult.objects.create(
        pupil=cast.child1,
        assessment=assessment,
        school_year=year,
        moment="M5",
        taken_on=year.starts_on + datetime.timedelta(days=140),
        ability_score="234.5",
        level="II",
    )


def close(school, starts, ends):
    return ResultsClosure.objects.create(school=school, starts_at=starts, ends_at=ends)


@pytest.mark.parametrize(
    "starts, ends",
    [
        # An ordinary week, from Monday 08:00 to Friday 17:00.
        (datetime.datetime(2027, 1, 25, 8, tzinfo=AMS), datetime.datetime(2027, 1, 29, 17, tzinfo=AMS)),
        # Across midnight.
        (datetime.datetime(2027, 1, 25, 23, 30, tzinfo=AMS), datetime.datetime(2027, 1, 26, 0, 30, tzinfo=AMS)),
        # Across the change to summer time (28 March 2027, 02:00 → 03:00) and back (31 October 2027).
        (datetime.datetime(2027, 3, 28, 1, 30, tzinfo=AMS), datetime.datetime(2027, 3, 28, 3, 30, tzinfo=AMS)),
        (datetime.datetime(2027, 10, 31, 1, 30, tzinfo=AMS), datetime.datetime(2027, 10, 31, 3, 30, tzinfo=AMS)),
    ],
)
def test_closed_from_its_first_second_until_its_last(cast, result, starts, ends):
    close(cast.school, starts, ends)
    assert closed_until(cast.school.pk, starts - SECOND) is None
    assert closed_until(cast.school.pk, starts) == ends
    assert closed_until(cast.school.pk, starts + SECOND) == ends
    assert closed_until(cast.school.pk, ends - SECOND) == ends
    assert closed_until(cast.school.pk, ends) is None
    assert closed_until(cast.school.pk, ends + SECOND) is None
    assert not open_results_for(cast.child1, now=ends - SECOND)[1].exists()
    assert list(open_results_for(cast.child1, now=ends)[1]) == [result]
    for now in (starts - SECOND, starts, starts + SECOND, ends - SECOND, ends, ends + SECOND):
        until = closed_until(cast.school.pk, now)
        expected = [] if until else [result.pk]
        # The Toetsen tab's queries hold the gate themselves: the rows alone come back empty in a test week.
        assert [row[0] for row in visibility._shown(cast.child1, now)] == expected
        assert [r.pk for r in visibility._all_visible(cast.child1, now)] == expected
        assert open_results_shown(cast.child1, now)[0] == until
        assert open_results_loaded(cast.child1, now)[0] == until
    # Their SQL was built once, with the moment bound as a parameter (core/prepared.py), not the ORM at each call.
    assert all(compiled is not None for compiled in visibility._shown.compiled.values())
    assert all(compiled is not None for compiled in visibility._all_visible.compiled.values())


def test_dst_closure_lasts_real_hours(cast):
    # 01:30 to 03:30 on the night the clocks go forward is one real hour; on the night they go back, three.
    spring = close(
        cast.school,
        datetime.datetime(2027, 3, 28, 1, 30, tzinfo=AMS),
        datetime.datetime(2027, 3, 28, 3, 30, tzinfo=AMS),
    )
    autumn = close(
        cast.school,
        datetime.datetime(2027, 10, 31, 1, 30, tzinfo=AMS),
        datetime.datetime(2027, 10, 31, 3, 30, tzinfo=AMS),
    )
    spring.refresh_from_db()
    autumn.refresh_from_db()
    assert spring.ends_at - spring.starts_at == datetime.timedelta(hours=1)
    assert autumn.ends_at - autumn.starts_at == datetime.timedelta(hours=3)
    assert closed_until(cast.school.pk, spring.starts_at + datetime.timedelta(minutes=59)) == spring.ends_at


def test_overlapping_closures_reopen_at_the_last_end(cast):
    t = datetime.datetime(2027, 5, 10, 8, tzinfo=AMS)
    close(cast.school, t, t + datetime.timedelta(days=4))
    close(cast.school, t + datetime.timedelta(days=2), t + datetime.timedelta(days=9))
    close(cast.school, t + datetime.timedelta(days=1), t + datetime.timedelta(days=3))
    assert closed_until(cast.school.pk, t + datetime.timedelta(hours=1)) == t + datetime.timedelta(days=9)
    assert closed_until(cast.school.pk, t + datetime.timedelta(days=8)) == t + datetime.timedelta(days=9)
    assert closed_until(cast.school.pk, t + datetime.timedelta(days=9)) is None


def test_results_entered_during_a_closure_appear_when_it_ends(cast, result):
    now = timezone.now()
    closure = close(cast.school, now - datetime.timedelta(hours=2), now + datetime.timedelta(hours=2))
    entered = TestResult.objects.create(
        pupil=cast.child1,
        assessment=result.assessment,
        school_year=result.school_year,
        moment="E5",
        taken_on=timezone.localdate(),
        ability_score="240.0",
        level="I",
    )
    assert not open_results_for(cast.child1, now=now)[1].exists()
    assert set(open_results_for(cast.child1, now=closure.ends_at)[1]) == {result, entered}


def parent_routes():
    return [route for route, view in ROUTES if page_kind(view) in (PARENT, PUBLIC)]


def test_no_result_data_reaches_a_parent_by_any_route_while_closed(cast, result):
    """Every parent and public page, as the parent and the co-parent, while closed: no test name, score or level.
    The same pages while open must show the result somewhere, so the sweep can fail."""
    client = Client()
    closure = close(cast.school, timezone.now() - datetime.timedelta(hours=1), timezone.now() + datetime.timedelta(1))
    leaks = ("Geheimetoets", "234,5", "234.5")
    seen = []
    for user in (cast.parent, cast.coparent):
        client.force_login(user)
        for route in parent_routes():
            path = fill(route, cast)
            for query in ("", "?schooljaar=" + str(result.school_year), "?format=csv"):
                response = client.get(path + query)
                if response.status_code != 200 or response.streaming:
                    continue
                body = response.content.decode(errors="replace")
                found = [leak for leak in leaks if leak in body]
                assert not found, f"{path}{query} as {user}: shows {found} while closed"
                seen.append(path)
    assert any("toetsen" in p for p in seen)
    # The calendar feed: test weeks only, open or closed.
    feed = renew_calendar_feed(user=cast.parent)
    client.logout()
    body = client.get(f"/agenda/{feed.token}/toetsweken.ics").content.decode()
    assert "BEGIN:VEVENT" in body and not [leak for leak in leaks if leak in body]
    closure.delete()
    client.force_login(cast.parent)
    assert "Geheimetoets" in client.get(f"/kind/{cast.child1.public_id}/toetsen/").content.decode()
