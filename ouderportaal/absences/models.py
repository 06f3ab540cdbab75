from django.db import models
from django.utils.translation import gettext_lazy as _

from ouderportaal.school.models import Pupil, SchoolYear


class Reason(models.TextChoices):
    ILLNESS = "ziek", _("ziek")
    MEDICAL = "arts", _("arts/tandarts/therapie")
    LATE = "te_laat", _("te laat")
    LEAVE_CIRCUMSTANCES = "verlof_omstandigheden", _("verlof (gewichtige omstandigheden)")
    LEAVE_PARENTS_WORK = "verlof_beroep", _("verlof (beroep ouders)")
    RELIGIOUS = "religieus", _("religieuze verplichting")
    SUSPENSION = "schorsing", _("schorsing")
    INFANT_EXEMPTION = "vrijstelling_kleuter", _("vrijstelling kleuter")
    UNEXCUSED = "ongeoorloofd", _("ongeoorloofd")
    LUXURY = "luxe_verzuim", _("luxe verzuim")


# Whether a reason counts as excused (geoorloofd) unless the school records otherwise (Leerplichtwet art. 11).
EXCUSED_BY_DEFAULT = {
    Reason.ILLNESS: True,
    Reason.MEDICAL: True,
    Reason.LATE: False,
    Reason.LEAVE_CIRCUMSTANCES: True,
    Reason.LEAVE_PARENTS_WORK: True,
    Reason.RELIGIOUS: True,
    Reason.SUSPENSION: True,
    Reason.INFANT_EXEMPTION: True,
    Reason.UNEXCUSED: False,
    Reason.LUXURY: False,
}


class AbsenceQuerySet(models.QuerySet):
    def in_school_year(self, school_year: SchoolYear):
        return self.filter(date__range=(school_year.starts_on, school_year.ends_on))


class Absence(models.Model):
    class PartOfDay(models.TextChoices):
        MORNING = "ochtend", _("ochtend")
        AFTERNOON = "middag", _("middag")
        WHOLE_DAY = "dag", _("hele dag")
        LATE = "te_laat", _("te laat")

    pupil = models.ForeignKey(Pupil, verbose_name=_("leerling"), on_delete=models.CASCADE, related_name="absences")
    date = models.DateField(_("datum"))
    part_of_day = models.CharField(_("dagdeel"), max_length=10, choices=PartOfDay.choices, default=PartOfDay.WHOLE_DAY)
    minutes_late = models.PositiveSmallIntegerField(_("minuten te laat"), null=True, blank=True)
    reason = models.CharField(_("reden"), max_length=30, choices=Reason.choices)
    excused = models.BooleanField(_("geoorloofd"))
    note = models.CharField(_("opmerking"), max_length=500, blank=True)

    objects = AbsenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("absentie")
        verbose_name_plural = _("absenties")
        ordering = ["-date", "part_of_day"]
        indexes = [models.Index(fields=["pupil", "date"])]
        # One record per part of day: what an import upserts on.
        constraints = [models.UniqueConstraint(fields=["pupil", "date", "part_of_day"], name="one_absence_per_part")]

    def __str__(self):
        return f"{self.pupil} {self.date} {self.get_reason_display()}"

    def save(self, *args, **kwargs):
        if self.excused is None:
            self.excused = EXCUSED_BY_DEFAULT[self.reason]
        super().save(*args, **kwargs)
