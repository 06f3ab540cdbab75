"""What django-axes counts failed logins against: the account, however its name was typed."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from ouderportaal.accounts.backends import account_for_login


def lockout_key(user):
    return f"account:{user.pk}"


def lockout_username(request, credentials):
    """One key per account: 'OUDER3 ', 'ouder3' and its email address share one series of attempts.

    An unknown login is keyed on its normalised, length-capped text (axes stores it in a 255-character column).
    """
    typed = (credentials or {}).get("username")
    if typed is None:
        typed = getattr(request, "POST", {}).get("username", "")
    typed = str(typed or "").strip().casefold()[:254]
    user = account_for_login(typed)
    return lockout_key(user) if user is not None else typed


def unlock(user):
    """Lift a lockout of this account (after it chose a new password through a mailed link)."""
    from axes.utils import reset

    reset(username=lockout_key(user))


def locked_out_user_ids(users, *, now=None):
    """The ids of these accounts that are locked out now (from any address), in one query."""
    from axes.models import AccessAttempt

    keys = {lockout_key(user): user.pk for user in users}
    if not keys:
        return set()
    since = (now or timezone.now()) - timedelta(hours=settings.AXES_COOLOFF_TIME)
    locked = AccessAttempt.objects.filter(
        username__in=keys, failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    ).values_list("username", flat=True)
    return {keys[key] for key in locked}
