"""Two-factor authentication for staff and operators: enrolment on the first login, the second step at every
login, recovery codes, a new phone. Codes are computed from the device's key, as the app on a phone would."""

import datetime
import re
from base64 import b32decode

import pytest
from axes.models import AccessFailureLog
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ouderportaal.accounts.lockout import lockout_key
from ouderportaal.core.models import AuditLogEntry
from ouderportaal.twofactor.models import RecoveryCode, digest, normalise
from tests import factories as f


def logged_in(username):
    """A browser that typed the right password (and nothing more)."""
    client = Client()
    response = client.post("/inloggen/", {"username": username, "password": f.PASSWORD})
    assert response.status_code == 302
    return client


def code_from_page(page):
    """What a phone does with the key shown under the QR code."""
    secret = re.search(r'<p class="secret" id="secret">([A-Z2-7 ]+)</p>', page)[1].replace(" ", "")
    return f"{totp(b32decode(secret)):06d}"


def a_moment_later(user):
    """After a wrong code django-otp makes the next try wait a second (doubling); a person is that slow anyway."""
    TOTPDevice.objects.filter(user=user).update(
        throttling_failure_timestamp=timezone.now() - datetime.timedelta(minutes=5)
    )


def recovery_codes(page):
    return re.findall(r"<li>([a-z2-7]{5}-[a-z2-7]{5})</li>", page)


# The second step at login


def test_staff_with_an_app_are_asked_for_a_code_before_any_staff_page(cast):
    client = logged_in("administratie")
    response = client.get("/beheer/aanvragen/")
    assert response.status_code == 302
    assert response["Location"] == "/tweestaps/controle/?next=%2Fbeheer%2Faanvragen%2F"
    page = client.get(response["Location"]).content.decode()
    assert "Code uit de app" in page

    device = TOTPDevice.objects.get(user=cast.staff)
    response = client.post("/tweestaps/controle/", {"otp_token": f.totp_code(device), "next": "/beheer/aanvragen/"})
    assert response.status_code == 302
    assert response["Location"] == "/beheer/aanvragen/"
    assert client.get("/beheer/aanvragen/").status_code == 200


def test_a_wrong_code_is_a_dutch_error_and_counts_like_a_wrong_password(cast):
    client = logged_in("administratie")
    device = TOTPDevice.objects.get(user=cast.staff)
    wrong = f"{(int(f.totp_code(device)) + 1) % 1_000_000:06d}"
    response = client.post("/tweestaps/controle/", {"otp_token": wrong})
    assert response.status_code == 200
    assert "Deze code klopt niet" in response.content.decode()
    assert AccessFailureLog.objects.filter(username=lockout_key(cast.staff)).count() == 1
    assert client.get("/beheer/").status_code == 302


def test_codes_a_few_steps_off_are_refused_and_a_code_works_once(cast):
    device = TOTPDevice.objects.get(user=cast.staff)
    client = logged_in("administratie")
    assert client.post("/tweestaps/controle/", {"otp_token": f.totp_code(device, offset=-10)}).status_code == 200
    a_moment_later(cast.staff)
    code = f.totp_code(device)
    assert client.post("/tweestaps/controle/", {"otp_token": code}).status_code == 302
    # The same code, typed in another browser a moment later (someone looking over a shoulder): refused.
    other = logged_in("administratie")
    response = other.post("/tweestaps/controle/", {"otp_token": code})
    assert response.status_code == 200
    assert other.get("/beheer/").status_code == 302


def test_five_wrong_codes_lock_the_account_and_end_the_session(cast):
    client = logged_in("administratie")
    statuses = [client.post("/tweestaps/controle/", {"otp_token": "000000"}).status_code for _ in range(5)]
    assert statuses[-1] == 429
    assert "_auth_user_id" not in client.session


def test_parents_never_meet_the_second_step(client, cast):
    client.post("/inloggen/", {"username": "ouder", "password": f.PASSWORD})
    assert client.get("/gezin/").status_code == 200
    for path in ("/tweestaps/instellen/", "/tweestaps/controle/", "/tweestaps/herstelcodes/"):
        assert client.get(path).status_code == 404


# Enrolment, forced on the first login


def test_a_first_login_enrols_an_app_with_a_qr_code_then_shows_recovery_codes_once(cast):
    new = f.make_staff(cast.school, username="nieuwe.collega", two_factor=False)
    client = logged_in("nieuwe.collega")
    response = client.get("/beheer/")
    assert response["Location"] == "/tweestaps/instellen/?next=%2Fbeheer%2F"
    page = client.get(response["Location"]).content.decode()
    assert 'src="data:image/svg+xml' in page  # the QR code, drawn on the server: no third party sees the key
    assert client.get("/beheer/").status_code == 302  # not enrolled yet

    response = client.post("/tweestaps/instellen/", {"otp_token": "123456", "next": "/beheer/"})
    assert "Deze code klopt niet" in response.content.decode()
    a_moment_later(new)
    response = client.post("/tweestaps/instellen/", {"otp_token": code_from_page(page), "next": "/beheer/"})
    assert response["Location"] == "/tweestaps/herstelcodes/?next=%2Fbeheer%2F"
    codes_page = client.get(response["Location"]).content.decode()
    codes = recovery_codes(codes_page)
    assert len(codes) == 10
    # Stored as keyed hashes only: no code is in the database as typed.
    stored = set(RecoveryCode.objects.filter(device__user=new).values_list("digest", flat=True))
    assert stored == {digest(normalise(code)) for code in codes}
    assert not RecoveryCode.objects.filter(digest__in=[*codes, *map(normalise, codes)]).exists()
    assert 'href="/beheer/"' in codes_page
    assert client.get("/tweestaps/herstelcodes/").status_code == 302  # shown once
    assert client.get("/beheer/").status_code == 200
    assert AuditLogEntry.objects.filter(action="account.twofactor.enrolled", actor=new).count() == 1


def test_the_qr_code_stays_the_same_until_enrolment_is_done(cast):
    f.make_staff(cast.school, username="nieuwe.collega", two_factor=False)
    client = logged_in("nieuwe.collega")
    first = client.get("/tweestaps/instellen/").content.decode()
    assert code_from_page(first) == code_from_page(client.get("/tweestaps/instellen/").content.decode())


def test_a_stolen_password_alone_cannot_replace_the_app(cast):
    client = logged_in("administratie")
    response = client.get("/tweestaps/instellen/?vervangen=1")
    assert response["Location"].startswith("/tweestaps/controle/")
    response = client.post("/tweestaps/instellen/", {"otp_token": "123456", "replace": "1"})
    assert response["Location"].startswith("/tweestaps/controle/")
    assert TOTPDevice.objects.filter(user=cast.staff).count() == 1


# Recovery codes and a new phone


def test_a_recovery_code_gets_in_once_and_is_audited(cast):
    client = Client()
    client.force_login(cast.staff)
    codes = recovery_codes(
        client.get(client.post("/tweestaps/instellen/", {"action": "codes"})["Location"]).content.decode()
    )
    assert len(codes) == 10

    phone_lost = logged_in("administratie")
    typed = codes[0][:4].upper() + " " + codes[0][4:].upper()  # as people type it
    response = phone_lost.post("/tweestaps/controle/", {"otp_token": typed, "next": "/beheer/"})
    assert response["Location"] == "/beheer/"
    assert AuditLogEntry.objects.get(action="account.twofactor.recovery_code_used").data == {"left": 9}

    again = logged_in("administratie")
    assert again.post("/tweestaps/controle/", {"otp_token": codes[0]}).status_code == 200
    assert again.get("/beheer/").status_code == 302


def test_new_recovery_codes_replace_the_old_ones(cast):
    client = Client()
    client.force_login(cast.staff)
    old = recovery_codes(
        client.get(client.post("/tweestaps/instellen/", {"action": "codes"})["Location"]).content.decode()
    )
    new = recovery_codes(
        client.get(client.post("/tweestaps/instellen/", {"action": "codes"})["Location"]).content.decode()
    )
    assert not set(old) & set(new)
    assert logged_in("administratie").post("/tweestaps/controle/", {"otp_token": old[0]}).status_code == 200


def test_a_new_phone_takes_over_only_once_it_gave_a_right_code(cast):
    old_device = TOTPDevice.objects.get(user=cast.staff)
    client = Client()
    client.force_login(cast.staff)
    page = client.get("/tweestaps/instellen/?vervangen=1").content.decode()
    assert "Uw oude telefoon blijft werken" in page
    # Halfway: the old phone still works.
    assert (
        logged_in("administratie").post("/tweestaps/controle/", {"otp_token": f.totp_code(old_device)}).status_code
        == 302
    )
    response = client.post("/tweestaps/instellen/", {"otp_token": code_from_page(page), "replace": "1"})
    assert response.status_code == 302
    assert list(TOTPDevice.objects.filter(user=cast.staff)) != [old_device]
    assert TOTPDevice.objects.filter(user=cast.staff).count() == 1
    assert AuditLogEntry.objects.filter(action="account.twofactor.replaced").count() == 1


# Operators in Django's admin


def test_operators_pass_the_second_step_before_the_admin(cast):
    operator = f.make_user("beheerder", is_staff=True, is_superuser=True)
    client = logged_in("beheerder")
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/tweestaps/controle/")
    device = TOTPDevice.objects.get(user=operator)
    response = client.post("/tweestaps/controle/", {"otp_token": f.totp_code(device), "next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_an_operator_without_an_app_enrols_first(cast):
    f.make_user("beheerder", is_staff=True, is_superuser=True, two_factor=False)
    client = logged_in("beheerder")
    response = client.get("/admin/school/medicalinfo/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/tweestaps/instellen/")


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_next_never_leaves_the_portal(cast, target):
    client = logged_in("administratie")
    device = TOTPDevice.objects.get(user=cast.staff)
    response = client.post("/tweestaps/controle/", {"otp_token": f.totp_code(device), "next": target})
    assert response["Location"] == "/beheer/"
