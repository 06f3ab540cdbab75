"""Where a login lands and what the navigation offers: parents, school staff, and staff who are parents too;
the logout message; the favicon."""

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from ouderportaal.school.models import StaffRole
from tests import factories as f


def login(client, username):
    response = client.post("/inloggen/", {"username": username, "password": f.PASSWORD}, follow=True)
    return second_step(client, response, username)


def second_step(client, response, username):
    """Staff pass the second step of the login (two-factor) with the code their app shows, when it is asked."""
    path = response.redirect_chain[-1][0] if response.redirect_chain else ""
    if not path.startswith("/tweestaps/controle/"):
        return response
    device = TOTPDevice.objects.get(user__username=username)
    return client.post(path, {"otp_token": f.totp_code(device)}, follow=True)


def nav_links(html):
    """The main navigation's HTML."""
    start = html.index('<nav class="main-nav"')
    return html[start : html.index("</nav>", start)]


def test_staff_land_in_the_back_office_after_login(client, cast):
    response = login(client, "administratie")
    assert response.redirect_chain[-1][0] == "/beheer/"
    html = response.content.decode()
    assert "Er zijn (nog) geen kinderen" not in html
    nav = nav_links(html)
    assert 'href="/beheer/" aria-current="page"' in nav
    # No empty parent sections for staff who are no parent.
    assert 'href="/gezin/"' not in nav and 'href="/school/"' not in nav and ">Kinderen<" not in nav
    assert 'href="/account/"' in nav


def test_staff_who_are_parents_land_on_their_children_and_see_both(client, cast):
    StaffRole.objects.create(user=cast.parent, school=cast.school, role=StaffRole.Role.ADMINISTRATION)
    f.add_totp_device(cast.parent)
    response = login(client, "ouder")
    assert response.redirect_chain[-1][0] == "/"
    html = response.content.decode()
    assert cast.child1.full_name in html
    nav = nav_links(html)
    for href in ("/", "/gezin/", "/school/", "/beheer/", "/account/"):
        assert f'href="{href}"' in nav, href
    nav = nav_links(second_step(client, client.get("/beheer/", follow=True), "ouder").content.decode())
    assert 'href="/beheer/" aria-current="page"' in nav and 'href="/gezin/"' in nav


def test_parents_see_no_back_office(client, cast):
    html = login(client, "ouder").content.decode()
    nav = nav_links(html)
    assert 'href="/beheer/"' not in nav
    assert 'href="/gezin/"' in nav and 'href="/account/"' in nav


def test_back_office_subpages_mark_beheer_as_the_current_section(client, cast):
    client.force_login(cast.staff)
    nav = nav_links(client.get("/beheer/aanvragen/").content.decode())
    assert 'href="/beheer/" aria-current="true"' in nav


@pytest.mark.parametrize(("language", "text"), [("nl", "U bent uitgelogd."), ("en", "You have been logged out.")])
def test_logout_says_so_on_the_login_page(client, cast, language, text):
    client.cookies["django_language"] = language
    client.force_login(cast.parent)
    response = client.post("/uitloggen/", follow=True)
    assert response.redirect_chain[-1][0] == "/inloggen/"
    assert text in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Said once: the next page no longer carries it.
    assert text not in client.get("/inloggen/").content.decode()


def test_logout_without_a_session_says_nothing(client, db):
    response = client.post("/uitloggen/", follow=True)
    assert "uitgelogd" not in response.content.decode()


def test_favicon(client, db):
    response = Client().get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body[:4] == b"\x00\x00\x01\x00"  # an ICO file
    html = client.get("/inloggen/").content.decode()
    assert 'rel="icon"' in html and "favicon.svg" in html
