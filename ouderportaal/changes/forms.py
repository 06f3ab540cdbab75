"""The parent's "Wijziging doorgeven" forms, prefilled with today's values and validated with the same Dutch
validators as the records (python-stdnum, phonenumbers, Django's email validator)."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _
from stdnum.nl import postcode as stdnum_postcode

from ouderportaal.school import validators
from ouderportaal.school.models import ContactDetail

TEXT_MAX = 2000


def _char(label, max_length, *, required=False, validators=(), help_text=""):
    return forms.CharField(
        label=label, max_length=max_length, required=required, validators=list(validators), help_text=help_text
    )


def _text(label):
    return forms.CharField(label=label, max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ProposalForm(forms.Form):
    """Cleans postcodes to "1234 AB"; `proposed()` gives the values to compare with today's."""

    def clean_postcode(self):
        value = self.cleaned_data["postcode"]
        return stdnum_postcode.validate(value) if value else value

    def proposed(self):
        return dict(self.cleaned_data)


class PersonalForm(ProposalForm):
    roepnaam = _char(_("Roepnaam"), 100, required=True)
    first_names = _char(_("Voornamen"), 200, required=True)
    voorvoegsel = _char(_("Voorvoegsel"), 20)
    surname = _char(_("Achternaam"), 100, required=True)
    street = _char(_("Straat en huisnummer (alleen als uw kind op een ander adres woont)"), 200)
    postcode = _char(_("Postcode"), 7, validators=[validators.validate_postcode])
    city = _char(_("Plaats"), 100)
    phone = _char(_("Telefoon van uw kind"), 20, validators=[validators.validate_phone])
    bsn = _char(
        _("BSN"),
        9,
        validators=[validators.validate_bsn],
        help_text=_("Alleen invullen als het BSN bij de school ontbreekt of niet klopt (9 cijfers)."),
    )

    def __init__(self, *args, address_visible=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not address_visible:
            # Another household's secret address: not shown, so not proposed from here either.
            for key in ("street", "postcode", "city", "phone"):
                del self.fields[key]

    def proposed(self):
        values = dict(self.cleaned_data)
        if not values.get("bsn"):
            values.pop("bsn", None)  # left empty: the BSN is not shown, so empty means "no change"
        return values


class MedicalForm(ProposalForm):
    allergies = _text(_("Allergieën"))
    medication = _text(_("Medicijnen"))
    conditions = _text(_("Aandoeningen"))
    diet = _text(_("Dieet"))
    remarks = _text(_("Opmerkingen"))


class GPForm(ProposalForm):
    name = _char(_("Naam huisarts"), 200, required=True)
    practice = _char(_("Praktijk"), 200)
    street = _char(_("Straat en huisnummer"), 200)
    postcode = _char(_("Postcode"), 7, validators=[validators.validate_postcode])
    city = _char(_("Plaats"), 100)
    phone = _char(_("Telefoon"), 20, validators=[validators.validate_phone])


class HouseholdForm(ProposalForm):
    street = _char(_("Straat en huisnummer"), 200)
    postcode = _char(_("Postcode"), 7, validators=[validators.validate_postcode])
    city = _char(_("Plaats"), 100)
    phone = _char(_("Telefoon thuis"), 20, validators=[validators.validate_phone])


class ItemForm(forms.Form):
    """One row of a list (a contact detail, an emergency contact): `item` names an existing one, empty = new."""

    item = forms.CharField(required=False, widget=forms.HiddenInput)
    remove = forms.BooleanField(label=_("Verwijderen"), required=False)

    def is_blank(self):
        return not self.cleaned_data.get("item") and not any(
            self.cleaned_data.get(key) for key in self.value_keys if isinstance(self.cleaned_data.get(key), str)
        )


class ContactForm(ItemForm):
    value_keys = ["kind", "value", "label", "secret", "emergency"]
    kind = forms.ChoiceField(label=_("Soort"), choices=ContactDetail.Kind.choices)
    value = _char(_("Telefoonnummer of e-mailadres"), 254)
    label = _char(_("Omschrijving (bijv. mobiel, werk)"), 50)
    secret = forms.BooleanField(label=_("Geheim (alleen voor u en de school)"), required=False)
    emergency = forms.BooleanField(label=_("Noodnummer"), required=False)

    def is_blank(self):
        return not self.cleaned_data.get("item") and not self.cleaned_data.get("value")

    def clean(self):
        data = super().clean()
        if self.is_blank() or data.get("remove"):
            return data
        value = (data.get("value") or "").strip()
        if not value:
            self.add_error("value", _("Vul een telefoonnummer of e-mailadres in, of kies Verwijderen."))
        elif data.get("kind") == ContactDetail.Kind.EMAIL:
            try:
                validate_email(value)
            except ValidationError:
                self.add_error("value", _("Dit is geen geldig e-mailadres."))
        elif data.get("kind") == ContactDetail.Kind.PHONE:
            try:
                validators.validate_phone(value)
            except ValidationError as error:
                self.add_error("value", error)
        data["value"] = value
        return data


class EmergencyForm(ItemForm):
    value_keys = ["name", "relation", "phone"]
    name = _char(_("Naam"), 200)
    relation = _char(_("Relatie (bijv. oma, buurvrouw)"), 100)
    phone = _char(_("Telefoon"), 20, validators=[validators.validate_phone])

    def is_blank(self):
        return not self.cleaned_data.get("item") and not any(
            self.cleaned_data.get(k) for k in ("name", "relation", "phone")
        )

    def clean(self):
        data = super().clean()
        if self.is_blank() or data.get("remove"):
            return data
        if not data.get("name") and "name" not in self.errors:
            self.add_error("name", _("Vul een naam in, of kies Verwijderen."))
        if not data.get("phone") and "phone" not in self.errors:
            self.add_error("phone", _("Vul een telefoonnummer in, of kies Verwijderen."))
        return data


class ItemFormSet(forms.BaseFormSet):
    """Rows may only name items of the record being changed: a tampered id is refused, nothing is stored."""

    prefix_key = ""

    def __init__(self, *args, allowed=(), **kwargs):
        self.allowed = {str(pk) for pk in allowed}
        super().__init__(*args, **kwargs)

    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            item = form.cleaned_data.get("item") or ""
            if item and (item not in self.allowed or item in seen):
                raise ValidationError(
                    _("Een van de regels hoort niet bij uw gegevens. U kunt alleen uw eigen gegevens wijzigen.")
                )
            seen.add(item)

    def proposed(self):
        """{key: value dict, or None to remove} for every row that names an item or adds one."""
        values, new = {}, 0
        for form in self.forms:
            if form.is_blank():
                continue
            data = form.cleaned_data
            item = data.get("item")
            if item:
                key = f"{self.prefix_key}:{item}"
            else:
                if data.get("remove"):
                    continue
                new += 1
                key = f"{self.prefix_key}:new{new}"
            values[key] = None if data.get("remove") else {k: data.get(k) for k in form.value_keys}
        return values


class ContactFormSet(ItemFormSet):
    prefix_key = "contact"


class EmergencyFormSet(ItemFormSet):
    prefix_key = "emergency"


def contact_formset(data=None, *, initial, allowed):
    factory = forms.formset_factory(ContactForm, formset=ContactFormSet, extra=1, max_num=20, absolute_max=30)
    return factory(data, initial=initial, allowed=allowed, prefix="c")


def emergency_formset(data=None, *, initial, allowed):
    factory = forms.formset_factory(EmergencyForm, formset=EmergencyFormSet, extra=1, max_num=10, absolute_max=20)
    return factory(data, initial=initial, allowed=allowed, prefix="n")
