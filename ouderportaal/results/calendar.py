"""The test-week calendar feed (iCalendar, RFC 5545): a parent subscribes once and sees every test week of their
children's schools. Only dates and the school's name: never a result, never the staff's reason."""

import datetime
import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ouderportaal.core.audit import log_action
from ouderportaal.core.prepared import Prepared
from ouderportaal.results.models import CalendarFeed, ResultsClosure
from ouderportaal.school.access import visible_pupils

# Past test weeks stay in the feed for a year, so a calendar does not lose what it showed last term.
HISTORY = datetime.timedelta(days=365)


@transaction.atomic
def renew_calendar_feed(*, user) -> CalendarFeed:
    """A new unguessable token for the user's feed; the old address stops working at once."""
    token = secrets.token_urlsafe(32)
    feed, created = CalendarFeed.objects.update_or_create(user=user, defaults={"token": token})
    log_action(user, "results.calendar_feed.created" if created else "results.calendar_feed.renewed", feed)
    return feed


# Asked on every Account page (jinja2/results/calendar_feed.html): its SQL built once per process (core/prepared.py).
_token = Prepared(
    CalendarFeed,
    lambda user: CalendarFeed.objects.filter(user=user).values_list("token")[:1],
    probe=lambda pk: get_user_model()(pk=pk),
)


def calendar_feed_url(user):
    """The user's private test-week calendar address (absolute, for a calendar app), or '' when none was made."""
    token = next((token for (token,) in _token(user)), None) if user.is_authenticated else None
    return settings.SITE_URL + reverse("calendar_feed", args=[token]) if token else ""


def webcal(url):
    """The same address for a calendar app's subscribe link (webcal://): most phones open their calendar with it."""
    return "webcal://" + url.split("://", 1)[1] if "://" in url else url


def escape_text(value):
    """RFC 5545 3.3.11: backslash, semicolon, comma and newlines escaped."""
    return (
        value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def fold(line):
    """RFC 5545 3.1: lines of at most 75 octets, continued with CRLF and a space, never inside a UTF-8 character."""
    parts, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current)
            current = b""
        current += encoded
    parts.append(current)
    return b"\r\n ".join(parts).decode()


def utc(moment):
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def feed_closures(user, now=None):
    now = now or timezone.now()
    schools = visible_pupils(user).values("school_id")
    return (
        ResultsClosure.objects.filter(school_id__in=schools, ends_at__gt=now - HISTORY)
        .select_related("school")
        .order_by("starts_at", "pk")
    )


def calendar_text(user, now=None):
    now = now or timezone.now()
    host = urlsplit(settings.SITE_URL).hostname or "ouderportaal"
    with translation.override(getattr(user, "language", "") or settings.LANGUAGE_CODE):
        lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Ouderportaal//Toetsweken//NL",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:" + escape_text(_("Toetsweken")),
        ]
        description = _("Tijdens de toetsweek zijn de toetsresultaten in het Ouderportaal niet te zien.")
        for closure in feed_closures(user, now):
            summary = _("Toetsweek %(school)s") % {"school": closure.school.name}
            lines += [
                "BEGIN:VEVENT",
                f"UID:toetsweek-{closure.pk}@{host}",
                f"DTSTAMP:{utc(now)}",
                f"DTSTART:{utc(closure.starts_at)}",
                f"DTEND:{utc(closure.ends_at)}",
                "SUMMARY:" + escape_text(summary),
                "DESCRIPTION:" + escape_text(description),
                "TRANSP:TRANSPARENT",
                "END:VEVENT",
            ]
        lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
