"""Findings of the outside test, each pinned: mail domains, names, the client address, headers."""

import pytest
from django.test import RequestFactory

from ouderportaal.core import emails
from ouderportaal.core.clientip import client_ip
from ouderportaal.core.models import OutgoingMail
from ouderportaal.core.validators import is_deliverable
from ouderportaal.onboarding.forms import NameField
from ouderportaal.onboarding.models import AccountRequest


def request_form(cast, **overrides):
    return {
        "school": cast.school.pk,
        "email": "nieuw@example.org",
        "child_first_name": "Sanne",
        "child_surname": "Visser",
        "child_birth_date": cast.child1.birth_date.strftime("%d-%m-%Y"),
        **overrides,
    }


# IP-literal and host-only mail domains


@pytest.mark.parametrize(
    "address", ["a@[127.0.0.1]", "a@[IPv6:::1]", "a@[IPv6:2001:db8::1]", "a@localhost", "a@10.0.0.1", "a@intranet."]
)
def test_addresses_without_a_domain_name_are_refused(client, cast, address, mailoutbox):
    response = client.post("/aanvragen/", request_form(cast, email=address))
    assert response.status_code == 200
    assert "Gebruik een e-mailadres met een domeinnaam" in response.content.decode() or "geldig e-mailadres" in (
        response.content.decode()
    )
    assert AccountRequest.objects.count() == 0
    assert mailoutbox == []


@pytest.mark.parametrize("address", ["ouder@example.org", "o.b@sub.example.nl", "x@xn--bcher-kva.example"])
def test_ordinary_addresses_are_deliverable(address):
    assert is_deliverable(address)


def test_the_outbox_never_sends_to_an_address_literal(db, mailoutbox):
    mail = emails.queue_mail("password-reset", to="a@[127.0.0.1]", context={"username": "x", "reset_url": "u"})
    emails.deliver(mail.pk)
    mail.refresh_from_db()
    assert mail.status == OutgoingMail.Status.FAILED
    assert mailoutbox == []


# Look-alike Unicode in names


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("𝔖𝔞𝔫𝔫𝔢", "Sanne"),  # Fraktur
        ("𝐒𝐚𝐧𝐧𝐞", "Sanne"),  # mathematical bold
        ("Ｓａｎｎｅ", "Sanne"),  # full-width
        ("Visﬁ", "Visfi"),  # ligature
        ("Zoe\u0308", "Zoë"),  # a combining diaeresis
        ("  Van   't  Hof ", "Van 't Hof"),
    ],
)
def test_names_are_normalised_to_their_plain_form(typed, stored):
    assert NameField().clean(typed) == stored


@pytest.mark.parametrize("name", ["Van 't Hof", "'t Hart", "Zoë", "Jean-Luc", "J. de Vries", "Мария", "Ἀλέξανδρος"])
def test_real_names_pass(name):
    assert NameField().clean(name) == name


@pytest.mark.parametrize("name", ["山田はなこ", "محمد", "Nguyễn", "O’Brien"])
def test_names_in_other_scripts_pass(name):
    assert NameField().clean(name)


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("Sаnne", "één schrift"),  # a Cyrillic а among Latin letters
        ("Vіsser", "één schrift"),  # a Ukrainian і
        ("San--ne", "zo ziet een naam er niet uit"),
        ("-Sanne", "zo ziet een naam er niet uit"),
        ("Sanne\u200b", "Gebruik alleen letters"),  # a zero-width space
        ("Sanne\u202e", "Gebruik alleen letters"),  # a right-to-left override
        ("Sanne☃", "Gebruik alleen letters"),
        ("Sanne²", "Gebruik alleen letters"),  # NFKC makes it a digit
    ],
)
def test_implausible_names_get_a_dutch_error_and_the_form_keeps_them(client, cast, typed, error):
    response = client.post("/aanvragen/", request_form(cast, child_first_name=typed))
    assert response.status_code == 200
    page = response.content.decode()
    assert error in page
    assert "nieuw@example.org" in page
    assert AccountRequest.objects.count() == 0


# The client address behind proxies


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (2, "6.6.6.6, 203.0.113.7, 10.0.0.2", "203.0.113.7"),  # through both proxies
        (3, "6.6.6.6, 203.0.113.7, 10.0.0.1, 10.0.0.2", "203.0.113.7"),
        (3, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # never the leftmost, which the visitor typed
        (2, "203.0.113.7", "203.0.113.7"),
        (2, "", "10.0.0.5"),
    ],
)
def test_client_ip_never_takes_a_value_the_visitor_chose(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


# Headers


@pytest.mark.parametrize("path", ["/inloggen/", "/health/", "/aanvragen/"])
def test_permissions_policy_is_sent(client, db, path):
    policy = client.get(path)["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


@pytest.mark.parametrize("path", ["/inloggen/", "/health/", "/bestaat-niet/"])
def test_nothing_is_allowed_that_the_policy_does_not_name(client, db, path):
    """CSP default-src 'none' (MDN's Observatory grade, make audit); no other site may embed the portal's answers."""
    response = client.get(path)
    directives = dict(d.strip().split(" ", 1) for d in response["Content-Security-Policy"].split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["connect-src"] == "'self'"  # static/js/refresh.js fetches the page it is on
    assert "unsafe" not in response["Content-Security-Policy"]
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_no_cookie_is_readable_by_scripts(client, db):
    client.get("/inloggen/")
    client.post("/i18n/setlang/", {"language": "en", "next": "/inloggen/"})
    assert {"csrftoken", "django_language"} <= set(client.cookies)
    for name in ["csrftoken", "django_language"]:
        assert client.cookies[name]["httponly"], name
        assert client.cookies[name]["samesite"] == "Lax", name
