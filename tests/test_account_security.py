"""The account's own security: optional two-factor for parents, log out everywhere, recent logins, the director's
and the operator's reset of a lost second step, hashed recovery codes."""

import datetime
import importlib
import os
import re
from base64 import b32decode

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ouderportaal.accounts.logins import KEEP, rough_device
from ouderportaal.accounts.models import LoginRecord
from ouderportaal.core.models import AuditLogEntry, OutgoingMail
from ouderportaal.twofactor.models import RecoveryCode, RecoveryCodeDevice
from ouderportaal.twofactor.policy import has_device
from tests import factories as f

FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.5 Mobile/15E148 Safari/604.1"
)


def log_in(username, user_agent=FIREFOX_WINDOWS, address="203.0.113.7"):
    client = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)
    response = client.post("/inloggen/", {"username": username, "password": f.PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def code_from_page(page):
    secret = re.search(r'<p class="secret" id="secret">([A-Z2-7 ]+)</p>', page)[1].replace(" ", "")
    return f"{totp(b32decode(secret)):06d}"


def recovery_codes(page):
    return re.findall(r"<li>([a-z2-7]{5}-[a-z2-7]{5})</li>", page)


def turn_on_app(client):
    page = client.get("/account/tweestaps/app/").content.decode()
    response = client.post("/account/tweestaps/app/", {"otp_token": code_from_page(page)})
    assert response["Location"] == "/tweestaps/herstelcodes/?next=%2Faccount%2Ftweestaps%2F"
    return recovery_codes(client.get(response["Location"]).content.decode())


# Two-factor for parents


def test_a_parent_turns_on_the_app_and_then_needs_it_at_every_login(cast):
    client = log_in("ouder")
    account = client.get("/account/").content.decode()
    assert "Tweestapsverificatie aanzetten" in account
    other_browser = log_in("ouder")

    codes = turn_on_app(client)
    assert len(codes) == 10
    assert AuditLogEntry.objects.filter(action="account.twofactor.enrolled", actor=cast.parent).count() == 1
    assert "Staat aan" in client.get("/account/").content.decode()
    # A session from before had no second step: it ended.
    assert other_browser.get("/account/")["Location"].startswith("/inloggen/")

    client = log_in("ouder")
    for path in ["/", f"/kind/{cast.child1.public_id}/medisch/", "/account/", "/account/tweestaps/"]:
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/tweestaps/controle/"), path
    device = TOTPDevice.objects.get(user=cast.parent)
    response = client.post("/tweestaps/controle/", {"otp_token": f.totp_code(device, 1), "next": "/gezin/"})
    assert response["Location"] == "/gezin/"
    assert client.get("/gezin/").status_code == 200


def test_a_recovery_code_lets_a_parent_in_once(cast):
    codes = turn_on_app(log_in("ouder"))
    client = log_in("ouder")
    response = client.post("/tweestaps/controle/", {"otp_token": codes[0].upper().replace("-", " "), "next": "/"})
    assert response["Location"] == "/"
    again = log_in("ouder")
    TOTPDevice.objects.filter(user=cast.parent).update(throttling_failure_count=0)
    response = again.post("/tweestaps/controle/", {"otp_token": codes[0], "next": "/"})
    assert response.status_code == 200 and "Deze code klopt niet" in response.content.decode()


def test_turning_it_off_needs_the_password_counts_wrong_ones_and_mails(cast):
    client = log_in("ouder")
    turn_on_app(client)
    response = client.post("/account/tweestaps/uitzetten/", {"password": "fout-wachtwoord"})
    assert "Dit wachtwoord klopt niet" in response.content.decode()
    assert has_device(cast.parent)
    from axes.models import AccessFailureLog

    assert AccessFailureLog.objects.filter(username=f"account:{cast.parent.pk}").count() == 1

    response = client.post("/account/tweestaps/uitzetten/", {"password": f.PASSWORD})
    assert response["Location"] == "/account/"
    assert not has_device(cast.parent) and not RecoveryCodeDevice.objects.filter(user=cast.parent).exists()
    assert AuditLogEntry.objects.filter(action="account.twofactor.disabled", actor=cast.parent).count() == 1
    mail = OutgoingMail.objects.get(template="twofactor-reset", to=cast.parent.email)
    assert "zojuist uitgezet" in mail.body_text
    assert log_in("ouder").get("/gezin/").status_code == 200  # the password alone again


def test_staff_cannot_turn_it_off(cast):
    client = Client()
    client.force_login(cast.staff)
    page = client.get("/account/tweestaps/uitzetten/").content.decode()
    assert "verplicht" in page and 'name="password"' not in page
    assert client.post("/account/tweestaps/uitzetten/", {"password": f.PASSWORD}).status_code == 302
    assert has_device(cast.staff)


def test_the_last_passkey_of_staff_without_an_app_stays(cast):
    from django_otp_webauthn.models import WebAuthnCredential

    TOTPDevice.objects.filter(user=cast.staff).delete()
    key = WebAuthnCredential.objects.create(
        user=cast.staff, name="Sleutel", credential_id=b"abc", public_key=b"k", sign_count=0, confirmed=True
    )
    client = Client()
    client.force_login(cast.staff)
    from django_otp import DEVICE_ID_SESSION_KEY

    session = client.session
    session[DEVICE_ID_SESSION_KEY] = key.persistent_id
    session.save()
    response = client.post("/tweestaps/instellen/", {"action": "remove_passkey", "passkey": key.pk}, follow=True)
    assert "enige tweede stap" in response.content.decode()
    assert WebAuthnCredential.objects.filter(pk=key.pk).exists()


def test_a_new_passkey_needs_the_second_step_passed_first(cast):
    """The package refuses a new passkey to a session that has not passed the account's second step."""
    client = log_in("administratie")
    response = client.post("/tweestaps/passkey/registreren/begin/", content_type="application/json")
    assert response.status_code == 403
    device = TOTPDevice.objects.get(user=cast.staff)
    client.post("/tweestaps/controle/", {"otp_token": f.totp_code(device)})
    response = client.post("/tweestaps/passkey/registreren/begin/", content_type="application/json")
    assert response.status_code == 200
    options = response.json()
    assert options["rp"]["id"] == settings.OTP_WEBAUTHN_RP_ID
    assert options["authenticatorSelection"]["residentKey"] != "required"  # never a login without the password


# Sessions


@pytest.mark.parametrize(
    "engine", ["django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db"]
)
def test_log_out_everywhere_ends_every_other_session(cast, settings, engine):
    settings.SESSION_ENGINE = engine
    here, laptop, phone = log_in("ouder"), log_in("ouder"), log_in("ouder", SAFARI_IPHONE)
    other_account = log_in("ouder2")
    response = here.post("/account/overal-uitloggen/")
    assert response["Location"] == "/account/"
    assert here.get("/account/").status_code == 200
    for client in (laptop, phone):
        assert client.get("/account/")["Location"].startswith("/inloggen/")
    assert other_account.get("/account/").status_code == 200
    assert AuditLogEntry.objects.filter(action="account.sessions.ended", actor=cast.parent).count() == 1
    # A new login works as before.
    assert log_in("ouder").get("/account/").status_code == 200


def test_existing_sessions_survive_the_upgrade(cast):
    """Generation 0 keeps Django's own session hash: nobody is logged out when this is deployed."""
    from django.contrib.auth.base_user import AbstractBaseUser

    assert cast.parent.get_session_auth_hash() == AbstractBaseUser._get_session_auth_hash(cast.parent)


def test_recent_logins_show_time_device_and_address(cast):
    log_in("ouder", SAFARI_IPHONE, "198.51.100.4")
    client = log_in("ouder")
    page = client.get("/account/").content.decode()
    assert "Firefox · Windows" in page and "Safari · iPhone" in page and "198.51.100.4" in page
    assert FIREFOX_WINDOWS not in page  # a few words, never the header


def test_only_the_last_logins_are_kept_and_old_addresses_are_forgotten(cast):
    old = timezone.now() - datetime.timedelta(days=91)
    LoginRecord.objects.create(user=cast.coparent, at=old, ip="192.0.2.1", device="Chrome")
    for _ in range(KEEP + 3):
        log_in("ouder")
    assert LoginRecord.objects.filter(user=cast.parent).count() == KEEP
    stale = LoginRecord.objects.get(user=cast.coparent)
    assert stale.ip is None and stale.device == "Chrome"


@pytest.mark.parametrize(
    ("agent", "device"),
    [
        (FIREFOX_WINDOWS, "Firefox · Windows"),
        (SAFARI_IPHONE, "Safari · iPhone"),
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile "
            "Safari/537.36",
            "Chrome · Android",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 "
            "Safari/537.36 Edg/131.0",
            "Edge · macOS",
        ),
        ("curl/8.5.0", ""),
        ("", ""),
    ],
)
def test_rough_device(agent, device):
    assert rough_device(agent) == device


# A lost device: the director's and the operator's reset


@pytest.fixture
def director(cast):
    return f.make_staff(cast.school, role="directeur", username="directeur")


def test_the_director_resets_a_colleagues_second_step(cast, director):
    colleague_browser = Client()
    colleague_browser.force_login(cast.staff)
    client = Client()
    client.force_login(director)
    role = cast.staff.staff_roles.get()
    assert "Tweestapsverificatie herstellen" in client.get("/beheer/medewerkers/").content.decode()
    response = client.post("/beheer/medewerkers/", {"reset_twofactor": role.pk})
    assert response["Location"] == "/beheer/medewerkers/"
    assert not has_device(cast.staff)
    entry = AuditLogEntry.objects.get(action="account.twofactor.reset")
    assert (entry.actor, entry.object_id, entry.school_id, entry.data["via"]) == (
        director,
        str(cast.staff.pk),
        cast.school.pk,
        "beheer",
    )
    mail = OutgoingMail.objects.get(template="twofactor-reset")
    assert mail.to == cast.staff.email and "opnieuw in" in mail.body_text
    # Every session of the colleague ended; the next login enrols again.
    assert colleague_browser.get("/beheer/")["Location"].startswith("/inloggen/")
    client = log_in("administratie")
    assert client.get("/beheer/")["Location"].startswith("/tweestaps/instellen/")


def test_only_the_director_resets_and_only_at_their_school(cast, director):
    office = Client()
    office.force_login(cast.staff)
    other = f.make_staff(cast.other_school, username="elders")
    other_role = other.staff_roles.get()
    assert office.post("/beheer/medewerkers/", {"reset_twofactor": other_role.pk}).status_code == 403
    client = Client()
    client.force_login(director)
    assert client.post("/beheer/medewerkers/", {"reset_twofactor": other_role.pk}).status_code == 404
    assert has_device(other)


def test_the_director_resets_a_guardians_second_step_from_the_pupil_record(cast, director):
    f.add_totp_device(cast.parent)
    client = Client()
    client.force_login(director)
    url = f"/beheer/leerlingen/{cast.child1.public_id}/"
    assert client.get(url).content.decode().count('value="reset_twofactor"') == 1
    office = Client()
    office.force_login(cast.staff)
    assert 'value="reset_twofactor"' not in office.get(url).content.decode()
    office.post(url, {"guardian": cast.guardian.pk, "action": "reset_twofactor"})
    assert has_device(cast.parent)  # the office cannot

    response = client.post(url, {"guardian": cast.guardian.pk, "action": "reset_twofactor"}, follow=True)
    assert "krijgt daarover een e-mail" in response.content.decode()
    assert not has_device(cast.parent)
    assert AuditLogEntry.objects.filter(action="account.twofactor.reset", actor=director).count() == 1
    assert OutgoingMail.objects.filter(template="twofactor-reset", to=cast.parent.email).count() == 1


def test_an_operator_resets_in_the_admin(cast):
    operator = f.make_user("beheerder", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(operator)
    response = client.post(
        "/admin/accounts/user/",
        {"action": "reset_second_step", "_selected_action": [cast.staff.pk], "index": 0},
    )
    assert response.status_code == 302
    assert not has_device(cast.staff)
    entry = AuditLogEntry.objects.get(action="account.twofactor.reset")
    assert (entry.actor, entry.data["via"]) == (operator, "admin")


# Recovery codes are stored hashed


def test_plain_recovery_codes_from_before_are_hashed_by_the_migration(cast):
    static = StaticDevice.objects.create(user=cast.staff, name="Herstelcodes")
    StaticToken.objects.create(device=static, token="abcdefgh")
    migration = importlib.import_module("ouderportaal.twofactor.migrations.0002_hash_static_tokens")
    migration.forwards(apps, None)
    assert not StaticToken.objects.exists() and not StaticDevice.objects.exists()
    assert not RecoveryCode.objects.filter(digest__contains="abcdefgh").exists()
    device = RecoveryCodeDevice.objects.get(user=cast.staff)
    assert device.verify_token("ABCD EFGH")
    assert not device.verify_token("abcdefgh")  # once


# Query counts: the Account tab and its two-factor page cost the same with 1 and with 6 logins and passkeys


def account_queries(n):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django_otp_webauthn.models import WebAuthnCredential

    user = f.make_user(two_factor=True)
    for i in range(n):
        LoginRecord.objects.create(user=user, at=timezone.now(), ip=f"192.0.2.{i + 1}", device="Firefox · Linux")
        WebAuthnCredential.objects.create(
            user=user, name=f"Sleutel {i}", credential_id=os.urandom(16), public_key=b"k", confirmed=True
        )
    client = Client()
    client.force_login(user)
    counts = []
    for path in ["/account/", "/account/tweestaps/"]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, path
        counts.append(len(queries))
    return counts


def test_constant_query_count_of_the_account_pages(db):
    assert account_queries(1) == account_queries(6)


# The security log: every change is an event, and no code, password or session id is in it


def test_the_account_workflows_are_logged_without_secrets(cast, director):
    import logging

    from tests.test_security_log import Everything, events

    handler = Everything()
    logger = logging.getLogger("ouderportaal")
    logger.addHandler(handler)
    try:
        client = log_in("ouder")
        codes = turn_on_app(client)
        client.post("/account/tweestaps/", {"action": "codes"})
        client.post("/account/overal-uitloggen/")
        client.post("/account/tweestaps/uitzetten/", {"password": f.PASSWORD})
        office = Client()
        office.force_login(director)
        office.post("/beheer/medewerkers/", {"reset_twofactor": cast.staff.staff_roles.get().pk})
    finally:
        logger.removeHandler(handler)
    lines = handler.lines
    assert {
        "twofactor.enrolled",
        "twofactor.recovery_codes_renewed",
        "session.logout_everywhere",
        "twofactor.disabled",
        "twofactor.reset",
    } <= set(events(lines))
    text = "\n".join(lines)
    secrets = [*codes, f.PASSWORD, client.cookies["sessionid"].value, cast.child1.full_name]
    assert not [secret for secret in secrets if secret in text]
