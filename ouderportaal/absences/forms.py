from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ouderportaal.absences.models import LeaveRequest, SickReport

MAX_STATEMENT_BYTES = 5 * 1024 * 1024
# How far ahead a parent may report or ask: beyond it a date is a typing error (1900, 2200), not a plan.
SICK_DAYS_AHEAD = 14
LEAVE_DAYS_AHEAD = 366


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _date_field(label):
    return forms.DateField(
        label=label, widget=DateInput(), error_messages={"invalid": _("Vul een geldige datum in (dag-maand-jaar).")}
    )


class SickReportForm(forms.Form):
    pupils = forms.MultipleChoiceField(
        label=_("Wie is ziek?"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies minstens één kind.")},
    )
    starts_on = _date_field(_("Ziek vanaf"))
    part_of_day = forms.ChoiceField(label=_("Dagdeel"), choices=SickReport.Part.choices, initial="dag")
    remark = forms.CharField(
        label=_("Opmerking voor de leerkracht (niet verplicht)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.children = {child.public_id: child for child in children}
        self.fields["pupils"].choices = [(child.public_id, child.roepnaam) for child in children]
        self.fields["starts_on"].initial = timezone.localdate()
        if len(children) == 1:
            self.fields["pupils"].initial = [children[0].public_id]

    def clean_pupils(self):
        return [self.children[public_id] for public_id in self.cleaned_data["pupils"]]

    def clean_starts_on(self):
        day, today = self.cleaned_data["starts_on"], timezone.localdate()
        if day < today:
            raise forms.ValidationError(_("Ziekmelden kan vanaf vandaag, niet voor een dag die al voorbij is."))
        if day > today + timedelta(days=SICK_DAYS_AHEAD):
            raise forms.ValidationError(_("Ziekmelden kan hooguit twee weken vooruit."))
        return day


class BetterForm(forms.Form):
    back_on = _date_field(_("Weer naar school op"))

    def clean_back_on(self):
        day, today = self.cleaned_data["back_on"], timezone.localdate()
        if not today - timedelta(days=SICK_DAYS_AHEAD) <= day <= today + timedelta(days=SICK_DAYS_AHEAD):
            raise forms.ValidationError(_("Kies een datum binnen twee weken van vandaag."))
        return day


class LeaveRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Reden"), choices=LeaveRequest.Kind.choices, widget=forms.RadioSelect)
    starts_on = _date_field(_("Eerste dag"))
    ends_on = _date_field(_("Laatste dag"))
    part_of_day = forms.ChoiceField(
        label=_("Dagdeel (bij één dag)"), choices=SickReport.Part.choices, initial="dag", required=False
    )
    explanation = forms.CharField(
        label=_("Toelichting"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Schrijf kort waarom u verlof vraagt.")},
    )
    statement = forms.FileField(
        label=_("Verklaring van de werkgever (PDF, bij beroep van een ouder)"),
        required=False,
        help_text=_("Hooguit 5 MB."),
    )

    def clean_starts_on(self):
        day, today = self.cleaned_data["starts_on"], timezone.localdate()
        if day < today:
            raise forms.ValidationError(_("Verlof vraagt u vooraf aan: de eerste dag kan niet in het verleden liggen."))
        if day > today + timedelta(days=LEAVE_DAYS_AHEAD):
            raise forms.ValidationError(_("Verlof vraagt u hooguit een jaar vooruit aan."))
        return day

    def clean_ends_on(self):
        day, today = self.cleaned_data["ends_on"], timezone.localdate()
        if day > today + timedelta(days=LEAVE_DAYS_AHEAD + 31):
            raise forms.ValidationError(_("Verlof vraagt u hooguit een jaar vooruit aan."))
        return day

    def clean_statement(self):
        upload = self.cleaned_data.get("statement")
        if upload is None:
            return None
        if upload.size > MAX_STATEMENT_BYTES:
            raise forms.ValidationError(_("De verklaring is te groot: hooguit 5 MB."))
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise forms.ValidationError(_("De verklaring moet een PDF-bestand zijn."))
        return upload

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("De laatste dag ligt vóór de eerste dag."))
        if data.get("starts_on") and data.get("ends_on") and data["starts_on"] != data["ends_on"]:
            data["part_of_day"] = "dag"
        data["part_of_day"] = data.get("part_of_day") or "dag"
        return data
