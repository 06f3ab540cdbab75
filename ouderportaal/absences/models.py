import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ouderportaal.school.models import Pupil, SchoolYear, new_public_id


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
    # Where the record came from, when a parent's report or a leave decision made it.
    sick_report = models.ForeignKey(
        "SickReport", verbose_name=_("ziekmelding"), null=True, blank=True, on_delete=models.CASCADE
    )
    leave_request = models.ForeignKey(
        "LeaveRequest", verbose_name=_("verlofaanvraag"), null=True, blank=True, on_delete=models.CASCADE
    )

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


class AttendanceSettings(models.Model):
    """A school's own choices for absences (design choices the law leaves to the school)."""

    class Reporters(models.TextChoices):
        MAY_VIEW = "may_view", _("elke ouder/verzorger die het kind mag inzien")
        AUTHORITY = "authority", _("alleen ouders/verzorgers met gezag")

    school = models.OneToOneField(
        "school.School", verbose_name=_("school"), on_delete=models.CASCADE, related_name="attendance_settings"
    )
    report_cutoff = models.TimeField(
        _("ziekmelden uiterlijk om"),
        default=datetime.time(8, 30),
        help_text=_("Een ziekmelding voor vandaag na dit tijdstip heet te laat."),
    )
    morning_hours = models.DecimalField(_("uren per ochtend"), max_digits=3, decimal_places=1, default=Decimal("3.5"))
    afternoon_hours = models.DecimalField(_("uren per middag"), max_digits=3, decimal_places=1, default=Decimal("2"))
    reporters = models.CharField(_("wie mag ziekmelden"), max_length=10, choices=Reporters.choices, default="may_view")
    logo = models.BinaryField(_("logo (PNG of JPEG) voor brieven"), blank=True, null=True, editable=True)

    class Meta:
        verbose_name = _("absentie-instelling")
        verbose_name_plural = _("absentie-instellingen")

    def __str__(self):
        return str(self.school)

    @classmethod
    def for_school(cls, school):
        return cls.objects.filter(school=school).first() or cls(school=school)


class SickReport(models.Model):
    """A parent's report that a child is ill, from a day (or part of it) until the parent reports the child better."""

    class Part(models.TextChoices):
        WHOLE_DAY = "dag", _("hele dag")
        MORNING = "ochtend", _("ochtend")
        AFTERNOON = "middag", _("middag")

    public_id = models.CharField(_("publieke id"), max_length=20, unique=True, default=new_public_id, editable=False)
    pupil = models.ForeignKey(Pupil, verbose_name=_("leerling"), on_delete=models.CASCADE, related_name="sick_reports")
    starts_on = models.DateField(_("ziek vanaf"))
    part_of_day = models.CharField(_("dagdeel"), max_length=10, choices=Part.choices, default=Part.WHOLE_DAY)
    remark = models.CharField(_("opmerking"), max_length=500, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("gemeld door"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reported_at = models.DateTimeField(_("gemeld op"), auto_now_add=True)
    late = models.BooleanField(_("te laat gemeld"), default=False)
    ends_on = models.DateField(_("ziek tot en met"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beter gemeld door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ended_at = models.DateTimeField(_("beter gemeld op"), null=True, blank=True)

    class Meta:
        verbose_name = _("ziekmelding")
        verbose_name_plural = _("ziekmeldingen")
        ordering = ["-starts_on", "-reported_at"]
        indexes = [models.Index(fields=["starts_on", "ends_on"])]

    def __str__(self):
        return f"{self.pupil} ziek vanaf {self.starts_on}"

    @property
    def is_open(self):
        return self.ends_on is None


class LeaveRequest(models.Model):
    """A parent's request for leave outside the school holidays (Leerplichtwet art. 13a or 14)."""

    class Kind(models.TextChoices):
        PARENTS_WORK = "13a", _("beroep van een ouder (art. 13a)")
        CIRCUMSTANCES = "14", _("gewichtige omstandigheden (art. 14)")

    class Status(models.TextChoices):
        PENDING = "pending", _("wacht op besluit")
        GRANTED = "granted", _("toegekend")
        REFUSED = "refused", _("afgewezen")
        FORWARDED = "forwarded", _("doorgestuurd naar de leerplichtambtenaar")
        NOTED = "noted", _("genoteerd (nog niet leerplichtig)")

    public_id = models.CharField(_("publieke id"), max_length=20, unique=True, default=new_public_id, editable=False)
    pupil = models.ForeignKey(
        Pupil, verbose_name=_("leerling"), on_delete=models.CASCADE, related_name="leave_requests"
    )
    kind = models.CharField(_("reden"), max_length=3, choices=Kind.choices)
    starts_on = models.DateField(_("eerste dag"))
    ends_on = models.DateField(_("laatste dag"))
    part_of_day = models.CharField(_("dagdeel"), max_length=10, choices=SickReport.Part.choices, default="dag")
    explanation = models.TextField(_("toelichting"), max_length=2000)
    school_days = models.PositiveSmallIntegerField(_("schooldagen"))
    statement = models.BinaryField(_("werkgeversverklaring"), null=True, blank=True)
    statement_name = models.CharField(_("bestandsnaam verklaring"), max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangevraagd door"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("aangevraagd op"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("besloten door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)
    motivation = models.TextField(_("motivering"), blank=True)
    letter = models.BinaryField(_("besluitbrief (PDF)"), null=True, blank=True)

    class Meta:
        verbose_name = _("verlofaanvraag")
        verbose_name_plural = _("verlofaanvragen")
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.pupil} verlof {self.starts_on} – {self.ends_on}"
