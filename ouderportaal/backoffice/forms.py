from django import forms
from django.utils.translation import gettext_lazy as _

from ouderportaal.backoffice import search
from ouderportaal.school.models import StaffRole


class ApproveForm(forms.Form):
    """Which of the pupil's guardians gets the account; the choices are the match's candidates."""

    guardian = forms.TypedChoiceField(
        label=_("Ouder/verzorger"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies de ouder/verzorger die het account krijgt.")},
    )

    def __init__(self, *args, match, **kwargs):
        super().__init__(*args, **kwargs)
        self.match = match
        candidates = match.candidates if match is not None else []
        self.fields["guardian"].choices = [(c.guardian.pk, c.guardian.full_name) for c in candidates]
        if match is not None and match.email_candidate is not None:
            self.fields["guardian"].initial = match.email_candidate.guardian.pk

    def clean_guardian(self):
        return self.match.candidate(self.cleaned_data["guardian"]).guardian


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden (staat in de e-mail aan de ouder)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Schrijf een reden: de ouder krijgt die te lezen.")},
    )


class ImportUploadForm(forms.Form):
    school = forms.ModelChoiceField(label=_("School"), queryset=None, empty_label=None)
    source = forms.ChoiceField(label=_("Soort bestand"))
    file = forms.FileField(
        label=_("Bestand"),
        help_text=_("EDEX: het XML-bestand uit de administratie. Gezinnen, toetsen en absenties: CSV (; of ,)."),
        error_messages={"required": _("Kies een bestand."), "empty": _("Dit bestand is leeg.")},
    )

    def __init__(self, *args, schools, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["source"].choices = sources


class PupilSearchForm(forms.Form):
    """The pupil list's filters (GET). School, year and group that are not the staff member's fall back to the
    defaults; only the search text can be wrong, and then it is shown with its error."""

    q = forms.CharField(
        label=_("Zoeken"),
        required=False,
        max_length=search.MAX_QUERY_LENGTH,
        help_text=_("Naam of een deel ervan, en/of geboortedatum (1-2-2017)"),
        error_messages={"max_length": _("Zoek met hoogstens %(limit_value)d tekens.")},
    )

    def clean_q(self):
        text = " ".join(self.cleaned_data["q"].split())
        try:
            search.parse(text)
        except search.SearchError as error:
            raise forms.ValidationError(
                _("%(value)s is geen bestaande datum; schrijf een geboortedatum als 1-2-2017."),
                params={"value": str(error)},
                code="date",
            ) from None
        return text


class StaffRoleForm(forms.Form):
    """A director gives a colleague a role at their school; a new address gets a new login."""

    school = forms.ModelChoiceField(label=_("School"), queryset=None, empty_label=None)
    email = forms.EmailField(label=_("E-mailadres"), max_length=254)
    first_name = forms.CharField(label=_("Voornaam"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Achternaam"), max_length=100, required=False)
    role = forms.ChoiceField(label=_("Rol"), choices=StaffRole.Role.choices)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools


class ChangeDecisionForm(forms.Form):
    """Per changed field: apply or reject; a field changed since the proposal (a conflict) offers "overwrite"
    instead of "apply" and has no default, so it is never applied without an explicit choice."""

    note = forms.CharField(
        label=_("Toelichting voor de ouder (optioneel)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, fields, conflicting, **kwargs):
        super().__init__(*args, **kwargs)
        self.change_fields = fields
        for field in fields:
            conflict = field.key in conflicting
            choices = [
                ("overwrite" if conflict else "apply", _("toch overschrijven") if conflict else _("verwerken")),
                ("reject", _("afwijzen")),
            ]
            self.fields[f"field_{field.pk}"] = forms.ChoiceField(
                label=field.key,
                choices=choices,
                widget=forms.RadioSelect,
                initial=None if conflict else "apply",
                error_messages={"required": _("Kies: overschrijven of afwijzen.")},
            )

    def decisions(self):
        return {field.pk: self.cleaned_data[f"field_{field.pk}"] for field in self.change_fields}


class ChangeRejectForm(forms.Form):
    note = forms.CharField(
        label=_("Reden (staat in de e-mail aan de ouder)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Schrijf een reden: de ouder krijgt die te lezen.")},
    )


class LeaveDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Besluit"),
        choices=[("grant", _("Toekennen")), ("refuse", _("Afwijzen"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies toekennen of afwijzen.")},
    )
    motivation = forms.CharField(
        label=_("Motivering (staat in de brief aan de ouders)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Schrijf een motivering: die staat in de besluitbrief.")},
    )
