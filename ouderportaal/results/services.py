"""Test weeks (ResultsClosure) in the administration's hands. Each service is atomic and writes its audit row;
whether results are open is decided in one place only, results/visibility.py."""

from django.db import transaction
from django.utils import timezone

from ouderportaal.core.audit import log_action
from ouderportaal.results.models import ResultsClosure


def _times(closure):
    return {
        "school": closure.school_id,
        "starts_at": closure.starts_at.isoformat(),
        "ends_at": closure.ends_at.isoformat(),
        "reason": closure.reason,
    }


@transaction.atomic
def schedule_closure(*, school, starts_at, ends_at, reason, acting_user) -> ResultsClosure:
    closure = ResultsClosure.objects.create(school=school, starts_at=starts_at, ends_at=ends_at, reason=reason)
    log_action(acting_user, "results.closure.created", closure, **_times(closure))
    return closure


@transaction.atomic
def update_closure(closure, *, school, starts_at, ends_at, reason, acting_user) -> ResultsClosure:
    before = _times(closure)
    closure.school, closure.starts_at, closure.ends_at, closure.reason = school, starts_at, ends_at, reason
    closure.save(update_fields=["school", "starts_at", "ends_at", "reason"])
    log_action(acting_user, "results.closure.changed", closure, before=before, after=_times(closure))
    return closure


@transaction.atomic
def delete_closure(closure, *, acting_user):
    log_action(acting_user, "results.closure.deleted", closure, **_times(closure))
    closure.delete()


@transaction.atomic
def close_now(*, school, until, reason, acting_user, now=None) -> ResultsClosure:
    """Close the results from this moment until `until` (which the form checks lies ahead)."""
    now = now or timezone.now()
    closure = ResultsClosure.objects.create(school=school, starts_at=now, ends_at=until, reason=reason)
    log_action(acting_user, "results.closure.closed_now", closure, **_times(closure))
    return closure


@transaction.atomic
def open_now(*, school, acting_user, now=None) -> int:
    """End every closure of the school that runs now; scheduled ones stay. Returns how many were ended."""
    now = now or timezone.now()
    ended = 0
    for closure in ResultsClosure.objects.filter(school=school).active(now).select_for_update():
        log_action(acting_user, "results.closure.opened_now", closure, opened_at=now.isoformat(), **_times(closure))
        if closure.starts_at >= now:  # began this very instant: nothing remains of it
            closure.delete()
        else:
            closure.ends_at = now
            closure.save(update_fields=["ends_at"])
        ended += 1
    return ended
