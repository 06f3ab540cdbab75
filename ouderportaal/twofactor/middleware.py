"""A session whose account has a second step (required or chosen) reaches nothing but the second step itself until
it is passed. Whether it has one is decided once, at login (PENDING in the session), so pages pay no query for it.
Staff pages also check on every request (backoffice.access.staff_page), enrolment included."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from ouderportaal.twofactor.policy import PENDING, has_device, is_verified

# Reachable before the second step: the step itself, logging out, the language switch.
OPEN_PREFIXES = ("/tweestaps/", "/uitloggen/", "/i18n/", "/health/", "/static/")


def mark_pending(sender, request, user, **kwargs):
    """user_logged_in: does this account have a second step to pass?"""
    if request is not None and hasattr(request, "session") and has_device(user):
        request.session[PENDING] = True


def second_step_required(get_response):
    def middleware(request):
        session = getattr(request, "session", None)
        if (
            session is not None
            and session.get(PENDING)
            and request.user.is_authenticated
            and not is_verified(request.user)
            and not request.path.startswith(OPEN_PREFIXES)
        ):
            next_url = request.get_full_path() if request.method in ("GET", "HEAD") else "/"
            return redirect(reverse("twofactor_verify") + "?" + urlencode({"next": next_url}))
        return get_response(request)

    return middleware
