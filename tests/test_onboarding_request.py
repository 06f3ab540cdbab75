"""The request page (/aanvragen/) and the confirmation link: same answer whatever was typed, rate limits, bad input,
and the week an unconfirmed request lives."""

import datetime
import html

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from ouderportaal.core.models import OutgoingMail
from ouderportaal.onboarding import services
from ouderportaal.onboarding.models import AccountRequest
from ouderportaal.onboarding.services import MAX_REQUESTS_PER_ADDRESS, MAX_REQUESTS_PER_IP
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """POST the request form and run what waits for the commit (the mail task), as in production."""

    def send(data, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/aanvragen/", data, **extra)

    return send


def valid(cast, **overrides):
    return {
        "school": cast.school.pk,
        "email": "nieuw@example.org",
        "child_first_name": "Sanne",
        "child_surname": "Visser",
        "child_birth_date": cast.child1.birth_date.strftime("%d-%m-%Y"),
        **overrides,
    }


def test_login_page_links_to_request_and_reset(client, db):
    page = client.get(reverse("login")).content.decode()
    assert 'href="/aanvragen/"' in page
    assert 'href="/wachtwoord-vergeten/"' in page


def test_form_asks_for_the_school_when_the_board_has_several(client, cast):
    page = client.get("/aanvragen/").content.decode()
    assert 'name="school"' in page
    assert cast.school.name in page and cast.other_school.name in page


def test_one_school_means_no_school_question(client, db, post):
    school = f.make_school()
    page = client.get("/aanvragen/").content.decode()
    assert 'name="school"' not in page
    data = {
        "email": "a@example.org",
        "child_first_name": "Sanne",
        "child_surname": "Visser",
        "child_birth_date": "14-03-2017",
    }
    assert post(data).status_code == 302
    assert AccountRequest.objects.get().school == school


@pytest.mark.parametrize(
    "overrides",
    [
        {},  # the child exists
        {"child_first_name": "Niemand"},  # no such child
        {"school": "other"},  # the child is at another school
        {"child_birth_date": "01-01-2018"},  # wrong birth date
    ],
)
def test_answer_is_the_same_whatever_was_typed(cast, post, overrides):
    if overrides.get("school") == "other":
        overrides["school"] = cast.other_school.pk
    response = post(valid(cast, **overrides))
    assert response.status_code == 302
    assert response["Location"] == "/aanvragen/verstuurd/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nieuw@example.org"]
    assert "Bevestig" in mail.outbox[0].subject


def test_sent_page_says_check_your_mail(client, db):
    page = client.get("/aanvragen/verstuurd/").content.decode()
    assert "Controleer uw e-mail" in page


def test_request_is_stored_unconfirmed_with_language_and_ip(cast, post):
    with translation.override("en"):
        post(valid(cast), HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR="192.0.2.7")
    account_request = AccountRequest.objects.get()
    assert account_request.confirmed_at is None
    assert account_request.language == "en"
    assert account_request.ip_address == "192.0.2.7"
    assert account_request.status == AccountRequest.Status.PENDING
    outgoing = OutgoingMail.objects.get()
    assert outgoing.language == "en"
    assert '<html lang="en">' in outgoing.body_html


def test_unconfirmed_requests_are_never_shown_to_staff(client, cast, post):
    post(valid(cast))
    account_request = AccountRequest.objects.get()
    client.force_login(cast.staff)
    assert "nieuw@example.org" not in client.get("/beheer/aanvragen/").content.decode()
    assert client.get(f"/beheer/aanvragen/{account_request.public_id}/").status_code == 404


def test_rate_limit_per_address_answers_the_same_and_sends_nothing(cast, post, caplog):
    for _ in range(MAX_REQUESTS_PER_ADDRESS):
        post(valid(cast, email="Veel@example.org"))
    mail.outbox.clear()
    response = post(valid(cast, email="veel@EXAMPLE.org"))
    assert response.status_code == 302
    assert response["Location"] == "/aanvragen/verstuurd/"
    assert mail.outbox == []
    assert AccountRequest.objects.count() == MAX_REQUESTS_PER_ADDRESS
    assert "rate limit" in caplog.text
    # Another address from the same IP still gets through.
    post(valid(cast, email="ander@example.org"))
    assert len(mail.outbox) == 1


def test_rate_limit_per_ip(cast, post):
    for n in range(MAX_REQUESTS_PER_IP):
        post(valid(cast, email=f"ouder{n}@example.org"), REMOTE_ADDR="198.51.100.1")
    mail.outbox.clear()
    post(valid(cast, email="nog1@example.org"), REMOTE_ADDR="198.51.100.1")
    assert mail.outbox == []
    post(valid(cast, email="nog2@example.org"), REMOTE_ADDR="198.51.100.2")
    assert len(mail.outbox) == 1


def test_limits_count_only_the_last_hour(cast, post):
    for _ in range(MAX_REQUESTS_PER_ADDRESS):
        post(valid(cast))
    AccountRequest.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=61))
    mail.outbox.clear()
    post(valid(cast))
    assert len(mail.outbox) == 1


def test_unconfirmed_requests_are_deleted_after_a_week(cast, post):
    post(valid(cast, email="oud@example.org"))
    post(valid(cast, email="nieuw@example.org"))
    confirmed = AccountRequest.objects.create(
        school=cast.school,
        email="bevestigd@example.org",
        child_first_name="A",
        child_surname="B",
        child_birth_date=datetime.date(2017, 1, 1),
        confirmed_at=timezone.now(),
    )
    week_ago = timezone.now() - datetime.timedelta(days=7, minutes=1)
    AccountRequest.objects.filter(email__in=["oud@example.org", "bevestigd@example.org"]).update(created_at=week_ago)
    call_command("purge_account_requests", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert set(AccountRequest.objects.values_list("email", flat=True)) == {"nieuw@example.org", confirmed.email}


def test_a_new_request_also_tidies_up_stale_ones(cast, post):
    post(valid(cast, email="oud@example.org"))
    AccountRequest.objects.update(created_at=timezone.now() - datetime.timedelta(days=8))
    post(valid(cast, email="nieuw@example.org"))
    assert list(AccountRequest.objects.values_list("email", flat=True)) == ["nieuw@example.org"]


def test_existing_account_gets_username_and_reset_link_instead(cast, post):
    post(valid(cast, email="ouder@example.com"))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "al een account" in message.subject
    assert "Uw gebruikersnaam: ouder" in message.body
    assert "/wachtwoord-herstellen/" in message.body
    assert AccountRequest.objects.get().status == AccountRequest.Status.EXISTING_ACCOUNT


def test_existing_account_mail_goes_only_to_the_address_on_record(cast, post):
    # Typed in other capitals: the mail goes to the account's own address, as recorded.
    post(valid(cast, email="Ouder@EXAMPLE.com"))
    (message,) = mail.outbox
    assert message.to == [cast.parent.email]
    assert "Uw gebruikersnaam: ouder" in message.body


def test_an_address_recorded_only_as_a_contact_gets_no_username(cast, post):
    # The school has this address for Eva, but her login has another: a confirmation link, nothing about `ouder`.
    f.add_contact(cast.guardian, "email", "eva.werk@example.org")
    post(valid(cast, email="eva.werk@example.org"))
    (message,) = mail.outbox
    assert message.to == ["eva.werk@example.org"]
    assert "/aanvragen/bevestigen/" in message.body
    assert "Uw gebruikersnaam:" not in message.body
    assert AccountRequest.objects.get().status == AccountRequest.Status.PENDING


def test_a_stranger_asking_about_a_child_gets_only_a_confirmation_link(cast, post):
    post(valid(cast, email="attacker@evil.example"))  # Sanne's name and birth date; her parents have logins
    (message,) = mail.outbox
    assert message.to == ["attacker@evil.example"]
    assert "/aanvragen/bevestigen/" in message.body
    assert "Uw gebruikersnaam:" not in message.body
    assert "/wachtwoord-" not in message.body


def test_the_client_address_comes_from_the_trusted_proxy_setting(cast, post, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    post(valid(cast), REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 192.0.2.44")
    assert AccountRequest.objects.get().ip_address == "192.0.2.44"


@pytest.mark.parametrize("token", ["garbage", "bm9wZQ:1abcde:xyz"])
def test_a_damaged_confirmation_link_gets_a_page_not_an_error(client, db, token):
    response = client.get(f"/aanvragen/bevestigen/{token}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Deze link werkt niet" in page
    assert 'href="/aanvragen/"' in page


# Bad input: a Dutch form error, what was typed kept, nothing stored or sent, never a server error.


def assert_refused(response, error, typed):
    assert response.status_code == 200
    page = response.content.decode()
    assert error in page
    assert html.escape(typed) in page
    assert AccountRequest.objects.count() == 0
    assert mail.outbox == []
    return page


@pytest.mark.parametrize(
    ("field", "typed", "error"),
    [
        ("email", "geen-adres", "Voer een geldig e-mailadres in."),
        ("email", "ouder@@example.org", "Voer een geldig e-mailadres in."),
        ("child_birth_date", "31-02-2019", "Voer een geldige datum in."),
        ("child_birth_date", "gisteren", "Voer een geldige datum in."),
        ("child_first_name", "Sanne2", "Gebruik alleen letters"),
        ("child_surname", "", "Dit veld is verplicht."),
    ],
)
def test_bad_input_gives_a_dutch_error_and_keeps_what_was_typed(cast, post, field, typed, error):
    page = assert_refused(post(valid(cast, **{field: typed})), error, typed)
    assert "Sanne" in page or field == "child_first_name"


def test_birth_date_in_the_future(cast, post):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).strftime("%d-%m-%Y")
    assert_refused(post(valid(cast, child_birth_date=tomorrow)), "Deze geboortedatum ligt in de toekomst.", tomorrow)


@pytest.mark.parametrize("field", ["email", "child_first_name", "child_surname", "child_birth_date"])
def test_ten_thousand_characters(cast, post, field):
    typed = ("a" * 9990 + "@example.org") if field == "email" else "a" * 10_000
    response = post(valid(cast, **{field: typed}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Zorg dat deze waarde niet meer dan" in page or "Voer een geldig" in page
    assert typed in page
    assert AccountRequest.objects.count() == 0


@pytest.mark.parametrize(
    "typed", ["<script>alert(1)</script>", '<img src=x onerror="alert(1)">', "Sanne</label><b>vet</b>"]
)
def test_html_in_names_is_refused_and_shown_escaped(cast, post, typed):
    page = assert_refused(post(valid(cast, child_first_name=typed)), "Gebruik alleen letters", typed)
    assert typed not in page
    assert html.escape(typed) in page


def test_names_with_accents_prefixes_and_apostrophes_are_fine(cast, post):
    response = post(valid(cast, child_first_name="Zoë-Anne", child_surname="’t Hart"))
    assert response.status_code == 302
    account_request = AccountRequest.objects.get()
    assert (account_request.child_first_name, account_request.child_surname) == ("Zoë-Anne", "’t Hart")


def test_date_formats_people_type(cast, post):
    for n, typed in enumerate(["14-03-2017", "14/03/2017", "14.03.2017", "2017-03-14"]):
        assert post(valid(cast, email=f"d{n}@example.org", child_birth_date=typed)).status_code == 302
    assert set(AccountRequest.objects.values_list("child_birth_date", flat=True)) == {datetime.date(2017, 3, 14)}


def test_nul_bytes_and_garbage_never_break_the_page(cast, post):
    response = post(valid(cast, child_first_name="Sa\x00nne", email="\x00@x", child_birth_date="\x00"))
    assert response.status_code == 200
    assert AccountRequest.objects.count() == 0


def test_unknown_school_id_is_a_form_error(cast, post):
    response = post(valid(cast, school="999999"))
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()


def test_service_is_keyword_only(cast):
    with pytest.raises(TypeError):
        services.request_account(cast.school, "x@example.org")  # type: ignore[misc]
