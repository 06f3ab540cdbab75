"""The one gate for a parent's view of results: closed during test weeks, method tests never shown."""

from django.utils import timezone

from ouderportaal.results.models import ResultsClosure, TestResult


def closed_until(school_id, now=None):
    """While a test week of the school runs (the test of ResultsClosure.objects.active()): the moment the results
    open again, following closures that start before the previous one ends; otherwise None."""
    now = now or timezone.now()
    return reopens_at(ResultsClosure.objects.filter(school_id=school_id, ends_at__gt=now), now)


def reopens_at(closures, now):
    """closed_until() over closures already loaded (one school's): a closure runs from starts_at (inclusive) to
    ends_at (exclusive); overlapping and adjoining ones chain."""
    until = None
    for closure in sorted((c for c in closures if c.ends_at > now), key=lambda c: c.starts_at):
        if closure.starts_at <= (until or now):
            until = max(until or closure.ends_at, closure.ends_at)
    return until


def open_results_for(pupil, now=None):
    """The one gate for a parent's view of results: (closed_until, results). While closed the results are
    empty; otherwise only nationally normed tests count, never the method tests."""
    until = closed_until(pupil.school_id, now)
    if until is not None:
        return until, TestResult.objects.none()
    return None, TestResult.objects.filter(pupil=pupil, assessment__nationally_normed=True)
