"""The Gezin page says each thing once: a doctor or a list of emergency numbers shared by brothers and sisters is
one card naming them; two households of the same name are told apart; the viewer is named as "dit bent u"."""

from django.test import Client

from ouderportaal.school.models import EmergencyContact, GeneralPractitioner, Household


def family_page(user):
    client = Client()
    client.force_login(user)
    return client.get("/gezin/").content.decode()


def section(html, heading_id):
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def emergency(pupil, *numbers):
    for position, (name, phone) in enumerate(numbers):
        EmergencyContact.objects.create(pupil=pupil, name=name, relation="oma", phone=phone, position=position)


def test_a_shared_doctor_and_shared_emergency_numbers_appear_once(cast):
    gp = GeneralPractitioner.objects.create(board=cast.school.board, name="Dokter Jansen", phone="030 765 4321")
    for child in (cast.child1, cast.child2):
        child.general_practitioner = gp
        child.save()
        emergency(child, ("Oma Truus", "06 1234 0001"), ("Opa Kees", "06 1234 0002"))
    html = family_page(cast.parent)
    doctors = section(html, "gp")
    assert doctors.count("Dokter Jansen") == 1 and doctors.count("030 765 4321") == 1
    assert "Daan en Sanne" in doctors
    numbers = section(html, "emergency")
    assert numbers.count("06 1234 0001") == 1 and numbers.count("06 1234 0002") == 1
    assert "Daan en Sanne" in numbers


def test_different_doctors_and_numbers_stay_per_child(cast):
    board = cast.school.board
    cast.child1.general_practitioner = GeneralPractitioner.objects.create(board=board, name="Dokter Jansen")
    cast.child1.save()
    emergency(cast.child1, ("Oma Truus", "06 1234 0001"))
    emergency(cast.child2, ("Oma Truus", "06 1234 0001"), ("Opa Kees", "06 1234 0002"))
    html = family_page(cast.parent)
    doctors = section(html, "gp")
    assert "Dokter Jansen" in doctors and "Geen huisarts bekend." in doctors
    assert "<h3>Sanne</h3>" in doctors and "<h3>Daan</h3>" in doctors
    numbers = section(html, "emergency")
    assert numbers.count("06 1234 0001") == 2 and numbers.count("06 1234 0002") == 1


def test_households_of_the_same_name_are_told_apart(cast):
    Household.objects.filter(pk=cast.coparent_guardian.household_id).update(name="Gezin Visser")
    html = family_page(cast.parent)
    assert 'Gezin Visser <span class="muted">(Eva Visser)</span>' in html
    assert 'Gezin Visser <span class="muted">(Tom de Boer)</span>' in html


def test_distinct_household_names_need_no_names_beside_them(cast):
    html = family_page(cast.parent)
    assert "(Eva Visser)" not in html and "(Tom de Boer)" not in html


def test_the_viewer_is_named_and_relations_are_grouped(cast):
    html = family_page(cast.parent)
    assert "dit bent u" in html
    assert "moeder van Daan en Sanne" in html
    assert "moeder van Daan, moeder van Sanne" not in html
