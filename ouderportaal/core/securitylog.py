"""Security events as structured log lines on the `ouderportaal.security` logger:

    security event=login.failed account=42 ip=203.0.113.7

Only identifiers go in: account ids, addresses, paths without query strings. Never what a visitor typed (a username
field may hold a password or a BSN), never a password, token, session id or a child's name; tests grep for them.
"""

import logging

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from ouderportaal.core.clientip import client_ip

log = logging.getLogger("ouderportaal.security")


def event(name, request=None, *, user=None, **fields):
    """Log one event; `fields` must be identifiers (numbers, short codes)."""
    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    parts = {"event": name}
    if user is not None:
        parts["account"] = user.pk
    if request is not None:
        parts["ip"] = client_ip(request)
        parts["path"] = request.path
    parts |= fields
    log.info("security " + " ".join(f"{key}={_clean(value)}" for key, value in parts.items()))


def _clean(value):
    return str(value).replace(" ", "_").replace("\n", "_")[:200]


def _account(key):
    # The lockout key is "account:<id>" for a known account; anything else is what was typed: left out.
    return key.partition(":")[2] if isinstance(key, str) and key.startswith("account:") else "unknown"


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    from django.conf import settings
    from django.utils.module_loading import import_string

    key = import_string(settings.AXES_USERNAME_CALLABLE)(request, credentials) if request is not None else None
    event("login.failed", request, account=_account(key))


@receiver(user_locked_out)
def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    event("login.locked_out", request, account=_account(username))
