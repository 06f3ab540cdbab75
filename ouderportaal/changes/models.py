"""Change requests: a guardian proposes changes to one section of the record; the administration applies them.

Nothing in the record changes until staff apply a field. Each ChangeField keeps the value it replaced at the time
of proposing, so a field changed meanwhile shows up as a conflict.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ouderportaal.school.models import Guardian, Household, Pupil, School, new_public_id


class Section(models.TextChoices):
    PERSONAL = "personal", _("Personalia")
    MEDICAL = "medical", _("Medisch")
    GP = "gp", _("Huisarts")
    EMERGENCY = "emergency", _("Noodnummers")
    HOUSEHOLD = "household", _("Gezinsadres")
    CONTACTS = "contacts", _("Eigen contactgegevens")


# Sections about a child (need parental authority) and sections about the guardian's own data.
CHILD_SECTIONS = {Section.PERSONAL, Section.MEDICAL, Section.GP, Section.EMERGENCY}
FAMILY_SECTIONS = {Section.HOUSEHOLD, Section.CONTACTS}


# How long a parent page still shows a decided proposal: long enough to read the outcome; older ones are history
# (the administration keeps them all).
SHOWN_AFTER_DECISION = datetime.timedelta(days=90)


def shown_since(now=None):
    """The moment since which decided proposals are shown to parents."""
    return (now or timezone.now()) - SHOWN_AFTER_DECISION


class ChangeRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ChangeRequest.Status.PENDING)

    def shown_to_parents(self, now=None):
        """What the parent pages show of proposals: the pending ones and those decided in the last 90 days; a
        withdrawn one never. (changes/page_hooks.py writes the same rule in the SQL of its badge query.)"""
        return self.filter(
            models.Q(status=ChangeRequest.Status.PENDING)
            | (models.Q(decided_at__gte=shown_since(now)) & ~models.Q(status=ChangeRequest.Status.WITHDRAWN))
        )

    def decided(self):
        return self.exclude(status__in=[ChangeRequest.Status.PENDING, ChangeRequest.Status.WITHDRAWN])


class ChangeRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("in behandeling")
        APPLIED = "applied", _("verwerkt")
        PARTIAL = "partial", _("deels verwerkt")
        REJECTED = "rejected", _("afgewezen")
        WITHDRAWN = "withdrawn", _("ingetrokken")

    public_id = models.CharField(_("publieke id"), max_length=20, unique=True, default=new_public_id, editable=False)
    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="+")
    section = models.CharField(_("onderdeel"), max_length=20, choices=Section.choices)
    # The record it is about: a pupil (child sections), or the proposer's household or own contact details.
    pupil = models.ForeignKey(
        Pupil, verbose_name=_("leerling"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    household = models.ForeignKey(
        Household, verbose_name=_("gezin"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    guardian = models.ForeignKey(
        Guardian, verbose_name=_("ouder/verzorger"), on_delete=models.CASCADE, related_name="change_requests"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ingediend door"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("ingediend op"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("behandeld door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("behandeld op"), null=True, blank=True)
    note = models.TextField(_("toelichting van de school"), blank=True)

    objects = ChangeRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("wijzigingsverzoek")
        verbose_name_plural = _("wijzigingsverzoeken")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["school", "status", "created_at"])]

    def __str__(self):
        return f"{self.get_section_display()} — {self.subject_name}"

    @property
    def subject_name(self):
        return self.pupil.full_name if self.pupil_id else self.guardian.full_name

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING


class ChangeField(models.Model):
    """One changed field (or one added, changed or removed list item: a contact detail, an emergency contact).

    Values are JSON: a string for a plain field, a dict for a list item; `old_value` None for an added item,
    `new_value` None for a removed one.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("in behandeling")
        APPLIED = "applied", _("verwerkt")
        REJECTED = "rejected", _("afgewezen")
        WITHDRAWN = "withdrawn", _("ingetrokken")

    change_request = models.ForeignKey(ChangeRequest, on_delete=models.CASCADE, related_name="fields")
    key = models.CharField(_("veld"), max_length=40)
    old_value = models.JSONField(_("waarde bij indienen"), null=True, blank=True)
    new_value = models.JSONField(_("voorgestelde waarde"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)

    class Meta:
        verbose_name = _("gewijzigd veld")
        verbose_name_plural = _("gewijzigde velden")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["change_request", "key"], name="one_change_per_field")]

    def __str__(self):
        return self.key


class FamilyConfirmation(models.Model):
    """A guardian said "klopt nog" on the Gezin page for this child (the Medisch tab uses MedicalInfo's date)."""

    pupil = models.OneToOneField(
        Pupil, verbose_name=_("leerling"), on_delete=models.CASCADE, related_name="family_confirmation"
    )
    confirmed_on = models.DateField(_("bevestigd op"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bevestigd door"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("bevestiging gezinsgegevens")
        verbose_name_plural = _("bevestigingen gezinsgegevens")

    def __str__(self):
        return f"{self.pupil} ({self.confirmed_on})"
