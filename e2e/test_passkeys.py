"""Passkeys in Chromium with a virtual authenticator (Chrome DevTools Protocol): a new staff member enrols a passkey
as the second step and logs in with it; a parent turns two-factor on with a passkey on the Account tab, logs in with
it, and logs out everywhere."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories as f

pytestmark = pytest.mark.e2e


@pytest.fixture
def relying_party(settings, live_server):
    """WebAuthn needs a host name (never an IP address): the live server runs on localhost."""
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]


def virtual_authenticator(page):
    """A platform authenticator (like a phone's fingerprint reader) that always verifies its user."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    options = {
        "protocol": "ctap2",
        "transport": "internal",
        "hasResidentKey": True,
        "hasUserVerification": True,
        "isUserVerified": True,
    }
    authenticator = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": options})["authenticatorId"]
    return cdp, authenticator


def log_in(page, username, password):
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam of e-mailadres").fill(username)
    page.get_by_label(re.compile(r"^Wachtwoord:?$")).fill(password)
    page.get_by_role("button", name="Inloggen").click()


def log_out(page):
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_text("U bent uitgelogd.")).to_be_visible()


def test_staff_enrol_a_passkey_and_log_in_with_it(page, relying_party, transactional_db, screenshot, axe_check):
    from django_otp_webauthn.models import WebAuthnCredential

    school = f.make_school(f.make_board(), name="De Mijlpaal")
    staff = f.make_staff(school, username="nieuwe.collega", password="beheer-demo-2fa", two_factor=False)
    cdp, authenticator = virtual_authenticator(page)

    log_in(page, "nieuwe.collega", "beheer-demo-2fa")
    expect(page.get_by_role("heading", name="Tweestapsverificatie instellen")).to_be_visible()
    axe_check(page)
    screenshot(page, "1-setup")
    page.get_by_role("button", name="Passkey toevoegen").click()
    expect(page.get_by_role("heading", name="Uw herstelcodes")).to_be_visible()
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    assert WebAuthnCredential.objects.filter(user=staff, confirmed=True).count() == 1
    assert len(cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]) == 1
    page.get_by_role("link", name="Ik heb ze bewaard, ga verder").click()
    expect(page.get_by_role("heading", name="Beheer")).to_be_visible()
    log_out(page)

    log_in(page, "nieuwe.collega", "beheer-demo-2fa")
    page.goto("/beheer/medewerkers/")
    expect(page.get_by_role("heading", name="Tweede stap")).to_be_visible()
    axe_check(page)
    screenshot(page, "2-verify")
    page.get_by_role("button", name="Doorgaan met passkey").click()
    expect(page.get_by_role("heading", name="Medewerkers")).to_be_visible()
    assert page.url.endswith("/beheer/medewerkers/")


def test_a_parent_turns_on_a_passkey_and_logs_out_everywhere(page, relying_party, demo_data, screenshot, axe_check):
    virtual_authenticator(page)
    log_in(page, "ouder", "ouder-demo")
    expect(page.get_by_role("heading", name="Uw kinderen")).to_be_visible()
    page.get_by_role("link", name="Account").click()
    expect(page.get_by_role("heading", name="Recente aanmeldingen")).to_be_visible()
    page.get_by_role("link", name="Tweestapsverificatie aanzetten").click()
    expect(page.get_by_role("heading", name="Tweestapsverificatie", exact=True)).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Passkey toevoegen").click()
    expect(page.get_by_role("heading", name="Uw herstelcodes")).to_be_visible()
    page.get_by_role("link", name="Ik heb ze bewaard, ga verder").click()
    expect(page.get_by_text("Passkey van")).to_be_visible()
    screenshot(page, "1-account-two-factor")
    log_out(page)

    log_in(page, "ouder", "ouder-demo")
    expect(page.get_by_role("heading", name="Tweede stap")).to_be_visible()
    page.get_by_role("button", name="Doorgaan met passkey").click()
    expect(page.get_by_role("heading", name="Uw kinderen")).to_be_visible()
    page.get_by_role("link", name="Account").click()
    expect(page.get_by_role("heading", name="Recente aanmeldingen")).to_be_visible()
    page.get_by_role("button", name="Log overal uit, behalve hier").click()
    expect(page.get_by_text("U bent overal uitgelogd, behalve hier.")).to_be_visible()
    axe_check(page)
    screenshot(page, "2-account")
