"""What each section of a change request covers: its fields, today's values, how a value is shown, and how an
accepted value is written to the record (re-validated with the model's own validators)."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _
from stdnum.nl import postcode as stdnum_postcode

from ouderportaal.changes.models import Section
from ouderportaal.school.models import ContactDetail, EmergencyContact, GeneralPractitioner, MedicalInfo
from ouderportaal.school.validators import validate_phone

LABELS = {
    "roepnaam": _("Roepnaam"),
    "first_names": _("Voornamen"),
    "voorvoegsel": _("Voorvoegsel"),
    "surname": _("Achternaam"),
    "phone": _("Telefoon"),
    "street": _("Straat en huisnummer"),
    "postcode": _("Postcode"),
    "city": _("Plaats"),
    "bsn": _("BSN"),
    "allergies": _("Allergieën"),
    "medication": _("Medicijnen"),
    "conditions": _("Aandoeningen"),
    "diet": _("Dieet"),
    "remarks": _("Opmerkingen"),
    "name": _("Naam"),
    "practice": _("Praktijk"),
}

FIELDS = {
    Section.PERSONAL: [
        "roepnaam",
        "first_names",
        "voorvoegsel",
        "surname",
        "street",
        "postcode",
        "city",
        "phone",
        "bsn",
    ],
    Section.MEDICAL: ["allergies", "medication", "conditions", "diet", "remarks"],
    Section.GP: ["name", "practice", "street", "postcode", "city", "phone"],
    Section.HOUSEHOLD: ["street", "postcode", "city", "phone"],
}
# The child's own address and phone follow the address's secrecy (school/privacy.py).
ADDRESS_KEYS = {"street", "postcode", "city", "phone"}
CONTACT_KEYS = ["kind", "value", "label", "secret", "emergency"]
EMERGENCY_KEYS = ["name", "relation", "phone"]
LIST_SECTIONS = {Section.CONTACTS: "contact", Section.EMERGENCY: "emergency"}


def current_values(section, *, pupil=None, household=None, guardian=None):
    """Today's values of a section: {key: value}; list sections give {"contact:12": {...}, ...}."""
    if section == Section.PERSONAL:
        return {key: getattr(pupil, key) for key in FIELDS[section]}
    if section == Section.MEDICAL:
        info = MedicalInfo.objects.filter(pupil=pupil).first()
        return {key: getattr(info, key) if info else "" for key in FIELDS[section]}
    if section == Section.GP:
        gp = GeneralPractitioner.objects.filter(pk=pupil.general_practitioner_id).first()
        return {key: getattr(gp, key) if gp else "" for key in FIELDS[section]}
    if section == Section.HOUSEHOLD:
        return {key: getattr(household, key) for key in FIELDS[section]}
    if section == Section.CONTACTS:
        return {f"contact:{c.pk}": contact_dict(c) for c in ContactDetail.objects.filter(guardian=guardian)}
    if section == Section.EMERGENCY:
        return {f"emergency:{e.pk}": emergency_dict(e) for e in EmergencyContact.objects.filter(pupil=pupil)}
    raise ValueError(section)


def current_values_for(change_request):
    return current_values(
        change_request.section,
        pupil=change_request.pupil,
        household=change_request.household,
        guardian=change_request.guardian,
    )


def contact_dict(contact):
    return {key: getattr(contact, key) for key in CONTACT_KEYS}


def emergency_dict(contact):
    return {key: getattr(contact, key) for key in EMERGENCY_KEYS}


def normalise(key, value):
    """A value as compared: "1234ab" equals "1234 AB", "06-12345678" equals "0612345678"."""
    if isinstance(value, dict):
        # A contact detail's "value" is a phone number or an email address, depending on its kind.
        kinds = {"value": "phone" if value.get("kind") == "phone" else "value"}
        return {k: normalise(kinds.get(k, k), v) for k, v in value.items()}
    if not isinstance(value, str):
        return value
    value = value.strip()
    if key == "postcode" and value:
        return stdnum_postcode.compact(value)
    if key == "phone" and value:
        try:
            number = phonenumbers.parse(value, "NL")
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        except phonenumbers.NumberParseException:
            return value
    return value


def same(key, a, b):
    return normalise(key, a) == normalise(key, b)


def diff(current, proposed):
    """{key: (old, new)} for every key whose proposed value differs from today's (None: added or removed item)."""
    changes = {}
    for key in {**current, **proposed}:
        old, new = current.get(key), proposed.get(key, current.get(key))
        if not same(key, old, new):
            changes[key] = (old, new)
    return dict(sorted(changes.items(), key=lambda item: _order(item[0])))


def _order(key):
    for fields in FIELDS.values():
        if key in fields:
            return (0, fields.index(key), key)
    return (1, 0, key)


# --- How a value is shown ---


def label(key):
    if key.startswith("contact:"):
        return _("Contactgegeven")
    if key.startswith("emergency:"):
        return _("Noodcontact")
    return LABELS.get(key, key)


def display(key, value, *, mask_bsn=True):
    """Plain text for a value (templates escape it)."""
    if value is None:
        return ""
    if key.startswith("contact:"):
        kind = ContactDetail.Kind(value["kind"]).label
        flags = [str(_("geheim"))] if value.get("secret") else []
        flags += [str(_("noodnummer"))] if value.get("emergency") else []
        text = f"{value['label'] or kind}: {value['value']}"
        return text + (f" ({', '.join(flags)})" if flags else "")
    if key.startswith("emergency:"):
        relation = f" ({value['relation']})" if value.get("relation") else ""
        return f"{value['name']}{relation}: {value['phone']}"
    if key == "bsn" and mask_bsn and value:
        return f"•••••{value[-4:]}"
    return value


def hidden_keys(change_request, *, address_visible):
    """Keys whose values this parent may not see: the child's secret address and phone (another household's)."""
    if change_request.section == Section.PERSONAL and not address_visible:
        return ADDRESS_KEYS
    return set()


# --- Writing accepted values ---


def apply(change_request, values):
    """Write `values` ({key: new value}) to the record after validating them with the model's validators.
    Raises ValidationError naming the field."""
    section = change_request.section
    if section == Section.PERSONAL:
        _apply_fields(change_request.pupil, values)
    elif section == Section.MEDICAL:
        info, _created = MedicalInfo.objects.get_or_create(pupil=change_request.pupil)
        _apply_fields(info, values)
    elif section == Section.HOUSEHOLD:
        _apply_fields(change_request.household, values)
    elif section == Section.GP:
        _apply_gp(change_request.pupil, values)
    elif section == Section.CONTACTS:
        for key, value in values.items():
            _apply_item(ContactDetail, key, value, guardian=change_request.guardian)
    elif section == Section.EMERGENCY:
        for key, value in values.items():
            _apply_item(EmergencyContact, key, value, pupil=change_request.pupil)


def _clean_field(obj, key, value):
    try:
        return obj._meta.get_field(key).clean(value, obj)
    except ValidationError as error:
        raise ValidationError(f"{label(key)}: {' '.join(error.messages)}") from None


def _apply_fields(obj, values):
    for key, value in values.items():
        setattr(obj, key, _clean_field(obj, key, value))
    obj.save(update_fields=list(values))


def _apply_gp(pupil, values):
    # A GP record may be shared by many pupils: never edit it in place; point this pupil at the GP as it now is.
    gp = GeneralPractitioner.objects.filter(pk=pupil.general_practitioner_id).first()
    data = {key: getattr(gp, key) if gp else "" for key in FIELDS[Section.GP]}
    candidate = GeneralPractitioner(board=pupil.school.board)
    for key, value in values.items():
        data[key] = _clean_field(candidate, key, value)
    if not data["name"]:
        raise ValidationError(_("Huisarts: de naam is verplicht."))
    gp = GeneralPractitioner.objects.filter(board=pupil.school.board, **data).first()
    if gp is None:
        gp = GeneralPractitioner.objects.create(board=pupil.school.board, **data)
    pupil.general_practitioner = gp
    pupil.save(update_fields=["general_practitioner"])


def _apply_item(model, key, value, **owner):
    pk = key.partition(":")[2]
    existing = model.objects.filter(pk=pk, **owner).first() if pk.isdigit() else None
    if value is None:
        if existing is not None:
            existing.delete()
        return
    item = existing or model(**owner)
    for name, v in value.items():
        setattr(item, name, v)
    try:
        item.full_clean(exclude=["guardian", "pupil"])
        if model is ContactDetail and item.kind == ContactDetail.Kind.PHONE:
            validate_phone(item.value)
        if model is ContactDetail and item.kind == ContactDetail.Kind.EMAIL:
            validate_email(item.value)
    except ValidationError as error:
        raise ValidationError(f"{label(key)}: {' '.join(error.messages)}") from None
    item.save()
