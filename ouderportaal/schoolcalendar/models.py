from django.db import models
from django.utils.translation import gettext_lazy as _

from ouderportaal.school.models import School, SchoolYear
from ouderportaal.schoolcalendar.national import MIDDEN, NOORD, ZUID


class Region(models.TextChoices):
    NOORD = NOORD, _("regio noord")
    MIDDEN = MIDDEN, _("regio midden")
    ZUID = ZUID, _("regio zuid")


class CalendarSettings(models.Model):
    """Which national holiday region a school follows (the defaults of its calendar)."""

    school = models.OneToOneField(
        School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="calendar_settings"
    )
    region = models.CharField(_("vakantieregio"), max_length=10, choices=Region.choices, default=Region.MIDDEN)

    class Meta:
        verbose_name = _("kalenderinstelling")
        verbose_name_plural = _("kalenderinstellingen")

    def __str__(self):
        return f"{self.school} ({self.get_region_display()})"


class DayOff(models.Model):
    """A school holiday, public holiday or study day: days without school for the pupils of one school."""

    class Kind(models.TextChoices):
        HOLIDAY = "vakantie", _("vakantie of feestdag")
        STUDY_DAY = "studiedag", _("studiedag")

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="days_off")
    school_year = models.ForeignKey(SchoolYear, verbose_name=_("schooljaar"), on_delete=models.PROTECT)
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices, default=Kind.HOLIDAY)
    name = models.CharField(_("naam"), max_length=100)
    starts_on = models.DateField(_("eerste dag"))
    ends_on = models.DateField(_("laatste dag"))

    class Meta:
        verbose_name = _("vrije dag of vakantie")
        verbose_name_plural = _("vrije dagen en vakanties")
        ordering = ["starts_on", "name"]
        indexes = [models.Index(fields=["school", "starts_on"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="day_off_ends_after")
        ]

    def __str__(self):
        return f"{self.name} {self.starts_on:%d-%m-%Y} – {self.ends_on:%d-%m-%Y}"
