"""The mail layer: every message is rendered in the recipient's language, stored in the outbox
(OutgoingMail) inside the caller's transaction, and handed to the task worker once that transaction commits.

Each message has three templates: templates/emails/<name>-subject.txt, -body.txt and -body.html.
"""

import logging
from datetime import timedelta
from email.utils import parseaddr
from functools import partial
from smtplib import SMTPRecipientsRefused

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, make_msgid
from django.core.mail.backends import console
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from ouderportaal.core.models import OutgoingAttachment, OutgoingMail

log = logging.getLogger(__name__)

# A transient failure is retried after 1, 2, 4 … minutes (at most 6 hours apart); after MAX_ATTEMPTS the row
# stays in the outbox as "failed" for an operator to look at (`manage.py send_queued_mail --retry-failed`).
MAX_ATTEMPTS = 12
MAX_BACKOFF = timedelta(hours=6)


def queue_mail(name, *, to, context=None, language="nl", school_id=None, reply_to="", attachments=()):
    context = {"site_url": settings.SITE_URL, **(context or {})}
    with translation.override(language):
        subject = " ".join(render_to_string(f"emails/{name}-subject.txt", context).split())
        body_text = render_to_string(f"emails/{name}-body.txt", context)
        body_html = render_to_string(f"emails/{name}-body.html", context)
    mail = OutgoingMail.objects.create(
        template=name,
        language=language,
        to=to,
        reply_to=reply_to or "",
        subject=subject[:255],
        body_text=body_text,
        body_html=body_html,
        school_id=school_id,
        message_id=make_msgid(domain=_sender_domain()),
    )
    for filename, content_type, content in attachments:
        OutgoingAttachment.objects.create(mail=mail, filename=filename, content_type=content_type, content=content)
    transaction.on_commit(partial(enqueue_delivery, mail.pk))
    return mail


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


def leave_decision(*, to, language, leave):
    school = leave.pupil.school
    context = {"school": school, "leave": leave, "pupil": leave.pupil}
    letter = (
        f"besluit-verlof-{leave.pupil.roepnaam.lower()}-{leave.starts_on:%Y%m%d}.pdf",
        "application/pdf",
        bytes(leave.letter),
    )
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


def deliver(mail_id, now=None):
    """Send one outbox row if it is due; returns True when the mail server accepted it."""
    now = now or timezone.now()
    claimed = (
        OutgoingMail.objects.due(now)
        .filter(pk=mail_id)
        .update(status=OutgoingMail.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return False  # sent, being sent by another worker, or not due yet
    mail = OutgoingMail.objects.get(pk=mail_id)
    try:
        _message(mail).send(using="default")
    except Exception as exc:
        _record_failure(mail, exc)
        return False
    OutgoingMail.objects.filter(pk=mail.pk, status=OutgoingMail.Status.SENDING).update(
        status=OutgoingMail.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def send_due_mail(now=None):
    """Deliver every row that is due (for cron, recovery after an outage, and tests); returns the number sent."""
    ids = list(OutgoingMail.objects.due(now).order_by("next_attempt_at").values_list("pk", flat=True))
    return sum(deliver(pk, now) for pk in ids)


def backoff(attempts):
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def _message(mail):
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
    for attachment in mail.attachments.all():
        message.attach(attachment.filename, bytes(attachment.content), attachment.content_type)
    return message


def _is_permanent(exc):
    # The server refused the address itself (5xx): trying again will not help.
    if isinstance(exc, SMTPRecipientsRefused):
        return all(code >= 500 for code, _message in exc.recipients.values())
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


class ConsoleBackend(console.EmailBackend):
    """The demo's mailer: prints each message readably (Django's console backend prints the raw MIME, where a long
    link is broken up by quoted-printable soft line breaks and cannot be copied)."""

    def write_message(self, message):
        msg = message.message()
        for header in ("From", "To", "Reply-To", "Subject", "Message-ID"):
            if msg[header]:
                self.stream.write(f"{header}: {msg[header]}\n")
        body = msg.get_body(preferencelist=("plain",))
        self.stream.write("\n" + (body.get_content() if body is not None else message.body).rstrip() + "\n")
        self.stream.write("-" * 79 + "\n")
