"""The mail layer: every message is rendered in the recipient's language, stored in the outbox
(OutgoingMail) inside the caller's transaction, and handed to the task worker once that transaction commits.

Each message has three templates: templates/emails/<name>-subject.txt, -body.txt and -body.html.
"""

import contextlib
import email.policy
import logging
import re
import secrets
import time
from datetime import timedelta
from email.utils import parseaddr
from functools import partial
from smtplib import SMTPRecipientsRefused, SMTPResponseException

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives, mailers, make_msgid
from django.core.mail.backends import smtp
from django.db import DatabaseError, transaction
from django.db import connection as db
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from ouderportaal.core import bulk
from ouderportaal.core.models import OutgoingMail
from ouderportaal.core.validators import is_deliverable

log = logging.getLogger(__name__)

# A transient failure is retried after 1, 2, 4 … minutes (at most 6 hours apart); after MAX_ATTEMPTS the row
# stays in the outbox as "failed" for an operator to look at (`manage.py send_queued_mail --retry-failed`).
MAX_ATTEMPTS = 12
MAX_BACKOFF = timedelta(hours=6)


def render_mail(name, *, context=None, language="nl"):
    """(subject, text body, HTML body) of a message in one language."""
    context = {"site_url": settings.SITE_URL, **(context or {})}
    with translation.override(language):
        subject = " ".join(render_to_string(f"emails/{name}-subject.txt", context).split())
        body_text = render_to_string(f"emails/{name}-body.txt", context)
        body_html = render_to_string(f"emails/{name}-body.html", context)
    return subject[:255], body_text, body_html


def queue_mail(name, *, to, context=None, language="nl", school_id=None, reply_to="", attachments=()):
    message_id = make_msgid(domain=_sender_domain())
    mail = _outbox_row(name, to, language, context, school_id, reply_to, attachments, message_id)
    transaction.on_commit(partial(enqueue_delivery, mail.pk))
    return mail


def _outbox_row(name, to, language, context, school_id, reply_to, attachments, message_id):
    subject, body_text, body_html = render_mail(name, context=context, language=language)
    return OutgoingMail.objects.create(
        template=name,
        language=language,
        to=to,
        reply_to=reply_to or "",
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        school_id=school_id,
        message_id=message_id,
        attachments=list(attachments),
    )


def queue_mass_mail(name, *, recipients, context=None, school_id=None, reply_to="", attachments=()):
    """One outbox row per (address, language) in `recipients`, the same message for all: rendered once per language
    into that language's first row, which the language's other rows copy in a few INSERTs carrying only their
    address and Message-ID (core/bulk.py). On commit the rows go to the worker in batches of MAIL_BATCH_SIZE, each
    batch sent over one SMTP connection. Returns the new rows' ids, in the order of `recipients`."""
    domain = _sender_domain()
    first = {}  # language → its first row, rendered and saved
    others = {}  # language → [(address, Message-ID)] of its other rows
    message_ids = []
    for to, language in recipients:
        message_id = make_msgid(domain=domain)
        message_ids.append(message_id)
        if language in first:
            others[language].append((to, message_id))
            continue
        first[language] = _outbox_row(name, to, language, context, school_id, reply_to, attachments, message_id)
        others[language] = []
    id_of = {mail.message_id: mail.pk for mail in first.values()}
    for language, rows in others.items():
        id_of.update(bulk.insert_like(OutgoingMail, first[language].pk, ["to", "message_id"], rows, key="message_id"))
    ids = [id_of[message_id] for message_id in message_ids]
    transaction.on_commit(partial(enqueue_batches, ids))
    return ids


# One function per message; the view or service passes what the templates need.


def account_request_confirm(*, to, language, school, confirm_url):
    context = {"school": school, "confirm_url": confirm_url}
    return queue_mail("account-request-confirm", to=to, language=language, school_id=school.pk, context=context)


def account_request_new(*, to, school, review_url):
    # To the school's administration, in the board's language.
    context = {"school": school, "review_url": review_url}
    return queue_mail(
        "account-request-new", to=to, language=settings.LANGUAGE_CODE, school_id=school.pk, context=context
    )


def account_request_existing(*, to, language, school, username, reset_url):
    context = {"school": school, "username": username, "reset_url": reset_url}
    return queue_mail("account-request-existing", to=to, language=language, school_id=school.pk, context=context)


def account_approved(*, to, language, school, username, set_password_url):
    context = {"school": school, "username": username, "set_password_url": set_password_url}
    return queue_mail(
        "account-approved", to=to, language=language, school_id=school.pk, context=context, reply_to=school.admin_email
    )


def account_rejected(*, to, language, school, reason):
    context = {"school": school, "reason": reason}
    return queue_mail(
        "account-rejected", to=to, language=language, school_id=school.pk, context=context, reply_to=school.admin_email
    )


def guardian_invitation(*, to, language, school, username, set_password_url):
    context = {"school": school, "username": username, "set_password_url": set_password_url}
    return queue_mail(
        "guardian-invitation",
        to=to,
        language=language,
        school_id=school.pk,
        context=context,
        reply_to=school.admin_email,
    )


def staff_invitation(*, to, school, username, set_password_url):
    # Staff mail is in the board's language.
    context = {"school": school, "username": username, "set_password_url": set_password_url}
    return queue_mail("staff-invitation", to=to, language=settings.LANGUAGE_CODE, school_id=school.pk, context=context)


def password_reset(*, to, language, username, reset_url):
    context = {"username": username, "reset_url": reset_url}
    return queue_mail("password-reset", to=to, language=language, context=context)


def change_request_new(*, to, school, subject_name, section, review_url):
    # To the school's administration, in the board's language: who and which section, never the values.
    context = {"school": school, "subject_name": subject_name, "section": section, "review_url": review_url}
    return queue_mail(
        "change-request-new", to=to, language=settings.LANGUAGE_CODE, school_id=school.pk, context=context
    )


def change_request_decided(*, to, language, school, subject_name, section, status, applied, rejected, note, page_url):
    context = {
        "school": school,
        "subject_name": subject_name,
        "section": section,
        "status": status,
        "applied": applied,
        "rejected": rejected,
        "note": note,
        "page_url": page_url,
    }
    return queue_mail(
        "change-request-decided",
        to=to,
        language=language,
        school_id=school.pk,
        context=context,
        reply_to=school.admin_email,
    )


def confirmation_reminder(*, to, language, school, children, portal_url):
    context = {"school": school, "children": children, "portal_url": portal_url}
    return queue_mail(
        "confirmation-reminder",
        to=to,
        language=language,
        school_id=school.pk,
        context=context,
        reply_to=school.admin_email,
    )


def leave_decision(*, to, language, leave, letter):
    # `letter`: the decision PDF in default storage, as one entry of OutgoingMail.attachments.
    school = leave.pupil.school
    context = {"school": school, "leave": leave, "pupil": leave.pupil}
    return queue_mail(
        "leave-decision",
        to=to,
        language=language,
        school_id=school.pk,
        context=context,
        reply_to=school.admin_email,
        attachments=[letter],
    )


def recently_queued(*, to, template, since):
    return OutgoingMail.objects.filter(to__iexact=to, template=template, created_at__gte=since).count()


# Delivery: runs in the task worker.


def enqueue_delivery(mail_id, run_after=None):
    from ouderportaal.core.tasks import send_outgoing_mail

    task = send_outgoing_mail
    if run_after is not None:
        if not task.get_backend().supports_defer:
            # The immediate backend (tests) cannot wait: send_due_mail() picks the row up later.
            return
        task = task.using(run_after=run_after)
    task.enqueue(mail_id)


def enqueue_batch(mail_ids):
    from ouderportaal.core.tasks import send_outgoing_mail_batch

    send_outgoing_mail_batch.enqueue(list(mail_ids))


def enqueue_batches(mail_ids):
    """One task per MAIL_BATCH_SIZE rows, all queued in one transaction (one commit, not one per task)."""
    size = settings.MAIL_BATCH_SIZE
    with transaction.atomic():
        for start in range(0, len(mail_ids), size):
            enqueue_batch(mail_ids[start : start + size])


def schedule_batch_check(mail_ids, now=None):
    """Ask the worker to look at these rows again once a claim on them would have expired: if the worker sending
    them is killed, the next worker (or this one, restarted) sends what is left. Returns False without a backend
    that can wait (the immediate backend in tests; `send_queued_mail` is the safety net there)."""
    from ouderportaal.core.tasks import send_outgoing_mail_batch

    if not send_outgoing_mail_batch.get_backend().supports_defer:
        return False
    run_after = (now or timezone.now()) + timedelta(seconds=settings.MAIL_CLAIM_TIMEOUT + 1)
    send_outgoing_mail_batch.using(run_after=run_after).enqueue(list(mail_ids), check_later=False)
    return True


def deliver(mail_id, now=None):
    """Send one outbox row if it is due; returns True when the mail server accepted it."""
    return deliver_batch([mail_id], now) == 1


def deliver_batch(mail_ids, now=None):
    """Send the rows of `mail_ids` that are due over one connection to the mail server; returns the number sent.

    Rows are claimed CLAIM_CHUNK at a time (one conditional UPDATE) and each is marked sent right after the server
    accepted it, in its own commit: one UPDATE by primary key. A worker killed mid-batch leaves the rest of its claim
    "sending" until the claim expires (then the batch's follow-up check sends them, each with its own Message-ID);
    only the one mail in flight can have gone out unmarked. A claim is renewed before it is half-way to expiry, so a
    slow server never lets another worker take rows this one is still going to send.
    """
    connection = None
    files = {}  # attachments are read from storage once per batch
    serialised = {}  # a mass mail is serialised once per batch (see _send)
    sent = 0
    with _commits_without_disk_wait():
        try:
            for start in range(0, len(mail_ids), CLAIM_CHUNK):
                claim = _Claim(mail_ids[start : start + CLAIM_CHUNK], now)
                for mail in claim.mails:
                    if not claim.holds(mail):
                        continue  # renewing the claim found another worker holding the row
                    try:
                        if not is_deliverable(mail.to):
                            raise UndeliverableAddress("no domain name in the address")
                        if connection is None:
                            connection = mailers["default"]
                            connection.open()
                        _send(connection, mail, files, serialised)
                    except Exception as exc:
                        if not isinstance(exc, SMTPRecipientsRefused | UndeliverableAddress):
                            # The connection may be broken: the next row opens a fresh one.
                            _close_quietly(connection)
                            connection = None
                        _record_failure(mail, exc)
                        continue
                    _mark_sent(mail)
                    sent += 1
        finally:
            _close_quietly(connection)
    return sent


# One claim per batch of MAIL_BATCH_SIZE (the default); the chunk bounds an UPDATE's parameters.
CLAIM_CHUNK = 100

# Stand-ins for the two headers in which the mails of one mass mail differ.
_TO = "to-placeholder@ouderportaal.invalid"
_MESSAGE_ID = "<message-id-placeholder@ouderportaal.invalid>"


def _send(connection, mail, files, serialised):
    """Send one row. Over SMTP, the mails of a mass mail differ only in To and Message-ID: the MIME message is built
    once per batch (building it costs three times the SMTP conversation) and those two headers are swapped in."""
    if not isinstance(connection, smtp.EmailBackend) or not mail.to.isascii() or "\n" in mail.to or "\r" in mail.to:
        connection.send_messages([_message(mail, files)])
        return
    key = (mail.subject, mail.body_text, mail.body_html, mail.reply_to, mail.language, repr(mail.attachments))
    if key not in serialised:
        template = _message(mail, files)
        template.to = [_TO]
        template.extra_headers["Message-ID"] = _MESSAGE_ID
        raw = template.message(policy=email.policy.SMTP).as_bytes()
        assert raw.count(_TO.encode()) == 1 and raw.count(_MESSAGE_ID.encode()) == 1
        serialised[key] = raw
    if "sender" not in serialised:
        serialised["sender"] = connection.prep_address(settings.DEFAULT_FROM_EMAIL)
    raw = (
        serialised[key]
        .replace(_TO.encode(), mail.to.encode(), 1)
        .replace(_MESSAGE_ID.encode(), mail.message_id.encode(), 1)
    )
    # A plain address goes as it is; anything else through Django's parser (one clean address or ValueError).
    to = mail.to if _PLAIN_ADDRESS.fullmatch(mail.to) else connection.prep_address(mail.to)
    connection.connection.sendmail(serialised["sender"], [to], raw)


# An ASCII addr-spec without quotes, comments, brackets or spaces: parsing it would only give it back.
_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")


class _Claim:
    """The due rows among `mail_ids`, claimed with one conditional UPDATE under a random token and read back by
    primary key and token: exactly the rows this claim got (none that are sent, held by another worker, or not
    due yet)."""

    def __init__(self, mail_ids, now=None):
        self.token = secrets.token_hex(16)
        self.since = time.monotonic()
        claimed = (
            OutgoingMail.objects.due(now or timezone.now())
            .filter(pk__in=mail_ids)
            .update(
                status=OutgoingMail.Status.SENDING,
                claimed_at=timezone.now(),
                claim_token=self.token,
                attempts=F("attempts") + 1,
            )
        )
        self.mails = []
        if claimed:
            self.mails = list(OutgoingMail.objects.filter(pk__in=mail_ids, claim_token=self.token).order_by("pk"))
        self.pending = {mail.pk for mail in self.mails}

    def holds(self, mail):
        """Whether this worker may send `mail` now; past half the claim's lifetime the unsent rows are claimed
        afresh (those still under this claim) and their follow-up check is put off accordingly."""
        self.pending.discard(mail.pk)
        if time.monotonic() - self.since < settings.MAIL_CLAIM_TIMEOUT / 2:
            return True
        rows = [mail.pk, *self.pending]
        old, self.token, self.since = self.token, secrets.token_hex(16), time.monotonic()
        OutgoingMail.objects.filter(pk__in=rows, status=OutgoingMail.Status.SENDING, claim_token=old).update(
            claimed_at=timezone.now(), claim_token=self.token
        )
        renewed = set(OutgoingMail.objects.filter(pk__in=rows, claim_token=self.token).values_list("pk", flat=True))
        if renewed:
            schedule_batch_check(sorted(renewed))
        self.pending &= renewed
        return mail.pk in renewed


@contextlib.contextmanager
def _commits_without_disk_wait():
    """On PostgreSQL, the per-mail commits of a batch do not wait for the disk (`synchronous_commit` off for this
    connection until the batch ends). A killed worker loses nothing by it: the database server has the commit. Only
    a crash of PostgreSQL itself could forget the last fraction of a second, and those mails would go again with
    their own Message-ID. Waiting for the disk per mail cost most of a worker's time."""
    if db.vendor != "postgresql":
        yield
        return
    with db.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with contextlib.suppress(DatabaseError), db.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def _mark_sent(mail):
    """One UPDATE by primary key, committed on its own (the worker runs in autocommit): no ORM query to build."""
    table = db.ops.quote_name(OutgoingMail._meta.db_table)
    status, sent_at, last_error, pk = (db.ops.quote_name(name) for name in ("status", "sent_at", "last_error", "id"))
    sql = f"UPDATE {table} SET {status} = %s, {sent_at} = %s, {last_error} = '' WHERE {pk} = %s AND {status} = %s"  # noqa: S608
    with db.cursor() as cursor:
        cursor.execute(
            sql,
            [
                OutgoingMail.Status.SENT.value,
                db.ops.adapt_datetimefield_value(timezone.now()),
                mail.pk,
                OutgoingMail.Status.SENDING.value,
            ],
        )


def _close_quietly(connection):
    if connection is None:
        return
    # A connection that is already gone cannot be closed politely.
    with contextlib.suppress(Exception):
        connection.close()


def send_due_mail(now=None):
    """Deliver every row that is due (for cron, recovery after an outage or a killed worker, and tests); returns
    the number sent."""
    ids = list(OutgoingMail.objects.due(now).order_by("next_attempt_at").values_list("pk", flat=True))
    size = settings.MAIL_BATCH_SIZE
    return sum(deliver_batch(ids[start : start + size], now) for start in range(0, len(ids), size))


def backoff(attempts):
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def _message(mail, files=None):
    files = {} if files is None else files
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.to],
        reply_to=[mail.reply_to] if mail.reply_to else None,
        # The stored Message-ID is reused on a retry, so a receiving server can spot a duplicate.
        headers={"Message-ID": mail.message_id, "Auto-Submitted": "auto-generated", "Content-Language": mail.language},
    )
    if mail.body_html:
        message.attach_alternative(mail.body_html, "text/html")
    for attachment in mail.attachments:
        path = attachment["path"]
        if path not in files:
            with default_storage.open(path, "rb") as f:
                files[path] = f.read()
        message.attach(attachment["filename"], files[path], attachment["content_type"])
    return message


class UndeliverableAddress(ValueError):
    pass


def _is_permanent(exc):
    if isinstance(exc, UndeliverableAddress):
        return True
    # The server refused the address or the message itself (5xx): trying again will not help.
    if isinstance(exc, SMTPRecipientsRefused):
        return all(code >= 500 for code, _message in exc.recipients.values())
    if isinstance(exc, SMTPResponseException):
        return exc.smtp_code >= 500
    return False


def _record_failure(mail, exc):
    error = f"{type(exc).__name__}: {exc}"[:2000]
    if _is_permanent(exc) or mail.attempts >= MAX_ATTEMPTS:
        OutgoingMail.objects.filter(pk=mail.pk).update(status=OutgoingMail.Status.FAILED, last_error=error)
        log.error("mail %s (%s) failed for good after %s attempt(s): %s", mail.pk, mail.template, mail.attempts, error)
        return
    next_attempt_at = timezone.now() + backoff(mail.attempts)
    OutgoingMail.objects.filter(pk=mail.pk).update(
        status=OutgoingMail.Status.AWAITING_RETRY, next_attempt_at=next_attempt_at, last_error=error
    )
    log.warning("mail %s attempt %s failed, retrying at %s: %s", mail.pk, mail.attempts, next_attempt_at, error)
    enqueue_delivery(mail.pk, run_after=next_attempt_at)


def _sender_domain():
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "localhost"
