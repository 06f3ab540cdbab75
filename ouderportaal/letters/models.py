"""Letters to families: written in the back-office, delivered by mail and in the portal, with proof of delivery."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ouderportaal.core.models import OutgoingMail
from ouderportaal.letters.html import safe_html
from ouderportaal.school.models import Group, Guardian, Pupil, School, new_public_id


class Letter(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("concept")
        SCHEDULED = "scheduled", _("ingepland")
        SENT = "sent", _("verstuurd")

    class Audience(models.TextChoices):
        SCHOOL = "school", _("de hele school")
        GROUPS = "groups", _("een of meer groepen")
        PUPILS = "pupils", _("gekozen leerlingen")

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="letters")
    public_id = models.CharField(_("publieke id"), max_length=20, unique=True, default=new_public_id, editable=False)
    subject = models.CharField(_("onderwerp"), max_length=200)
    # Always sanitised (letters/html.py) before it is saved; sanitised again when shown.
    body_html = models.TextField(_("tekst"), blank=True)
    audience = models.CharField(_("ontvangers"), max_length=10, choices=Audience.choices, default=Audience.SCHOOL)
    groups = models.ManyToManyField(Group, verbose_name=_("groepen"), blank=True, related_name="+")
    pupils = models.ManyToManyField(Pupil, verbose_name=_("leerlingen"), blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    send_at = models.DateTimeField(_("versturen op"), null=True, blank=True)
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geschreven door"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verstuurd door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("brief")
        verbose_name_plural = _("brieven")
        ordering = ["-sent_at", "-updated_at"]
        indexes = [models.Index(fields=["status", "send_at"])]

    def __str__(self):
        return self.subject

    @property
    def body(self):
        return safe_html(self.body_html)

    @property
    def is_sent(self):
        return self.status == self.Status.SENT


def attachment_path(attachment, filename):
    # The stored name is random: the parent's file name is kept in `filename`, never trusted as a path.
    return f"letters/{attachment.letter.school_id}/{new_public_id()}.pdf"


class LetterAttachment(models.Model):
    letter = models.ForeignKey(Letter, verbose_name=_("brief"), on_delete=models.CASCADE, related_name="attachments")
    public_id = models.CharField(_("publieke id"), max_length=20, unique=True, default=new_public_id, editable=False)
    file = models.FileField(_("bestand"), upload_to=attachment_path, max_length=200)
    filename = models.CharField(_("bestandsnaam"), max_length=200)
    size = models.PositiveIntegerField(_("grootte (bytes)"))
    content_type = models.CharField(_("soort"), max_length=100, default="application/pdf")

    class Meta:
        verbose_name = _("bijlage")
        verbose_name_plural = _("bijlagen")
        ordering = ["pk"]

    def __str__(self):
        return self.filename


class LetterRecipient(models.Model):
    """One guardian a sent letter went to; name, address and children as they were when it was sent."""

    letter = models.ForeignKey(Letter, verbose_name=_("brief"), on_delete=models.CASCADE, related_name="recipients")
    guardian = models.ForeignKey(
        Guardian, verbose_name=_("ouder/verzorger"), null=True, on_delete=models.SET_NULL, related_name="letters"
    )
    name = models.CharField(_("naam"), max_length=200)
    email = models.EmailField(_("e-mailadres"), max_length=254, blank=True)
    children = models.CharField(_("kinderen"), max_length=500, blank=True)
    mail = models.OneToOneField(
        OutgoingMail, verbose_name=_("e-mail"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    read_at = models.DateTimeField(_("gelezen op"), null=True, blank=True)

    class Meta:
        verbose_name = _("ontvanger")
        verbose_name_plural = _("ontvangers")
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["letter", "guardian"], name="one_recipient_per_guardian")]

    def __str__(self):
        return f"{self.letter} → {self.name}"
