"""Change requests in Chromium, on a desktop and on a 360 px phone: the demo parent changes the GP and a phone
number; the administration applies one and rejects the other; the parent sees both outcomes."""

import pytest

pytestmark = pytest.mark.e2e


def log_in(page, username, password):
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()
    assert "/inloggen/" not in page.url


def log_out(page):
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_load_state()


OVERFLOW = """() => {
  const scrolls = el => { for (let p = el.parentElement; p; p = p.parentElement) {
    const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll') return true; } return false; };
  return [...document.querySelectorAll('main *')]
    .filter(el => el.getBoundingClientRect().right > innerWidth + 1 && !scrolls(el))
    .map(el => el.tagName + '.' + el.className + ': ' + (el.textContent || '').trim().slice(0, 40));
}"""


def fits(page, device):
    """On the phone the page does not scroll sideways, and nothing in its content sticks out unless it sits in a
    horizontally scrolling box."""
    if device == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= 362, page.url
        assert page.evaluate(OVERFLOW) == [], page.url


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_parent_proposes_staff_decide_parent_sees_outcome(device, page, phone_page, demo_data, screenshot, axe_check):
    from ouderportaal.changes.models import ChangeRequest
    from ouderportaal.school.models import ContactDetail, Pupil

    page = phone_page if device == "phone" else page
    lotte = Pupil.objects.for_guardian(demo_data.users["ouder"]).get(roepnaam="Lotte")
    contacts = list(ContactDetail.objects.filter(guardian__user__username="ouder"))
    phone_row = next(i for i, c in enumerate(contacts) if c.kind == "phone")

    # The parent changes Lotte's GP.
    log_in(page, "ouder", "ouder-demo")
    page.goto("/gezin/")
    page.get_by_role("link", name="Huisarts van Lotte").click()
    page.get_by_label("Naam huisarts").fill("Dokter Bakker")
    page.get_by_label("Telefoon").fill("030 765 4321")
    screenshot(page, f"{device}-gp-form")
    axe_check(page)
    fits(page, device)
    page.get_by_role("button", name="Wijziging doorgeven").click()
    page.wait_for_load_state()
    assert "Uw wijziging is doorgegeven" in page.locator("main").inner_text()

    # ... and one of her own phone numbers; a typo first, kept with a Dutch error.
    page.goto("/gezin/contactgegevens/wijzigen/")
    field = page.locator(f"input[name='c-{phone_row}-value']")
    field.fill("06-1234")
    page.get_by_role("button", name="Wijziging doorgeven").click()
    page.wait_for_load_state()
    assert "Dit is geen geldig telefoonnummer." in page.locator("main").inner_text()
    assert page.locator(f"input[name='c-{phone_row}-value']").input_value() == "06-1234"
    screenshot(page, f"{device}-contacts-error")
    axe_check(page)
    fits(page, device)
    page.locator(f"input[name='c-{phone_row}-value']").fill("06 2345 6789")
    page.get_by_role("button", name="Wijziging doorgeven").click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "Doorgegeven wijzigingen" in main and "Dokter Bakker" in main and "06 2345 6789" in main
    assert page.locator("nav.main-nav .badge").count() == 1
    screenshot(page, f"{device}-family-pending")
    axe_check(page)
    fits(page, device)
    log_out(page)

    gp = ChangeRequest.objects.get(proposed_by__username="ouder", section="gp")
    phone = ChangeRequest.objects.get(proposed_by__username="ouder", section="contacts")

    # The administration applies the GP and rejects the phone number.
    log_in(page, "administratie", "beheer-demo")
    page.goto("/beheer/")
    assert page.locator("nav.main-nav .badge").count() == 1
    page.get_by_role("link", name="Wijzigingen verwerken").click()
    page.wait_for_load_state()
    screenshot(page, f"{device}-queue")
    axe_check(page)
    fits(page, device)
    page.locator(f"a[href='/beheer/wijzigingen/{gp.public_id}/']").click()
    page.wait_for_load_state()
    assert "Dokter Bakker" in page.locator("main").inner_text()
    screenshot(page, f"{device}-gp-detail")
    axe_check(page)
    page.get_by_role("button", name="Besluit uitvoeren en ouder mailen").click()
    page.wait_for_load_state()
    page.wait_for_load_state()
    assert "Besluit opgeslagen" in page.locator("main").inner_text()

    page.goto(f"/beheer/wijzigingen/{phone.public_id}/")
    page.get_by_label("Reden (staat in de e-mail aan de ouder)").fill(
        "Dit nummer kunnen wij niet bereiken; belt u even?"
    )
    screenshot(page, f"{device}-phone-detail")
    axe_check(page)
    fits(page, device)
    page.get_by_role("button", name="Afwijzen en ouder mailen").click()
    page.wait_for_load_state()
    page.wait_for_load_state()
    assert "Afgewezen" in page.locator("main").inner_text()
    log_out(page)

    lotte.refresh_from_db()
    assert lotte.general_practitioner.name == "Dokter Bakker"
    assert ContactDetail.objects.get(pk=contacts[phone_row].pk).value == contacts[phone_row].value

    # The parent sees both outcomes.
    log_in(page, "ouder", "ouder-demo")
    page.goto("/gezin/")
    main = page.locator("main").inner_text()
    assert "Verwerkt" in main and "Afgewezen" in main
    assert "Dit nummer kunnen wij niet bereiken; belt u even?" in main
    assert "Dokter Bakker" in main
    screenshot(page, f"{device}-family-decided")
    axe_check(page)
    fits(page, device)
