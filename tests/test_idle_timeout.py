"""An unused session ends: after STAFF_IDLE_TIMEOUT for staff, PARENT_IDLE_TIMEOUT for parents."""

import pytest
from django.conf import settings
from django.test import Client

from ouderportaal.accounts.sessions import LAST_SEEN


def idle_for(client, seconds):
    session = client.session
    session[LAST_SEEN] -= seconds
    session.save()


@pytest.mark.parametrize(
    ("who", "page", "limit"),
    [("parent", "/gezin/", "PARENT_IDLE_TIMEOUT"), ("staff", "/beheer/", "STAFF_IDLE_TIMEOUT")],
)
def test_an_unused_session_ends_after_its_limit(cast, who, page, limit):
    client = Client()
    client.force_login(getattr(cast, who))
    assert client.get(page).status_code == 200
    idle_for(client, getattr(settings, limit) - 120)
    assert client.get(page).status_code == 200  # still within the limit: and the clock starts again
    idle_for(client, getattr(settings, limit) + 1)
    response = client.get(page)
    assert response.status_code == 302 and response["Location"].startswith("/inloggen/")
    assert "_auth_user_id" not in client.session
    assert "een tijd niets" in client.get(response["Location"]).content.decode()


def test_staff_time_out_sooner_than_parents():
    assert settings.STAFF_IDLE_TIMEOUT < settings.PARENT_IDLE_TIMEOUT <= settings.SESSION_COOKIE_AGE


def test_a_parent_idle_as_long_as_staff_may_be_stays_logged_in(cast):
    client = Client()
    client.force_login(cast.parent)
    client.get("/gezin/")
    idle_for(client, settings.STAFF_IDLE_TIMEOUT + 60)
    assert client.get("/gezin/").status_code == 200
