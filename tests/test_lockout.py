"""Failed logins lock the account however its name is typed; the client address is read as configured."""

import pytest
from django.test import RequestFactory

from ouderportaal.core.clientip import client_ip
from tests import factories as f


def log_in(client, username, password="wrong-password"):
    return client.post("/inloggen/", {"username": username, "password": password})


@pytest.mark.parametrize("variant", ["OUDER", " ouder ", "ouder\t", "ouder@example.com", "Ouder@Example.com"])
def test_lockout_holds_for_every_spelling_of_the_account(client, cast, variant):
    for _ in range(5):
        log_in(client, "ouder")
    assert log_in(client, variant, f.PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_spellings_share_one_series_of_attempts(client, cast):
    statuses = [log_in(client, name).status_code for name in ["ouder", "OUDER", "ouder ", "ouder@example.com", "Ouder"]]
    assert statuses == [200, 200, 200, 200, 429]


def test_other_accounts_are_not_locked(client, cast):
    for _ in range(5):
        log_in(client, "ouder")
    assert log_in(client, "ouder2", f.PASSWORD).status_code == 302


@pytest.mark.parametrize("length", [255, 256, 5000])
def test_overlong_username_is_a_form_error_not_a_server_error(client, cast, length):
    response = log_in(client, "a" * length)
    assert response.status_code == 200
    assert "a" * 50 in response.content.decode()


def test_client_ip_believes_no_forwarded_header_without_proxies(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.0.0.5"


def test_client_ip_behind_one_proxy_takes_the_address_it_added(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert client_ip(request) == "203.0.113.7"  # 6.6.6.6 was typed by the visitor: not believed


def test_client_ip_ignores_garbage(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="not-an-ip")
    assert client_ip(request) == "10.0.0.5"


def test_the_admin_login_is_the_portals_own(client, cast):
    # Operators log in on the portal's login page (its length cap and lockout), then pass the second step.
    response = client.post("/admin/login/", {"username": "a" * 5000, "password": "x"})
    assert response.status_code == 302
    assert response["Location"] == "/inloggen/?next=%2Fadmin%2F"


@pytest.mark.parametrize("typed", ["\x00", "ouder\x00", "a\x00@example.com"])
def test_a_nul_character_in_the_login_is_a_refusal_not_a_server_error(client, cast, typed):
    # Found by the fuzzer on PostgreSQL, which refuses NUL in text.
    response = log_in(client, typed)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
