"""The onboarding journey as a parent meets it: a real SMTP server on loopback, and every step taken by following
the links in the messages it received."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.test import Client

from ouderportaal.core.models import AuditLogEntry
from ouderportaal.onboarding import tokens
from ouderportaal.onboarding.models import AccountRequest
from tests import factories as f
from tests import smtp

pytestmark = pytest.mark.django_db(transaction=True)

ZOE_BIRTH = datetime.date(2016, 5, 2)
NEW_PASSWORD = "paarse-olifant-fietst-snel"


@pytest.fixture
def mailbox(settings):
    settings.SITE_URL = "http://testserver"
    with smtp.running(settings) as box:
        yield box


@pytest.fixture
def family(cast):
    """A child at cast.school whose two parents have no account yet; only the father's address is on file."""
    board = cast.school.board
    zoe = f.make_pupil(
        cast.school, cast.group, first_names="Zoë Anna", roepnaam="Zoë", voorvoegsel="van den", surname="Berg",
        birth_date=ZOE_BIRTH,
    )  # fmt: skip
    mark = f.make_guardian(board, [zoe], first_name="Mark", voorvoegsel="van den", surname="Berg", relation="vader")
    f.add_contact(mark, "email", "mark@example.org")
    lotte = f.make_guardian(board, [zoe], first_name="Lotte", surname="Jansen", relation="moeder")
    return {"zoe": zoe, "mark": mark, "lotte": lotte}


def ask(client, school, email, first_name, surname, birth_date):
    response = client.post(
        "/aanvragen/",
        {
            "school": school.pk,
            "email": email,
            "child_first_name": first_name,
            "child_surname": surname,
            "child_birth_date": birth_date,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == "/aanvragen/verstuurd/"
    return response


def confirm(client, mailbox, email):
    message = mailbox.last(email, subject_contains="Bevestig")
    link = smtp.links(message)[0]
    assert link in smtp.html_body(message)
    # Opening the link (as a mail scanner would) confirms nothing; the button on the page does.
    opened = client.get(smtp.path_of(link))
    assert opened.status_code == 200
    assert "Ja, bevestig mijn e-mailadres" in opened.content.decode()
    response = client.post(smtp.path_of(link))
    assert response.status_code == 200
    assert "E-mailadres bevestigd" in response.content.decode()
    return link


def staff_client(user):
    client = Client()
    client.force_login(user)
    return client


def approve(staff, email, guardian=None):
    """Open the queue, find the request by its address, approve it for `guardian` (or the preselected one)."""
    queue = staff.get("/beheer/aanvragen/").content.decode()
    detail = re.search(r'href="(/beheer/aanvragen/[^"/]+/)">' + re.escape(email), queue).group(1)
    page = staff.get(detail).content.decode()
    if guardian is None:
        guardian_id = re.search(r'name="guardian" value="(\d+)" checked', page).group(1)
    else:
        guardian_id = guardian.pk
    response = staff.post(detail, {"decision": "approve", "guardian": guardian_id})
    assert response.status_code == 302, response.content.decode()[:3000]
    return page


def set_password(client, mailbox, email, password=NEW_PASSWORD):
    message = mailbox.last(email, subject_contains="Uw account")
    body = smtp.text_body(message)
    username = re.search(r"Uw gebruikersnaam: (\S+)", body).group(1)
    link = next(url for url in smtp.links(message) if "/wachtwoord-kiezen/" in url)
    assert "http://testserver" in body  # the portal's address (SITE_URL)
    form_page = client.get(smtp.path_of(link), follow=True)
    assert "Kies uw wachtwoord" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}, follow=True
    )
    assert "Wachtwoord ingesteld" in response.content.decode()
    return username, link


def log_in(client, username, password=NEW_PASSWORD):
    return client.post("/inloggen/", {"username": username, "password": password})


def test_request_confirm_approve_set_password_log_in_see_child(client, cast, family, mailbox):
    ask(client, cast.school, "mark@example.org", "zoe", "Van den Berg", "02-05-2016")
    assert len(mailbox.to("mark@example.org")) == 1
    confirm_message = mailbox.last("mark@example.org")
    assert "48 uur" in smtp.text_body(confirm_message)
    confirm(client, mailbox, "mark@example.org")
    # The school's administration hears of it.
    assert mailbox.last(cast.school.admin_email, subject_contains="Nieuwe accountaanvraag")

    page = approve(staff_client(cast.staff), "mark@example.org")
    assert "Zoë van den Berg" in page
    assert "dit e-mailadres" in page

    username, _link = set_password(client, mailbox, "mark@example.org")
    message = mailbox.last("mark@example.org", subject_contains="Uw account")
    for body in (smtp.text_body(message), smtp.html_body(message)):
        assert NEW_PASSWORD not in body
        assert "wachtwoord" in body.lower()
    assert username == "mark.berg"

    fresh = Client()
    response = log_in(fresh, username)
    assert response.status_code == 302
    home = fresh.get("/", follow=True)
    assert "Zoë" in home.content.decode()

    family["mark"].refresh_from_db()
    assert family["mark"].user.username == username
    actions = set(AuditLogEntry.objects.values_list("action", flat=True))
    assert {"account_request.created", "account_request.confirmed", "account_request.approved"} <= actions
    approved = AuditLogEntry.objects.get(action="account_request.approved")
    assert approved.actor == cast.staff
    assert approved.school_id == cast.school.pk


def test_second_parent_gets_own_login_for_the_same_child(client, cast, family, mailbox):
    ask(client, cast.school, "mark@example.org", "Zoë", "Berg", "02-05-2016")
    confirm(client, mailbox, "mark@example.org")
    approve(staff_client(cast.staff), "mark@example.org")
    mark_username, _ = set_password(client, mailbox, "mark@example.org")

    other = Client()
    ask(other, cast.school, "lotte@example.org", "zoë anna", "VAN DEN BERG", "2016-05-02")
    confirm(other, mailbox, "lotte@example.org")
    page = approve(staff_client(cast.staff), "lotte@example.org", guardian=family["lotte"])
    assert "kies de ouder" in page.lower() or "Kies wie het account krijgt" in page
    assert "heeft al een account" in page  # Mark, by now
    lotte_username, _ = set_password(other, mailbox, "lotte@example.org", password="groene-giraf-zwemt-traag")

    assert lotte_username != mark_username
    assert family["lotte"].contacts.filter(kind="email", value="lotte@example.org").exists()
    for username, password in [(mark_username, NEW_PASSWORD), (lotte_username, "groene-giraf-zwemt-traag")]:
        browser = Client()
        assert log_in(browser, username, password).status_code == 302
        assert "Zoë" in browser.get("/", follow=True).content.decode()


def test_wrong_birth_date_lands_unmatched_in_the_queue_and_can_be_rejected(client, cast, family, mailbox):
    ask(client, cast.school, "mark@example.org", "Zoë", "van den Berg", "03-05-2016")
    confirm(client, mailbox, "mark@example.org")
    staff = staff_client(cast.staff)
    queue = staff.get("/beheer/aanvragen/").content.decode()
    assert "mark@example.org" in queue
    assert "Geen leerling gevonden" in queue
    detail = re.search(r'href="(/beheer/aanvragen/[^"/]+/)"', queue).group(1)
    page = staff.get(detail).content.decode()
    assert "Goedkeuren kan niet" in page
    assert 'name="guardian"' not in page

    # Approving anyway (a forged POST) is refused with a clear message, nothing is created.
    response = staff.post(detail, {"decision": "approve", "guardian": family["mark"].pk})
    assert response.status_code == 200
    assert get_user_model().objects.filter(email="mark@example.org").count() == 0

    response = staff.post(detail, {"decision": "reject", "reason": "De geboortedatum klopt niet met onze gegevens."})
    assert response.status_code == 302
    message = mailbox.last("mark@example.org", subject_contains="Uw aanvraag")
    assert "De geboortedatum klopt niet met onze gegevens." in smtp.text_body(message)
    assert message["Reply-To"] == cast.school.admin_email
    assert AccountRequest.objects.get().status == AccountRequest.Status.REJECTED
    rejected = AuditLogEntry.objects.get(action="account_request.rejected")
    assert rejected.data["reason"] == "De geboortedatum klopt niet met onze gegevens."
    assert "mark@example.org" not in staff.get("/beheer/aanvragen/").content.decode().split("Recent beoordeeld")[0]


def test_request_for_another_schools_child_is_invisible_to_staff_of_school_a(client, cast, mailbox):
    child = f.make_pupil(cast.other_school, roepnaam="Bram", first_names="Abraham", surname="Smit")
    ask(client, cast.other_school, "ouder-b@example.org", "Bram", "Smit", child.birth_date.isoformat())
    confirm(client, mailbox, "ouder-b@example.org")
    account_request = AccountRequest.objects.get()

    staff_a = staff_client(cast.staff)
    assert "ouder-b@example.org" not in staff_a.get("/beheer/aanvragen/").content.decode()
    assert staff_a.get(f"/beheer/aanvragen/{account_request.public_id}/").status_code == 404
    response = staff_a.post(f"/beheer/aanvragen/{account_request.public_id}/", {"decision": "reject", "reason": "x"})
    assert response.status_code == 404

    staff_b = staff_client(cast.other_staff)
    queue = staff_b.get("/beheer/aanvragen/").content.decode()
    assert "ouder-b@example.org" in queue
    assert child.full_name in queue
    # The administration of school B is told, not that of school A.
    assert mailbox.to(cast.other_school.admin_email)
    assert not mailbox.to(cast.school.admin_email)


def test_expired_confirmation_link_explains_and_offers_a_new_request(client, cast, family, mailbox, monkeypatch):
    two_days_ago = int(datetime.datetime.now().timestamp()) - 49 * 3600
    monkeypatch.setattr(tokens._confirm_signer, "timestamp", lambda: signing.b62_encode(two_days_ago))
    ask(client, cast.school, "mark@example.org", "Zoë", "Berg", "02-05-2016")
    link = smtp.links(mailbox.last("mark@example.org"))[0]
    response = client.get(smtp.path_of(link))
    assert response.status_code == 200  # a page for a person: no error status
    page = response.content.decode()
    assert "Deze link is verlopen" in page
    assert 'href="/aanvragen/"' in page
    assert AccountRequest.objects.get().confirmed_at is None


def test_tampered_link_is_refused_and_opening_twice_is_harmless(client, cast, family, mailbox):
    ask(client, cast.school, "mark@example.org", "Zoë", "Berg", "02-05-2016")
    link = smtp.links(mailbox.last("mark@example.org"))[0]
    tampered = smtp.path_of(link).replace("/bevestigen/", "/bevestigen/x")
    response = client.get(tampered)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Deze link werkt niet" in page
    assert 'href="/aanvragen/"' in page

    confirm(client, mailbox, "mark@example.org")
    first = AccountRequest.objects.get().confirmed_at
    confirm(client, mailbox, "mark@example.org")
    assert AccountRequest.objects.get().confirmed_at == first
    assert AuditLogEntry.objects.filter(action="account_request.confirmed").count() == 1
    assert len(mailbox.to(cast.school.admin_email)) == 1


def test_set_password_link_works_once(client, cast, family, mailbox):
    ask(client, cast.school, "mark@example.org", "Zoë", "Berg", "02-05-2016")
    confirm(client, mailbox, "mark@example.org")
    approve(staff_client(cast.staff), "mark@example.org")
    _username, link = set_password(client, mailbox, "mark@example.org")

    again = Client().get(smtp.path_of(link), follow=True)
    page = again.content.decode()
    assert "verlopen of al gebruikt" in page
    assert 'name="new_password1"' not in page


def test_set_password_link_expires(client, cast, family, mailbox, monkeypatch):
    ask(client, cast.school, "mark@example.org", "Zoë", "Berg", "02-05-2016")
    confirm(client, mailbox, "mark@example.org")
    long_ago = datetime.datetime.now() - datetime.timedelta(hours=49)
    monkeypatch.setattr(default_token_generator, "_now", lambda: long_ago)
    approve(staff_client(cast.staff), "mark@example.org")
    monkeypatch.undo()
    message = mailbox.last("mark@example.org", subject_contains="Uw account")
    link = next(url for url in smtp.links(message) if "/wachtwoord-kiezen/" in url)
    page = Client().get(smtp.path_of(link), follow=True).content.decode()
    assert "verlopen of al gebruikt" in page


def test_request_for_an_address_with_an_account_mails_its_username_and_a_reset_link(client, cast, mailbox):
    ask(client, cast.school, "OUDER@example.com", "Iemand", "Anders", "01-01-2018")
    message = mailbox.last("OUDER@example.com")
    assert "al een account" in message["Subject"]
    body = smtp.text_body(message)
    assert "Uw gebruikersnaam: ouder" in body
    link = next(url for url in smtp.links(message) if "/wachtwoord-herstellen/" in url)
    page = client.get(smtp.path_of(link), follow=True)
    assert "Nieuw wachtwoord kiezen" in page.content.decode()
    response = client.post(
        page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )
    assert "Wachtwoord ingesteld" in response.content.decode()
    assert log_in(Client(), "ouder").status_code == 302
    # No confirmation mail, nothing for staff to review.
    assert not AccountRequest.objects.pending().exists()
    assert not mailbox.to(cast.school.admin_email)


def test_brute_force_is_locked_out_and_a_reset_link_unlocks(client, cast, mailbox):
    statuses = [log_in(client, "ouder", "wrong-password").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # AXES_FAILURE_LIMIT = 5: the fifth failure locks
    response = log_in(client, "ouder", f.PASSWORD)  # the sixth attempt, with the right password: too late
    assert response.status_code == 429
    page = response.content.decode()
    assert "Tijdelijk geblokkeerd" in page
    assert re.search(r"U kunt het weer proberen na \d\d:\d\d uur", page)
    assert "_auth_user_id" not in client.session

    response = client.post("/wachtwoord-vergeten/", {"login": "ouder"})
    assert response.status_code == 302
    message = mailbox.last("ouder@example.com", subject_contains="Nieuw wachtwoord")
    link = next(url for url in smtp.links(message) if "/wachtwoord-herstellen/" in url)
    page = client.get(smtp.path_of(link), follow=True)
    client.post(page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert log_in(client, "ouder").status_code == 302


def test_opening_the_confirmation_link_confirms_nothing_until_the_button(client, cast, family, mailbox):
    # Mail scanners fetch every link in a message (GET, HEAD): only the button on the page (POST) confirms.
    ask(client, cast.school, "mark@example.org", "Zoë", "Berg", "02-05-2016")
    path = smtp.path_of(smtp.links(mailbox.last("mark@example.org"))[0])
    for _ in range(3):
        assert client.get(path).status_code == 200
        assert client.head(path).status_code == 200
    assert AccountRequest.objects.get().confirmed_at is None
    assert not mailbox.to(cast.school.admin_email)
    assert client.put(path).status_code == 405
    assert client.post(path).status_code == 200
    assert AccountRequest.objects.get().confirmed_at is not None
