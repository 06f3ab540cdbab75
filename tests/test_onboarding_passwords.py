"""Forgot password, the set-password page, Django's validators in Dutch, lockout, sessions ending."""

import re

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

import ouderportaal.settings as project_settings
from ouderportaal.accounts.hashers import OwaspArgon2PasswordHasher
from ouderportaal.accounts.validators import MinimumLengthValidator
from ouderportaal.core.models import OutgoingMail
from ouderportaal.onboarding import tokens
from ouderportaal.onboarding.services import MAX_RESET_MAILS_PER_ADDRESS, MAX_RESET_REQUESTS_PER_IP
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def forgot(client, django_capture_on_commit_callbacks):
    def send(login):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/wachtwoord-vergeten/", {"login": login})

    return send


def open_set_password_form(client, url):
    response = client.get(url.removeprefix("http://127.0.0.1:8000"), follow=True)
    assert response.status_code == 200
    return response.redirect_chain[-1][0], response.content.decode()


def test_project_hashes_with_argon2():
    # The tests themselves hash with MD5 for speed (conftest); the project's first hasher is Argon2id with OWASP's
    # recommended parameters (m=19 MiB, t=2, p=1).
    assert project_settings.PASSWORD_HASHERS[0] == "ouderportaal.accounts.hashers.OwaspArgon2PasswordHasher"
    encoded = OwaspArgon2PasswordHasher().encode("paarse-olifant", "zoutzoutzout")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_hashes_with_djangos_default_argon2_parameters_verify_and_are_updated():
    hasher = OwaspArgon2PasswordHasher()
    old = Argon2PasswordHasher().encode("paarse-olifant", "zoutzoutzout")  # m=102400, t=2, p=8
    assert hasher.verify("paarse-olifant", old)
    assert not hasher.verify("andere-olifant", old)
    assert hasher.must_update(old)
    assert not hasher.must_update(hasher.encode("paarse-olifant", hasher.salt()))


def test_length_message_is_dutch():
    validator = MinimumLengthValidator(min_length=10)
    with translation.override("nl"), pytest.raises(ValidationError) as error:
        validator.validate("kort")
    assert error.value.messages == ["Dit wachtwoord is te kort. De minimale lengte is 10 tekens."]
    with translation.override("en"), pytest.raises(ValidationError) as error:
        validator.validate("kort")
    assert error.value.messages == ["This password is too short. It must contain at least 10 characters."]


@pytest.mark.parametrize("login", ["ouder", "OUDER", "ouder@example.com", " Ouder@Example.com "])
def test_forgot_password_by_username_or_email(cast, forgot, login):
    response = forgot(login)
    assert response["Location"] == "/wachtwoord-vergeten/verstuurd/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ouder@example.com"]
    assert "Uw gebruikersnaam: ouder" in message.body
    assert "/wachtwoord-herstellen/" in message.body
    html = message.alternatives[0].content
    assert "/wachtwoord-herstellen/" in html


@pytest.mark.parametrize("login", ["niemand", "niemand@example.org", "", "<b>ouder</b>"])
def test_forgot_password_answers_the_same_for_unknown_logins(cast, forgot, login):
    response = forgot(login)
    if login:
        assert response.status_code == 302
        assert response["Location"] == "/wachtwoord-vergeten/verstuurd/"
    else:
        assert "Dit veld is verplicht." in response.content.decode()
    assert mail.outbox == []


def test_forgot_password_sends_nothing_to_inactive_accounts(cast, forgot):
    cast.parent.is_active = False
    cast.parent.save()
    forgot("ouder")
    assert mail.outbox == []


def test_forgot_password_is_rate_limited_per_address(cast, forgot):
    for _ in range(MAX_RESET_MAILS_PER_ADDRESS + 2):
        assert forgot("ouder").status_code == 302
    assert len(mail.outbox) == MAX_RESET_MAILS_PER_ADDRESS


def test_forgot_password_looks_up_and_mails_in_the_background(client, cast, django_capture_on_commit_callbacks):
    """The request does the same work whatever was typed (no timing difference); the task does the rest."""
    client.get("/wachtwoord-vergeten/")  # warm up the session
    seen = {}
    for login in ["ouder", "niemand-hier"]:
        mails_before = OutgoingMail.objects.count()
        with (
            django_capture_on_commit_callbacks(execute=False) as callbacks,
            CaptureQueriesContext(connection) as queries,
        ):
            assert client.post("/wachtwoord-vergeten/", {"login": login}).status_code == 302
        assert OutgoingMail.objects.count() == mails_before  # nothing rendered or queued in the request itself
        statements = [re.sub(r"'[^']*'|\"s\d+_x\d+\"", "?", q["sql"]) for q in queries.captured_queries]
        seen[login] = (len(callbacks), statements)
        assert "ouder" not in " ".join(q["sql"] for q in queries.captured_queries if "auth_user" in q["sql"])
        with django_capture_on_commit_callbacks(execute=True):
            for callback in callbacks:
                callback()  # the task (immediate in tests)
    assert seen["ouder"] == seen["niemand-hier"]
    (message,) = mail.outbox
    assert message.to == ["ouder@example.com"]


def test_forgot_password_is_rate_limited_per_ip(cast, client, django_capture_on_commit_callbacks, caplog):
    def forgot_from(ip, login):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/wachtwoord-vergeten/", {"login": login}, REMOTE_ADDR=ip)

    for n in range(MAX_RESET_REQUESTS_PER_IP):
        assert forgot_from("198.51.100.1", f"niemand{n}").status_code == 302
    response = forgot_from("198.51.100.1", "ouder")
    assert response.status_code == 302
    assert response["Location"] == "/wachtwoord-vergeten/verstuurd/"
    assert mail.outbox == []
    assert "rate limit" in caplog.text
    forgot_from("198.51.100.2", "ouder")
    assert len(mail.outbox) == 1


def test_reset_sent_page(client, db):
    assert "Controleer uw e-mail" in client.get("/wachtwoord-vergeten/verstuurd/").content.decode()


@pytest.mark.parametrize(
    ("password", "error"),
    [
        ("kort", "Dit wachtwoord is te kort. De minimale lengte is 10 tekens."),
        ("1234567890", "Dit wachtwoord bevat alleen cijfers."),
        ("password123", "Dit wachtwoord is te algemeen."),
        ("ouder@example.com", "Het wachtwoord lijkt te veel op de"),
    ],
)
def test_set_password_validators_speak_dutch(client, cast, password, error):
    url, page = open_set_password_form(client, tokens.set_password_url(cast.parent, first=True))
    assert "Kies uw wachtwoord" in page
    assert "Uw gebruikersnaam: <strong>ouder</strong>" in page
    response = client.post(url, {"new_password1": password, "new_password2": password})
    assert response.status_code == 200
    assert error in response.content.decode()
    cast.parent.refresh_from_db()
    assert cast.parent.check_password(f.PASSWORD)


def test_mismatched_passwords(client, cast):
    url, page = open_set_password_form(client, tokens.set_password_url(cast.parent))
    assert "<title>Nieuw wachtwoord kiezen" in page
    response = client.post(url, {"new_password1": "paarse-olifant-1", "new_password2": "paarse-olifant-2"})
    assert "De twee wachtwoordvelden komen niet overeen." in response.content.decode()


def test_token_never_reaches_the_page_address(client, cast):
    # Django swaps the token for a session marker before the form shows, so it cannot leak through Referer.
    link = tokens.set_password_url(cast.parent)
    url, _page = open_set_password_form(client, link)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert token not in url
    assert url.endswith("/set-password/")


def test_setting_a_password_ends_every_other_session(client, cast):
    elsewhere = Client()
    elsewhere.force_login(cast.parent)
    assert elsewhere.get("/account/").status_code == 200

    url, _page = open_set_password_form(client, tokens.set_password_url(cast.parent))
    response = client.post(url, {"new_password1": "paarse-olifant-fietst", "new_password2": "paarse-olifant-fietst"})
    assert response["Location"] == "/wachtwoord-ingesteld/"

    response = elsewhere.get("/account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/")


def test_garbage_links_show_the_expired_page(client, db):
    for path in ["/wachtwoord-kiezen/MQ/abc-def/", "/wachtwoord-herstellen/zzzz/1-2/", "/wachtwoord-kiezen/%00/x/"]:
        response = client.get(path, follow=True)
        assert response.status_code == 200
        page = response.content.decode()
        assert "verlopen of al gebruikt" in page
        assert "<title>Deze link werkt niet meer" in page
        assert "Wachtwoordherinitialisatie mislukt" not in page
        assert "Password reset unsuccessful" not in page


def test_locked_out_page_is_dutch_and_says_when(client, cast):
    for _ in range(5):
        response = client.post("/inloggen/", {"username": "ouder", "password": "fout"})
    page = response.content.decode()
    assert response.status_code == 429
    assert "Tijdelijk geblokkeerd" in page
    assert "5 keer een verkeerd wachtwoord" in page
    assert re.search(r"U kunt het weer proberen na \d\d:\d\d uur \(over [^)]+\)", page)
    assert 'href="/wachtwoord-vergeten/"' in page
    # A different account from the same address is not locked (username + IP).
    assert client.post("/inloggen/", {"username": "ouder2", "password": f.PASSWORD}).status_code == 302
