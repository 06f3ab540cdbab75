"""The one gate for a parent's view of results: closed during test weeks, method tests never shown."""

from django.db.models import Exists, OuterRef
from django.utils import timezone

from ouderportaal.core.prepared import Prepared
from ouderportaal.results.models import ResultsClosure, TestResult
from ouderportaal.school.models import Pupil, School

# When the tab opens again: the school's closures that end last, asked when a results query found nothing (which a
# running test week makes it do), its SQL built once per process (core/prepared.py). Every closure that ends after
# now is among them, unless all of them do: then the full query answers.
LATEST = 10
_latest_closures = Prepared(
    ResultsClosure,
    lambda school: ResultsClosure.objects.filter(school=school).order_by("-ends_at")[:LATEST],
    probe=lambda pk: School(pk=pk),
)


def closed_until(school_id, now=None):
    """While a test week of the school runs (the test of ResultsClosure.objects.active()): the moment the results
    open again, following closures that start before the previous one ends; otherwise None."""
    now = now or timezone.now()
    closures = _latest_closures(School(pk=school_id))
    if len(closures) == LATEST and all(closure.ends_at > now for closure in closures):
        closures = ResultsClosure.objects.filter(school_id=school_id, ends_at__gt=now)
    return reopens_at(closures, now)


def reopens_at(closures, now):
    """closed_until() over closures already loaded (one school's): a closure runs from starts_at (inclusive) to
    ends_at (exclusive); overlapping and adjoining ones chain."""
    until = None
    for closure in sorted((c for c in closures if c.ends_at > now), key=lambda c: c.starts_at):
        if closure.starts_at <= (until or now):
            until = max(until or closure.ends_at, closure.ends_at)
    return until


def _visible(pupil, now):
    """Only nationally normed tests count, never the method tests; and none while a test week of the school runs at
    `now`: the gate is part of every query for results."""
    running = ResultsClosure.objects.active(now).filter(school=OuterRef("pupil__school"))
    return TestResult.objects.filter(pupil=pupil, assessment__nationally_normed=True).exclude(Exists(running))


def open_results_for(pupil, now=None):
    """The one gate for a parent's view of results: (closed_until, results). While closed the results are
    empty; otherwise only nationally normed tests count, never the method tests."""
    now = now or timezone.now()
    until = closed_until(pupil.school_id, now)
    return until, (_visible(pupil, now) if until is None else TestResult.objects.none())


def _gated(read, pupil, now):
    """(None, rows) while the results are open; (the moment they open again, []) while a test week runs. The rows'
    query holds the gate itself, so the school's closures are read only when it returns none."""
    now = now or timezone.now()
    rows = read(pupil, now)
    return (None, rows) if rows else (closed_until(pupil.school_id, now), [])


def _oldest_first(pupil, now):
    return _visible(pupil, now).order_by("taken_on", "moment", "pk")


# The Toetsen tab's queries: the same rule, their SQL built once per process (core/prepared.py).
_all_visible = Prepared(
    TestResult,
    _oldest_first,
    related=("assessment", "school_year"),
    probe=lambda pk: Pupil(pk=pk),
    moments=1,
)


# What the Toetsen tab shows of each visible result and its test, as plain rows: the key of its cached report
# (results/report_cache.py), read without turning a child's results into model instances.
SHOWN = (
    "pk",
    "moment",
    "taken_on",
    "score",
    "ability_score",
    "level",
    "school_year__start_year",
    "assessment_id",
    "assessment__name",
    "assessment__subject",
    "assessment__supplier",
    "assessment__level_scheme",
    "assessment__scale",
    "assessment__nationally_normed",
)
START_YEAR = SHOWN.index("school_year__start_year")
_shown = Prepared(
    TestResult,
    lambda pupil, now: _oldest_first(pupil, now).values_list(*SHOWN),
    probe=lambda pk: Pupil(pk=pk),
    moments=1,
)


def open_results_shown(pupil, now=None):
    """open_results_for() as rows of the SHOWN fields, oldest first."""
    return _gated(_shown, pupil, now)


def open_results_loaded(pupil, now=None):
    """open_results_for() with the results loaded: (closed_until, [every visible result, oldest first, with its
    assessment and school year])."""
    return _gated(_all_visible, pupil, now)
