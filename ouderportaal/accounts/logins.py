"""The account's recent logins (time, rough device, address), written at every login for the Account tab.

Kept small on purpose: the last KEEP logins of an account, and no address older than IP_DAYS (removed at every
login, of every account: no scheduled job needed). The device is a few words read from the User-Agent header,
never the header itself.
"""

import ipaddress
import re
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ouderportaal.accounts.models import LoginRecord
from ouderportaal.core.clientip import client_ip
from ouderportaal.core.prepared import Prepared

KEEP = 10
IP_DAYS = 90

# First match wins: order matters (Edge and Opera say "Chrome" too, Chrome says "Safari").
BROWSERS = [
    ("Edge", r"Edg(e|A|iOS)?/"),
    ("Opera", r"OPR/|Opera"),
    ("Samsung Internet", r"SamsungBrowser/"),
    ("Firefox", r"Firefox/|FxiOS/"),
    ("Chrome", r"Chrome/|CriOS/|Chromium/"),
    ("Safari", r"Safari/"),
]
SYSTEMS = [
    ("iPhone", r"iPhone"),
    ("iPad", r"iPad"),
    ("Android", r"Android"),
    ("ChromeOS", r"CrOS"),
    ("Windows", r"Windows"),
    ("macOS", r"Macintosh|Mac OS X"),
    ("Linux", r"Linux|X11"),
]


def rough_device(user_agent):
    """'Firefox op Windows', 'Safari op iPhone': the browser and the system, or what is known of them."""
    user_agent = (user_agent or "")[:512]
    browser = next((name for name, pattern in BROWSERS if re.search(pattern, user_agent)), "")
    system = next((name for name, pattern in SYSTEMS if re.search(pattern, user_agent)), "")
    return " · ".join(part for part in (browser, system) if part)


def record_login(sender, request, user, **kwargs):
    """user_logged_in: one row, then forget what is older than the limits."""
    if request is None:
        return
    now = timezone.now()
    with transaction.atomic():
        LoginRecord.objects.create(
            user=user, at=now, ip=_address(client_ip(request)), device=rough_device(request.headers.get("User-Agent"))
        )
        keep = list(LoginRecord.objects.filter(user=user).order_by("-at", "-pk").values_list("pk", flat=True)[:KEEP])
        LoginRecord.objects.filter(user=user).exclude(pk__in=keep).delete()
        LoginRecord.objects.filter(at__lt=now - timedelta(days=IP_DAYS), ip__isnull=False).update(ip=None)


def _address(value):
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


# The Account tab's list, with its SQL built once per process (core/prepared.py).
_recent = Prepared(
    LoginRecord,
    lambda user: LoginRecord.objects.filter(user=user).order_by("-at", "-pk")[:KEEP],
    probe=lambda pk: get_user_model()(pk=pk),
)


def recent_logins(user):
    return _recent(user)
