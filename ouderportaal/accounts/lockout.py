"""What failed logins count against, and the two limits on guessing a password.

- django-axes locks an account *from one address* after AXES_FAILURE_LIMIT failures, for AXES_COOLOFF_TIME.
- Guesses spread over many addresses meet a per-account limit: at most ACCOUNT_FAILURE_LIMIT failures in any
  ACCOUNT_WINDOW. It ends by itself one window after the guessing stops, so an attacker cannot keep a parent out
  for long, and a new password (through a mailed link) lifts it at once.

Every guess at a password counts: the login form, the current password on the password-change form and a wrong
two-factor code (see `record_failure`).
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.utils import timezone

from ouderportaal.accounts.backends import account_for_login

ACCOUNT_FAILURE_LIMIT = 20
ACCOUNT_WINDOW = timedelta(minutes=15)


def lockout_key(user):
    return f"account:{user.pk}"


def lockout_username(request, credentials):
    """One key per account: 'OUDER3 ', 'ouder3' and its email address share one series of attempts.

    An unknown login is keyed on its normalised, length-capped text (axes stores it in a 255-character column).
    """
    typed = (credentials or {}).get("username")
    if typed is None:
        typed = getattr(request, "POST", {}).get("username", "")
    typed = str(typed or "").replace("\x00", "").strip().casefold()[:254]  # PostgreSQL stores no NUL
    user = account_for_login(typed)
    return lockout_key(user) if user is not None else typed


def account_throttled(request, typed):
    """True while the account this login names had ACCOUNT_FAILURE_LIMIT failures in the last ACCOUNT_WINDOW, from
    any address. An unknown name is counted the same way, so the answer tells nothing about which accounts exist."""
    from axes.models import AccessFailureLog

    key = lockout_username(request, {"username": typed})
    since = timezone.now() - ACCOUNT_WINDOW
    return AccessFailureLog.objects.filter(username=key, attempt_time__gte=since).count() >= ACCOUNT_FAILURE_LIMIT


def record_failure(request, user):
    """A wrong guess at this account's secret outside the login form: axes counts it like a failed login (and locks
    out this address at its limit: request.axes_locked_out)."""
    user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)


def is_locked(request, user):
    from axes.handlers.proxy import AxesProxyHandler

    credentials = {"username": user.get_username()}
    return account_throttled(request, user.get_username()) or not AxesProxyHandler.is_allowed(request, credentials)


def unlock(user):
    """Lift a lockout of this account (after it chose a new password through a mailed link)."""
    from axes.models import AccessFailureLog
    from axes.utils import reset

    reset(username=lockout_key(user))
    AccessFailureLog.objects.filter(
        username=lockout_key(user), attempt_time__gte=timezone.now() - ACCOUNT_WINDOW
    ).delete()


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
