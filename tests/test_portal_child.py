"""The child's tabs Personalia, Medisch and Groep, and the start page."""

import pytest

from ouderportaal.core.models import AuditLogEntry
from ouderportaal.school.models import MedicalInfo, Teacher
from tests import factories as f


@pytest.fixture
def parent_client(client, cast):
    client.force_login(cast.parent)
    return client


def page(client, pupil, tab):
    response = client.get(f"/kind/{pupil.public_id}/{tab}/")
    assert response.status_code == 200
    return response.content.decode()


# Start


def test_start_lists_the_children(parent_client, cast):
    html = parent_client.get("/").content.decode()
    assert cast.child1.full_name in html and cast.child2.full_name in html
    assert cast.outsider_child.full_name not in html


def test_start_with_one_child_goes_straight_to_personalia(client, cast):
    client.force_login(cast.coparent)
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == f"/kind/{cast.child1.public_id}/personalia/"


def test_start_for_guardian_without_visible_children(client, cast):
    client.force_login(cast.no_authority)
    html = client.get("/").content.decode()
    assert "geen kinderen" in html
    assert cast.child1.full_name not in html
    assert 'href="/beheer/"' not in html


# Tabs and switcher


def test_tab_bar_marks_the_current_tab_and_offers_the_other_child(parent_client, cast):
    html = page(parent_client, cast.child1, "groep")
    assert f'<a href="/kind/{cast.child1.public_id}/groep/" aria-current="page">Groep</a>' in html
    assert f'href="/kind/{cast.child2.public_id}/groep/"' in html


def test_no_switcher_for_a_single_child(client, cast):
    client.force_login(cast.coparent)
    html = page(client, cast.child1, "personalia")
    assert "Kind kiezen" not in html


# Personalia


def test_personalia_shows_the_child_with_masked_bsn(parent_client, cast):
    cast.child1.birth_place = "Amersfoort"
    cast.child1.nationality = "Nederlandse"
    cast.child1.street, cast.child1.postcode, cast.child1.city = "Lindelaan 4", "3811 AB", "Amersfoort"
    cast.child1.save()
    html = page(parent_client, cast.child1, "personalia")
    assert "•••••2333" in html
    assert "111222333" not in html
    for text in ("Sanne", "Visser", "14 maart 2017", "Amersfoort", "Nederlandse", "Lindelaan 4", "Groep 4/5"):
        assert text in html
    assert "jaargroep 5" in html
    assert "20 augustus 2021" in html


def test_personalia_hides_a_secret_child_address_from_the_other_household(client, cast):
    child = cast.child1
    child.street, child.city, child.address_secret = "Schuilplaats 1", "Zwolle", True
    child.phone = "038 765 4321"
    child.household = cast.coparent_guardian.household
    child.save()
    client.force_login(cast.parent)
    html = page(client, child, "personalia")
    assert "Schuilplaats" not in html and "038 765 4321" not in html  # the number would lead to the address
    assert "Geheim adres" in html
    client.force_login(cast.coparent)
    html = page(client, child, "personalia")
    assert "Schuilplaats 1" in html and "038 765 4321" in html


# Medisch


def test_medical_read_is_audited(parent_client, cast):
    MedicalInfo.objects.create(pupil=cast.child1, allergies="Pinda's", medication="Ventolin")
    html = page(parent_client, cast.child1, "medisch")
    assert "Pinda&#x27;s" in html and "Ventolin" in html
    entry = AuditLogEntry.objects.get(action="pupil.medical.read")
    assert entry.actor == cast.parent
    assert entry.object_id == str(cast.child1.pk)
    assert entry.school_id == cast.school.pk


def test_log_action_stores_every_column(cast):
    # log_action writes its row with its own INSERT (core/audit.py): each column as the model reads it back.
    from django.utils import timezone

    from ouderportaal.core.audit import log_action

    before = timezone.now()
    log_action(cast.parent, "test.action", cast.child1, reason="ë & <b>", count=2, nested={"a": [1, None]})
    log_action(None, "test.anonymous", school_id=7)
    entry, anonymous = AuditLogEntry.objects.filter(action__startswith="test.").order_by("pk")
    assert (entry.actor, entry.object_type, entry.object_id, entry.object_repr, entry.school_id) == (
        cast.parent,
        "school.pupil",
        str(cast.child1.pk),
        str(cast.child1),
        cast.school.pk,
    )
    assert entry.data == {"reason": "ë & <b>", "count": 2, "nested": {"a": [1, None]}}
    assert before <= entry.created_at <= timezone.now()
    assert (anonymous.actor, anonymous.object_id, anonymous.school_id, anonymous.data) == (None, "", 7, {})


def test_medical_without_data(parent_client, cast):
    html = page(parent_client, cast.child2, "medisch")
    assert "geen medische gegevens opgegeven" in html
    assert AuditLogEntry.objects.filter(action="pupil.medical.read", object_id=str(cast.child2.pk)).count() == 1


def test_medical_of_another_child_is_404_and_not_audited(client, cast):
    MedicalInfo.objects.create(pupil=cast.child1, allergies="Pinda's")
    client.force_login(cast.outsider)
    assert client.get(f"/kind/{cast.child1.public_id}/medisch/").status_code == 404
    assert not AuditLogEntry.objects.filter(action="pupil.medical.read").exists()


# Groep


def test_group_shows_teachers_and_classmates_names_only(parent_client, cast):
    teacher = Teacher.objects.create(school=cast.school, first_name="Marieke", voorvoegsel="van", surname="Dijk")
    cast.group.teachers.add(teacher)
    classmate = f.make_pupil(
        cast.school,
        cast.group,
        4,
        roepnaam="Lotte",
        voorvoegsel="de",
        surname="Vries",
        first_names="Lotte Johanna",
        birth_place="Geheimdorp",
        street="Klasgenootstraat 3",
        bsn="111222333",
    )
    other_group_pupil = f.make_pupil(cast.school, cast.other_group, roepnaam="Bram", surname="Anders")
    html = page(parent_client, cast.child1, "groep")
    assert "Groep 4/5" in html and "Marieke van Dijk" in html
    assert "Lotte de Vries" in html and "Sanne Visser" in html
    for secret in ("Johanna", "Geheimdorp", "Klasgenootstraat", "14 maart 2017", "•••••", str(classmate.public_id)):
        assert secret not in html
    assert other_group_pupil.full_name not in html
    assert "Sanne zit in jaargroep 5" in html


def test_group_leaves_out_pupils_who_left(parent_client, cast):
    import datetime

    f.make_pupil(cast.school, cast.group, 4, roepnaam="Vertrokken", left_on=datetime.date(2022, 1, 1))
    assert "Vertrokken" not in page(parent_client, cast.child1, "groep")


def test_group_without_current_enrolment(parent_client, cast):
    lone = f.make_pupil(cast.school)
    f.make_guardian(cast.guardian.board, [lone], user=None)
    cast.guardian.guardianships.create(pupil=lone, relation="moeder")
    assert "nog geen groep bekend" in page(parent_client, lone, "groep")
