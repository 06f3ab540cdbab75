"""The school office in Chromium, on desktop and phone: find a pupil by part of the name, open the record, invite the
family without a login; the parent follows the mailed link (real SMTP server), chooses a password and sees the
child."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import DESKTOP, PHONE, pass_second_step
from tests import factories as f
from tests import smtp

pytestmark = pytest.mark.e2e

PASSWORD = "paarse-olifant-fietst-snel"
# Wider than the viewport only where a table scrolls inside its own container.
OVERFLOW = """() => [...document.querySelectorAll('body *')].filter(el => {
  if (el.getBoundingClientRect().right <= innerWidth + 1) return false;
  for (let p = el.parentElement; p; p = p.parentElement) {
    if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) return false;
  }
  return true;
}).map(el => el.tagName + '.' + el.className).slice(0, 5)"""


@pytest.fixture
def mailbox(settings, live_server):
    settings.SITE_URL = live_server.url
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    with smtp.running(settings) as box:
        yield box


@pytest.fixture
def school_data(transactional_db):
    board = f.make_board(name="Stichting Mijlpaal")
    school = f.make_school(board, name="De Mijlpaal")
    group = f.make_group(school, "4/5", name="Groep 4/5")
    for n in range(12):
        f.make_pupil(school, group, 5, roepnaam=f"Kind{n}", surname=f"Achternaam{n}")
    zoe = f.make_pupil(
        school, group, 5, first_names="Zoë Maria", roepnaam="Zoë", voorvoegsel="van der", surname="Berg",
        birth_date=datetime.date(2017, 2, 1), birth_place="Utrecht",
    )  # fmt: skip
    home = f.make_household(board, name="Gezin Van der Berg")
    mother = f.make_guardian(
        board, [zoe], household=home, first_name="Anouk", voorvoegsel="van der", surname="Berg", relation="moeder",
        is_main_caretaker=True,
    )  # fmt: skip
    f.add_contact(mother, "email", "anouk@example.org")
    f.add_contact(mother, "phone", "06 1234 5678", emergency=True)
    father = f.make_guardian(board, [zoe], first_name="Pieter", surname="Berg", user=f.make_user("pieter.berg"))
    f.add_contact(father, "email", "pieter@example.org")
    f.make_staff(school, username="administratie", password="beheer-demo", first_name="Ans", last_name="Bos")
    return {"zoe": zoe}


def log_in(page, username, password):
    page.get_by_label("Gebruikersnaam of e-mailadres").fill(username)
    page.get_by_label(re.compile(r"^Wachtwoord:?$")).fill(password)
    page.get_by_role("button", name="Inloggen").click()
    pass_second_step(page, username)


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_office_invites_a_family_and_the_parent_gets_in(
    device, browser, live_server, mailbox, school_data, screenshot, axe_check
):
    options = DESKTOP if device == "desktop" else PHONE
    office_context = browser.new_context(base_url=live_server.url, locale="nl-NL", **options)
    office = office_context.new_page()
    office.goto("/beheer/")
    log_in(office, "administratie", "beheer-demo")
    expect(office.get_by_role("heading", name="Beheer")).to_be_visible()
    axe_check(office)
    screenshot(office, f"{device}-1-dashboard")
    office.get_by_role("link", name="Leerlingen").click()
    expect(office.get_by_text("13 leerlingen")).to_be_visible()
    axe_check(office)
    assert office.evaluate(OVERFLOW) == []
    screenshot(office, f"{device}-2-list")

    office.get_by_label("Zoeken").fill("zoe van der")
    office.get_by_role("button", name="Zoeken").click()
    expect(office.get_by_text("1 leerling", exact=True)).to_be_visible()
    office.get_by_role("link", name="Berg, van der, Zoë").click()
    expect(office.get_by_role("heading", name="Zoë van der Berg", level=1)).to_be_visible()
    expect(office.get_by_text("geen account")).to_be_visible()
    axe_check(office)
    assert office.evaluate(OVERFLOW) == []
    screenshot(office, f"{device}-3-record")

    office.get_by_role("button", name="Uitnodigen (anouk@example.org)").click()
    expect(office.get_by_text(re.compile("Uitnodiging verstuurd naar Anouk van der Berg"))).to_be_visible()
    expect(office.get_by_text(re.compile("uitgenodigd op"))).to_be_visible()
    expect(office.get_by_role("cell", name="uitgenodigd voor het ouderportaal")).to_be_visible()  # the history
    screenshot(office, f"{device}-4-invited")
    office_context.close()

    mail = mailbox.wait_for("anouk@example.org")
    body = smtp.text_body(mail)
    username = re.search(r"Uw gebruikersnaam: (\S+)", body)[1]
    link = next(url for url in smtp.links(mail) if "/wachtwoord-kiezen/" in url)
    parent_context = browser.new_context(base_url=live_server.url, locale="nl-NL", **options)
    parent = parent_context.new_page()
    parent.goto(link)
    expect(parent.get_by_role("heading", name="Kies uw wachtwoord")).to_be_visible()
    parent.get_by_label(re.compile(r"^Nieuw wachtwoord:?$")).fill(PASSWORD)
    parent.get_by_label("Nieuw wachtwoord bevestigen").fill(PASSWORD)
    parent.get_by_role("button", name="Wachtwoord opslaan").click()
    expect(parent.get_by_role("heading", name="Wachtwoord ingesteld")).to_be_visible()
    parent.get_by_role("link", name="Inloggen").click()
    log_in(parent, username, PASSWORD)
    expect(parent.get_by_role("heading", name=re.compile("Zoë"))).to_be_visible()
    screenshot(parent, f"{device}-5-child")
    parent_context.close()


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_invitations_staff_and_medical_pages(device, browser, live_server, school_data, screenshot, axe_check):
    from ouderportaal.school.models import MedicalInfo, StaffRole

    MedicalInfo.objects.create(pupil=school_data["zoe"], allergies="Pinda's")
    StaffRole.objects.create(user=StaffRole.objects.get().user, school=school_data["zoe"].school, role="directeur")
    options = DESKTOP if device == "desktop" else PHONE
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", **options)
    page = context.new_page()
    page.goto("/beheer/uitnodigen/")
    log_in(page, "administratie", "beheer-demo")
    expect(page.get_by_role("button", name="1 uitnodiging versturen")).to_be_visible()
    axe_check(page)
    assert page.evaluate(OVERFLOW) == []
    screenshot(page, f"{device}-invitations")
    page.goto("/beheer/medewerkers/")
    screenshot(page, f"{device}-staff-empty")
    assert page.evaluate(OVERFLOW) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("innerWidth") + 2
    page.get_by_label("E-mailadres").fill("geen-adres")
    page.get_by_label("E-mailadres").press("Enter")
    expect(page.get_by_text("Voer een geldig e-mailadres in.")).to_be_visible()
    axe_check(page)
    assert page.evaluate(OVERFLOW) == []
    screenshot(page, f"{device}-staff")
    page.goto(f"/beheer/leerlingen/{school_data['zoe'].public_id}/medisch/")
    expect(page.get_by_text("Pinda's")).to_be_visible()
    axe_check(page)
    screenshot(page, f"{device}-medical")
    context.close()


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_a_teacher_sees_the_own_group_only(device, browser, live_server, school_data, screenshot, axe_check):
    from ouderportaal.school.models import Teacher

    zoe = school_data["zoe"]
    group = zoe.enrolments.get().group
    other_group = f.make_group(zoe.school, "8", name="Groep 8")
    other = f.make_pupil(zoe.school, other_group, 8, roepnaam="Buiten", surname="Beeld")
    f.make_staff(zoe.school, role="leerkracht", username="juf.kim", password="beheer-demo", email="kim@school.example")
    group.teachers.add(
        Teacher.objects.create(school=zoe.school, first_name="Kim", surname="Bos", email="kim@school.example")
    )
    options = DESKTOP if device == "desktop" else PHONE
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", **options)
    page = context.new_page()
    page.goto("/beheer/leerlingen/")
    log_in(page, "juf.kim", "beheer-demo")
    expect(page.get_by_text("13 leerlingen")).to_be_visible()
    expect(page.get_by_role("link", name="Beeld, Buiten")).to_have_count(0)
    axe_check(page)
    assert page.evaluate(OVERFLOW) == []
    screenshot(page, f"{device}-teacher-list")
    page.get_by_role("link", name="Berg, van der, Zoë").click()
    expect(page.get_by_role("heading", name="Zoë van der Berg", level=1)).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Uitnodigen"))).to_have_count(0)  # read-only
    screenshot(page, f"{device}-teacher-record")
    response = page.goto(f"/beheer/leerlingen/{other.public_id}/")
    assert response.status == 404
    context.close()
