"""What django-axes counts failed logins against: the account, however its name was typed."""

from django.contrib.auth import get_user_model
from django.db.models import Q


def lockout_username(request, credentials):
    """One key per account: 'OUDER3 ', 'ouder3' and its email address share one series of attempts.

    An unknown login is keyed on its normalised, length-capped text (axes stores it in a 255-character column).
    """
    typed = (credentials or {}).get("username")
    if typed is None:
        typed = getattr(request, "POST", {}).get("username", "")
    typed = str(typed or "").strip().casefold()[:254]
    if not typed:
        return typed
    matches = list(
        get_user_model()
        .objects.filter(Q(username__iexact=typed) | Q(email__iexact=typed))
        .values_list("pk", flat=True)[:2]
    )
    return f"account:{matches[0]}" if len(matches) == 1 else typed  # see lockout_key


def lockout_key(user):
    return f"account:{user.pk}"


def unlock(user):
    """Lift a lockout of this account (after it chose a new password through a mailed link)."""
    from axes.utils import reset

    reset(username=lockout_key(user))
