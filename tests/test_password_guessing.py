"""Every guess at a password counts: the current password on the password-change form, and guesses spread over many
addresses meet a per-account limit that ends by itself."""

import datetime

from axes.models import AccessFailureLog
from django.utils import timezone

from ouderportaal.accounts.lockout import ACCOUNT_FAILURE_LIMIT, ACCOUNT_WINDOW, lockout_key
from tests import factories as f


def change(client, old, new="een-nieuw-wachtwoord-42"):
    return client.post("/account/wachtwoord/", {"old_password": old, "new_password1": new, "new_password2": new})


def log_in(client, username, password, ip="192.0.2.1"):
    return client.post("/inloggen/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_wrong_current_passwords_count_like_failed_logins(client, cast):
    client.force_login(cast.parent)
    for _ in range(4):
        response = change(client, "geraden")
        assert response.status_code == 200
        assert "old_password" in response.content.decode()
    assert AccessFailureLog.objects.filter(username=lockout_key(cast.parent)).count() == 4
    response = change(client, "nog-een-gok")  # the fifth: locked, and this browser logged out
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # The lock is the login's lock: the right password does not get in from this address now.
    assert log_in(client, "ouder", f.PASSWORD, ip="127.0.0.1").status_code == 429
    cast.parent.refresh_from_db()
    assert cast.parent.check_password(f.PASSWORD)


def test_a_locked_account_cannot_change_its_password_even_with_the_right_one(client, cast):
    for _ in range(5):
        log_in(client, "ouder", "fout", ip="127.0.0.1")
    client.force_login(cast.parent)
    response = change(client, f.PASSWORD)
    assert "te vaak verkeerde wachtwoorden" in response.content.decode()
    cast.parent.refresh_from_db()
    assert cast.parent.check_password(f.PASSWORD)


def test_the_right_current_password_still_changes_it(client, cast):
    client.force_login(cast.parent)
    change(client, "geraden")
    assert change(client, f.PASSWORD).status_code == 302
    cast.parent.refresh_from_db()
    assert cast.parent.check_password("een-nieuw-wachtwoord-42")


def test_guesses_from_many_addresses_meet_the_per_account_limit(client, cast):
    for n in range(ACCOUNT_FAILURE_LIMIT):
        assert log_in(client, "ouder", "fout", ip=f"198.51.100.{n + 1}").status_code == 200
    # A new address, the right password: refused for now, with a Dutch explanation, and not logged in.
    response = log_in(client, "ouder", f.PASSWORD, ip="203.0.113.50")
    assert response.status_code == 200
    assert "te vaak verkeerde wachtwoorden" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Other accounts are untouched.
    assert log_in(client, "ouder2", f.PASSWORD, ip="203.0.113.50").status_code == 302


def test_the_per_account_limit_ends_by_itself(client, cast):
    for n in range(ACCOUNT_FAILURE_LIMIT):
        log_in(client, "ouder", "fout", ip=f"198.51.100.{n + 1}")
    AccessFailureLog.objects.update(attempt_time=timezone.now() - ACCOUNT_WINDOW - datetime.timedelta(seconds=1))
    assert log_in(client, "ouder", f.PASSWORD, ip="203.0.113.50").status_code == 302


def test_unknown_names_are_limited_alike_so_the_limit_tells_nothing(client, cast):
    for n in range(ACCOUNT_FAILURE_LIMIT):
        log_in(client, "bestaat-niet", "fout", ip=f"198.51.100.{n + 1}")
    response = log_in(client, "bestaat-niet", "fout", ip="203.0.113.50")
    assert "te vaak verkeerde wachtwoorden" in response.content.decode()


def test_no_password_is_stored_with_a_failed_attempt(client, cast):
    from axes.models import AccessAttempt

    client.force_login(cast.parent)
    change(client, "geheim-gok-123", new="nieuw-geheim-456")
    log_in(client, "ouder", "login-gok-789")
    stored = " ".join(a.post_data + a.get_data for a in AccessAttempt.objects.all())
    assert stored
    for secret in ("geheim-gok-123", "nieuw-geheim-456", "login-gok-789"):
        assert secret not in stored
