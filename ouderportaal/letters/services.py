"""The letter workflows: keyword-only functions that check, audit and queue mail in one transaction."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ouderportaal.core import bulk, emails
from ouderportaal.core.audit import log_action
from ouderportaal.letters import audience
from ouderportaal.letters.files import clean_filename
from ouderportaal.letters.html import sanitise, to_text
from ouderportaal.letters.models import Letter, LetterAttachment, LetterRecipient


class LetterError(Exception):
    """A workflow refused: the message is Dutch and meant for the staff member."""


def save_draft(*, acting_user, school, subject, body_html, audience_kind, groups, pupils, letter=None,
               new_files=(), remove_attachments=()):  # fmt: skip
    """Create or update a draft; the body is sanitised here, so no raw editor HTML is ever stored."""
    with transaction.atomic():
        if letter is None:
            letter = Letter(school=school, created_by=acting_user)
        else:
            letter = Letter.objects.select_for_update().get(pk=letter.pk)
            if letter.status != Letter.Status.DRAFT:
                raise LetterError(_("Deze brief is al verstuurd of ingepland en kan niet meer worden gewijzigd."))
        letter.school = school
        letter.subject = subject
        letter.body_html = sanitise(body_html)
        letter.audience = audience_kind
        letter.save()
        letter.groups.set(groups if audience_kind == Letter.Audience.GROUPS else [])
        letter.pupils.set(pupils if audience_kind == Letter.Audience.PUPILS else [])
        removed = list(letter.attachments.filter(pk__in=[a.pk for a in remove_attachments]))
        for attachment in removed:
            attachment.file.delete(save=False)
            attachment.delete()
        for upload in new_files:
            LetterAttachment.objects.create(
                letter=letter, file=upload, filename=clean_filename(upload.name), size=upload.size
            )
        log_action(
            acting_user,
            "letter.draft.save",
            letter,
            subject=letter.subject,
            attachments_added=len(new_files),
            attachments_removed=len(removed),
        )
    return letter


def letter_url(letter):
    return settings.SITE_URL + reverse("letters:letter", args=[letter.public_id])


def mail_context(letter):
    return {
        "letter": letter,
        "school": letter.school,
        "body": letter.body,
        "body_text": to_text(letter.body_html),
        "letter_url": letter_url(letter),
        "attachments": list(letter.attachments.all()),
    }


def send_letter(*, letter, acting_user, now=None):
    """Send now: one recipient row per guardian and one outbox mail per recipient with an address, in one
    transaction with the letter's change to "sent". Returns the number of recipients."""
    now = now or timezone.now()
    with transaction.atomic():
        letter = Letter.objects.select_for_update().select_related("school").get(pk=letter.pk)
        if letter.status == Letter.Status.SENT:
            raise LetterError(_("Deze brief is al verstuurd."))
        if not letter.subject.strip():
            raise LetterError(_("Geef de brief een onderwerp voordat u hem verstuurt."))
        addressees = audience.resolve(letter, timezone.localdate(now))
        if not addressees:
            raise LetterError(_("Deze brief heeft geen ontvangers: kies een groep of leerlingen met ouders."))
        with_address = [a for a in addressees if a.email]
        attachments = [
            {"path": a.file.name, "filename": a.filename, "content_type": a.content_type}
            for a in letter.attachments.all()
        ]
        mail_ids = emails.queue_mass_mail(
            "letter",
            recipients=[(a.email, a.language) for a in with_address],
            context=mail_context(letter),
            school_id=letter.school_id,
            reply_to=letter.school.admin_email,
            attachments=attachments,
        )
        mail_of = {a.guardian_id: mail_id for a, mail_id in zip(with_address, mail_ids, strict=True)}
        bulk.insert_rows(
            LetterRecipient,
            ["letter_id", "guardian_id", "name", "email", "children", "mail_id"],  # read_at: NULL
            [
                (letter.pk, a.guardian_id, a.name, a.email, a.children_text, mail_of.get(a.guardian_id))
                for a in addressees
            ],
        )
        letter.status = Letter.Status.SENT
        letter.sent_at = now
        letter.sent_by = acting_user if acting_user is not None and acting_user.is_authenticated else letter.sent_by
        letter.save(update_fields=["status", "sent_at", "sent_by", "updated_at"])
        log_action(
            acting_user,
            "letter.send",
            letter,
            recipients=len(addressees),
            mails=len(mail_ids),
            without_address=len(addressees) - len(mail_ids),
            scheduled_for=letter.send_at.isoformat() if letter.send_at else None,
        )
    return len(addressees)


def schedule_letter(*, letter, acting_user, send_at, now=None):
    now = now or timezone.now()
    if send_at <= now:
        raise LetterError(_("Kies een tijdstip in de toekomst."))
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=letter.pk)
        if letter.status != Letter.Status.DRAFT:
            raise LetterError(_("Alleen een concept kan worden ingepland."))
        if not audience.resolve(letter):
            raise LetterError(_("Deze brief heeft geen ontvangers: kies een groep of leerlingen met ouders."))
        letter.status = Letter.Status.SCHEDULED
        letter.send_at = send_at
        letter.sent_by = acting_user
        letter.save(update_fields=["status", "send_at", "sent_by", "updated_at"])
        log_action(acting_user, "letter.schedule", letter, send_at=send_at.isoformat())
        transaction.on_commit(lambda: _enqueue_scheduled(letter))
    return letter


def _enqueue_scheduled(letter):
    from ouderportaal.letters.tasks import send_scheduled_letters

    if send_scheduled_letters.get_backend().supports_defer:
        send_scheduled_letters.using(run_after=letter.send_at).enqueue()


def unschedule_letter(*, letter, acting_user):
    with transaction.atomic():
        updated = Letter.objects.filter(pk=letter.pk, status=Letter.Status.SCHEDULED).update(
            status=Letter.Status.DRAFT, send_at=None, updated_at=timezone.now()
        )
        if not updated:
            raise LetterError(_("Deze brief is niet (meer) ingepland."))
        log_action(acting_user, "letter.unschedule", letter)


def send_due_letters(now=None):
    """Send every scheduled letter whose time has come (the task worker runs this at each letter's time; the
    command `send_scheduled_letters` is the safety net). Returns the number of letters sent."""
    now = now or timezone.now()
    sent = 0
    for letter in Letter.objects.filter(status=Letter.Status.SCHEDULED, send_at__lte=now).select_related("sent_by"):
        try:
            send_letter(letter=letter, acting_user=letter.sent_by, now=now)
            sent += 1
        except LetterError as error:
            # The audience emptied since it was planned: back to draft, for the school to look at.
            Letter.objects.filter(pk=letter.pk, status=Letter.Status.SCHEDULED).update(status=Letter.Status.DRAFT)
            log_action(None, "letter.schedule.failed", letter, reason=str(error))
    return sent


def delete_draft(*, letter, acting_user):
    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=letter.pk)
        if letter.status != Letter.Status.DRAFT:
            raise LetterError(_("Alleen een concept kan worden verwijderd."))
        log_action(acting_user, "letter.draft.delete", letter, subject=letter.subject)
        for attachment in letter.attachments.all():
            transaction.on_commit(lambda f=attachment.file: f.delete(save=False))
        letter.delete()


def mark_read(recipient, now=None):
    """The first opening in the portal counts as read; later ones change nothing."""
    if recipient.read_at is None:
        recipient.read_at = now or timezone.now()
        LetterRecipient.objects.filter(pk=recipient.pk, read_at__isnull=True).update(read_at=recipient.read_at)
