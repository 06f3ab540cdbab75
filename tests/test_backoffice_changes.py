"""The administration's side of change requests: the queue under /beheer/wijzigingen/, deciding at the same time,
constant query counts, and "Klopt nog" per group with reminders."""

import threading

import pytest
from django.core import mail
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ouderportaal.changes import services
from ouderportaal.changes.models import ChangeRequest, FamilyConfirmation
from ouderportaal.core.models import AuditLogEntry, OutgoingMail
from ouderportaal.school.models import MedicalInfo, StaffRole
from tests import factories as f

pytestmark = pytest.mark.django_db

PERSONAL_KEYS = ["roepnaam", "first_names", "voorvoegsel", "surname", "street", "postcode", "city", "phone"]
MEDICAL_KEYS = ["allergies", "medication", "conditions", "diet", "remarks"]


def proposal(cast, *, pupil=None, section="personal", changes=None, user=None, guardian=None):
    pupil = pupil or cast.child1
    return services.propose_change(
        acting_user=user or cast.parent,
        guardian=guardian or cast.guardian,
        section=section,
        changes=changes or {"roepnaam": (pupil.roepnaam, "Nieuw")},
        school=pupil.school,
        pupil=pupil,
    )


def test_queue_is_scoped_oldest_first_and_filters(client, cast):
    first = proposal(cast)
    second = proposal(cast, section="medical", changes={"allergies": ("", "Noten")})
    outsider = proposal(
        cast, pupil=cast.outsider_child, user=cast.outsider, guardian=cast.outsider_child.guardians.get()
    )
    client.force_login(cast.staff)
    page = client.get("/beheer/wijzigingen/").content.decode()
    assert page.index(first.public_id) < page.index(second.public_id)
    assert outsider.public_id not in page
    assert "Noten" not in page  # the queue shows no values
    page = client.get("/beheer/wijzigingen/?onderdeel=medical").content.decode()
    assert second.public_id in page and first.public_id not in page
    page = client.get("/beheer/wijzigingen/?onderdeel=<script>").content.decode()
    assert first.public_id in page
    client.force_login(cast.other_staff)
    page = client.get("/beheer/wijzigingen/").content.decode()
    assert outsider.public_id in page and first.public_id not in page
    response = client.post(f"/beheer/wijzigingen/{first.public_id}/", {"decision": "reject", "reject-note": "x"})
    assert response.status_code == 404
    assert ChangeRequest.objects.get(pk=first.pk).is_pending


def test_staff_with_two_schools_filter_by_school(client, cast):
    StaffRole.objects.create(user=cast.staff, school=cast.other_school, role="directeur")
    a = proposal(cast)
    b = proposal(cast, pupil=cast.outsider_child, user=cast.outsider, guardian=cast.outsider_child.guardians.get())
    client.force_login(cast.staff)
    page = client.get("/beheer/wijzigingen/").content.decode()
    assert a.public_id in page and b.public_id in page
    page = client.get(f"/beheer/wijzigingen/?school={cast.other_school.pk}").content.decode()
    assert a.public_id not in page and b.public_id in page


def test_teachers_and_parents_get_404(client, cast):
    change = proposal(cast)
    teacher = f.make_staff(cast.school, role="leerkracht")
    for user in (teacher, cast.parent, cast.coparent):
        client.force_login(user)
        for url in (
            "/beheer/wijzigingen/",
            f"/beheer/wijzigingen/{change.public_id}/",
            "/beheer/wijzigingen/bevestigingen/",
        ):
            assert client.get(url).status_code == 404, (user, url)


def test_menu_and_start_page_count_pending_changes(client, cast):
    proposal(cast)
    proposal(cast, section="medical", changes={"allergies": ("", "Noten")})
    client.force_login(cast.staff)
    page = client.get("/beheer/").content.decode()
    assert '<span class="badge" aria-hidden="true">2' in page
    assert "Wijzigingen verwerken (2)" in page


def test_queue_costs_the_same_with_1_and_20_proposals(client, cast):
    proposal(cast)
    client.force_login(cast.staff)
    client.get("/beheer/wijzigingen/")
    with CaptureQueriesContext(connection) as one:
        client.get("/beheer/wijzigingen/")
    for i in range(19):
        change = proposal(cast, pupil=cast.child2 if i % 2 else cast.child1)
        if i % 3 == 0:
            services.reject_change(change, acting_user=cast.staff, note="nee")
    with CaptureQueriesContext(connection) as twenty:
        response = client.get("/beheer/wijzigingen/")
    assert response.content.decode().count("/beheer/wijzigingen/") >= 20
    assert len(twenty) == len(one), "\n".join(q["sql"] for q in twenty.captured_queries)


@pytest.mark.parametrize("section, keys", [("personal", PERSONAL_KEYS), ("medical", MEDICAL_KEYS), ("emergency", None)])
def test_detail_costs_the_same_with_1_and_20_fields(client, cast, section, keys):
    def changes(n):
        if keys is None:
            item = {"name": "Opa", "relation": "", "phone": "030 123 4567"}
            return {f"emergency:new{i}": (None, item) for i in range(n)}
        return {key: ("", f"nieuw {i}") for i, key in enumerate(keys[:n])}

    client.force_login(cast.staff)
    counts = []
    for n in (1, 20 if keys is None else len(keys)):
        change = proposal(cast, section=section, changes=changes(n))
        url = f"/beheer/wijzigingen/{change.public_id}/"
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_decided_proposal_shows_its_outcome(client, cast):
    change = proposal(cast)
    services.reject_change(change, acting_user=cast.staff, note="Naam klopt al.")
    client.force_login(cast.staff)
    page = client.get(f"/beheer/wijzigingen/{change.public_id}/").content.decode()
    assert "Naam klopt al." in page and 'name="decision"' not in page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_staff_deciding_at_once_decide_once(cast):
    """Both click at the same moment: one decision wins, the other is told the proposal was handled."""
    change = proposal(cast)
    field = change.fields.get()
    second = f.make_staff(cast.school)
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(user, apply):
        try:
            barrier.wait()
            if apply:
                services.decide_change(change, acting_user=user, decisions={field.pk: "apply"})
            else:
                services.reject_change(change, acting_user=user, note="dubbel")
            outcomes.append("decided")
        except services.ChangeError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(cast.staff, True)),
        threading.Thread(target=decide, args=(second, False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["decided", "refused"]
    decisions = AuditLogEntry.objects.filter(action__in=["change_request.decided", "change_request.rejected"])
    assert decisions.count() == 1
    assert OutgoingMail.objects.filter(template="change-request-decided").count() == 1


# --- "Klopt nog" ---


def test_parent_confirms_medical_and_family_data(client, cast):
    MedicalInfo.objects.create(pupil=cast.child1, allergies="Pinda's")
    client.force_login(cast.parent)
    medical = f"/kind/{cast.child1.public_id}/medisch/"
    assert "Klopt nog" in client.get(medical).content.decode()
    response = client.post(f"/kind/{cast.child1.public_id}/medisch/klopt-nog/", follow=True)
    assert "de medische gegevens zijn bevestigd" in response.content.decode()
    assert MedicalInfo.objects.get(pupil=cast.child1).last_confirmed_on == timezone.localdate()
    response = client.post("/gezin/klopt-nog/", follow=True)
    assert "Sanne, Daan" in response.content.decode() or "Daan, Sanne" in response.content.decode()
    assert FamilyConfirmation.objects.count() == 2
    assert AuditLogEntry.objects.filter(action="pupil.family.confirmed").count() == 2
    assert AuditLogEntry.objects.filter(action="pupil.medical.confirmed").count() == 1


def test_staff_see_unconfirmed_pupils_per_group_and_mail_reminders(client, cast, django_capture_on_commit_callbacks):
    MedicalInfo.objects.create(pupil=cast.child1, last_confirmed_on=timezone.localdate())
    FamilyConfirmation.objects.create(pupil=cast.child1, confirmed_on=timezone.localdate())
    other = f.make_pupil(cast.school, cast.group, roepnaam="Mila", surname="Bakker")
    other_user = f.make_user("mila_ouder")
    f.make_guardian(cast.school.board, [other], user=other_user)
    f.make_guardian(cast.school.board, [other], user=f.make_user("mila_zonder_gezag"), has_authority=False)
    client.force_login(cast.staff)
    url = "/beheer/wijzigingen/bevestigingen/"
    page = client.get(f"{url}?groep={cast.group.pk}").content.decode()
    assert "Sanne" in page and "Mila" in page and "niet dit schooljaar" in page
    assert "Van 1 leerling zijn nog niet alle gegevens bevestigd." in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"groep": cast.group.pk})
    assert response.status_code == 302
    (message,) = mail.outbox  # only Mila's parent with authority; Sanne's data are confirmed
    assert message.to == [other_user.email]
    assert "Mila" in message.body and "Klopt nog" in message.body
    assert AuditLogEntry.objects.get(action="change.confirmation_reminders_sent").data["mails"] == 1
    # A group of another school is not offered and not mailed.
    client.force_login(cast.other_staff)
    response = client.post(url, {"groep": cast.group.pk})
    assert response.status_code == 200
    assert len(mail.outbox) == 1


def test_confirmations_page_costs_the_same_with_1_and_20_pupils(client, cast):
    client.force_login(cast.staff)
    url = f"/beheer/wijzigingen/bevestigingen/?groep={cast.other_group.pk}"
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(19):
        f.make_pupil(cast.school, cast.other_group)
    with CaptureQueriesContext(connection) as twenty:
        client.get(url)
    assert len(one) == len(twenty)


def test_demo_has_pending_proposals_of_different_sections(db, settings):
    from django.test import Client

    from ouderportaal.demo.build import build_demo

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo = build_demo()
    pending = ChangeRequest.objects.pending()
    assert pending.values("section").distinct().count() >= 3
    client = Client()
    client.force_login(demo.users["administratie"])
    page = client.get("/beheer/wijzigingen/").content.decode()
    assert page.count("/beheer/wijzigingen/") >= pending.filter(school=demo.schools[0]).count() >= 3
