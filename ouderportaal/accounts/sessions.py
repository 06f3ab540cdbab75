"""Idle timeout: a session nobody used for a while ends, sooner for staff (they see every family) than for parents.

SESSION_COOKIE_AGE still caps every session; this ends an unattended one earlier. The last-seen time is written at
most once a minute, and whether the account is staff is remembered in the session: no extra query per page.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.utils.translation import gettext as _

from ouderportaal.core.securitylog import event

LAST_SEEN, HAS_STAFF_ROLE, IS_GUARDIAN = "last_seen", "has_staff_role", "is_guardian"

# What the navigation needs to know of an account on every page, asked once a session and kept in it. Access rules
# (`staff_page`, two-factor, the guardian's own pupils) always ask the database.
REMEMBERED = {
    HAS_STAFF_ROLE: lambda user: user.staff_roles.exists(),
    IS_GUARDIAN: lambda user: get_user_model().objects.filter(pk=user.pk, guardian__isnull=False).exists(),
}


def works_for_school(user):
    """Staff of a school or an operator: the accounts that see other families' data."""
    return user.is_staff or user.is_superuser or user.staff_roles.exists()


def remembered(request, key):
    """REMEMBERED[key] for the logged-in user, from the session when it is there."""
    session = request.session
    if key not in session:
        session[key] = REMEMBERED[key](request.user)
    return session[key]


def has_staff_role(request):
    """Whether the logged-in user holds a StaffRole (the navigation and the idle timeout read it on every page)."""
    return remembered(request, HAS_STAFF_ROLE)


def is_guardian(request):
    """Whether the logged-in user is a guardian in the school's records (the navigation's parent sections)."""
    return remembered(request, IS_GUARDIAN)


def remember_roles(sender, request, user, **kwargs):
    """user_logged_in: a role granted or withdrawn, or a guardian record linked, counts from the next login on."""
    if request is not None and hasattr(request, "session"):
        for key in REMEMBERED:
            request.session.pop(key, None)


def idle_timeout(get_response):
    def middleware(request):
        if request.user.is_authenticated:
            session, now = request.session, int(time.time())
            user = request.user
            staff = user.is_staff or user.is_superuser or has_staff_role(request)
            limit = settings.STAFF_IDLE_TIMEOUT if staff else settings.PARENT_IDLE_TIMEOUT
            last = session.get(LAST_SEEN)
            if last is not None and now - last > limit:
                event("session.idle_timeout", request)
                logout(request)
                messages.info(request, _("U bent uitgelogd omdat u een tijd niets in het portaal deed."))
            elif last is None or now - last >= 60:
                session[LAST_SEEN] = now
        return get_response(request)

    return middleware


def end_other_sessions(request, user=None):
    """ "Log out everywhere": every session of the account ends at its next request, except this browser's (when
    `request` is the account's own). Works for sessions in the database and in a shared cache alike: Django checks
    the account's session hash on every request, and the new generation changes it (accounts.models.User)."""
    from django.contrib.auth import get_user_model, update_session_auth_hash
    from django.db.models import F

    user = user or request.user
    get_user_model().objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    if request is not None and request.user.is_authenticated and request.user.pk == user.pk:
        request.user.session_generation = user.session_generation
        update_session_auth_hash(request, request.user)
