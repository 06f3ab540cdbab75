"""Parents pass on changes, the administration applies them: every section end to end (propose → pending shown →
staff apply → record changed and audited → parent mailed through a real SMTP server), and who may propose what."""

import re

import pytest

from ouderportaal.changes.models import ChangeField, ChangeRequest
from ouderportaal.core.models import AuditLogEntry, OutgoingMail
from ouderportaal.school.models import ContactDetail, EmergencyContact, GeneralPractitioner, MedicalInfo
from tests import factories as f
from tests import smtp

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailbox(settings):
    settings.SITE_URL = "http://testserver"
    with smtp.running(settings) as box:
        yield box


@pytest.fixture
def family(cast):
    """child1 with a GP, medical data, an emergency contact; Eva with a phone number and an email address."""
    gp = GeneralPractitioner.objects.create(board=cast.school.board, name="Dokter Jansen", phone="030 765 4321")
    for child in (cast.child1, cast.child2):
        child.general_practitioner = gp
        child.household = cast.guardian.household
        child.save()
    MedicalInfo.objects.create(pupil=cast.child1, allergies="Pinda's", diet="Geen varkensvlees")
    EmergencyContact.objects.create(pupil=cast.child1, name="Oma Visser", relation="oma", phone="030 222 3333")
    f.add_contact(cast.guardian, "phone", "06 1234 5678", label="mobiel")
    f.add_contact(cast.guardian, "email", "eva@example.org")
    f.add_contact(cast.coparent_guardian, "phone", "06 9999 0000", secret=True)
    return cast


def formset_data(prefix, rows, initial_count):
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(initial_count)}
    data[f"{prefix}-MIN_NUM_FORMS"], data[f"{prefix}-MAX_NUM_FORMS"] = "0", "1000"
    for i, row in enumerate(rows):
        for key, value in row.items():
            if value is True:
                data[f"{prefix}-{i}-{key}"] = "on"
            elif value is not False:
                data[f"{prefix}-{i}-{key}"] = value
    return data


def personal_data(child, **changes):
    data = {k: getattr(child, k) for k in ("roepnaam", "first_names", "voorvoegsel", "surname", "street", "postcode")}
    data |= {"city": child.city, "phone": child.phone, "bsn": ""}
    return data | changes


def contact_rows(guardian):
    rows = [
        {"item": str(c.pk), "kind": c.kind, "value": c.value, "label": c.label, "secret": c.secret,
         "emergency": c.emergency}
        for c in guardian.contacts.all()
    ]  # fmt: skip
    return rows


def decide_all(client, change_request, choice="apply", note=""):
    data = {"decision": "decide", "note": note}
    for field in change_request.fields.all():
        data[f"field_{field.pk}"] = choice
    return client.post(f"/beheer/wijzigingen/{change_request.public_id}/", data)


SECTIONS = {
    # section: (url, post data builder, check after apply)
    "personal": (
        lambda c: f"/kind/{c.child1.public_id}/personalia/wijzigen/",
        lambda c: personal_data(c.child1, roepnaam="Sannie", phone="06 1111 2222"),
        lambda c: (c.child1.__class__.objects.get(pk=c.child1.pk).roepnaam, "Sannie"),
    ),
    "medical": (
        lambda c: f"/kind/{c.child1.public_id}/medisch/wijzigen/",
        lambda c: {"allergies": "Pinda's, noten", "medication": "", "conditions": "", "diet": "Geen varkensvlees",
                   "remarks": ""},  # fmt: skip
        lambda c: (MedicalInfo.objects.get(pupil=c.child1).allergies, "Pinda's, noten"),
    ),
    "gp": (
        lambda c: f"/kind/{c.child1.public_id}/huisarts/wijzigen/",
        lambda c: {"name": "Dokter Bakker", "practice": "Gezondheidscentrum", "street": "Laan 1",
                   "postcode": "3511ab", "city": "Utrecht", "phone": "030 111 2222"},  # fmt: skip
        lambda c: (c.child1.__class__.objects.get(pk=c.child1.pk).general_practitioner.name, "Dokter Bakker"),
    ),
    "emergency": (
        lambda c: f"/kind/{c.child1.public_id}/noodnummers/wijzigen/",
        lambda c: formset_data(
            "n",
            [{"item": str(e.pk), "name": e.name, "relation": e.relation, "phone": e.phone} for e in
             c.child1.emergency_contacts.all()] + [{"item": "", "name": "Buurvrouw Ans", "relation": "buurvrouw",
                                                    "phone": "06 3333 4444"}],
            1,
        ),  # fmt: skip
        lambda c: (sorted(EmergencyContact.objects.filter(pupil=c.child1).values_list("name", flat=True)),
                   ["Buurvrouw Ans", "Oma Visser"]),  # fmt: skip
    ),
    "household": (
        lambda c: "/gezin/adres/wijzigen/",
        lambda c: {"street": "Nieuwe Gracht 5", "postcode": "3512 AB", "city": "Utrecht", "phone": ""},
        lambda c: (c.guardian.household.__class__.objects.get(pk=c.guardian.household_id).street, "Nieuwe Gracht 5"),
    ),
    "contacts": (
        lambda c: "/gezin/contactgegevens/wijzigen/",
        lambda c: formset_data(
            "c",
            [{**row, "value": "06 8765 4321"} if row["kind"] == "phone" else row for row in contact_rows(c.guardian)]
            + [{"item": "", "kind": "email", "value": "eva.werk@example.org", "label": "werk"}],
            2,
        ),
        lambda c: (sorted(ContactDetail.objects.filter(guardian=c.guardian).values_list("value", flat=True)),
                   ["06 8765 4321", "eva.werk@example.org", "eva@example.org"]),  # fmt: skip
    ),
}


@pytest.mark.parametrize("section", SECTIONS)
def test_propose_then_apply(client, family, mailbox, section, django_capture_on_commit_callbacks):
    make_url, make_data, check = SECTIONS[section]
    url, data = make_url(family), make_data(family)
    client.force_login(family.parent)
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    change = ChangeRequest.objects.get()
    assert change.section == section and change.is_pending
    # Nothing in the record changed yet.
    actual, expected = check(family)
    assert actual != expected
    # Pending, shown on the page the parent came from, with a badge.
    page = client.get(response["Location"]).content.decode()
    assert "Doorgegeven wijzigingen" in page and "In behandeling" in page
    assert 'class="badge"' in page
    # The administration is mailed: who and which section, a link, never the values.
    admin_mail = mailbox.last(family.school.admin_email)
    body = smtp.text_body(admin_mail)
    link = smtp.links(admin_mail)[0]
    assert f"/beheer/wijzigingen/{change.public_id}/" in link
    words = set(re.findall(r"[\w']+", body)) - set(re.findall(r"\w+", f"{family.child1.full_name} {family.guardian}"))
    for field in change.fields.all():
        for value in re.findall(r"[\w']{4,}", str(field.new_value)):
            if value not in ("kind", "value", "label", "secret", "emergency", "name", "relation", "phone"):
                assert value not in words, value
    # Staff apply everything.
    client.force_login(family.staff)
    assert client.get(smtp.path_of(link)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = decide_all(client, change, note="Verwerkt, dank u.")
    assert response.status_code == 302
    actual, expected = check(family)
    assert actual == expected
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.APPLIED
    applied = AuditLogEntry.objects.filter(action="change_request.field_applied")
    assert applied.count() == change.fields.count()
    assert all("old" in e.data and "new" in e.data for e in applied)
    assert AuditLogEntry.objects.filter(action="change_request.proposed").count() == 1
    # The parent is mailed the outcome and the note, no values.
    parent_mail = mailbox.last(family.parent.email)
    text = smtp.text_body(parent_mail)
    assert "verwerkt" in text and "Verwerkt, dank u." in text
    assert "Pinda" not in text and "Sannie" not in text and "Bakker" not in text
    # And sees the outcome on the page.
    client.force_login(family.parent)
    page = client.get(smtp.path_of(smtp.links(parent_mail)[0])).content.decode()
    assert "Verwerkt" in page and "Verwerkt, dank u." in page
