"""The office's actions on a guardian's login, from the pupil record: invite, resend, password reset, unlock,
deactivate, reactivate. Each is audited; none shows or mails a password."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from ouderportaal.accounts.lockout import locked_out_user_ids
from ouderportaal.core.models import AuditLogEntry, OutgoingMail
from ouderportaal.school.models import StaffRole
from tests import factories as f
from tests import smtp

NEW_PASSWORD = "paarse-olifant-fietst-snel"


@pytest.fixture
def mailbox(settings):
    settings.SITE_URL = "http://testserver"
    with smtp.running(settings) as box:
        yield box


@pytest.fixture
def lotte(cast):
    """A guardian of child1 without a login, with an address on record."""
    guardian = f.make_guardian(
        cast.school.board, [cast.child1], first_name="Lotte", surname="Visser", relation="moeder"
    )
    f.add_contact(guardian, "phone", "06 1111 2222")
    f.add_contact(guardian, "email", "lotte@example.org")
    return guardian


def act(client, cast, guardian, action, pupil=None):
    url = reverse("backoffice:pupil", args=[(pupil or cast.child1).public_id])
    response = client.post(url, {"guardian": guardian.pk, "action": action}, follow=True)
    assert response.status_code == 200
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def office(client, cast):
    client.force_login(cast.staff)
    return client


def audit(action):
    return list(AuditLogEntry.objects.filter(action=action))


@pytest.mark.django_db(transaction=True)
def test_invite_makes_a_login_and_mails_a_link_never_a_password(office, cast, lotte, mailbox):
    messages = act(office, cast, lotte, "invite")
    lotte.refresh_from_db()
    user = lotte.user
    assert messages == [f"Uitnodiging verstuurd naar Lotte Visser; gebruikersnaam {user.username}."]
    assert user.email == "lotte@example.org" and not user.has_usable_password()
    (entry,) = audit("guardian.invited")
    assert (entry.actor, entry.object_id, entry.school_id) == (cast.staff, str(lotte.pk), cast.school.pk)
    mail = mailbox.last("lotte@example.org")
    body = smtp.text_body(mail)
    assert f"Uw gebruikersnaam: {user.username}" in body
    assert "wachtwoord:" not in body.lower().replace("uw wachtwoord (48", "")
    assert mail["Reply-To"] == cast.school.admin_email
    assert "Uitnodiging voor het ouderportaal" in mail["Subject"]
    link = next(url for url in smtp.links(mail) if "/wachtwoord-kiezen/" in url)
    assert link in smtp.html_body(mail)

    parent = Client()
    form = parent.get(smtp.path_of(link), follow=True)
    assert "Kies uw wachtwoord" in form.content.decode()
    done = parent.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert parent.post("/inloggen/", {"username": user.username, "password": NEW_PASSWORD}).status_code == 302
    assert cast.child1.full_name in parent.get("/", follow=True).content.decode()
    # The link is spent; the page says so and offers a new one.
    spent = parent.get(smtp.path_of(link), follow=True).content.decode()
    assert "Deze link is verlopen of al gebruikt." in spent and "/wachtwoord-vergeten/" in spent
    # The record's history shows the invitation and the password being chosen.
    history = [
        e.action for e in office.get(reverse("backoffice:pupil", args=[cast.child1.public_id])).context["history"]
    ]
    assert {"guardian.invited", "account.password_set"} <= set(history)


def test_invite_twice_sends_one_mail(office, cast, lotte):
    act(office, cast, lotte, "invite")
    assert act(office, cast, lotte, "invite") == ["Lotte Visser heeft al een account."]
    assert OutgoingMail.objects.filter(to="lotte@example.org").count() == 1
    assert len(audit("guardian.invited")) == 1


def test_invite_without_address_is_refused(office, cast):
    guardian = f.make_guardian(cast.school.board, [cast.child1], first_name="Bas", surname="Kok")
    assert act(office, cast, guardian, "invite") == [
        "Van Bas Kok is geen e-mailadres bekend: neem op een andere manier contact op."
    ]
    guardian.refresh_from_db()
    assert guardian.user is None and not OutgoingMail.objects.exists()


def test_resend_sends_a_new_link_once_per_pause(office, cast, lotte):
    act(office, cast, lotte, "invite")
    OutgoingMail.objects.update(created_at=OutgoingMail.objects.get().created_at.replace(year=2020))
    assert act(office, cast, lotte, "resend") == ["De uitnodiging is opnieuw verstuurd naar Lotte Visser."]
    assert act(office, cast, lotte, "resend") == [
        "Deze e-mail is een paar minuten geleden al verstuurd. Wacht even voordat u hem opnieuw stuurt."
    ]
    assert OutgoingMail.objects.filter(template="guardian-invitation").count() == 2
    assert len(audit("guardian.invitation_resent")) == 1


def test_resend_needs_an_open_invitation(office, cast):
    assert act(office, cast, cast.guardian, "resend") == ["Er staat geen uitnodiging open voor Eva Visser."]


@pytest.mark.django_db(transaction=True)
def test_password_reset(office, cast, mailbox):
    assert act(office, cast, cast.guardian, "reset") == [
        "Eva Visser krijgt een e-mail met een link om een nieuw wachtwoord te kiezen."
    ]
    mail = mailbox.last(cast.parent.email)
    assert "/wachtwoord-herstellen/" in smtp.text_body(mail)
    assert f.PASSWORD not in smtp.text_body(mail) and f.PASSWORD not in smtp.html_body(mail)
    (entry,) = audit("guardian.password_reset_sent")
    assert entry.data["user_id"] == cast.parent.pk
    cast.parent.refresh_from_db()
    assert cast.parent.check_password(f.PASSWORD)  # the old password works until a new one is chosen


def test_unlock(office, cast, settings):
    parent = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        parent.post("/inloggen/", {"username": "ouder", "password": "fout"})
    assert locked_out_user_ids([cast.parent]) == {cast.parent.pk}
    page = office.get(reverse("backoffice:pupil", args=[cast.child1.public_id])).content.decode()
    assert "geblokkeerd na mislukte inlogpogingen" in page
    assert act(office, cast, cast.guardian, "unlock") == ["Het account van Eva Visser is ontgrendeld."]
    assert locked_out_user_ids([cast.parent]) == set()
    assert len(audit("guardian.login_unlocked")) == 1
    assert parent.post("/inloggen/", {"username": "ouder", "password": f.PASSWORD}).status_code == 302


def test_deactivate_and_reactivate(office, cast):
    parent = Client()
    parent.force_login(cast.parent)
    assert act(office, cast, cast.guardian, "deactivate") == ["Het account van Eva Visser is uitgeschakeld."]
    cast.parent.refresh_from_db()
    assert not cast.parent.is_active
    assert parent.get("/").status_code == 302  # logged out at the next request
    assert Client().post("/inloggen/", {"username": "ouder", "password": f.PASSWORD}).status_code == 200
    assert act(office, cast, cast.guardian, "reactivate") == ["Het account van Eva Visser is weer actief."]
    assert Client().post("/inloggen/", {"username": "ouder", "password": f.PASSWORD}).status_code == 302
    assert [e.action for e in AuditLogEntry.objects.order_by("pk")] == [
        "guardian.login_deactivated",
        "guardian.login_reactivated",
    ]


def test_deactivating_ones_own_login_is_refused(client, cast):
    StaffRole.objects.create(user=cast.parent, school=cast.school, role="administratie")
    f.add_totp_device(cast.parent)  # staff pass the second step of the login
    client.force_login(cast.parent)
    assert act(client, cast, cast.guardian, "deactivate") == ["U kunt uw eigen account niet uitschakelen."]
    cast.parent.refresh_from_db()
    assert cast.parent.is_active and not audit("guardian.login_deactivated")


def test_a_staff_login_is_not_deactivated_from_a_pupil_record(office, cast):
    StaffRole.objects.create(user=cast.coparent, school=cast.school, role="leerkracht")
    assert act(office, cast, cast.coparent_guardian, "deactivate") == [
        "Dit is ook het account van een medewerker; dat schakelt u hier niet uit."
    ]


def test_guardian_of_another_pupil_or_an_unknown_action(office, cast, lotte):
    url = reverse("backoffice:pupil", args=[cast.child2.public_id])  # Lotte is not child2's guardian
    assert office.post(url, {"guardian": lotte.pk, "action": "invite"}).status_code == 404
    assert office.post(url, {"guardian": "abc", "action": "invite"}).status_code == 404
    assert act(office, cast, lotte, "drop-table") == ["Onbekende actie."]
    assert not get_user_model().objects.filter(email="lotte@example.org").exists()


def test_other_school_staff_cannot_act(client, cast, lotte):
    client.force_login(cast.other_staff)
    url = reverse("backoffice:pupil", args=[cast.child1.public_id])
    assert client.post(url, {"guardian": lotte.pk, "action": "invite"}).status_code == 404
    assert not OutgoingMail.objects.exists()


def test_a_guardian_who_may_not_view_is_not_invited(office, cast):
    hidden = f.make_guardian(cast.school.board, [cast.child1], first_name="Henk", surname="Geen", may_view=False)
    f.add_contact(hidden, "email", "henk@example.org")
    assert act(office, cast, hidden, "invite") == [
        "Henk Geen mag geen kind van deze school inzien; een account heeft dan geen zin."
    ]
    assert not OutgoingMail.objects.exists()
