from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ouderportaal.school.models import School


class ImportRun(models.Model):
    """One file brought in: who, when, what it would change (preview) and what it changed (applied)."""

    class Source(models.TextChoices):
        EDEX = "edex", _("EDEX (leerlingen, groepen, leerkrachten)")
        FAMILIES = "families", _("gezinnen (CSV)")
        RESULTS = "results", _("toetsresultaten (CSV)")
        ABSENCES = "absences", _("absenties (CSV)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("wacht op verwerking")
        CHECKING = "checking", _("wordt gecontroleerd")
        PREVIEWED = "previewed", _("gecontroleerd, nog niet verwerkt")
        REFUSED = "refused", _("geweigerd")
        APPLYING = "applying", _("wordt verwerkt")
        APPLIED = "applied", _("verwerkt")
        FAILED = "failed", _("mislukt")
        DISCARDED = "discarded", _("niet verwerkt")

    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(_("verwerkt op"), null=True, blank=True)
    school = models.ForeignKey(
        School, verbose_name=_("school"), null=True, blank=True, on_delete=models.CASCADE, related_name="import_runs"
    )
    source = models.CharField(_("soort"), max_length=10, choices=Source.choices)
    file_name = models.CharField(_("bestandsnaam"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("grootte"), default=0)
    # The uploaded file waits here between preview and apply, and is removed once applied or refused.
    stored_file = models.CharField(_("opgeslagen bestand"), max_length=255, blank=True, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("door"), null=True, blank=True, on_delete=models.SET_NULL
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    dry_run = models.BooleanField(_("proefdraai"), default=False)
    mark_missing_left = models.BooleanField(_("ontbrekende leerlingen uitschrijven"), default=False)
    progress = models.PositiveSmallIntegerField(_("voortgang (%)"), default=0)
    # {section: {"new": n, "changed": n, "unchanged": n, "missing": n}} and the first rows of each.
    counts = models.JSONField(_("aantallen"), default=dict, blank=True)
    samples = models.JSONField(_("voorbeelden"), default=dict, blank=True)
    errors = models.JSONField(_("fouten"), default=list, blank=True)
    warnings = models.JSONField(_("waarschuwingen"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("aantal fouten"), default=0)
    message = models.TextField(_("melding"), blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_source_display()} {self.file_name} ({self.get_status_display()})"

    @property
    def busy(self):
        return self.status in (self.Status.QUEUED, self.Status.CHECKING, self.Status.APPLYING)

    @property
    def can_discard(self):
        return self.status == self.Status.PREVIEWED and bool(self.stored_file)

    @property
    def can_apply(self):
        return self.status == self.Status.PREVIEWED and not self.error_count and not self.dry_run


class AppliedState(models.Model):
    """What the last applied file of a source and school was, and what the rows it touched held right after it was
    applied (imports.fingerprints): an identical file over unchanged rows is a re-import that needs no checking."""

    run = models.OneToOneField(ImportRun, on_delete=models.CASCADE, related_name="applied_state")
    file_digest = models.CharField(max_length=64)
    state_digest = models.CharField(max_length=64)
    # Which shared rows the file named, when its school's rows need not refer to them all (families: the names of
    # the board's general practitioners in the file); the source's state reads those again (imports.fingerprints).
    scope = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("stand na een import")
        verbose_name_plural = _("standen na imports")

    def __str__(self):
        return str(self.run)
