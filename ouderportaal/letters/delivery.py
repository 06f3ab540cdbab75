"""Proof of delivery: each recipient's state, the counts, and who was not reached (the one place for that rule)."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ouderportaal.core.models import OutgoingMail

QUEUED, SENT, FAILED, NO_ADDRESS = "queued", "sent", "failed", "no_address"
LABELS = {
    QUEUED: _("in de wachtrij"),
    SENT: _("verstuurd"),
    FAILED: _("mislukt"),
    NO_ADDRESS: _("geen e-mailadres"),
}


def state_of(recipient):
    mail = recipient.mail
    if mail is None:
        return NO_ADDRESS
    if mail.status == OutgoingMail.Status.SENT:
        return SENT
    if mail.status == OutgoingMail.Status.FAILED:
        return FAILED
    return QUEUED


@dataclass
class Row:
    recipient: object
    state: str
    not_reached: bool

    @property
    def label(self):
        return LABELS[self.state]

    @property
    def reason(self):
        mail = self.recipient.mail
        return mail.last_error if mail is not None and self.state in (FAILED, QUEUED) else ""


def unread_days(request_value=None):
    try:
        days = int(request_value) if request_value not in (None, "") else settings.LETTER_UNREAD_DAYS
    except (TypeError, ValueError):
        days = settings.LETTER_UNREAD_DAYS
    return min(max(days, 0), 365)


def report(letter, recipients, *, days=None, now=None):
    """Rows for every recipient and the counts. Not reached: the mail failed, there is no address, or the letter is
    still unread `days` after it was sent."""
    now = now or timezone.now()
    days = settings.LETTER_UNREAD_DAYS if days is None else days
    unread_late = letter.sent_at is not None and letter.sent_at + datetime.timedelta(days=days) <= now
    rows = []
    for recipient in recipients:
        state = state_of(recipient)
        late = recipient.read_at is None and unread_late
        rows.append(Row(recipient, state, state in (FAILED, NO_ADDRESS) or late))
    counts = {key: 0 for key in LABELS}
    for row in rows:
        counts[row.state] += 1
    counts["read"] = sum(1 for row in rows if row.recipient.read_at)
    counts["not_reached"] = sum(1 for row in rows if row.not_reached)
    counts["total"] = len(rows)
    return rows, counts
