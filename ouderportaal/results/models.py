from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ouderportaal.school.models import Pupil, School, SchoolYear


class Assessment(models.Model):
    """A test product (Cito, IEP, Boom, …): only nationally normed ones are shown to parents."""

    class LevelScheme(models.TextChoices):
        A_TO_E = "AE", _("A–E")
        I_TO_V = "IV", _("I–V")

    supplier = models.CharField(_("leverancier"), max_length=100)
    subject = models.CharField(_("leergebied"), max_length=100)
    name = models.CharField(_("naam"), max_length=200)
    nationally_normed = models.BooleanField(_("landelijk genormeerd"), default=True)
    level_scheme = models.CharField(_("niveauschaal"), max_length=2, choices=LevelScheme.choices)
    # The growth chart draws one line per scale and never across a change of scale (another product, supplier
    # or norm): tests that share this name share one ability scale.
    scale = models.CharField(
        _("vaardigheidsschaal"),
        max_length=100,
        blank=True,
        help_text=_("Toetsen met dezelfde schaalnaam staan in de groeigrafiek op één lijn. Leeg: een eigen schaal."),
    )

    class Meta:
        verbose_name = _("toets")
        verbose_name_plural = _("toetsen")
        ordering = ["subject", "name"]

    def __str__(self):
        return f"{self.name} ({self.supplier})"

    @property
    def scale_key(self):
        return self.scale or f"#{self.pk}"


def level_band(level):
    """The base band of a level as delivered: 'I+' and 'I-' are band 'I'."""
    return level.strip().rstrip("+-").upper()


class TestResult(models.Model):
    __test__ = False  # not a pytest class

    pupil = models.ForeignKey(Pupil, verbose_name=_("leerling"), on_delete=models.CASCADE, related_name="test_results")
    assessment = models.ForeignKey(Assessment, verbose_name=_("toets"), on_delete=models.PROTECT)
    school_year = models.ForeignKey(SchoolYear, verbose_name=_("schooljaar"), on_delete=models.PROTECT)
    moment = models.CharField(_("toetsmoment"), max_length=10, help_text=_("bijv. M5 of E5"))
    taken_on = models.DateField(_("afnamedatum"))
    score = models.CharField(_("score"), max_length=20, blank=True)
    ability_score = models.DecimalField(_("vaardigheidsscore"), max_digits=7, decimal_places=1, null=True, blank=True)
    # Stored as delivered, never recomputed: norms change over the years.
    level = models.CharField(_("niveau"), max_length=5, blank=True)

    class Meta:
        verbose_name = _("toetsresultaat")
        verbose_name_plural = _("toetsresultaten")
        ordering = ["taken_on", "assessment__subject"]
        # A test is taken once per moment: what an import upserts on.
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "assessment", "school_year", "moment"], name="one_result_per_moment"
            )
        ]

    def __str__(self):
        return f"{self.pupil} {self.assessment} {self.moment}"

    @property
    def level_colour(self):
        return settings.RESULT_LEVEL_COLOURS.get(level_band(self.level), "#888888")


class ResultsClosureQuerySet(models.QuerySet):
    def active(self, now=None):
        now = now or timezone.now()
        return self.filter(starts_at__lte=now, ends_at__gt=now)


class ResultsClosure(models.Model):
    """A test week: while active, parents see no result data of this school anywhere."""

    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="results_closures"
    )
    starts_at = models.DateTimeField(_("vanaf"))
    ends_at = models.DateTimeField(_("tot"))
    reason = models.CharField(_("reden"), max_length=200, blank=True)

    objects = ResultsClosureQuerySet.as_manager()

    class Meta:
        verbose_name = _("sluiting toetsresultaten")
        verbose_name_plural = _("sluitingen toetsresultaten")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="closure_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.school}: {self.starts_at:%d-%m-%Y} – {self.ends_at:%d-%m-%Y}"


class CalendarFeed(models.Model):
    """A user's private calendar address (iCal) with the test weeks of their children's schools; it carries no
    result data. The token is the only key: renewing it makes the old address answer 404."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("gebruiker"), on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(_("sleutel"), max_length=64, unique=True)
    renewed_at = models.DateTimeField(_("vernieuwd"), auto_now=True)

    class Meta:
        verbose_name = _("agenda-abonnement")
        verbose_name_plural = _("agenda-abonnementen")

    def __str__(self):
        return f"{self.user}"
