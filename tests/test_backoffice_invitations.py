"""Inviting every family of a group or the whole school: the preview's counts, one mail per guardian (also when two
clicks race), and a link in the mail that works."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from ouderportaal.core.models import AuditLogEntry, OutgoingMail
from ouderportaal.onboarding import guardian_accounts as accounts
from tests import factories as f
from tests import smtp

URL = reverse("backoffice:invitations")
NEW_PASSWORD = "paarse-olifant-fietst-snel"


@pytest.fixture
def families(cast):
    """In cast.group: two children of one mother (one mail), a father with an address, a guardian without one, a
    guardian who may not view (never invited). In other_group: one more family."""
    board = cast.school.board
    home = f.make_household(board)
    a = f.make_pupil(cast.school, cast.group, 5, roepnaam="Ada")
    b = f.make_pupil(cast.school, cast.group, 4, roepnaam="Bo", household=home)
    mother = f.make_guardian(board, [a, b], household=home, first_name="Mira", surname="Smit", relation="moeder")
    f.add_contact(mother, "email", "mira@example.org")
    father = f.make_guardian(board, [a], first_name="Finn", surname="Smit")
    f.add_contact(father, "email", "finn@example.org")
    no_address = f.make_guardian(board, [b], first_name="Nina", surname="Zonder")
    f.add_contact(no_address, "phone", "06 1234 0000")
    hidden = f.make_guardian(board, [a], first_name="Henk", surname="Geen", may_view=False, has_authority=False)
    f.add_contact(hidden, "email", "henk@example.org")
    c = f.make_pupil(cast.school, cast.other_group, roepnaam="Cas")
    other = f.make_guardian(board, [c], first_name="Olga", surname="Anders")
    f.add_contact(other, "email", "olga@example.org")
    return {"mother": mother, "father": father, "no_address": no_address, "hidden": hidden, "other": other}


def test_preview_counts_families_and_who_cannot_be_reached(client, cast, families):
    client.force_login(cast.staff)
    plan = client.get(URL, {"groep": cast.group.pk}).context["plan"]
    assert sorted(g.first_name for g, _email in plan.invitable) == ["Finn", "Mira"]
    assert [g.first_name for g in plan.unreachable] == ["Nina"]
    assert plan.families == 2
    whole = client.get(URL).context["plan"]
    assert sorted(g.first_name for g, _email in whole.invitable) == ["Finn", "Mira", "Olga"]
    page = client.get(URL, {"groep": cast.group.pk}).content.decode()
    assert "2 uitnodigingen versturen" in page and "Nina Zonder" in page and "henk@example.org" not in page
    assert not OutgoingMail.objects.exists()  # a preview sends nothing


@pytest.mark.django_db(transaction=True)
def test_group_invitation_reaches_each_guardian_once_with_a_working_link(client, cast, families, settings):
    settings.SITE_URL = "http://testserver"
    with smtp.running(settings) as mailbox:
        client.force_login(cast.staff)
        response = client.post(URL, {"school": cast.school.pk, "groep": cast.group.pk}, follow=True)
        assert "2 uitnodiging(en) verstuurd." in response.content.decode()
        assert sorted(m["To"] for m in mailbox) == ["finn@example.org", "mira@example.org"]
        # Again: nobody is left.
        response = client.post(URL, {"school": cast.school.pk, "groep": cast.group.pk}, follow=True)
        assert "Er was niemand (meer) om uit te nodigen." in response.content.decode()
        assert len(mailbox) == 2
        mail = mailbox.last("mira@example.org")
        link = next(url for url in smtp.links(mail) if "/wachtwoord-kiezen/" in url)
    families["mother"].refresh_from_db()
    user = families["mother"].user
    parent = Client()
    form = parent.get(smtp.path_of(link), follow=True)
    parent.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert parent.post("/inloggen/", {"username": user.username, "password": NEW_PASSWORD}).status_code == 302
    home = parent.get("/", follow=True).content.decode()
    assert "Ada" in home and "Bo" in home
    assert AuditLogEntry.objects.filter(action="guardian.invited").count() == 2
    first, again = AuditLogEntry.objects.filter(action="guardians.invited").order_by("pk")
    assert (first.data, again.data) == ({"sent": 2, "unreachable": 1}, {"sent": 0, "unreachable": 1})
    assert first.actor == cast.staff and first.object_id == str(cast.group.pk)


def test_teachers_and_other_schools_cannot_invite(client, cast, families):
    client.force_login(f.make_staff(cast.school, role="leerkracht"))
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"school": cast.school.pk}).status_code == 404
    client.force_login(cast.other_staff)
    client.post(URL, {"school": cast.school.pk, "groep": cast.group.pk})
    # Their own school is used instead: nobody of school A is invited.
    assert not OutgoingMail.objects.filter(to__in=["mira@example.org", "finn@example.org"]).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_once_send_one_mail_per_guardian(cast, families):
    barrier = threading.Barrier(2)
    sent = []

    def click(user):
        try:
            barrier.wait()
            sent.append(accounts.invite_all(school=cast.school, group=cast.group, acting_user=user))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click, args=(u,)) for u in (cast.staff, f.make_staff(cast.school))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(sent) == [0, 2]
    assert sorted(OutgoingMail.objects.values_list("to", flat=True)) == ["finn@example.org", "mira@example.org"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_inviting_one_guardian_twice_at_once_sends_one_mail(cast, families):
    barrier = threading.Barrier(2)
    outcomes = []

    def click():
        try:
            barrier.wait()
            accounts.invite_guardian(families["father"], acting_user=cast.staff, school=cast.school)
            outcomes.append("sent")
        except accounts.AccountActionError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "sent"]
    assert OutgoingMail.objects.filter(to="finn@example.org").count() == 1
