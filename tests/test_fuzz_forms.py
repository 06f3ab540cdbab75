"""Property-based fuzzing (Hypothesis) of every form, through the whole stack (middleware, view, template): whatever
is typed, the answer is a page or a redirect inside the portal, never a server error.

FUZZ_EXAMPLES inputs per form (default 50, so CI stays fast; `make fuzz` runs 1,000 per form: over 10,000 in all).
The lockout limits are lifted here so that the forms themselves are fuzzed, not the lockout page; the lockout has
its own tests.
"""

import os
import string

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ouderportaal.onboarding import tokens
from ouderportaal.onboarding.models import AccountRequest
from tests import factories as f

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "50"))
fuzz = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text as browsers and scripts send it: any Unicode a form can carry (no lone surrogates: they cannot be encoded),
# plus inputs known to break parsers and validators.
NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u202eevil",
    "\ufeff",
    "𝔖𝔞𝔫𝔫𝔢",
    "ﬁ",
    "' OR 1=1 --",
    '"><script>alert(1)</script>',
    "{{ settings.SECRET_KEY }}",
    "%(username)s",
    "../../etc/passwd",
    "a" * 5000,
    "9" * 400,
    "31-02-2019",
    "29-02-2016",
    "0000-00-00",
    "99-99-9999",
    "1-1-1",
    "a@[127.0.0.1]",
    "ouder@example.com",
    "OUDER",
    "//evil.example/",
    "https://evil.example/",
    "javascript:alert(1)",
    "\r\nSet-Cookie: x=1",
]
text = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"]), max_size=300),
    st.text(string.printable, max_size=60),
    st.sampled_from(NASTY),
)
dates = st.one_of(text, st.dates().map(lambda d: d.strftime("%d-%m-%Y")), st.dates().map(str))
ips = st.ip_addresses(v=4).map(str)
ran = {}


def check(response, name):
    ran[name] = ran.get(name, 0) + 1
    status = response.status_code
    assert status < 500, f"{name}: {status}"
    assert status in (200, 302, 400, 404, 405, 429), f"{name}: {status}"
    if status == 302:
        location = response["Location"]
        assert url_has_allowed_host_and_scheme(location, {"testserver"}), f"{name}: redirect to {location!r}"


@pytest.fixture(autouse=True)
def _no_lockout(settings, monkeypatch):
    settings.AXES_FAILURE_LIMIT = 10**9
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    monkeypatch.setattr("ouderportaal.accounts.lockout.ACCOUNT_FAILURE_LIMIT", 10**9)


@pytest.fixture(autouse=True, scope="module")
def _enough_inputs():
    yield
    short = {name: n for name, n in ran.items() if n < EXAMPLES * 0.9}
    assert not short, f"Hypothesis ran fewer inputs than asked: {short}"


def test_login(cast):
    @fuzz
    @given(username=text, password=text, next_url=text, ip=ips)
    def run(username, password, next_url, ip):
        response = Client().post(
            "/inloggen/", {"username": username, "password": password, "next": next_url}, REMOTE_ADDR=ip
        )
        check(response, "login")

    run()


def test_account_request(cast):
    @fuzz
    @given(
        school=st.one_of(st.just(str(cast.school.pk)), text),
        email=text,
        first=text,
        surname=text,
        birth=dates,
        ip=ips,
    )
    def run(school, email, first, surname, birth, ip):
        data = {"school": school, "email": email, "child_first_name": first, "child_surname": surname}
        response = Client().post("/aanvragen/", data | {"child_birth_date": birth}, REMOTE_ADDR=ip)
        check(response, "account request")
        if response.status_code == 200:
            assert "form" in response.content.decode()

    run()


def test_confirmation_link(cast):
    @fuzz
    @given(token=text.filter(lambda t: "/" not in t and t.strip() == t and t), method=st.sampled_from(["get", "post"]))
    def run(token, method):
        from urllib.parse import quote

        response = getattr(Client(), method)(f"/aanvragen/bevestigen/{quote(token, safe='')}/")
        check(response, "confirmation link")

    run()


def test_forgot_password(cast):
    @fuzz
    @given(login=text, ip=ips)
    def run(login, ip):
        check(Client().post("/wachtwoord-vergeten/", {"login": login}, REMOTE_ADDR=ip), "forgot password")

    run()


def test_set_password(cast):
    user = f.make_user("fuzz.ouder")
    client = Client()

    @fuzz
    @given(password1=text, password2=text, same=st.booleans())
    def run(password1, password2, same):
        user.refresh_from_db()  # a password set by an earlier input changes the link
        url = tokens.set_password_url(user).removeprefix("http://127.0.0.1:8000")
        form_url = client.get(url)["Location"]  # the token moves into the session
        data = {"new_password1": password1, "new_password2": password1 if same else password2}
        check(client.post(form_url, data), "set password")

    run()


def test_password_change(cast):
    client = Client()
    client.force_login(cast.parent)

    @fuzz
    @given(old=st.one_of(text, st.just(f.PASSWORD)), new1=text, new2=text, same=st.booleans())
    def run(old, new1, new2, same):
        data = {"old_password": old, "new_password1": new1, "new_password2": new1 if same else new2}
        response = client.post("/account/wachtwoord/", data)
        check(response, "password change")
        if response.status_code == 302:  # changed: back to the known password for the next input
            cast.parent.set_password(f.PASSWORD)
            cast.parent.save()
            client.force_login(cast.parent)

    run()


def test_backoffice_decision(cast):
    client = Client()
    client.force_login(cast.staff)

    @fuzz
    @given(
        decision=st.one_of(st.sampled_from(["approve", "reject"]), text),
        guardian=st.one_of(st.just(str(cast.guardian.pk)), text),
        reason=text,
    )
    def run(decision, guardian, reason):
        request = AccountRequest.objects.create(
            school=cast.school,
            email="fuzz@example.org",
            child_first_name="Sanne",
            child_surname="Visser",
            child_birth_date=cast.child1.birth_date,
            confirmed_at=timezone.now(),
        )
        data = {"decision": decision, "guardian": guardian, "reason": reason}
        check(client.post(f"/beheer/aanvragen/{request.public_id}/", data), "back-office decision")

    run()


def test_twofactor_verify(cast):
    client = Client()
    assert client.post("/inloggen/", {"username": "administratie", "password": f.PASSWORD}).status_code == 302

    @fuzz
    @given(
        code=st.one_of(text, st.from_regex(r"\A[0-9]{6}\Z"), st.from_regex(r"\A[a-z2-7]{5}-[a-z2-7]{5}\Z")),
        next_url=text,
    )
    def run(code, next_url):
        response = client.post("/tweestaps/controle/", {"otp_token": code, "next": next_url})
        check(response, "two-factor code")
        if response.status_code == 302:  # a lucky guess: log in again without the second step
            client.logout()
            client.post("/inloggen/", {"username": "administratie", "password": f.PASSWORD})

    run()


def test_twofactor_enrolment(cast):
    f.make_staff(cast.school, username="fuzz.collega", two_factor=False)
    client = Client()
    client.post("/inloggen/", {"username": "fuzz.collega", "password": f.PASSWORD})

    @fuzz
    @given(code=st.one_of(text, st.from_regex(r"\A[0-9]{6}\Z")), next_url=text)
    def run(code, next_url):
        check(client.post("/tweestaps/instellen/", {"otp_token": code, "next": next_url}), "two-factor enrolment")

    run()


def test_account_twofactor_forms(cast):
    """A parent's Account tab: the app's first code, the overview's actions, turning it off with the password."""
    f.add_totp_device(cast.parent)
    client = Client()
    client.force_login(cast.parent)
    actions = st.one_of(st.sampled_from(["codes", "remove_passkey"]), text)

    @fuzz
    @given(code=st.one_of(text, st.from_regex(r"\A[0-9]{6}\Z")), action=actions, passkey=text, password=text)
    def run(code, action, passkey, password):
        check(client.post("/account/tweestaps/app/", {"otp_token": code}), "account two-factor")
        check(client.post("/account/tweestaps/", {"action": action, "passkey": passkey}), "account two-factor")
        if password != f.PASSWORD:
            check(client.post("/account/tweestaps/uitzetten/", {"password": password}), "account two-factor")

    run()


def test_language_switch(cast):
    client = Client()
    client.force_login(cast.parent)

    @fuzz
    @given(language=st.one_of(st.sampled_from(["nl", "en"]), text), next_url=text)
    def run(language, next_url):
        check(client.post("/i18n/setlang/", {"language": language, "next": next_url}), "language switch")

    run()
