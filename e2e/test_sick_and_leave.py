"""Sick reports and leave in Chromium on a 360 px phone: a parent reports two children sick, the morning list
shows both, one is reported better, Absenten shows the period; a 13a request for 11 school days is refused with
the reason, 3 days are asked, the director grants them and the decision letter arrives as PDF (real SMTP)."""

import datetime
import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from e2e.conftest import pass_second_step
from ouderportaal.schoolcalendar.calendar import SchoolCalendar
from tests import factories as f
from tests import smtp

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def mailbox(settings, live_server):
    settings.SITE_URL = live_server.url
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    with smtp.running(settings) as box:
        yield box


@pytest.fixture
def family(transactional_db):
    board = f.make_board(name="Stichting Mijlpaal")
    school = f.make_school(board, name="De Mijlpaal")
    group = f.make_group(school, "4/5", name="Groep 4/5")
    lotte = f.make_pupil(school, group, 5, roepnaam="Lotte", surname="Jansen", birth_date=datetime.date(2017, 4, 2))
    daan = f.make_pupil(school, f.make_group(school, "7", name="Groep 7"), roepnaam="Daan", surname="Jansen")
    parent = f.make_user("ouder", password="ouder-demo", email="eva@example.com")
    f.make_guardian(board, [lotte, daan], user=parent, first_name="Eva", surname="Jansen", relation="moeder")
    f.make_staff(school, username="administratie", password="beheer-demo", first_name="Ingrid")
    f.make_staff(
        school, role="directeur", username="directeur", password="beheer-demo", first_name="Marleen", last_name="Visser"
    )
    return {"school": school, "lotte": lotte, "daan": daan}


def log_in(page, username, password):
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam of e-mailadres").fill(username)
    page.get_by_label(re.compile(r"^Wachtwoord:?$")).fill(password)
    page.get_by_role("button", name="Inloggen").click()
    pass_second_step(page, username)


def fits_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 362, page.url


def test_sick_report_and_leave_on_a_phone(phone_page, browser, live_server, mailbox, family, screenshot, axe_check):
    page = phone_page
    school = family["school"]
    today = datetime.date.today()
    calendar = SchoolCalendar.covering(school, today, today + datetime.timedelta(days=120))
    sick_day = calendar.school_days(today, today + datetime.timedelta(days=14))[0]

    log_in(page, "ouder", "ouder-demo")
    page.get_by_role("link", name="Ziek melden").click()
    expect(page.get_by_role("heading", name="Ziek melden")).to_be_visible()
    page.get_by_label("Lotte").check()
    page.get_by_label("Daan").check()
    page.get_by_label("Ziek vanaf").fill(sick_day.isoformat())
    page.get_by_label("Opmerking voor de leerkracht (niet verplicht)").fill("Buikgriep")
    screenshot(page, "1-report")
    axe_check(page)
    page.get_by_role("button", name="Ziek melden").click()
    expect(page.get_by_text("Ziek gemeld: ")).to_be_visible()
    expect(page.get_by_role("button", name="Lotte beter melden")).to_be_visible()
    screenshot(page, "2-reported")
    axe_check(page)
    fits_phone(page)

    staff_context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", viewport={"width": 1280, "height": 900}
    )
    staff = staff_context.new_page()
    log_in(staff, "administratie", "beheer-demo")
    staff.goto(f"/beheer/ziekmeldingen/?datum={sick_day.isoformat()}")
    expect(staff.get_by_role("rowheader", name="Lotte Jansen")).to_be_visible()
    expect(staff.get_by_role("rowheader", name="Daan Jansen")).to_be_visible()
    screenshot(staff, "3-morning-list")
    axe_check(staff)

    page.get_by_label("Lotte is weer naar school op").fill((sick_day + datetime.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Lotte beter melden").click()
    expect(page.get_by_text("Lotte is beter gemeld.")).to_be_visible()
    expect(page.get_by_role("button", name="Lotte beter melden")).to_have_count(0)

    page.goto(f"/kind/{family['lotte'].public_id}/absenten/?schooljaar={_year(sick_day)}")
    expect(page.locator(".sick-reports")).to_contain_text("Ziek op")
    screenshot(page, "4-absenten")
    axe_check(page)
    fits_phone(page)

    # Leave: 11 school days for a parent's seasonal job is more than the school may give.
    start = today + datetime.timedelta(days=35)
    days = calendar.school_days(start, start + datetime.timedelta(days=80))
    page.get_by_role("link", name="Verlof aanvragen").click()
    page.get_by_label("Beroep van een ouder (art. 13a)").check()
    page.get_by_label("Eerste dag").fill(days[0].isoformat())
    page.get_by_label("Laatste dag").fill(days[10].isoformat())
    page.get_by_label("Toelichting").fill("Oogsttijd op ons bedrijf")
    page.get_by_label("Verklaring van de werkgever (PDF, bij beroep van een ouder)").set_input_files(
        files=[{"name": "verklaring.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Aanvraag versturen").click()
    expect(page.get_by_role("alert")).to_contain_text("hooguit 10 schooldagen")
    expect(page.get_by_label("Toelichting")).to_have_value("Oogsttijd op ons bedrijf")
    screenshot(page, "5-leave-refused")
    axe_check(page)
    fits_phone(page)

    page.get_by_label("Gewichtige omstandigheden (art. 14)").check()
    page.get_by_label("Laatste dag").fill(days[2].isoformat())
    page.get_by_label("Toelichting").fill("Huwelijk van mijn zus")
    page.get_by_role("button", name="Aanvraag versturen").click()
    expect(page.get_by_text("Uw aanvraag is verstuurd")).to_be_visible()

    director_context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", viewport={"width": 1280, "height": 900}
    )
    director = director_context.new_page()
    log_in(director, "directeur", "beheer-demo")
    director.goto("/beheer/verlof/")
    director.get_by_role("link", name="Lotte Jansen").click()
    director.get_by_label("Toekennen").check()
    director.get_by_label("Motivering (staat in de brief aan de ouders)").fill("Een huwelijk in de familie.")
    screenshot(director, "6-decision")
    axe_check(director)
    director.get_by_role("button", name="Besluit vastleggen en brief versturen").click()
    expect(director.get_by_text("Besluit genomen")).to_be_visible()

    message = mailbox.wait_for("eva@example.com")
    (attachment,) = list(message.iter_attachments())
    letter = PdfReader(io.BytesIO(attachment.get_content()))
    text = "".join(p.extract_text() for p in letter.pages)
    assert "De Mijlpaal" in text and "toe te kennen" in text and "Marleen Visser" in text

    page.goto(f"/kind/{family['lotte'].public_id}/absenten/?schooljaar={_year(days[0])}")
    expect(page.locator(".leave-requests")).to_contain_text("toegekend")
    with page.expect_download() as download_info:
        page.evaluate(
            "url => { const a = document.createElement('a'); a.href = url; a.download = 'besluit.pdf'; a.click(); }",
            page.get_by_role("link", name="Besluitbrief (PDF)").get_attribute("href"),
        )
    downloaded = download_info.value.path().read_bytes()
    assert downloaded.startswith(b"%PDF") and len(PdfReader(io.BytesIO(downloaded)).pages) >= 1
    screenshot(page, "7-absenten-leave")
    axe_check(page)
    staff_context.close()
    director_context.close()


def _year(day):
    start = day.year if day.month >= 8 else day.year - 1
    return f"{start}-{start + 1}"
