"""A letter in Chromium: staff write one with a PDF to group 7 and send it; the demo parent finds it unread in
Berichten, opens it and downloads the PDF; the delivery page then shows it read. Desktop and phone, axe clean."""

import pytest

from e2e.test_parent_day import log_in
from ouderportaal.letters.demo import tiny_pdf

pytestmark = pytest.mark.e2e

PDF = tiny_pdf(["Luizencontrole groep 7", "Na elke vakantie, op de eerste maandag."])


def fits(page):
    """Nothing sticks out sideways on a phone (a scrolling table may, inside its own scroller)."""
    return page.evaluate(
        """() => {
        const width = document.documentElement.clientWidth;
        const out = [...document.querySelectorAll('main *')].filter(el => {
            if (el.closest('.table-scroll')) return false;
            return el.getBoundingClientRect().right > width + 1;
        });
        return out.map(el => el.tagName + '.' + el.className).slice(0, 5);
    }"""
    )


def check(page, screenshot, axe_check, name, device):
    screenshot(page, name)
    axe_check(page)
    if device == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= 362, name
        assert fits(page) == [], name
        # Every item of the main navigation in view, not behind a sideways scroll.
        hidden = page.evaluate(
            "() => [...document.querySelectorAll('.main-nav a')]"
            ".filter(a => a.getBoundingClientRect().right > innerWidth).map(a => a.textContent)"
        )
        assert hidden == [], f"{name}: navigation items out of view: {hidden}"


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_a_letter_from_compose_to_read(
    device, browser, live_server, page, phone_page, demo_data, screenshot, axe_check, settings, tmp_path
):
    from e2e.conftest import DESKTOP, PHONE, _context

    settings.MEDIA_ROOT = str(tmp_path / "media")
    staff = phone_page if device == "phone" else page
    csp_errors = []
    staff.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)

    log_in(staff, "administratie", "beheer-demo")
    staff.goto("/beheer/brieven/")
    check(staff, screenshot, axe_check, "staff-letters", device)
    staff.get_by_role("link", name="Nieuwe brief schrijven").click()
    staff.wait_for_load_state()
    staff.get_by_label("Onderwerp").fill("Luizencontrole na de vakantie")
    editor = staff.locator(".editor-area")
    editor.click()
    staff.keyboard.type("Beste ouders, na de vakantie is er weer ")
    staff.get_by_role("button", name="Vet").click()
    staff.keyboard.type("luizencontrole")
    staff.get_by_role("button", name="Vet").click()
    staff.keyboard.type(". Zie de bijlage.")
    staff.get_by_label("een of meer groepen").check()
    staff.locator("#field-groups").get_by_label("Groep 7", exact=True).check()
    staff.get_by_label("PDF-bijlagen toevoegen").set_input_files(
        [{"name": "luizencontrole.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    check(staff, screenshot, axe_check, "staff-compose", device)
    staff.get_by_role("button", name="Opslaan en voorbeeld bekijken").click()
    staff.wait_for_load_state()
    assert staff.locator(".letter-body b, .letter-body strong").first.inner_text() == "luizencontrole"
    check(staff, screenshot, axe_check, "staff-preview", device)
    staff.get_by_role("button", name="Versturen of inplannen").click()
    staff.wait_for_load_state()
    assert "/bezorging/" in staff.url
    delivery_url = staff.url
    check(staff, screenshot, axe_check, "staff-delivery", device)
    assert csp_errors == []

    options = PHONE if device == "phone" else DESKTOP
    context = _context(browser, live_server, accept_downloads=True, **options)
    parent = context.new_page()
    try:
        log_in(parent)
        parent.get_by_role("navigation").get_by_role("link", name="Berichten").click()
        parent.wait_for_load_state()
        item = parent.locator(".letter-item", has_text="Luizencontrole na de vakantie")
        assert item.locator(".tag-new").count() == 1
        assert parent.locator(".letter-item").first.inner_text().count("Luizencontrole") == 1  # newest first
        check(parent, screenshot, axe_check, "parent-letters", device)
        item.get_by_role("link").click()
        parent.wait_for_load_state()
        assert "luizencontrole" in parent.locator(".letter-body").inner_text()
        check(parent, screenshot, axe_check, "parent-letter", device)
        with parent.expect_download() as download:
            parent.get_by_role("link", name="luizencontrole.pdf").click()
        with open(download.value.path(), "rb") as f:
            assert f.read() == PDF
        parent.get_by_role("link", name="Berichten").first.click()
        parent.wait_for_load_state()
        assert parent.locator(".letter-item", has_text="Luizencontrole na de vakantie").locator(".tag-new").count() == 0
    finally:
        context.close()

    staff.goto(delivery_url)
    row = staff.locator("tr", has_text="Eva Jansen")
    assert "nog niet" not in row.inner_text()
    check(staff, screenshot, axe_check, "staff-delivery-read", device)
