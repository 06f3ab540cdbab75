"""Board scale (issue 14): `seed_demo --scale`'s numbers, and no page's query count depends on the size of the board.

The board scale itself (30 schools, 10,000 pupils) is far too slow for the suite: a scaled-down board is built
through the same generator and import pipeline at two sizes, and every parent page and back-office list must cost
the same number of queries on both.
"""

import datetime
import random
from collections import Counter

import pytest
from django.db import connection, transaction
from django.db.models import Count, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ouderportaal.absences.models import Absence
from ouderportaal.accounts.models import User
from ouderportaal.changes.models import ChangeField, ChangeRequest, Section
from ouderportaal.core.pages import PARENT, STAFF
from ouderportaal.demo.board import BOARD_SUBJECTS, SCALES, Scale, add_board_scale, brins, generate, username_for
from ouderportaal.results.models import TestResult
from ouderportaal.school.models import Enrolment, Guardian, Pupil, SchoolYear, StaffRole
from tests import factories as f
from tests.test_url_sweep import ARGUMENT, ROUTES, argument_names, page_kind

DEMO_PUPILS = 400  # the ordinary demo's two schools (tests/test_seed_demo.py checks those)


def test_the_board_scale_adds_up_to_a_board():
    board = SCALES["board"]
    pupils = board.schools * board.pupils_per_school + DEMO_PUPILS
    assert board.schools + 2 == 30
    assert 9_900 <= pupils <= 10_100
    assert board.years == 3


def files_for(directory, today):
    directory.mkdir()
    return generate(directory, brins(1), 96, 0, random.Random(1), start_year=2026, years=3, today=today,
                    absences_per_year=6, subjects=BOARD_SUBJECTS, families="board")  # fmt: skip


def test_generated_files_per_pupil(tmp_path):
    """Per pupil, as the board scale multiplies it: 1.5 guardians, ~37 results, ~15 absences, three EDEX years."""
    today = datetime.date(2026, 12, 1)
    files = files_for(tmp_path / "one", today)
    assert Counter(source for _b, source, _p in files) == {"edex": 3, "families": 1, "results": 1, "absences": 1}
    lines = {source: path.read_text().splitlines()[1:] for _b, source, path in files if source != "edex"}
    assert len({line.split(";")[1] for line in lines["families"]}) == 96 * 3 // 2
    assert 35 <= len(lines["results"]) / 96 <= 40
    assert 14 <= len(lines["absences"]) / 96 <= 17
    taken = [datetime.datetime.strptime(line.split(";")[4], "%d-%m-%Y").date() for line in lines["results"]]
    assert max(taken) <= today, "no results of tests not yet taken"
    absent = [datetime.datetime.strptime(line.split(";")[1], "%d-%m-%Y").date() for line in lines["absences"]]
    assert all(day.weekday() < 5 and day <= today for day in absent)
    again = files_for(tmp_path / "two", today)
    assert [p.read_bytes() for _b, _s, p in again] == [p.read_bytes() for _b, _s, p in files], "deterministic"


def build(scale):
    """A board of `scale` through the import pipeline; returns (board, staff user, parent user, parent's child)."""
    board = f.make_board()
    today = timezone.localdate()
    logins = add_board_scale(board, scale, today=today, start_year=SchoolYear.start_year_for(today))
    assert logins == scale.schools * scale.pupils_per_school * 3 // 2
    assert Enrolment.objects.filter(pupil__school__board=board).values("school_year").distinct().count() == 3
    # A history of proposals, about two per family, mostly applied, a few still waiting.
    history = Counter(ChangeRequest.objects.filter(school__board=board).values_list("status", flat=True))
    assert history.total() >= logins and history["applied"] > history["pending"] > 0, history
    # The last family of two children: its children are in group 8, with the longest history.
    guardian = (
        Guardian.objects.filter(board=board)
        .annotate(children=Count("guardianships"))
        .filter(children=2)
        .order_by("-pk")
        .first()
    )
    child = Pupil.objects.filter(guardianships__guardian=guardian).order_by("-pk").first()
    assert TestResult.objects.filter(pupil=child).count() > 20 and Absence.objects.filter(pupil=child).exists()
    parent = User.objects.get(username=username_for(guardian.source_key))
    same_history(guardian, child)
    staff = f.make_user(two_factor=True)  # the back-office asks for the second step
    for school in board.schools.all():
        StaffRole.objects.create(user=staff, school=school, role=StaffRole.Role.ADMINISTRATION)
    return staff, parent, child


def same_history(guardian, child):
    """The board's history of proposals stays (every page's pending-changes query meets it), but the measured
    family's own is made the same on both boards: one decided proposal for the child's Personalia and Medisch tabs
    and for the family's address, so that both measure the proposals' lists too."""
    ChangeRequest.objects.filter(
        Q(pupil__guardianships__guardian=guardian) | Q(household=guardian.household_id) | Q(guardian=guardian)
    ).delete()
    for section, key, owner in [
        (Section.PERSONAL, "roepnaam", {"pupil": child}),
        (Section.MEDICAL, "allergies", {"pupil": child}),
        (Section.HOUSEHOLD, "phone", {"household_id": guardian.household_id}),
    ]:
        request = ChangeRequest.objects.create(
            school=child.school, section=section, guardian=guardian, proposed_by=guardian.user,
            status=ChangeRequest.Status.APPLIED, decided_at=timezone.now(), **owner,
        )  # fmt: skip
        ChangeField.objects.create(change_request=request, key=key, old_value="", new_value="nieuw", status="applied")


def count(user, route, child):
    path = "/" + ARGUMENT.sub(lambda m: {"public_id": child.public_id}[m["name"]], route)
    client = Client()
    client.force_login(user)
    client.get(path)  # the session's first request settles the second step and the idle clock
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    if response.status_code == 405:  # a POST-only action (log out everywhere, a passkey step): no page
        return None
    assert response.status_code == 200, f"{path}: {response.status_code}"
    return [q["sql"] for q in queries.captured_queries]


def measure(scale):
    """Query counts of every parent page and back-office list on a board of `scale`, then rolled back."""
    with transaction.atomic():
        staff, parent, child = build(scale)
        counts = {}
        for route, view in ROUTES:
            kind = page_kind(view)
            if kind == PARENT and set(argument_names(route)) <= {"public_id"}:
                counts[route] = count(parent, route, child)
            elif kind == STAFF and route.startswith("beheer/") and not argument_names(route):  # the lists
                counts[route] = count(staff, route, child)
        counts = {route: queries for route, queries in counts.items() if queries is not None}
        transaction.set_rollback(True)
    return counts


@pytest.mark.django_db
def test_query_counts_do_not_depend_on_the_size_of_the_board():
    # Two schools in both (the new-letter form queries groups and pupils only when the staff member has several
    # schools to choose from); 16 against 48 pupils a school.
    small = measure(Scale(schools=2, pupils_per_school=16))
    large = measure(Scale(schools=2, pupils_per_school=48))
    assert any(page_kind(view) == STAFF for route, view in ROUTES if route in large), "back-office lists measured"
    assert len(large) >= 8
    for route, queries in large.items():
        assert len(small[route]) == len(queries), (
            f"/{route}: {len(small[route])} queries on the small board, {len(queries)} on the larger one:\n"
            + "\n".join(f"  {i}. {sql}" for i, sql in enumerate(queries, 1))
        )
