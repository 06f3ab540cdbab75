import datetime
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ouderportaal.core import l10n
from ouderportaal.school import validators


def new_public_id():
    # Opaque id for URLs: never the sequential primary key.
    return secrets.token_urlsafe(12)


class Board(models.Model):
    name = models.CharField(_("naam"), max_length=200)

    class Meta:
        verbose_name = _("schoolbestuur")
        verbose_name_plural = _("schoolbesturen")

    def __str__(self):
        return self.name


class School(models.Model):
    board = models.ForeignKey(Board, verbose_name=_("bestuur"), on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(_("naam"), max_length=200)
    brin = models.CharField(_("BRIN"), max_length=6, unique=True, validators=[validators.validate_brin])
    street = models.CharField(_("straat en huisnummer"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=7, validators=[validators.validate_postcode])
    city = models.CharField(_("plaats"), max_length=100)
    phone = models.CharField(_("telefoon"), max_length=20, validators=[validators.validate_phone])
    email = models.EmailField(_("e-mailadres"))
    website = models.URLField(_("website"), blank=True)
    director = models.CharField(_("directeur"), max_length=200, blank=True)
    admin_email = models.EmailField(_("e-mailadres administratie"))

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("scholen")
        ordering = ["name"]

    def __str__(self):
        return self.name


class SchoolYearQuerySet(models.QuerySet):
    def current(self, today=None):
        return self.filter(start_year=SchoolYear.start_year_for(today or timezone.localdate())).first()


class SchoolYear(models.Model):
    """The legal school year, 1 August – 31 July, written 2025-2026."""

    start_year = models.PositiveSmallIntegerField(_("beginjaar"), unique=True)

    objects = SchoolYearQuerySet.as_manager()

    class Meta:
        verbose_name = _("schooljaar")
        verbose_name_plural = _("schooljaren")
        ordering = ["-start_year"]

    def __str__(self):
        return f"{self.start_year}-{self.start_year + 1}"

    @property
    def name(self):
        return str(self)

    @property
    def starts_on(self):
        return datetime.date(self.start_year, 8, 1)

    @property
    def ends_on(self):
        return datetime.date(self.start_year + 1, 7, 31)

    @staticmethod
    def start_year_for(day):
        return day.year if day.month >= 8 else day.year - 1


class Teacher(models.Model):
    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="teachers")
    source_key = models.CharField(_("sleutel bron"), max_length=64, blank=True)
    first_name = models.CharField(_("voornaam"), max_length=100)
    voorvoegsel = models.CharField(_("voorvoegsel"), max_length=20, blank=True)
    surname = models.CharField(_("achternaam"), max_length=100)
    email = models.EmailField(_("e-mailadres"), blank=True)

    class Meta:
        verbose_name = _("leerkracht")
        verbose_name_plural = _("leerkrachten")
        ordering = ["surname", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "source_key"], condition=~models.Q(source_key=""), name="unique_teacher_key"
            )
        ]

    def __str__(self):
        return " ".join(p for p in (self.first_name, self.voorvoegsel, self.surname) if p)


class Group(models.Model):
    """A class in one school year; a combination group has several year levels."""

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="groups")
    school_year = models.ForeignKey(SchoolYear, verbose_name=_("schooljaar"), on_delete=models.PROTECT)
    source_key = models.CharField(_("sleutel bron"), max_length=64, blank=True)
    name = models.CharField(_("naam"), max_length=50)
    year_levels = models.CharField(
        _("jaargroep(en)"), max_length=20, validators=[validators.validate_year_levels], help_text=_("bijv. 4 of 4/5")
    )
    teachers = models.ManyToManyField(Teacher, verbose_name=_("leerkrachten"), blank=True, related_name="groups")

    class Meta:
        verbose_name = _("groep")
        verbose_name_plural = _("groepen")
        ordering = ["year_levels", "name"]
        # EDEX group keys live one school year.
        constraints = [
            models.UniqueConstraint(fields=["school", "school_year", "name"], name="unique_group_name"),
            models.UniqueConstraint(
                fields=["school", "school_year", "source_key"],
                condition=~models.Q(source_key=""),
                name="unique_group_key",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.school_year})"

    @property
    def levels(self):
        return [int(level) for level in self.year_levels.split("/")]

    @property
    def is_combination(self):
        return len(self.levels) > 1


class Household(models.Model):
    """An address where (some of) a child's guardians live; separated parents have one each."""

    board = models.ForeignKey(Board, verbose_name=_("bestuur"), on_delete=models.PROTECT)
    source_key = models.CharField(_("sleutel bron"), max_length=64, blank=True)
    name = models.CharField(_("naam"), max_length=200)
    street = models.CharField(_("straat en huisnummer"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True, validators=[validators.validate_postcode])
    city = models.CharField(_("plaats"), max_length=100, blank=True)
    phone = models.CharField(_("telefoon"), max_length=20, blank=True, validators=[validators.validate_phone])
    address_secret = models.BooleanField(_("adres geheim"), default=False)

    class Meta:
        verbose_name = _("gezin")
        verbose_name_plural = _("gezinnen")
        constraints = [
            models.UniqueConstraint(
                fields=["board", "source_key"], condition=~models.Q(source_key=""), name="unique_household_key"
            )
        ]

    def __str__(self):
        return self.name


class GeneralPractitioner(models.Model):
    board = models.ForeignKey(Board, verbose_name=_("bestuur"), on_delete=models.PROTECT)
    name = models.CharField(_("naam"), max_length=200)
    practice = models.CharField(_("praktijk"), max_length=200, blank=True)
    street = models.CharField(_("straat en huisnummer"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True, validators=[validators.validate_postcode])
    city = models.CharField(_("plaats"), max_length=100, blank=True)
    phone = models.CharField(_("telefoon"), max_length=20, blank=True, validators=[validators.validate_phone])

    class Meta:
        verbose_name = _("huisarts")
        verbose_name_plural = _("huisartsen")

    def __str__(self):
        return f"{self.name} ({self.practice})" if self.practice else self.name


class PupilQuerySet(models.QuerySet):
    def for_guardian(self, user):
        """The only way a parent page reaches pupils: the guardian's own children with may-view on."""
        if not user.is_authenticated:
            return self.none()
        # IN (the ids of the guardian's own guardianships) rather than a join: no duplicate rows, no DISTINCT, and it
        # combines with any other filter. Not a correlated EXISTS: SQLite ran that once for every pupil of the board
        # (4–8 ms a query at 10,000 pupils), where IN reads the guardian's few rows and then the pupils by key.
        return self.filter(pk__in=Guardianship.objects.filter(guardian__user=user, may_view=True).values("pupil_id"))

    def enrolled(self, today=None):
        today = today or timezone.localdate()
        return self.filter(models.Q(left_on__isnull=True) | models.Q(left_on__gte=today), enrolled_on__lte=today)


class Pupil(models.Model):
    class Gender(models.TextChoices):
        UNKNOWN = "0", _("onbekend")
        MALE = "1", _("jongen")
        FEMALE = "2", _("meisje")
        UNSPECIFIED = "9", _("niet gespecificeerd")

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="pupils")
    public_id = models.CharField(_("publieke id"), max_length=20, unique=True, default=new_public_id, editable=False)
    source_key = models.CharField(_("sleutel bron"), max_length=64, blank=True, db_index=True)
    first_names = models.CharField(_("voornamen"), max_length=200)
    roepnaam = models.CharField(_("roepnaam"), max_length=100)
    voorvoegsel = models.CharField(_("voorvoegsel"), max_length=20, blank=True)
    surname = models.CharField(_("achternaam"), max_length=100)
    birth_date = models.DateField(_("geboortedatum"))
    birth_place = models.CharField(_("geboorteplaats"), max_length=100, blank=True)
    gender = models.CharField(_("geslacht"), max_length=1, choices=Gender.choices, default=Gender.UNKNOWN)
    nationality = models.CharField(_("nationaliteit"), max_length=100, blank=True)
    bsn = models.CharField(_("BSN"), max_length=9, blank=True, validators=[validators.validate_bsn])
    onderwijsnummer = models.CharField(
        _("onderwijsnummer"), max_length=9, blank=True, validators=[validators.validate_onderwijsnummer]
    )
    street = models.CharField(_("straat en huisnummer"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True, validators=[validators.validate_postcode])
    city = models.CharField(_("plaats"), max_length=100, blank=True)
    address_secret = models.BooleanField(_("adres geheim"), default=False)
    phone = models.CharField(_("telefoon"), max_length=20, blank=True, validators=[validators.validate_phone])
    enrolled_on = models.DateField(_("inschrijfdatum"))
    left_on = models.DateField(_("uitschrijfdatum"), null=True, blank=True)
    household = models.ForeignKey(
        Household, verbose_name=_("gezin"), null=True, blank=True, on_delete=models.SET_NULL, related_name="pupils"
    )
    general_practitioner = models.ForeignKey(
        GeneralPractitioner, verbose_name=_("huisarts"), null=True, blank=True, on_delete=models.SET_NULL
    )

    objects = PupilQuerySet.as_manager()

    class Meta:
        verbose_name = _("leerling")
        verbose_name_plural = _("leerlingen")
        ordering = ["surname", "roepnaam"]
        # The school's own pupil key (EDEX `key`): never reused, what every import upserts on.
        constraints = [
            models.UniqueConstraint(
                fields=["school", "source_key"], condition=~models.Q(source_key=""), name="unique_pupil_key"
            )
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return " ".join(p for p in (self.roepnaam, self.voorvoegsel, self.surname) if p)

    @property
    def masked_bsn(self):
        number = self.bsn or self.onderwijsnummer
        return f"•••••{number[-4:]}" if number else ""


class Enrolment(models.Model):
    """A pupil's place in a group for one school year; the pupil keeps their own year level."""

    pupil = models.ForeignKey(Pupil, verbose_name=_("leerling"), on_delete=models.CASCADE, related_name="enrolments")
    group = models.ForeignKey(Group, verbose_name=_("groep"), on_delete=models.PROTECT, related_name="enrolments")
    school_year = models.ForeignKey(SchoolYear, verbose_name=_("schooljaar"), on_delete=models.PROTECT)
    year_level = models.PositiveSmallIntegerField(_("jaargroep"))

    class Meta:
        verbose_name = _("groepsplaatsing")
        verbose_name_plural = _("groepsplaatsingen")
        constraints = [models.UniqueConstraint(fields=["pupil", "school_year"], name="one_group_per_year")]

    def __str__(self):
        return f"{self.pupil} — {self.group}"


class CompositeGroup(models.Model):
    """An EDEX samengestelde groep: pupils of several groups together for part of the week (a plusklas, a reading
    group). The pupil's teaching group stays their `Enrolment`; this only names where else they are."""

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.CASCADE)
    school_year = models.ForeignKey(SchoolYear, verbose_name=_("schooljaar"), on_delete=models.PROTECT)
    source_key = models.CharField(_("sleutel bron"), max_length=64)
    name = models.CharField(_("naam"), max_length=50)
    pupils = models.ManyToManyField(Pupil, verbose_name=_("leerlingen"), blank=True, related_name="composite_groups")

    class Meta:
        verbose_name = _("samengestelde groep")
        verbose_name_plural = _("samengestelde groepen")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "school_year", "source_key"], name="composite_group_key")
        ]

    def __str__(self):
        return self.name


class Guardian(models.Model):
    board = models.ForeignKey(Board, verbose_name=_("bestuur"), on_delete=models.PROTECT)
    household = models.ForeignKey(
        Household, verbose_name=_("gezin"), null=True, blank=True, on_delete=models.SET_NULL, related_name="guardians"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="guardian",
    )
    source_key = models.CharField(_("sleutel bron"), max_length=64, blank=True)
    initials = models.CharField(_("voorletters"), max_length=20, blank=True)
    first_name = models.CharField(_("voornaam"), max_length=100)
    voorvoegsel = models.CharField(_("voorvoegsel"), max_length=20, blank=True)
    surname = models.CharField(_("achternaam"), max_length=100)
    pupils = models.ManyToManyField(Pupil, through="Guardianship", related_name="guardians")

    class Meta:
        verbose_name = _("ouder/verzorger")
        verbose_name_plural = _("ouders/verzorgers")
        ordering = ["surname", "first_name"]
        # The key the school's administration gives a guardian: what the families import upserts on.
        constraints = [
            models.UniqueConstraint(
                fields=["board", "source_key"], condition=~models.Q(source_key=""), name="unique_guardian_key"
            )
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return " ".join(p for p in (self.first_name, self.voorvoegsel, self.surname) if p)


# The labels the project itself writes (the demo data, the admin's examples), shown in the page's language; a label
# a school typed differently is shown as typed.
COMMON_CONTACT_LABELS = {
    "mobiel": _("mobiel"),
    "werk": _("werk"),
    "privé": _("privé"),
    "thuis": _("thuis"),
}


class ContactDetail(models.Model):
    """A guardian's phone number or email address, each with its own secret and emergency flags."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("telefoon")
        EMAIL = "email", _("e-mail")

    guardian = models.ForeignKey(
        Guardian, verbose_name=_("ouder/verzorger"), on_delete=models.CASCADE, related_name="contacts"
    )
    kind = models.CharField(_("soort"), max_length=5, choices=Kind.choices)
    value = models.CharField(_("nummer of adres"), max_length=254)
    label = models.CharField(_("omschrijving"), max_length=50, blank=True, help_text=_("bijv. mobiel, werk"))
    secret = models.BooleanField(_("geheim"), default=False)
    emergency = models.BooleanField(_("noodnummer"), default=False)

    class Meta:
        verbose_name = _("contactgegeven")
        verbose_name_plural = _("contactgegevens")
        ordering = ["kind", "-emergency", "pk"]

    def __str__(self):
        return self.value

    @property
    def display_label(self):
        """The label as the page shows it: translated when it is one of COMMON_CONTACT_LABELS, else the kind."""
        if not self.label:
            return l10n.label(self, "kind")
        return COMMON_CONTACT_LABELS.get(self.label.strip().casefold(), self.label)


class Guardianship(models.Model):
    class Relation(models.TextChoices):
        MOTHER = "moeder", _("moeder")
        FATHER = "vader", _("vader")
        GUARDIAN = "voogd", _("voogd")
        FOSTER = "pleegouder", _("pleegouder")
        STEP = "stiefouder", _("stiefouder")
        OTHER = "anders", _("anders")

    guardian = models.ForeignKey(
        Guardian, verbose_name=_("ouder/verzorger"), on_delete=models.CASCADE, related_name="guardianships"
    )
    pupil = models.ForeignKey(Pupil, verbose_name=_("leerling"), on_delete=models.CASCADE, related_name="guardianships")
    relation = models.CharField(_("relatie"), max_length=20, choices=Relation.choices)
    has_authority = models.BooleanField(_("heeft gezag"), default=True)
    may_view = models.BooleanField(_("mag kind inzien"), default=True)
    receives_mail = models.BooleanField(_("ontvangt post"), default=True)
    is_main_caretaker = models.BooleanField(_("hoofdverzorger"), default=False)

    class Meta:
        verbose_name = _("gezagsrelatie")
        verbose_name_plural = _("gezagsrelaties")
        constraints = [models.UniqueConstraint(fields=["guardian", "pupil"], name="unique_guardianship")]

    def __str__(self):
        return f"{self.guardian} → {self.pupil} ({self.get_relation_display()})"


class EmergencyContact(models.Model):
    pupil = models.ForeignKey(
        Pupil, verbose_name=_("leerling"), on_delete=models.CASCADE, related_name="emergency_contacts"
    )
    name = models.CharField(_("naam"), max_length=200)
    relation = models.CharField(_("relatie"), max_length=100, blank=True)
    phone = models.CharField(_("telefoon"), max_length=20, validators=[validators.validate_phone])
    position = models.PositiveSmallIntegerField(_("volgorde"), default=1)

    class Meta:
        verbose_name = _("noodcontact")
        verbose_name_plural = _("noodcontacten")
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.name} ({self.phone})"


class MedicalInfo(models.Model):
    """Medical information as the parents gave it: special-category data, every read is audited."""

    pupil = models.OneToOneField(
        Pupil, verbose_name=_("leerling"), on_delete=models.CASCADE, related_name="medical_info"
    )
    allergies = models.TextField(_("allergieën"), blank=True)
    medication = models.TextField(_("medicijnen"), blank=True)
    conditions = models.TextField(_("aandoeningen"), blank=True)
    diet = models.TextField(_("dieet"), blank=True)
    remarks = models.TextField(_("opmerkingen"), blank=True)
    last_confirmed_on = models.DateField(_("laatst bevestigd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("medische gegevens")
        verbose_name_plural = _("medische gegevens")

    def __str__(self):
        return str(self.pupil)


class StaffRole(models.Model):
    class Role(models.TextChoices):
        ADMINISTRATION = "administratie", _("administratie")
        DIRECTOR = "directeur", _("directeur")
        TEACHER = "leerkracht", _("leerkracht")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("gebruiker"), on_delete=models.CASCADE, related_name="staff_roles"
    )
    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="staff_roles")
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("medewerkersrol")
        verbose_name_plural = _("medewerkersrollen")
        constraints = [models.UniqueConstraint(fields=["user", "school", "role"], name="unique_staff_role")]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} ({self.school})"
