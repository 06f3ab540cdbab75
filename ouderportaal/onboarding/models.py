from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ouderportaal.school.models import new_public_id

# Unconfirmed requests are deleted after this; the confirmation link itself expires sooner (CONFIRM_MAX_AGE).
UNCONFIRMED_RETENTION = timedelta(days=7)


class AccountRequestQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def pending(self):
        """The back-office queue: confirmed, not yet decided."""
        return self.confirmed().filter(status=AccountRequest.Status.PENDING)

    def decided(self):
        return self.filter(status__in=[AccountRequest.Status.APPROVED, AccountRequest.Status.REJECTED])

    def stale_unconfirmed(self, now=None):
        return self.filter(confirmed_at__isnull=True, created_at__lt=(now or timezone.now()) - UNCONFIRMED_RETENTION)


class AccountRequest(models.Model):
    """A parent's request for a login, as the seed's school asks for it: the oldest child's name and birth date."""

    class Status(models.TextChoices):
        PENDING = "pending", _("te beoordelen")
        APPROVED = "approved", _("goedgekeurd")
        REJECTED = "rejected", _("afgewezen")
        # The address already had an account: its username and a reset link were mailed, no review needed.
        EXISTING_ACCOUNT = "existing_account", _("bestaand account")

    public_id = models.CharField(_("publieke id"), max_length=20, unique=True, default=new_public_id, editable=False)
    school = models.ForeignKey(
        "school.School", verbose_name=_("school"), on_delete=models.CASCADE, related_name="account_requests"
    )
    email = models.EmailField(_("e-mailadres"), max_length=254, db_index=True)
    child_first_name = models.CharField(_("voornaam oudste kind"), max_length=100)
    child_surname = models.CharField(_("achternaam oudste kind"), max_length=100)
    child_birth_date = models.DateField(_("geboortedatum oudste kind"))
    language = models.CharField(_("taal"), max_length=5, default="nl")
    ip_address = models.GenericIPAddressField(_("IP-adres"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangevraagd"), auto_now_add=True, db_index=True)
    confirmed_at = models.DateTimeField(_("e-mailadres bevestigd"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    guardian = models.ForeignKey(
        "school.Guardian", verbose_name=_("ouder/verzorger"), null=True, blank=True, on_delete=models.SET_NULL
    )
    pupil = models.ForeignKey(
        "school.Pupil", verbose_name=_("leerling"), null=True, blank=True, on_delete=models.SET_NULL
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="account_requests",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beoordeeld door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    reason = models.TextField(_("reden"), blank=True)

    objects = AccountRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("accountaanvraag")
        verbose_name_plural = _("accountaanvragen")
        ordering = ["confirmed_at", "created_at"]
        indexes = [models.Index(fields=["school", "status", "confirmed_at"])]

    def __str__(self):
        return f"{self.email} ({self.created_at:%Y-%m-%d})" if self.created_at else self.email

    @property
    def child_name(self):
        return f"{self.child_first_name} {self.child_surname}"

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING


class PasswordResetRequest(models.Model):
    """One "Wachtwoord vergeten?" form sent, counted per IP address for the rate limit. What was typed is not kept
    here: the lookup and the mail happen in a background task. Rows older than the rate window are deleted."""

    ip_address = models.GenericIPAddressField(_("IP-adres"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangevraagd"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("wachtwoordaanvraag")
        verbose_name_plural = _("wachtwoordaanvragen")
        indexes = [models.Index(fields=["ip_address", "created_at"])]

    def __str__(self):
        return f"{self.ip_address or '-'} ({self.created_at:%Y-%m-%d %H:%M})" if self.created_at else "-"
