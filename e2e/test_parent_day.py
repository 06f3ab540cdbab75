"""A parent's day in Chromium: the demo parent logs in and opens every tab, on a desktop and on a phone."""

import re

import pytest

from e2e.conftest import pass_second_step

pytestmark = pytest.mark.e2e

CHILD_TABS = ["Personalia", "Medisch", "Groep", "Absenten", "Toetsen"]
FAMILY_TABS = ["Gezin", "School", "Account"]


def log_in(page, username="ouder", password="ouder-demo"):
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    pass_second_step(page, username)
    page.wait_for_load_state()


def open_tab(page, name):
    page.get_by_role("navigation").get_by_role("link", name=name, exact=True).first.click()
    page.wait_for_load_state()
    assert page.locator("h1, h2").filter(has_text=name).count() or name in page.title(), f"{name}: {page.url}"


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_parent_opens_every_tab(device, page, phone_page, demo_data, screenshot, axe_check):
    page = phone_page if device == "phone" else page
    log_in(page)
    assert "/inloggen/" not in page.url
    screenshot(page, "start")
    axe_check(page)

    children = page.locator("a[href^='/kind/']")
    child_urls = sorted(
        {
            re.match(r"(/kind/[^/]+/)", href).group(1)
            for href in children.evaluate_all("links => links.map(a => a.getAttribute('href'))")
        }
    )
    assert len(child_urls) == 2, child_urls

    for number, child_url in enumerate(child_urls, start=1):
        page.goto(child_url + "personalia/")
        for tab in CHILD_TABS:
            open_tab(page, tab)
            assert page.url.startswith(page.url.split("/kind/")[0] + child_url)
            screenshot(page, f"child{number}-{tab.lower()}")
            axe_check(page)
        # The phone must not scroll sideways: content fits in 360 px.
        if device == "phone":
            assert page.evaluate("document.documentElement.scrollWidth") <= 362

    for tab in FAMILY_TABS:
        open_tab(page, tab)
        screenshot(page, tab.lower())
        axe_check(page)
        if device == "phone":
            assert page.evaluate("document.documentElement.scrollWidth") <= 362

    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_load_state()
    assert "/inloggen/" in page.url
    assert page.get_by_role("status").filter(has_text="U bent uitgelogd.").is_visible()


def test_wrong_password_shows_dutch_error(page, demo_data, screenshot):
    log_in(page, password="verkeerd-wachtwoord")
    assert "/inloggen/" in page.url
    text = page.locator("main").inner_text().lower()
    assert "gebruikersnaam" in text and "wachtwoord" in text
    assert page.get_by_label("Gebruikersnaam").input_value() == "ouder"
    screenshot(page, "wrong-password")


def test_other_childs_url_is_not_found(page, demo_data):
    from ouderportaal.school.models import Pupil

    stranger = Pupil.objects.exclude(guardianships__guardian__user__username="ouder").first()
    log_in(page)
    response = page.goto(f"/kind/{stranger.public_id}/personalia/")
    assert response.status == 404
