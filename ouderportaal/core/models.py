from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditLogEntry(models.Model):
    """Who did what to which record. Written by core.audit.log_action, never edited."""

    created_at = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("gebruiker"), null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField(_("actie"), max_length=100, db_index=True)
    object_type = models.CharField(_("soort object"), max_length=100, blank=True)
    object_id = models.CharField(_("object-id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    school_id = models.BigIntegerField(_("school-id"), null=True, blank=True, db_index=True)
    data = models.JSONField(_("gegevens"), default=dict, blank=True)

    class Meta:
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditlog")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_repr}"


class OutgoingMailQuerySet(models.QuerySet):
    def due(self, now=None):
        """Mail a worker may claim now: new, waiting for its next attempt, or claimed by a worker that died (a
        claim expires after MAIL_CLAIM_TIMEOUT seconds, far longer than one SMTP conversation may take)."""
        now = now or timezone.now()
        expired = now - timedelta(seconds=settings.MAIL_CLAIM_TIMEOUT)
        return self.filter(
            models.Q(
                status__in=[OutgoingMail.Status.QUEUED, OutgoingMail.Status.AWAITING_RETRY], next_attempt_at__lte=now
            )
            | models.Q(status=OutgoingMail.Status.SENDING, claimed_at__lt=expired)
        )


class OutgoingMail(models.Model):
    """The outbox: one rendered message to one recipient, written in the transaction that caused it.

    A worker claims a row with a conditional UPDATE (queued/awaiting retry → sending) before it talks to the
    mail server, so two workers never send the same row. The rendered bodies hold one-time links; they are
    kept for support questions ("did the mail go out?") and lose their value once the links expire (48 hours).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("in de wachtrij")
        SENDING = "sending", _("wordt verstuurd")
        SENT = "sent", _("verstuurd")
        AWAITING_RETRY = "awaiting_retry", _("wacht op nieuwe poging")
        FAILED = "failed", _("mislukt")

    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True, db_index=True)
    template = models.CharField(_("soort bericht"), max_length=100)
    language = models.CharField(_("taal"), max_length=5, default="nl")
    to = models.EmailField(_("aan"), max_length=254)
    reply_to = models.EmailField(_("antwoord naar"), max_length=254, blank=True)
    subject = models.CharField(_("onderwerp"), max_length=255)
    body_text = models.TextField(_("tekst"))
    body_html = models.TextField(_("HTML"), blank=True)
    school_id = models.BigIntegerField(_("school-id"), null=True, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    next_attempt_at = models.DateTimeField(_("volgende poging"), default=timezone.now)
    claimed_at = models.DateTimeField(_("geclaimd"), null=True, blank=True)
    # Which claim (a random token per UPDATE) holds the row: a worker claims several rows at once and then reads
    # back exactly the ones it got.
    claim_token = models.CharField(_("claim"), max_length=32, blank=True)
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)
    last_error = models.TextField(_("laatste fout"), blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    # Files to attach, read through Django's storage API when sending: [{"path", "filename", "content_type"}].
    attachments = models.JSONField(_("bijlagen"), default=list, blank=True)

    objects = OutgoingMailQuerySet.as_manager()

    class Meta:
        verbose_name = _("uitgaand bericht")
        verbose_name_plural = _("uitgaande berichten")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"]), models.Index(fields=["to", "template"])]

    def __str__(self):
        return f"{self.template} → {self.to} ({self.get_status_display()})"
