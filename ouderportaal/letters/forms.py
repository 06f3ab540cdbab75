from django import forms
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ouderportaal.letters.files import check_count, check_pdf
from ouderportaal.letters.html import sanitise, to_text
from ouderportaal.letters.models import Letter
from ouderportaal.school.models import Enrolment, Group, Pupil, SchoolYear


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "application/pdf,.pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class GroupChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, group):
        return group.name


class PupilChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, pupil):
        group = f" ({pupil.group_name})" if getattr(pupil, "group_name", None) else ""
        return f"{pupil.full_name}{group}"


class LetterForm(forms.Form):
    school = forms.ModelChoiceField(label=_("School"), queryset=None, empty_label=None)
    subject = forms.CharField(
        label=_("Onderwerp"),
        max_length=200,
        error_messages={"required": _("Geef de brief een onderwerp.")},
    )
    body_html = forms.CharField(
        label=_("Tekst van de brief"),
        widget=forms.Textarea(attrs={"rows": 12, "class": "editor-source"}),
        error_messages={"required": _("Schrijf de tekst van de brief.")},
        help_text=_("Vet, cursief, onderstreept, kopjes, lijsten en links blijven behouden; andere opmaak valt weg."),
    )
    audience = forms.ChoiceField(
        label=_("Aan wie?"), choices=Letter.Audience.choices, widget=forms.RadioSelect, initial=Letter.Audience.SCHOOL
    )
    groups = GroupChoiceField(label=_("Groepen"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple)
    pupils = PupilChoiceField(label=_("Leerlingen"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple)
    attachments = MultipleFileField(label=_("PDF-bijlagen toevoegen"), required=False)
    remove_attachments = forms.ModelMultipleChoiceField(
        label=_("Bijlagen verwijderen"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, schools, letter=None, **kwargs):
        if letter is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "school": letter.school_id,
                "subject": letter.subject,
                "body_html": letter.body_html,
                "audience": letter.audience,
                "groups": list(letter.groups.all()),
                "pupils": list(letter.pupils.all()),
            }
        super().__init__(*args, **kwargs)
        self.letter = letter
        # The editor's toolbar speaks the page's language (static/js/letter-editor.js reads these).
        self.fields["body_html"].widget.attrs.update(
            {
                "data-toolbar-label": _("Opmaak"),
                "data-bold-label": _("Vet"),
                "data-italic-label": _("Cursief"),
                "data-underline-label": _("Onderstreept"),
                "data-ul-label": _("Opsomming"),
                "data-ol-label": _("Genummerde lijst"),
                "data-link-label": _("Link"),
                "data-undo-label": _("Ongedaan maken"),
                "data-redo-label": _("Opnieuw"),
                "data-link-prompt": _("Adres van de link (https://…)"),
            }
        )
        year = SchoolYear.start_year_for(timezone.localdate())
        self.fields["school"].queryset = schools
        only = list(schools[:2])
        if len(only) == 1:
            self.fields["school"].widget = forms.HiddenInput()
            self.fields["school"].initial = only[0].pk
        self.fields["groups"].queryset = (
            Group.objects.filter(school__in=schools, school_year__start_year=year)
            .select_related("school")
            .order_by("school__name", "year_levels", "name")
        )
        group_name = Enrolment.objects.filter(pupil=OuterRef("pk"), school_year__start_year=year).values("group__name")
        self.fields["pupils"].queryset = (
            Pupil.objects.filter(school__in=schools)
            .enrolled()
            .annotate(group_name=Subquery(group_name[:1]))
            .order_by("surname", "roepnaam")
        )
        self.existing = list(letter.attachments.all()) if letter is not None else []
        if self.existing:
            self.fields["remove_attachments"].queryset = letter.attachments.all()
        else:
            del self.fields["remove_attachments"]

    def clean_body_html(self):
        body = sanitise(self.cleaned_data["body_html"])
        if not to_text(body).strip():
            raise forms.ValidationError(_("Schrijf de tekst van de brief."))
        return body

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        errors = []
        for upload in files:
            try:
                check_pdf(upload)
            except forms.ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise forms.ValidationError(errors)
        return files

    def clean(self):
        data = super().clean()
        school = data.get("school")
        audience = data.get("audience")
        if school is not None:
            if any(g.school_id != school.pk for g in data.get("groups") or []):
                self.add_error("groups", _("Kies alleen groepen van de gekozen school."))
            if any(p.school_id != school.pk for p in data.get("pupils") or []):
                self.add_error("pupils", _("Kies alleen leerlingen van de gekozen school."))
        if audience == Letter.Audience.GROUPS and not data.get("groups"):
            self.add_error("groups", _("Kies een of meer groepen."))
        if audience == Letter.Audience.PUPILS and not data.get("pupils"):
            self.add_error("pupils", _("Kies een of meer leerlingen."))
        removed = len(data.get("remove_attachments") or [])
        try:
            check_count(len(self.existing) - removed, len(data.get("attachments") or []))
        except forms.ValidationError as error:
            self.add_error("attachments", error)
        return data


class SendForm(forms.Form):
    when = forms.ChoiceField(
        label=_("Wanneer?"),
        choices=[("now", _("Nu versturen")), ("later", _("Inplannen"))],
        widget=forms.RadioSelect,
        initial="now",
    )
    send_at = forms.DateTimeField(
        label=_("Versturen op"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"invalid": _("Vul een datum en tijd in, bijvoorbeeld 2026-12-24 08:30.")},
    )

    def clean(self):
        data = super().clean()
        if data.get("when") == "later":
            send_at = data.get("send_at")
            if send_at is None and not self.has_error("send_at"):
                self.add_error("send_at", _("Kies wanneer de brief verstuurd wordt."))
            elif send_at is not None and send_at <= timezone.now():
                self.add_error("send_at", _("Kies een tijdstip in de toekomst."))
        return data
