"""Logging in (username or email), the error that tells nothing, logout by POST, password change, language."""

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests import factories as f

ERROR = "Deze combinatie van gebruikersnaam (of e-mailadres) en wachtwoord kennen we niet."


def login(client, username, password=f.PASSWORD):
    return client.post("/inloggen/", {"username": username, "password": password})


def test_login_page_is_dutch_with_labels(client, db):
    response = client.get("/inloggen/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="nl">' in html
    assert "Gebruikersnaam of e-mailadres" in html
    assert '<label for="id_password">' in html


def test_login_by_username(client, cast):
    response = login(client, "ouder")
    assert response.status_code == 302
    assert response.url == "/"
    assert client.get("/").context["user"] == cast.parent


def test_login_by_email_ignores_case(client, cast):
    response = login(client, "Ouder@Example.com")
    assert response.status_code == 302
    assert client.get("/").context["user"] == cast.parent


def test_login_follows_next(client, cast):
    path = f"/kind/{cast.child1.public_id}/personalia/"
    response = client.post(f"/inloggen/?next={path}", {"username": "ouder", "password": f.PASSWORD, "next": path})
    assert response.url == path


@pytest.mark.parametrize(
    "username,password",
    [("ouder", "wrong-password-1"), ("niemand", f.PASSWORD), ("niemand@example.com", "x"), ("ouder@example.com", "x")],
)
def test_wrong_login_gives_one_dutch_message(client, cast, username, password):
    response = login(client, username, password)
    assert response.status_code == 200
    html = response.content.decode()
    assert ERROR in html
    assert "onjuist wachtwoord" not in html.lower() and "bestaat niet" not in html.lower()
    assert "_auth_user_id" not in client.session


def test_messages_are_identical_for_unknown_user_and_wrong_password(client, cast):
    wrong_password = login(Client(), "ouder", "wrong-password-1").context["form"].non_field_errors()
    unknown_user = login(Client(), "niemand", "wrong-password-1").context["form"].non_field_errors()
    assert wrong_password == unknown_user


def test_inactive_user_gets_the_same_message(client, cast):
    cast.parent.is_active = False
    cast.parent.save()
    assert ERROR in login(client, "ouder").content.decode()


def test_repeated_failures_lock_out(client, cast, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "ouder", "wrong-password-1")
    response = login(client, "ouder")
    assert response.status_code == 429
    assert "Tijdelijk geblokkeerd" in response.content.decode()


def test_logout_is_post_only(client, cast):
    client.force_login(cast.parent)
    assert client.get("/uitloggen/").status_code == 405
    assert client.get("/").status_code == 200
    response = client.post("/uitloggen/")
    assert response.status_code == 302
    assert response.url == "/inloggen/"
    assert client.get("/").status_code == 302


def test_nav_has_a_logout_form(client, cast):
    client.force_login(cast.parent)
    html = client.get("/").content.decode()
    assert 'action="/uitloggen/"' in html and 'method="post"' in html


def test_login_page_links_to_onboarding_when_it_exists(client, db):
    html = client.get("/inloggen/").content.decode()
    for name in ("password_reset", "account_request"):
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        assert f'href="{url}"' in html


def test_password_change_keeps_this_session_and_ends_others(cast):
    here, elsewhere = Client(), Client()
    here.force_login(cast.parent)
    elsewhere.force_login(cast.parent)
    response = here.post(
        "/account/wachtwoord/",
        {
            "old_password": f.PASSWORD,
            "new_password1": "paars-paard-batterij-7",
            "new_password2": "paars-paard-batterij-7",
        },
    )
    assert response.status_code == 302
    assert response.url == "/account/"
    assert "Uw wachtwoord is gewijzigd" in here.get("/account/").content.decode()
    assert elsewhere.get("/account/").status_code == 302
    cast.parent.refresh_from_db()
    assert cast.parent.check_password("paars-paard-batterij-7")


def test_password_change_rejects_weak_password_in_dutch(client, cast):
    client.force_login(cast.parent)
    response = client.post(
        "/account/wachtwoord/", {"old_password": f.PASSWORD, "new_password1": "kort", "new_password2": "kort"}
    )
    assert response.status_code == 200
    assert "Dit wachtwoord is te kort. De minimale lengte is 10 tekens." in response.content.decode()


def test_password_change_needs_the_old_password(client, cast):
    client.force_login(cast.parent)
    response = client.post(
        "/account/wachtwoord/",
        {"old_password": "niet-het-oude", "new_password1": "paars-paard-7x", "new_password2": "paars-paard-7x"},
    )
    assert response.status_code == 200
    cast.parent.refresh_from_db()
    assert cast.parent.check_password(f.PASSWORD)


def test_language_switch_to_english(client, cast):
    client.force_login(cast.parent)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/gezin/"})
    assert response.status_code == 302
    html = client.get("/gezin/").content.decode()
    assert '<html lang="en">' in html
    assert "Family members" in html and "Gezinsleden" not in html
    html = client.get(f"/kind/{cast.child1.public_id}/absenten/").content.decode()
    assert "School year" in html and "Absences" in html
    cast.parent.refresh_from_db()
    assert cast.parent.language == "en"  # mail to this parent follows the choice


def test_language_switch_ignores_unknown_languages(client, cast):
    client.force_login(cast.parent)
    client.post("/i18n/setlang/", {"language": "xx", "next": "/gezin/"})
    cast.parent.refresh_from_db()
    assert cast.parent.language == "nl"


def test_language_switch_on_the_login_page(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/inloggen/"})
    html = client.get("/inloggen/").content.decode()
    assert "Username or email address" in html
    client.post("/i18n/setlang/", {"language": "nl", "next": "/inloggen/"})
    assert "Gebruikersnaam of e-mailadres" in client.get("/inloggen/").content.decode()


@pytest.mark.parametrize(
    "password,message",
    [
        ("1234567890123", "Dit wachtwoord bevat alleen cijfers."),
        ("password123", "Dit wachtwoord is te algemeen."),
    ],
)
def test_password_change_explains_in_dutch(client, cast, password, message):
    client.force_login(cast.parent)
    data = {"old_password": f.PASSWORD, "new_password1": password, "new_password2": password}
    assert message in client.post("/account/wachtwoord/", data).content.decode()


def test_the_backend_loads_the_signed_in_user_by_its_compiled_query(cast):
    # get_user runs on every request with SQL built once (accounts/backends.py); the ORM's rules still hold.
    from ouderportaal.accounts.backends import UsernameOrEmailBackend, _user_by_id

    backend = UsernameOrEmailBackend()
    assert backend.get_user(str(cast.parent.pk)) == cast.parent
    assert _user_by_id.compiled["default"] is not None  # the compiled path, not the ORM fallback
    assert backend.get_user("999999") is None
    assert backend.get_user("not-a-number") is None
    cast.parent.is_active = False
    cast.parent.save()
    assert backend.get_user(str(cast.parent.pk)) is None
