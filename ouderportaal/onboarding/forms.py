import datetime
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ouderportaal.core.validators import validate_mail_domain
from ouderportaal.school.models import School

NAME_PUNCTUATION = set(" -'’‘.")
# "%d%m%Y": 14032017, for a phone whose numeric keypad has no dash (inputmode="numeric" on the field).
DATE_FORMATS = ["%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d", "%d%m%Y"]
OLDEST_BIRTH_YEARS = 25  # no child at a primary school is older


APOSTROPHES = set("'’‘")
# Scripts that one name may mix: Japanese writes kanji with kana.
SCRIPT_FAMILY = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "KATAKANA-HIRAGANA": "CJK"}


def script_of(ch):
    word = unicodedata.name(ch, "?").split(" ")[0]
    return SCRIPT_FAMILY.get(word, word)


def validate_name(value):
    """A plausible name (after NFKC, see NameField): letters with their accents, and single spaces, hyphens, points
    and apostrophes between them, all letters of one script. So 'Van 't Hof', 'Zoë', 'Ἀλέξανδρος' and 'Мария'
    pass; 'Sаnne' with a Cyrillic а, control characters, symbols and '--' do not."""
    if not any(ch.isalpha() for ch in value) or any(
        not (ch.isalpha() or unicodedata.combining(ch) or ch in NAME_PUNCTUATION) for ch in value
    ):
        raise ValidationError(
            _("Gebruik alleen letters, spaties, koppeltekens, punten en apostroffen."), code="invalid_name"
        )
    starts_oddly = not (value[0].isalpha() or value[0] in APOSTROPHES)
    doubled = any(a == b and a in NAME_PUNCTUATION for a, b in zip(value, value[1:], strict=False))
    if starts_oddly or doubled:
        raise ValidationError(_("Controleer de naam: zo ziet een naam er niet uit."), code="implausible_name")
    if len({script_of(ch) for ch in value if ch.isalpha()}) > 1:
        raise ValidationError(
            _("Gebruik letters uit één schrift, zoals u de naam ook op papier schrijft."), code="mixed_script"
        )


class NameField(forms.CharField):
    default_validators = [validate_name]

    def __init__(self, **kwargs):
        super().__init__(max_length=100, **kwargs)

    def to_python(self, value):
        # NFKC: look-alikes with a plain form (𝔖𝔞𝔫𝔫𝔢, ligatures, full-width letters) become that plain form.
        value = super().to_python(value)
        return " ".join(unicodedata.normalize("NFKC", value).split())


class AccountRequestForm(forms.Form):
    school = forms.ModelChoiceField(
        label=_("School van uw kind"), queryset=School.objects.none(), empty_label=_("— kies een school —")
    )
    email = forms.EmailField(
        label=_("Uw e-mailadres"),
        max_length=254,
        validators=[validate_mail_domain],
        help_text=_("Hierheen sturen wij de bevestiging en later uw gebruikersnaam."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    child_first_name = NameField(label=_("Voornaam van uw oudste kind op deze school"))
    child_surname = NameField(
        label=_("Achternaam van uw oudste kind"), help_text=_("Met of zonder voorvoegsel, bijvoorbeeld ‘de Vries’.")
    )
    child_birth_date = forms.DateField(
        label=_("Geboortedatum van uw oudste kind"),
        input_formats=DATE_FORMATS,
        help_text=_("Als dd-mm-jjjj, bijvoorbeeld 14-03-2017."),
        # inputmode: a phone offers its numeric keypad (with the dash) instead of letters.
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "dd-mm-jjjj", "inputmode": "numeric"}),
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        # A board with one school does not ask which one.
        self.only_school = schools.first() if len(schools) == 1 else None
        if self.only_school is not None:
            del self.fields["school"]
        for name in ("child_first_name", "child_surname"):
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def clean_child_birth_date(self):
        birth_date = self.cleaned_data["child_birth_date"]
        today = timezone.localdate()
        if birth_date > today:
            raise ValidationError(_("Deze geboortedatum ligt in de toekomst."), code="future")
        if birth_date < datetime.date(today.year - OLDEST_BIRTH_YEARS, 1, 1):
            raise ValidationError(_("Controleer het geboortejaar: zo oud is geen kind op de basisschool."), code="old")
        return birth_date

    def clean(self):
        cleaned = super().clean()
        if self.only_school is not None:
            cleaned["school"] = self.only_school
        return cleaned


class PasswordForgottenForm(forms.Form):
    login = forms.CharField(
        label=_("Gebruikersnaam of e-mailadres"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
