"""A new staff member's first login in Chromium, on a desktop and a phone: the portal asks for an authenticator app,
shows a QR code and the key, takes the first code, shows the recovery codes once, then opens the back-office."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from tests import factories as f

pytestmark = pytest.mark.e2e


@pytest.fixture
def new_colleague(transactional_db):
    school = f.make_school(f.make_board(name="Stichting Mijlpaal"), name="De Mijlpaal")
    return f.make_staff(school, username="nieuwe.collega", password="beheer-demo-2fa", two_factor=False)


def layout_problems(page):
    """Elements wider than the window (unless inside a horizontally scrolling container)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('main *')].filter(el => {
            if (el.getBoundingClientRect().right <= innerWidth + 1) return false;
            for (let p = el.parentElement; p; p = p.parentElement)
                if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) return false;
            return true;
        }).map(el => el.tagName + '.' + el.className)"""
    )


@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_first_login_enrols_an_app(request, live_server, device, new_colleague, screenshot, axe_check):
    page = request.getfixturevalue(device)
    page.goto("/beheer/")
    page.get_by_label("Gebruikersnaam of e-mailadres").fill("nieuwe.collega")
    page.get_by_label(re.compile(r"^Wachtwoord:?$")).fill("beheer-demo-2fa")
    page.get_by_role("button", name="Inloggen").click()

    expect(page.get_by_role("heading", name="Tweestapsverificatie instellen")).to_be_visible()
    qr = page.get_by_role("img", name="QR-code om het portaal aan de app toe te voegen")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.naturalWidth") > 100  # the server-drawn SVG loads under the strict CSP
    axe_check(page)
    assert layout_problems(page) == []
    screenshot(page, "1-setup")

    secret = page.locator("#secret").inner_text().replace(" ", "")
    page.get_by_label("Code uit de app (6 cijfers)").fill(f"{totp(b32decode(secret)):06d}")
    page.get_by_role("button", name="Code controleren").click()

    expect(page.get_by_role("heading", name="Uw herstelcodes")).to_be_visible()
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    axe_check(page)
    assert layout_problems(page) == []
    screenshot(page, "2-recovery-codes")
    page.get_by_role("link", name="Ik heb ze bewaard, ga verder").click()
    expect(page.get_by_role("heading", name="Beheer")).to_be_visible()
