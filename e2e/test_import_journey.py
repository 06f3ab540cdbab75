"""The administration imports its school's exports in Chromium: upload → preview → apply, desktop and phone."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from e2e.conftest import pass_second_step
from tests import factories as f

pytestmark = pytest.mark.e2e
SAMPLES = Path(__file__).resolve().parent.parent / "docs" / "samples"

# Elements sticking out to the right, unless inside a container that scrolls sideways (tables do).
OVERFLOW = """() => [...document.querySelectorAll('body *')].filter(el => {
  if (el.getBoundingClientRect().right <= window.innerWidth + 1) return false;
  for (let p = el.parentElement; p; p = p.parentElement) {
    if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) return false;
  }
  return true;
}).map(el => el.tagName + '.' + el.className).slice(0, 5)"""


@pytest.fixture
def school(transactional_db, settings, tmp_path):
    settings.IMPORT_DIR = tmp_path
    board = f.make_board(name="Stichting Kindwijs")
    school = f.make_school(board, name="De Mijlpaal", brin="27MP")
    f.make_staff(school, username="administratie", password="beheer-demo", first_name="Ingrid")
    return school


def log_in(page):
    page.goto("/beheer/imports/")
    page.get_by_label("Gebruikersnaam of e-mailadres").fill("administratie")
    page.get_by_label(re.compile(r"^Wachtwoord:?$")).fill("beheer-demo")
    page.get_by_role("button", name="Inloggen").click()
    pass_second_step(page, "administratie")
    expect(page.get_by_role("heading", name="Importeren uit de administratie")).to_be_visible()


def upload(page, kind, name):
    page.goto("/beheer/imports/")
    page.get_by_label("Soort bestand").select_option(kind)
    page.get_by_label(re.compile(r"^Bestand:?$")).set_input_files(str(SAMPLES / name))
    page.get_by_role("button", name="Controleren").click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_staff_imports_edex_then_families(school, page, phone_page, device, axe_check, screenshot):
    page = page if device == "desktop" else phone_page
    log_in(page)
    axe_check(page)
    screenshot(page, "upload")
    assert page.evaluate(OVERFLOW) == []

    upload(page, "edex", "27mp-edex-2026-2027.xml")
    expect(page.get_by_text("gecontroleerd, nog niet verwerkt")).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("Wat er verandert"))).to_contain_text("leerlingen")
    axe_check(page)
    screenshot(page, "preview")
    assert page.evaluate(OVERFLOW) == []
    page.get_by_role("button", name="Verwerken", exact=True).click()
    expect(page.get_by_text("De import wordt verwerkt.")).to_be_visible()
    expect(page.locator(".status")).to_have_text("verwerkt")
    screenshot(page, "applied")

    upload(page, "families", "27mp-families.csv")
    page.get_by_role("button", name="Verwerken", exact=True).click()
    expect(page.locator(".status")).to_have_text("verwerkt")
    assert school.pupils.filter(household__isnull=False).count() == school.pupils.count() > 0

    # The same file again: nothing new, nothing changed.
    upload(page, "families", "27mp-families.csv")
    rows = page.get_by_role("table", name=re.compile("Wat er verandert")).locator("tbody tr")
    for index in range(rows.count()):
        cells = rows.nth(index).locator("td")
        assert cells.nth(0).inner_text() == "0" and cells.nth(1).inner_text() == "0"
    # Not applied after all: the stored file goes.
    page.get_by_role("button", name="Niet verwerken").click()
    expect(page.locator(".status")).to_have_text("niet verwerkt")
    assert not list(Path(settings.IMPORT_DIR).iterdir())

    upload(page, "absences", "27mp-edex-2026-2027.xml")  # the wrong kind of file
    expect(page.locator(".notice")).to_contain_text("Er is niets opgeslagen")
    axe_check(page)
    screenshot(page, "refused")
