"""Gezin, School and Account: household members, GP, emergency numbers, and the privacy rule that never shows one
household's secret address or another guardian's secret number."""

import re

import pytest

from ouderportaal.school.models import EmergencyContact, GeneralPractitioner
from ouderportaal.school.privacy import address_visible_to, contact_view_for
from tests import factories as f


@pytest.fixture
def family(cast):
    """Contact details on both sides of a separated family: each has a secret and a public number."""
    f.add_contact(cast.guardian, "phone", "06 1111 0001", label="mobiel")
    f.add_contact(cast.guardian, "phone", "06 1111 0002", secret=True)
    f.add_contact(cast.guardian, "email", "eva@example.com", emergency=True)
    f.add_contact(cast.coparent_guardian, "phone", "06 2222 0001", label="werk")
    f.add_contact(cast.coparent_guardian, "phone", "06 2222 0002", secret=True)
    f.add_contact(cast.coparent_guardian, "email", "tom.geheim@example.com", secret=True)
    return cast


def family_page(client, user):
    client.force_login(user)
    response = client.get("/gezin/")
    assert response.status_code == 200
    return response.content.decode()


# The rule itself


def test_rule_secret_contacts_only_for_their_owner(family):
    mine = contact_view_for(family.guardian, family.guardian)
    theirs = contact_view_for(family.guardian, family.coparent_guardian)
    assert {c.value for c in mine.contacts} == {"06 1111 0001", "06 1111 0002", "eva@example.com"}
    assert {c.value for c in theirs.contacts} == {"06 2222 0001"}
    assert mine.is_viewer and not theirs.is_viewer


def test_rule_secret_address_only_for_its_household(family):
    secret_home = family.coparent_guardian.household
    assert contact_view_for(family.guardian, family.coparent_guardian).household is None
    assert contact_view_for(family.guardian, family.coparent_guardian).address_hidden
    assert contact_view_for(family.coparent_guardian, family.coparent_guardian).household == secret_home
    assert not address_visible_to(family.guardian, secret_home)
    assert not address_visible_to(None, secret_home)
    assert address_visible_to(family.coparent_guardian, secret_home)
    assert address_visible_to(family.coparent_guardian, family.guardian.household)


def test_rule_viewer_without_guardian_sees_no_secrets(family):
    view = contact_view_for(None, family.coparent_guardian)
    assert view.household is None and {c.value for c in view.contacts} == {"06 2222 0001"}


# The page


def test_family_page_never_shows_the_other_households_secrets(client, family):
    html = family_page(client, family.parent)
    assert "Gezin Visser" in html and "Gezin de Boer" in html
    assert "Eva Visser" in html and "Tom de Boer" in html
    assert "Geheimstraat" not in html
    assert "06 2222 0002" not in html and "tom.geheim@example.com" not in html
    assert "06 2222 0001" in html
    # The viewer's own secret number is shown to the viewer.
    assert "06 1111 0002" in html and "06 1111 0001" in html
    assert "Geheim adres" in html


def test_coparent_sees_own_secret_address_but_not_the_others_secret_number(client, family):
    html = family_page(client, family.coparent)
    assert "Geheimstraat 9" in html and "06 2222 0002" in html and "tom.geheim@example.com" in html
    assert "06 1111 0002" not in html
    assert "06 1111 0001" in html
    # The coparent sees only child1: not Daan, the parent's other child.
    assert family.child2.full_name not in html


def test_family_page_lists_children_gp_and_emergency_numbers(client, family):
    home = family.guardian.household
    family.child1.household = home
    family.child1.general_practitioner = GeneralPractitioner.objects.create(
        board=home.board, name="Dokter Bakker", practice="Praktijk Centrum", phone="030 765 4321"
    )
    family.child1.save()
    EmergencyContact.objects.create(pupil=family.child1, name="Oma Visser", relation="oma", phone="030 999 8877")
    html = family_page(client, family.parent)
    assert family.child1.full_name in html and family.child2.full_name in html
    assert "Dokter Bakker" in html and "Praktijk Centrum" in html and "030 765 4321" in html
    assert "Oma Visser" in html and "030 999 8877" in html
    assert "moeder van Daan en Sanne" in html


def test_family_page_for_a_user_without_children(client, family):
    html = family_page(client, family.staff)
    assert "Eva Visser" not in html


# School


def test_school_page(client, cast):
    client.force_login(cast.parent)
    html = client.get("/school/").content.decode()
    assert cast.school.name in html and "030 123 4567" in html and "M. de Directeur" in html
    assert cast.school.email in html and "https://school.example" in html
    assert cast.other_school.name not in html


def test_school_page_of_the_outsider_shows_their_own_school(client, cast):
    client.force_login(cast.outsider)
    html = client.get("/school/").content.decode()
    assert cast.other_school.name in html and cast.school.name not in html


# Account


def test_account_shows_own_data_read_only(client, family):
    client.force_login(family.parent)
    html = client.get("/account/").content.decode()
    assert "Eva Visser" in html and "ouder@example.com" in html and "Dorpsstraat 2" in html
    assert "06 1111 0002" in html  # own secret number
    assert "Hoofdverzorger" in html and "Eva Visser (u)" in html
    assert 'href="/account/wachtwoord/"' in html
    # Read-only: the one form on the page logs the account out elsewhere; it changes no data.
    main = html.split("<main", 1)[1].split("</main>")[0]
    assert re.findall(r"<form[^>]*>", main) == ['<form method="post" action="/account/overal-uitloggen/">']


def test_account_names_the_main_caretaker_for_the_coparent(client, family):
    client.force_login(family.coparent)
    html = client.get("/account/").content.decode()
    assert "Tom de Boer" in html and "Eva Visser" in html
    assert "06 1111 0002" not in html and "Dorpsstraat" not in html


def test_account_for_staff_without_guardian(client, cast):
    client.force_login(cast.staff)
    response = client.get("/account/")
    assert response.status_code == 200
    assert "administratie" in response.content.decode()
