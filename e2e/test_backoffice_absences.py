"""The back-office absence pages in Chromium at 1280 and 360 px: the morning list, attendance entry with the
keyboard, leave requests, the DUO list and the school calendar, each axe-clean and without sideways scrolling."""

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import pass_second_step
from tests import factories as f

pytestmark = pytest.mark.e2e

PAGES = [
    ("/beheer/ziekmeldingen/", "Ziekmeldingen"),
    ("/beheer/absenties/", "Absenties registreren"),
    ("/beheer/verlof/", "Verlofaanvragen"),
    ("/beheer/verzuim/", "Verzuim melden bij DUO"),
    ("/beheer/kalender/", "Schoolkalender"),
    ("/beheer/absenties/instellingen/", "Instellingen absenties"),
]


@pytest.fixture
def office(transactional_db):
    school = f.make_school(name="De Mijlpaal")
    group = f.make_group(school, "4/5", name="Groep 4/5")
    for name in ("Lotte", "Daan", "Noor"):
        f.make_pupil(school, group, 4, roepnaam=name, surname="Jansen")
    f.make_staff(school, role="directeur", username="directeur", password="beheer-demo")
    return school


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_backoffice_absence_pages(device, page, phone_page, office, screenshot, axe_check):
    page = phone_page if device == "phone" else page
    page.goto("/inloggen/?next=/beheer/")
    page.get_by_label("Gebruikersnaam of e-mailadres").fill("directeur")
    page.get_by_label(re.compile(r"^Wachtwoord:?$")).fill("beheer-demo")
    page.get_by_role("button", name="Inloggen").click()
    pass_second_step(page, "directeur")
    for path, heading in PAGES:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        screenshot(page, path.strip("/").replace("/", "-"))
        axe_check(page)
        if device == "phone":
            # Wide tables scroll inside their own box; the page itself never scrolls sideways.
            assert page.evaluate("document.documentElement.scrollWidth") <= 362, path
    # Attendance with the keyboard only: tab into the first row, choose, save.
    page.goto("/beheer/absenties/")
    first = page.get_by_label(re.compile("^Afwezig: "))
    if first.count():
        first.first.focus()
        page.keyboard.press("End")  # the last part of day: "te laat"
        page.keyboard.press("Tab")
        page.keyboard.type("te laat")
        page.keyboard.press("Tab")
        page.keyboard.type("5")
        page.get_by_role("button", name="Opslaan").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_text(re.compile("Opgeslagen|geen school"))).to_be_visible()
