"""Parents pass on changes, the administration applies them: every section end to end (propose → pending shown →
staff apply → record changed and audited → parent mailed through a real SMTP server), and who may propose what."""

import datetime
import re

import pytest
from django.db import connection, transaction
from django.utils import timezone

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
        lambda c: {
            "allergies": "Pinda's, noten",
            "medication": "",
            "conditions": "",
            "diet": "Geen varkensvlees",
            "remarks": "",
        },  # fmt: skip
        lambda c: (MedicalInfo.objects.get(pupil=c.child1).allergies, "Pinda's, noten"),
    ),
    "gp": (
        lambda c: f"/kind/{c.child1.public_id}/huisarts/wijzigen/",
        lambda c: {
            "name": "Dokter Bakker",
            "practice": "Gezondheidscentrum",
            "street": "Laan 1",
            "postcode": "3511ab",
            "city": "Utrecht",
            "phone": "030 111 2222",
        },  # fmt: skip
        lambda c: (c.child1.__class__.objects.get(pk=c.child1.pk).general_practitioner.name, "Dokter Bakker"),
    ),
    "emergency": (
        lambda c: f"/kind/{c.child1.public_id}/noodnummers/wijzigen/",
        lambda c: formset_data(
            "n",
            [
                {"item": str(e.pk), "name": e.name, "relation": e.relation, "phone": e.phone}
                for e in c.child1.emergency_contacts.all()
            ]
            + [{"item": "", "name": "Buurvrouw Ans", "relation": "buurvrouw", "phone": "06 3333 4444"}],
            1,
        ),  # fmt: skip
        lambda c: (
            sorted(EmergencyContact.objects.filter(pupil=c.child1).values_list("name", flat=True)),
            ["Buurvrouw Ans", "Oma Visser"],
        ),  # fmt: skip
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
        lambda c: (
            sorted(ContactDetail.objects.filter(guardian=c.guardian).values_list("value", flat=True)),
            ["06 8765 4321", "eva.werk@example.org", "eva@example.org"],
        ),  # fmt: skip
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


def propose(client, user, url, data):
    client.force_login(user)
    return client.post(url, data)


def test_partial_accept(client, family, django_capture_on_commit_callbacks):
    url = f"/kind/{family.child1.public_id}/personalia/wijzigen/"
    propose(client, family.parent, url, personal_data(family.child1, roepnaam="Sannie", surname="Visser-Bos"))
    change = ChangeRequest.objects.get()
    fields = {f.key: f for f in change.fields.all()}
    assert set(fields) == {"roepnaam", "surname"}  # only what changed
    assert fields["roepnaam"].old_value == "Sanne"
    client.force_login(family.staff)
    data = {"decision": "decide", "note": "Achternaam graag via de gemeente.",
            f"field_{fields['roepnaam'].pk}": "apply", f"field_{fields['surname'].pk}": "reject"}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/beheer/wijzigingen/{change.public_id}/", data).status_code == 302
    family.child1.refresh_from_db()
    assert (family.child1.roepnaam, family.child1.surname) == ("Sannie", "Visser")
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.PARTIAL
    assert AuditLogEntry.objects.get(action="change_request.field_rejected").data["key"] == "surname"
    assert OutgoingMail.objects.filter(template="change-request-decided", to=family.parent.email).count() == 1
    client.force_login(family.parent)
    page = client.get(f"/kind/{family.child1.public_id}/personalia/").content.decode()
    assert "Deels verwerkt" in page and "Achternaam graag via de gemeente." in page
    assert "afgewezen" in page


def test_reject_all_needs_a_note_and_changes_nothing(client, family):
    url = f"/kind/{family.child1.public_id}/medisch/wijzigen/"
    propose(client, family.parent, url, {"allergies": "Geen", "diet": "Geen varkensvlees"})
    change = ChangeRequest.objects.get()
    client.force_login(family.staff)
    detail = f"/beheer/wijzigingen/{change.public_id}/"
    response = client.post(detail, {"decision": "reject", "reject-note": ""})
    assert "Schrijf een reden" in response.content.decode()
    assert (
        client.post(detail, {"decision": "reject", "reject-note": "Graag met een doktersverklaring."}).status_code
        == 302
    )
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.REJECTED
    assert MedicalInfo.objects.get(pupil=family.child1).allergies == "Pinda's"
    entry = AuditLogEntry.objects.get(action="change_request.rejected")
    assert entry.data["fields"]["allergies"] == {"old": "Pinda's", "new": "Geen"}
    mail = OutgoingMail.objects.get(template="change-request-decided")
    assert "Pinda" not in mail.body_text and "Geen" not in mail.subject
    assert "Graag met een doktersverklaring." in mail.body_text
    # Deciding again is refused.
    response = client.post(detail, {"decision": "reject", "reject-note": "nog eens"}, follow=True)
    assert "Dit voorstel is al behandeld." in response.content.decode()


def test_withdraw(client, family):
    url = f"/kind/{family.child1.public_id}/personalia/wijzigen/"
    propose(client, family.parent, url, personal_data(family.child1, roepnaam="Sannie"))
    change = ChangeRequest.objects.get()
    withdraw = f"/wijzigingen/{change.public_id}/intrekken/"
    # The co-parent sees the proposal but cannot withdraw it; a stranger gets 404.
    client.force_login(family.coparent)
    assert "Sannie" in client.get(f"/kind/{family.child1.public_id}/personalia/").content.decode()
    assert client.post(withdraw).status_code == 404
    client.force_login(family.outsider)
    assert client.post(withdraw).status_code == 404
    client.force_login(family.parent)
    assert client.post(withdraw).status_code == 302
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.WITHDRAWN
    assert AuditLogEntry.objects.filter(action="change_request.withdrawn").count() == 1
    # Staff can no longer apply it.
    client.force_login(family.staff)
    response = decide_all(client, change)
    assert response.status_code == 302
    family.child1.refresh_from_db()
    assert family.child1.roepnaam == "Sanne"
    assert "Er zijn geen wijzigingen te verwerken." in client.get("/beheer/wijzigingen/").content.decode()


def test_conflict_needs_an_explicit_choice(client, family):
    url = f"/kind/{family.child1.public_id}/personalia/wijzigen/"
    propose(client, family.parent, url, personal_data(family.child1, roepnaam="Sannie"))
    change = ChangeRequest.objects.get()
    field = change.fields.get()
    family.child1.roepnaam = "Sanna"  # changed by the office meanwhile
    family.child1.save()
    client.force_login(family.staff)
    detail = f"/beheer/wijzigingen/{change.public_id}/"
    page = client.get(detail).content.decode()
    assert "conflict" in page and "toch overschrijven" in page
    assert f'name="field_{field.pk}" value="overwrite"' in page
    assert 'value="apply"' not in page  # no plain "apply" and no default for a conflict
    response = client.post(detail, {"decision": "decide", f"field_{field.pk}": "apply"})
    assert response.status_code == 200
    response = client.post(detail, {"decision": "decide"})
    assert "Kies: overschrijven of afwijzen." in response.content.decode()
    family.child1.refresh_from_db()
    assert family.child1.roepnaam == "Sanna"
    assert client.post(detail, {"decision": "decide", f"field_{field.pk}": "overwrite"}).status_code == 302
    family.child1.refresh_from_db()
    assert family.child1.roepnaam == "Sannie"
    assert AuditLogEntry.objects.get(action="change_request.field_applied").data["conflict"] is True


def test_a_conflict_arising_after_the_page_was_opened_is_refused(family):
    from ouderportaal.changes import services

    change = services.propose_change(
        acting_user=family.parent, guardian=family.guardian, section="personal",
        changes={"roepnaam": ("Sanne", "Sannie")}, school=family.school, pupil=family.child1,
    )  # fmt: skip
    field = change.fields.get()
    family.child1.roepnaam = "Sanna"
    family.child1.save()
    with pytest.raises(services.ChangeError):
        services.decide_change(change, acting_user=family.staff, decisions={field.pk: "apply"})
    family.child1.refresh_from_db()
    assert family.child1.roepnaam == "Sanna"


def test_apply_revalidates(family):
    """A value that got into the request without passing the form is refused on apply; nothing is written."""
    from ouderportaal.changes import services

    change = services.propose_change(
        acting_user=family.parent, guardian=family.guardian, section="personal",
        changes={"roepnaam": ("Sanne", "Sannie"), "postcode": ("", "0000 XX")}, school=family.school,
        pupil=family.child1,
    )  # fmt: skip
    decisions = {f.pk: "apply" for f in change.fields.all()}
    with pytest.raises(services.ChangeError, match="postcode"):
        services.decide_change(change, acting_user=family.staff, decisions=decisions)
    family.child1.refresh_from_db()
    assert family.child1.roepnaam == "Sanne"
    assert ChangeRequest.objects.get().is_pending
    assert not AuditLogEntry.objects.filter(action="change_request.field_applied").exists()


def test_a_child_the_guardian_may_not_view_is_404(client, family):
    for url in [
        f"/kind/{family.outsider_child.public_id}/personalia/wijzigen/",
        f"/kind/{family.outsider_child.public_id}/medisch/wijzigen/",
        f"/kind/{family.outsider_child.public_id}/huisarts/wijzigen/",
        f"/kind/{family.outsider_child.public_id}/noodnummers/wijzigen/",
        f"/kind/{family.outsider_child.public_id}/medisch/klopt-nog/",
    ]:
        response = propose(client, family.parent, url, {"roepnaam": "X"})
        assert response.status_code == 404, url
    assert not ChangeRequest.objects.exists()


def test_a_guardian_without_authority_is_refused_with_the_reason(client, family):
    user = f.make_user("stiefvader")
    f.make_guardian(family.school.board, [family.child1], user=user, has_authority=False, relation="stiefouder")
    client.force_login(user)
    url = f"/kind/{family.child1.public_id}/personalia/wijzigen/"
    page = client.get(url).content.decode()
    assert "U hebt geen ouderlijk gezag over Sanne" in page
    assert 'name="roepnaam"' not in page
    response = client.post(url, personal_data(family.child1, roepnaam="Sannie"))
    assert response.status_code == 403
    assert "U hebt geen ouderlijk gezag" in response.content.decode()
    for tail in ("medisch/wijzigen/", "medisch/klopt-nog/"):
        url = f"/kind/{family.child1.public_id}/{tail}"
        response = client.post(url, {"allergies": "x"})
        assert response.status_code == 403
    assert not ChangeRequest.objects.exists()
    assert MedicalInfo.objects.get(pupil=family.child1).last_confirmed_on is None


def test_another_guardians_contact_cannot_be_changed(client, family):
    """A tampered hidden field naming Tom's secret number: refused, nothing stored, Tom's number not shown."""
    tom_contact = family.coparent_guardian.contacts.get()
    rows = contact_rows(family.guardian) + [
        {"item": str(tom_contact.pk), "kind": "phone", "value": "06 1111 1111", "label": ""}
    ]
    client.force_login(family.parent)
    response = client.post("/gezin/contactgegevens/wijzigen/", formset_data("c", rows, 3))
    assert response.status_code == 200
    page = response.content.decode()
    assert "U kunt alleen uw eigen gegevens wijzigen." in page
    assert "06 9999 0000" not in page
    assert not ChangeRequest.objects.exists()
    assert ContactDetail.objects.get(pk=tom_contact.pk).value == "06 9999 0000"
    # Removing it is refused the same way.
    rows[-1]["remove"] = True
    response = client.post("/gezin/contactgegevens/wijzigen/", formset_data("c", rows, 3))
    assert "U kunt alleen uw eigen gegevens wijzigen." in response.content.decode()
    assert not ChangeRequest.objects.exists()
    # The form lists only Eva's own contact details.
    page = client.get("/gezin/contactgegevens/wijzigen/").content.decode()
    assert "06 1234 5678" in page and "06 9999 0000" not in page


def test_only_the_own_household_address(client, family):
    client.force_login(family.coparent)
    page = client.get("/gezin/adres/wijzigen/").content.decode()
    assert "Geheimstraat 9" in page  # Tom's own (secret) address, his to change
    client.force_login(family.parent)
    page = client.get("/gezin/adres/wijzigen/").content.decode()
    assert "Geheimstraat" not in page


def test_a_proposal_never_shows_another_households_secret_address(client, family):
    child = family.child1
    child.household = family.coparent_guardian.household
    child.street, child.postcode, child.city, child.address_secret = "Geheimstraat 9", "1234 AB", "Utrecht", True
    child.save()
    # Eva does not live there: her form has no address fields, so nothing of it is sent back or shown.
    client.force_login(family.parent)
    form = client.get(f"/kind/{child.public_id}/personalia/wijzigen/").content.decode()
    assert 'name="street"' not in form and "Geheimstraat" not in form
    # Tom moves with Sanne; Eva sees that a change is pending but not the addresses.
    client.force_login(family.coparent)
    url = f"/kind/{child.public_id}/personalia/wijzigen/"
    assert "Geheimstraat 9" in client.get(url).content.decode()
    data = personal_data(child, street="Nieuwstraat 1", roepnaam="Sannie")
    assert client.post(url, data).status_code == 302
    client.force_login(family.parent)
    page = client.get(f"/kind/{child.public_id}/personalia/").content.decode()
    assert "Sannie" in page
    assert "Geheimstraat" not in page and "Nieuwstraat" not in page
    assert "geheim: alleen bekend bij de school" in page


@pytest.mark.parametrize(
    "changes, error",
    [
        ({"postcode": "0123 AB"}, "Dit is geen geldige postcode"),
        ({"bsn": "123456789"}, "Dit is geen geldig burgerservicenummer"),
        ({"phone": "06-1234"}, "Dit is geen geldig telefoonnummer"),
        ({"roepnaam": ""}, "Dit veld is verplicht"),
        ({"roepnaam": "x" * 101}, "niet meer dan 100 tekens"),
    ],
)
def test_bad_personal_input_keeps_what_was_typed(client, family, changes, error):
    data = personal_data(family.child1, first_names="Sanne Maria Typed", **changes)
    response = propose(client, family.parent, f"/kind/{family.child1.public_id}/personalia/wijzigen/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert error in page
    assert 'value="Sanne Maria Typed"' in page
    assert not ChangeRequest.objects.exists()


def test_a_long_remark_is_refused(client, family):
    data = {"allergies": "Pinda's", "remarks": "x" * 5000}
    response = propose(client, family.parent, f"/kind/{family.child1.public_id}/medisch/wijzigen/", data)
    assert response.status_code == 200
    assert "niet meer dan 2000 tekens" in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_bad_contact_and_emergency_input(client, family):
    rows = contact_rows(family.guardian) + [{"item": "", "kind": "email", "value": "geen-adres", "label": ""}]
    response = propose(client, family.parent, "/gezin/contactgegevens/wijzigen/", formset_data("c", rows, 2))
    assert "Dit is geen geldig e-mailadres." in response.content.decode()
    rows = [{"item": "", "name": "Opa", "relation": "", "phone": "06-1234"}]
    url = f"/kind/{family.child1.public_id}/noodnummers/wijzigen/"
    response = client.post(url, formset_data("n", rows, 0))
    assert "Dit is geen geldig telefoonnummer." in response.content.decode()
    assert 'value="Opa"' in response.content.decode()
    assert not ChangeRequest.objects.exists()


SCRIPT = "<script>alert(1)</script><b>vet</b>"


def test_html_and_script_are_shown_as_text(client, family):
    url = f"/kind/{family.child1.public_id}/medisch/wijzigen/"
    data = {k: SCRIPT for k in ("allergies", "medication", "conditions", "diet", "remarks")}
    propose(client, family.parent, url, data)
    url = f"/kind/{family.child1.public_id}/personalia/wijzigen/"
    propose(client, family.parent, url, personal_data(family.child1, roepnaam=SCRIPT, first_names=SCRIPT, city=SCRIPT))
    url = f"/kind/{family.child1.public_id}/huisarts/wijzigen/"
    propose(client, family.parent, url, {"name": SCRIPT, "practice": SCRIPT, "city": SCRIPT})
    assert ChangeRequest.objects.count() == 3
    pages = [f"/kind/{family.child1.public_id}/medisch/", f"/kind/{family.child1.public_id}/personalia/", "/gezin/"]
    for page in pages:
        html = client.get(page).content.decode()
        assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html, page
    client.force_login(family.staff)
    for change in ChangeRequest.objects.all():
        html = client.get(f"/beheer/wijzigingen/{change.public_id}/").content.decode()
        assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    html = client.get("/beheer/wijzigingen/").content.decode()
    assert "<script>alert(1)</script>" not in html


def test_nothing_changed_is_said_and_not_stored(client, family):
    response = propose(client, family.parent, f"/kind/{family.child1.public_id}/personalia/wijzigen/",
                       personal_data(family.child1, postcode=""))  # fmt: skip
    assert "U hebt niets gewijzigd" in response.content.decode()
    assert not ChangeRequest.objects.exists()
    assert not ChangeField.objects.exists()


def test_medical_reads_in_the_change_pages_are_audited(client, family):
    client.force_login(family.parent)
    client.get(f"/kind/{family.child1.public_id}/medisch/wijzigen/")
    assert AuditLogEntry.objects.filter(action="pupil.medical.read", actor=family.parent).count() == 1
    propose(client, family.parent, f"/kind/{family.child1.public_id}/medisch/wijzigen/", {"allergies": "Geen"})
    client.force_login(family.staff)
    client.get(f"/beheer/wijzigingen/{ChangeRequest.objects.get().public_id}/")
    assert AuditLogEntry.objects.filter(action="pupil.medical.read", actor=family.staff).count() == 1


def test_the_same_number_written_differently_is_no_change(client, family):
    rows = [{**row, "value": "0612345678"} if row["kind"] == "phone" else row for row in contact_rows(family.guardian)]
    response = propose(client, family.parent, "/gezin/contactgegevens/wijzigen/", formset_data("c", rows, 2))
    assert "U hebt niets gewijzigd" in response.content.decode()
    response = client.post(
        f"/kind/{family.child1.public_id}/huisarts/wijzigen/",
        {"name": "Dokter Jansen", "phone": "+31 30 765 4321"},
    )
    assert "U hebt niets gewijzigd" in response.content.decode()
    assert not ChangeRequest.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's query plan")
def test_the_badge_query_reads_indexes_not_every_proposal(cast):
    """Every parent page asks for the pending proposals: each branch must be an index read, whatever the number of
    proposals on the board (with `IN (subquery)` PostgreSQL could only scan them all)."""
    from ouderportaal.changes.page_hooks import CHILD_BADGE_SECTIONS, FAMILY_REQUESTS_SQL

    sql = FAMILY_REQUESTS_SQL.format(children=" OR (section IN (%s, %s, %s, %s) AND pupil_id IN (%s, %s))")
    params = ["pending", timezone.now(), "withdrawn", "contacts", cast.parent.pk, "household", cast.parent.pk]
    params += CHILD_BADGE_SECTIONS
    params += [cast.child1.pk, cast.child2.pk]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a small table would be scanned anyway: ask what it can do
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Seq Scan on changes_changerequest" not in plan, plan
    assert plan.count("Index Scan on changes_changerequest") == 3, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's query plan")
def test_the_family_pages_proposals_are_read_through_indexes(cast):
    from ouderportaal.changes.page_hooks import _family_filter
    from ouderportaal.school.privacy import viewer_guardian

    guardian = viewer_guardian(cast.parent)
    queryset = ChangeRequest.objects.filter(_family_filter([cast.child1, cast.child2], guardian))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    assert "Seq Scan on changes_changerequest" not in plan, plan


def test_pages_show_pending_and_recently_decided_proposals_and_the_badge_query_agrees(client, family):
    """ChangeRequest.objects.shown_to_parents() and the badge query's SQL (changes/page_hooks.py) write one rule:
    pending, or decided in the last 90 days and not withdrawn."""
    from django.test import RequestFactory

    from ouderportaal.changes.page_hooks import _family_requests

    cast, now = family, timezone.now()
    made = {}
    for name, status, days_ago, section, owner in [
        ("pending", "pending", None, "medical", {"pupil": cast.child1}),
        ("recent", "applied", 89, "personal", {"pupil": cast.child1}),
        ("old", "applied", 91, "personal", {"pupil": cast.child2}),
        ("withdrawn", "withdrawn", 1, "medical", {"pupil": cast.child2}),
        ("old_household", "rejected", 200, "household", {"household": cast.guardian.household}),
        ("gp", "rejected", 10, "gp", {"pupil": cast.child2}),
    ]:
        made[name] = ChangeRequest.objects.create(
            school=cast.school, section=section, guardian=cast.guardian, proposed_by=cast.parent, status=status,
            decided_at=None if days_ago is None else now - datetime.timedelta(days=days_ago), **owner,
        )  # fmt: skip
    shown = set(ChangeRequest.objects.shown_to_parents().values_list("pk", flat=True))
    assert shown == {made["pending"].pk, made["recent"].pk, made["gp"].pk}
    request = RequestFactory().get("/")
    request.user = cast.parent
    badge = _family_requests(request)
    assert badge["shown"] == {("medical", cast.child1.pk), ("personal", cast.child1.pk), "family"}
    assert badge["pending"] == {("medical", cast.child1.pk): 1}
