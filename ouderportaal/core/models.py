from django.conf import settings
from django.db import models
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
