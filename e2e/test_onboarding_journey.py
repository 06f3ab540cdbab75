"""A parent without an account, in Chromium: request → confirm (link from the mail) → the administration approves
→ choose a password (link from the mail) → log in → the child. Mail is read from a real SMTP server."""

import datetime
import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests import factories as f
from tests import smtp

pytestmark = pytest.mark.e2e

PASSWORD = "paarse-olifant-fietst-snel"
NEW_PASSWORD_LABEL = re.compile(r"^Nieuw wachtwoord:?$")


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
    f.make_school(board, name="De Regenboog")
    group = f.make_group(school, "6", name="Groep 6")
    noah = f.make_pupil(
        school, group, first_names="Noah Willem", roepnaam="Noah", voorvoegsel="van 't", surname="Hof",
        birth_date=datetime.date(2016, 2, 29),
    )  # fmt: skip
    thomas = f.make_guardian(board, [noah], first_name="Thomas", voorvoegsel="van 't", surname="Hof")
    f.add_contact(thomas, "email", "thomas@example.org")
    f.make_guardian(board, [noah], first_name="Anouk", surname="Smit", relation="moeder")
    staff = f.make_staff(school, username="administratie", password="beheer-demo", first_name="Ans")
    return {"school": school, "noah": noah, "staff": staff}


def log_in(page, username, password):
    page.get_by_label("Gebruikersnaam of e-mailadres").fill(username)
    page.get_by_label(re.compile(r"^Wachtwoord:?$")).fill(password)
    page.get_by_role("button", name="Inloggen").click()


def test_parent_requests_an_account_and_sees_the_child(
    page, browser, live_server, mailbox, school_data, screenshot, axe_check
):
    page.goto("/inloggen/")
    page.get_by_role("link", name=re.compile("account", re.I)).click()
    expect(page.get_by_role("heading", name="Account aanvragen")).to_be_visible()
    axe_check(page)

    page.get_by_label("School van uw kind").select_option(label="De Mijlpaal")
    page.get_by_label("Uw e-mailadres").fill("thomas@example.org")
    page.get_by_label("Voornaam van uw oudste kind").fill("noah")
    page.get_by_label("Achternaam van uw oudste kind").fill("Van 't Hof")
    page.get_by_label("Geboortedatum van uw oudste kind").fill("31-02-2016")  # a typo first
    page.get_by_role("button", name="Aanvraag versturen").click()
    expect(page.get_by_text("Voer een geldige datum in.")).to_be_visible()
    expect(page.get_by_label("Uw e-mailadres")).to_have_value("thomas@example.org")
    screenshot(page, "1-request-error")
    page.get_by_label("Geboortedatum van uw oudste kind").fill("29-02-2016")
    page.get_by_role("button", name="Aanvraag versturen").click()
    expect(page.get_by_role("heading", name="Controleer uw e-mail")).to_be_visible()

    confirmation = mailbox.wait_for("thomas@example.org")
    page.goto(smtp.links(confirmation)[0])
    page.get_by_role("button", name="Ja, bevestig mijn e-mailadres").click()
    expect(page.get_by_role("heading", name="E-mailadres bevestigd")).to_be_visible()
    screenshot(page, "2-confirmed")

    staff_context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    staff = staff_context.new_page()
    staff.goto("/beheer/aanvragen/")
    log_in(staff, "administratie", "beheer-demo")
    # The second step: the code the staff member's phone shows now.
    expect(staff.get_by_role("heading", name="Code uit de app")).to_be_visible()
    device = TOTPDevice.objects.get(user=school_data["staff"])
    staff.get_by_label("Code uit de app, of een herstelcode").fill(f.totp_code(device))
    staff.get_by_role("button", name="Doorgaan").click()
    expect(staff.get_by_role("heading", name="Accountaanvragen")).to_be_visible()
    expect(staff.get_by_text("Noah van 't Hof; ouder Thomas van 't Hof (e-mailadres bekend)")).to_be_visible()
    staff.get_by_role("link", name="thomas@example.org").click()
    expect(staff.get_by_role("radio", name="Thomas van 't Hof")).to_be_checked()
    axe_check(staff)
    screenshot(staff, "3-review")
    staff.get_by_role("button", name="Goedkeuren en e-mail sturen").click()
    expect(staff.get_by_text("Goedgekeurd: thomas.hof")).to_be_visible()
    staff_context.close()

    approval = mailbox.wait_for("thomas@example.org", count=2)
    body = smtp.text_body(approval)
    assert "Uw gebruikersnaam: thomas.hof" in body
    assert live_server.url in body
    set_password_link = next(url for url in smtp.links(approval) if "/wachtwoord-kiezen/" in url)
    page.goto(set_password_link)
    expect(page.get_by_role("heading", name="Kies uw wachtwoord")).to_be_visible()
    page.get_by_label(NEW_PASSWORD_LABEL).fill("1234567890")
    page.get_by_label("Nieuw wachtwoord bevestigen").fill("1234567890")
    page.get_by_role("button", name="Wachtwoord opslaan").click()
    expect(page.get_by_text("Dit wachtwoord bevat alleen cijfers.")).to_be_visible()
    page.get_by_label(NEW_PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_label("Nieuw wachtwoord bevestigen").fill(PASSWORD)
    page.get_by_role("button", name="Wachtwoord opslaan").click()
    expect(page.get_by_role("heading", name="Wachtwoord ingesteld")).to_be_visible()
    screenshot(page, "4-password-set")

    page.get_by_role("link", name="Inloggen").click()
    log_in(page, "thomas.hof", PASSWORD)
    expect(page.get_by_role("heading", name=re.compile("Noah"))).to_be_visible()
    screenshot(page, "5-child")

    # The link from the mail is spent.
    page.goto(set_password_link)
    expect(page.get_by_text("Deze link is verlopen of al gebruikt.")).to_be_visible()
