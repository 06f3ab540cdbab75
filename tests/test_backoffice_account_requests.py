"""The administration's queue of account requests under /beheer/: who sees what, and what a decision does."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ouderportaal.core.models import AuditLogEntry, OutgoingMail
from ouderportaal.onboarding import services
from ouderportaal.onboarding.models import AccountRequest
from ouderportaal.school.models import ContactDetail, StaffRole
from tests import factories as f

pytestmark = pytest.mark.django_db


def confirmed_request(school, *, email="aanvrager@example.org", first_name="Sanne", surname="Visser", birth_date=None):
    return AccountRequest.objects.create(
        school=school,
        email=email,
        child_first_name=first_name,
        child_surname=surname,
        child_birth_date=birth_date or datetime.date(2017, 3, 14),
        confirmed_at=timezone.now(),
    )


@pytest.fixture
def family(cast):
    """A pupil at cast.school with one guardian, no account, whose address is on file."""
    pupil = f.make_pupil(cast.school, cast.group, first_names="Bram", roepnaam="Bram", surname="Smit")
    guardian = f.make_guardian(cast.school.board, [pupil], first_name="Joost", surname="Smit")
    f.add_contact(guardian, "email", "joost@example.org")
    return pupil, guardian


@pytest.fixture
def pages(cast):
    """Every back-office page, with the URL of a request of school A."""
    account_request = confirmed_request(cast.school)
    return ["/beheer/", "/beheer/aanvragen/", f"/beheer/aanvragen/{account_request.public_id}/"]


def test_anonymous_visitors_are_sent_to_the_login_page(client, pages):
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/inloggen/?next=")


@pytest.mark.parametrize("who", ["parent", "coparent", "outsider", "no_authority"])
def test_parents_get_404(client, cast, pages, who):
    client.force_login(getattr(cast, who))
    for url in pages:
        assert client.get(url).status_code == 404
        assert client.post(url, {"decision": "reject", "reason": "x"}).status_code == 404


def test_staff_of_school_b_get_404_for_school_a_requests(client, cast, pages):
    client.force_login(cast.other_staff)
    assert client.get(pages[2]).status_code == 404
    assert client.post(pages[2], {"decision": "reject", "reason": "weg"}).status_code == 404
    assert AccountRequest.objects.get().status == AccountRequest.Status.PENDING
    assert "aanvrager@example.org" not in client.get("/beheer/aanvragen/").content.decode()


def test_teachers_see_the_start_page_but_not_the_queue(client, cast, pages):
    teacher = f.make_staff(cast.school, role="leerkracht")
    client.force_login(teacher)
    start = client.get("/beheer/")
    assert start.status_code == 200
    assert "Accountaanvragen beoordelen" not in start.content.decode()
    assert client.get(pages[1]).status_code == 404
    assert client.get(pages[2]).status_code == 404


def test_start_page_lists_own_schools_with_pending_counts(client, cast):
    confirmed_request(cast.school)
    confirmed_request(cast.school, email="b@example.org")
    AccountRequest.objects.create(  # unconfirmed: not counted
        school=cast.school, email="c@example.org", child_first_name="A", child_surname="B",
        child_birth_date=datetime.date(2017, 1, 1),
    )  # fmt: skip
    client.force_login(cast.staff)
    page = client.get("/beheer/").content.decode()
    assert cast.school.name in page
    assert cast.other_school.name not in page
    assert "2 te beoordelen" in page


def test_queue_shows_match_status(client, cast, family):
    pupil, _guardian = family
    confirmed_request(cast.school, email="joost@example.org", first_name="bram", surname="smit")
    confirmed_request(cast.school, email="onbekend@example.org", first_name="Niemand", surname="Nergens")
    confirmed_request(cast.school, email="ouder@example.com")  # Sanne; her mother Eva has an account
    f.add_contact(cast.guardian, "email", "ouder@example.com")
    client.force_login(cast.staff)
    page = client.get("/beheer/aanvragen/").content.decode()
    assert "Bram Smit; ouder Joost Smit (e-mailadres bekend)" in page
    assert "Geen leerling gevonden" in page
    assert "ouder heeft al een account" in page


def test_queue_costs_the_same_with_one_or_six_requests(client, cast, family):
    client.force_login(cast.staff)
    confirmed_request(cast.school, email="joost@example.org", first_name="Bram", surname="Smit")
    client.get("/beheer/aanvragen/")  # warm up session and content types

    with CaptureQueriesContext(connection) as one:
        client.get("/beheer/aanvragen/")
    for n in range(5):
        confirmed_request(cast.school, email=f"x{n}@example.org", first_name="Bram", surname="Smit")
        services.reject_account_request(
            confirmed_request(cast.school, email=f"r{n}@example.org"), acting_user=cast.staff, reason="nee"
        )
    with CaptureQueriesContext(connection) as six:
        response = client.get("/beheer/aanvragen/")
    assert response.content.decode().count("/beheer/aanvragen/") >= 11
    assert len(six) == len(one), [q["sql"] for q in six.captured_queries]


def test_detail_preselects_the_guardian_with_this_address(client, cast, family):
    _pupil, guardian = family
    account_request = confirmed_request(cast.school, email="Joost@Example.org", first_name="Bram", surname="Smit")
    client.force_login(cast.staff)
    page = client.get(f"/beheer/aanvragen/{account_request.public_id}/").content.decode()
    assert f'name="guardian" value="{guardian.pk}" checked' in page
    assert "dit e-mailadres" in page


def test_detail_without_email_match_asks_to_choose(client, cast, family):
    pupil, _guardian = family
    f.make_guardian(cast.school.board, [pupil], has_authority=False, may_view=False)
    account_request = confirmed_request(cast.school, email="nieuw@example.org", first_name="Bram", surname="Smit")
    client.force_login(cast.staff)
    page = client.get(f"/beheer/aanvragen/{account_request.public_id}/").content.decode()
    assert "Kies wie het account krijgt" in page
    assert " checked" not in page
    assert "mag kind niet inzien" in page  # the guardian without authority is listed, flagged
    response = client.post(f"/beheer/aanvragen/{account_request.public_id}/", {"decision": "approve"})
    assert "Kies de ouder/verzorger die het account krijgt." in response.content.decode()


def test_approve_creates_login_links_guardian_and_records_address(
    client, cast, family, django_capture_on_commit_callbacks
):
    pupil, guardian = family
    account_request = confirmed_request(cast.school, email="joost@example.org", first_name="Bram", surname="Smit")
    client.force_login(cast.staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/beheer/aanvragen/{account_request.public_id}/", {"decision": "approve", "guardian": guardian.pk}
        )
    assert response.status_code == 302
    guardian.refresh_from_db()
    user = guardian.user
    assert user.username == "joost.smit"
    assert user.email == "joost@example.org"
    assert not user.has_usable_password()
    account_request.refresh_from_db()
    assert (account_request.status, account_request.pupil, account_request.user) == ("approved", pupil, user)
    assert account_request.decided_by == cast.staff
    entry = AuditLogEntry.objects.get(action="account_request.approved")
    assert entry.data == {"pupil_id": pupil.pk, "guardian_id": guardian.pk, "user_id": user.pk, "account_created": True}
    (message,) = mail.outbox
    assert message.to == ["joost@example.org"]
    assert "Uw gebruikersnaam: joost.smit" in message.body
    assert "/wachtwoord-kiezen/" in message.body
    # The page after: the queue, with a message, and the request among the decided ones.
    page = client.get(response["Location"]).content.decode()
    assert "Goedgekeurd: joost.smit" in page


def test_approve_for_a_guardian_with_an_account_reuses_it(cast, django_capture_on_commit_callbacks):
    # The address is one the school already has for Eva (not her login's): approving may send her username there.
    f.add_contact(cast.guardian, "email", "eva.werk@example.org")
    account_request = confirmed_request(cast.school, email="Eva.Werk@Example.org")
    with django_capture_on_commit_callbacks(execute=True):
        user = services.approve_account_request(account_request, acting_user=cast.staff, guardian=cast.guardian)
    assert user == cast.parent
    assert user.check_password(f.PASSWORD)  # untouched until the link is used
    assert ContactDetail.objects.filter(guardian=cast.guardian, kind="email").count() == 1  # no duplicate
    assert AuditLogEntry.objects.get(action="account_request.approved").data["account_created"] is False
    (message,) = mail.outbox
    assert message.to == ["Eva.Werk@Example.org"]
    assert "Uw gebruikersnaam: ouder" in message.body
    assert "/wachtwoord-herstellen/" in message.body


def test_approve_for_a_guardian_with_an_account_accepts_the_login_address(cast, django_capture_on_commit_callbacks):
    account_request = confirmed_request(cast.school, email="OUDER@example.com")  # cast.parent's own address
    with django_capture_on_commit_callbacks(execute=True):
        user = services.approve_account_request(account_request, acting_user=cast.staff, guardian=cast.guardian)
    assert user == cast.parent
    (message,) = mail.outbox
    assert message.to == ["OUDER@example.com"]


# Account takeover: someone who knows a child's name and birth date asks with their own address, and staff pick a
# guardian who already has a login. Approval must never mail that login (or a reset link) to the stranger.

ATTACKER = "attacker@evil.example"
REFUSED = "heeft al een account en dit e-mailadres is niet bij die ouder bekend"


def test_approval_for_an_existing_login_with_an_unknown_address_is_refused(cast, django_capture_on_commit_callbacks):
    account_request = confirmed_request(cast.school, email=ATTACKER)  # Sanne Visser: her mother Eva has `ouder`
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.DecisionError) as error:
        services.approve_account_request(account_request, acting_user=cast.staff, guardian=cast.guardian)
    assert REFUSED in str(error.value)
    assert mail.outbox == []
    assert not OutgoingMail.objects.exists()
    assert not ContactDetail.objects.filter(value__iexact=ATTACKER).exists()
    account_request.refresh_from_db()
    assert account_request.status == AccountRequest.Status.PENDING
    assert not AuditLogEntry.objects.filter(action="account_request.approved").exists()
    cast.parent.refresh_from_db()
    assert cast.parent.email == "ouder@example.com"


def test_an_address_on_another_guardian_does_not_count(cast, family):
    # Joost's address is recorded for Joost, not for Eva: asking about Sanne with it gives no access to `ouder`.
    account_request = confirmed_request(cast.school, email="joost@example.org")
    with pytest.raises(services.DecisionError):
        services.approve_account_request(account_request, acting_user=cast.staff, guardian=cast.guardian)
    assert not ContactDetail.objects.filter(guardian=cast.guardian, value="joost@example.org").exists()


def test_review_page_refuses_the_takeover_and_says_why(client, cast, django_capture_on_commit_callbacks):
    account_request = confirmed_request(cast.school, email=ATTACKER)
    url = f"/beheer/aanvragen/{account_request.public_id}/"
    client.force_login(cast.staff)
    page = client.get(url).content.decode()
    # Every guardian of Sanne has a login and none has this address: only rejecting is possible, said up front.
    assert "Dit e-mailadres is niet bekend bij de ouders/verzorgers van deze leerling" in page
    assert "kan deze aanvraag alleen worden afgewezen" in page
    assert f'name="guardian" value="{cast.guardian.pk}" disabled' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "approve", "guardian": cast.guardian.pk})
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert mail.outbox == []
    assert not ContactDetail.objects.filter(value__iexact=ATTACKER).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "reject", "reason": "Onbekend e-mailadres"})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == [ATTACKER]
    assert "Uw gebruikersnaam:" not in message.body
    assert "/wachtwoord-" not in message.body


def test_review_page_warns_when_the_guardian_without_login_does_not_know_the_address(client, cast, family):
    _pupil, guardian = family
    account_request = confirmed_request(cast.school, email="vreemd@example.org", first_name="Bram", surname="Smit")
    client.force_login(cast.staff)
    page = client.get(f"/beheer/aanvragen/{account_request.public_id}/").content.decode()
    assert "Dit e-mailadres is niet bekend bij deze ouder: controleer de aanvraag, bijvoorbeeld telefonisch" in page
    assert "alleen worden afgewezen" not in page
    assert f'name="guardian" value="{guardian.pk}" required' in page  # choosable: staff decide
    queue = client.get("/beheer/aanvragen/").content.decode()
    assert "e-mailadres onbekend" in queue


def test_queue_flags_requests_that_can_only_be_rejected(client, cast):
    confirmed_request(cast.school, email=ATTACKER)
    client.force_login(cast.staff)
    page = client.get("/beheer/aanvragen/").content.decode()
    assert "alleen afwijzen" in page


def test_usernames_stay_unique(cast):
    f.make_user("joost.smit")
    f.make_user("joost.smit2")
    pupil = f.make_pupil(cast.school, roepnaam="Bram", first_names="Bram", surname="Smit")
    guardian = f.make_guardian(cast.school.board, [pupil], first_name="Joost", surname="Smit")
    account_request = confirmed_request(cast.school, email="j@example.org", first_name="Bram", surname="Smit")
    user = services.approve_account_request(account_request, acting_user=cast.staff, guardian=guardian)
    assert user.username == "joost.smit3"


def test_a_decided_request_cannot_be_decided_again(client, cast, family):
    _pupil, guardian = family
    account_request = confirmed_request(cast.school, email="joost@example.org", first_name="Bram", surname="Smit")
    services.reject_account_request(account_request, acting_user=cast.staff, reason="Onbekend")
    with pytest.raises(services.DecisionError):
        services.approve_account_request(account_request, acting_user=cast.staff, guardian=guardian)
    client.force_login(cast.staff)
    url = f"/beheer/aanvragen/{account_request.public_id}/"
    page = client.get(url).content.decode()
    assert "Afgewezen" in page or "afgewezen" in page
    assert "Onbekend" in page
    assert 'name="decision"' not in page
    response = client.post(url, {"decision": "approve", "guardian": guardian.pk}, follow=True)
    assert "Deze aanvraag is al behandeld." in response.content.decode()
    guardian.refresh_from_db()
    assert guardian.user is None


def test_a_guardian_of_another_pupil_cannot_be_chosen(client, cast, family):
    account_request = confirmed_request(cast.school, email="x@example.org", first_name="Bram", surname="Smit")
    client.force_login(cast.staff)
    response = client.post(
        f"/beheer/aanvragen/{account_request.public_id}/", {"decision": "approve", "guardian": cast.guardian.pk}
    )
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    cast.guardian.refresh_from_db()
    assert AccountRequest.objects.get().status == AccountRequest.Status.PENDING


@pytest.mark.parametrize("reason", ["", "x" * 2001])
def test_reject_needs_a_reason_of_sensible_length(client, cast, reason):
    account_request = confirmed_request(cast.school)
    client.force_login(cast.staff)
    response = client.post(f"/beheer/aanvragen/{account_request.public_id}/", {"decision": "reject", "reason": reason})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Schrijf een reden" in page or "niet meer dan 2000 tekens" in page
    assert AccountRequest.objects.get().status == AccountRequest.Status.PENDING


def test_reject_mails_the_reason_escaped_in_html(cast, django_capture_on_commit_callbacks):
    account_request = confirmed_request(cast.school)
    reason = "Wij kennen <b>dit</b> kind niet & de datum klopt niet."
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_account_request(account_request, acting_user=cast.staff, reason=reason)
    (message,) = mail.outbox
    assert reason in message.body
    html = message.alternatives[0].content
    assert "&lt;b&gt;dit&lt;/b&gt;" in html
    assert "<b>dit</b>" not in html
    assert message.reply_to == [cast.school.admin_email]


def test_typed_html_is_escaped_on_staff_pages(client, cast):
    # Names are validated on the way in; should raw HTML reach the table anyway, it is shown as text.
    account_request = confirmed_request(cast.school, first_name="<script>alert(1)</script>", surname="<i>x</i>")
    client.force_login(cast.staff)
    for url in ["/beheer/aanvragen/", f"/beheer/aanvragen/{account_request.public_id}/"]:
        page = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_staff_with_two_schools_see_both_queues(client, cast):
    StaffRole.objects.create(user=cast.staff, school=cast.other_school, role="directeur")
    confirmed_request(cast.school, email="a@example.org")
    confirmed_request(cast.other_school, email="b@example.org")
    client.force_login(cast.staff)
    page = client.get("/beheer/aanvragen/").content.decode()
    assert "a@example.org" in page and "b@example.org" in page
    assert cast.other_school.name in page  # a school column when there are several


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_staff_deciding_at_once_decide_once(cast, family):
    """Both click at the same moment: one approval wins, the other is told the request was handled."""
    _pupil, guardian = family
    account_request = confirmed_request(cast.school, email="joost@example.org", first_name="Bram", surname="Smit")
    second = f.make_staff(cast.school)
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(user, approve):
        try:
            barrier.wait()
            if approve:
                services.approve_account_request(account_request, acting_user=user, guardian=guardian)
            else:
                services.reject_account_request(account_request, acting_user=user, reason="dubbel")
            outcomes.append("decided")
        except services.DecisionError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(cast.staff, True)),
        threading.Thread(target=decide, args=(second, False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["decided", "refused"]
    decisions = AuditLogEntry.objects.filter(action__in=["account_request.approved", "account_request.rejected"])
    assert decisions.count() == 1
    assert OutgoingMail.objects.filter(template__in=["account-approved", "account-rejected"]).count() == 1
