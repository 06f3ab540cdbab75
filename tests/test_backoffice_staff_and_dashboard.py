"""Staff roles (directors change them, the office sees them) and the figures on /beheer/."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ouderportaal.core.models import AuditLogEntry, OutgoingMail
from ouderportaal.school.models import StaffRole
from tests import factories as f
from tests import smtp

URL = reverse("backoffice:staff")


@pytest.fixture
def director(cast):
    return f.make_staff(cast.school, role="directeur", username="directeur")


def add(client, school, **data):
    return client.post(URL, {"school": school.pk, "role": "leerkracht", **data}, follow=True)


@pytest.mark.django_db(transaction=True)
def test_director_adds_a_new_colleague_who_gets_a_link(client, cast, director, settings):
    settings.SITE_URL = "http://testserver"
    client.force_login(director)
    with smtp.running(settings) as mailbox:
        response = add(client, cast.school, email="kim@school.example", first_name="Kim", last_name="Bos")
        assert "er is een account gemaakt en een e-mail verstuurd" in response.content.decode()
        mail = mailbox.last("kim@school.example")
    role = StaffRole.objects.get(user__email="kim@school.example")
    assert (role.school, role.role, role.user.username) == (cast.school, "leerkracht", "kim.bos")
    assert not role.user.has_usable_password()
    assert "/wachtwoord-kiezen/" in smtp.text_body(mail) and "kim.bos" in smtp.text_body(mail)
    entry = AuditLogEntry.objects.get(action="staff_role.added")
    assert (entry.actor, entry.data["login_created"]) == (director, True)


def test_director_gives_an_existing_login_a_role_and_removes_it(client, cast, director):
    client.force_login(director)
    response = add(client, cast.school, email=cast.parent.email.upper(), role="administratie")
    assert "Rol toegevoegd aan het bestaande account." in response.content.decode()
    role = StaffRole.objects.get(user=cast.parent)
    assert (
        "heeft deze rol al" in add(client, cast.school, email=cast.parent.email, role="administratie").content.decode()
    )
    client.post(URL, {"remove": role.pk})
    assert not StaffRole.objects.filter(user=cast.parent).exists()
    assert AuditLogEntry.objects.filter(action="staff_role.removed", actor=director).count() == 1
    assert not OutgoingMail.objects.exists()


def test_director_cannot_remove_own_director_role_nor_touch_another_school(client, cast, director):
    client.force_login(director)
    own = StaffRole.objects.get(user=director)
    assert "eigen rol als directeur" in client.post(URL, {"remove": own.pk}, follow=True).content.decode()
    other = StaffRole.objects.get(user=cast.other_staff)
    assert client.post(URL, {"remove": other.pk}).status_code == 404
    response = add(client, cast.other_school, email="x@example.org")
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert StaffRole.objects.filter(pk=other.pk).exists()


def test_administration_sees_roles_but_cannot_change_them(client, cast, director):
    client.force_login(cast.staff)
    page = client.get(URL).content.decode()
    assert "directeur" in page and "Rol toevoegen" not in page
    assert client.post(URL, {"remove": StaffRole.objects.get(user=director).pk}).status_code == 403
    client.force_login(f.make_staff(cast.school, role="leerkracht"))
    assert client.get(URL).status_code == 404


def test_bad_input_keeps_what_was_typed(client, cast, director):
    client.force_login(director)
    response = add(client, cast.school, email="geen-adres", first_name="Kim")
    page = response.content.decode()
    assert "Voer een geldig e-mailadres in." in page and 'value="Kim"' in page


def test_dashboard_counts_families_with_a_login_and_failed_mail(client, cast):
    OutgoingMail.objects.create(template="x", to="a@example.org", subject="x", body_text="x", school_id=cast.school.pk,
                                status=OutgoingMail.Status.FAILED)  # fmt: skip
    client.force_login(cast.staff)
    (row,) = client.get(reverse("backoffice:home")).context["rows"]
    # child1 and child2: the parent's household (login) and the co-parent's household (login); the guardian without
    # view rights does not count.
    assert (row["families_with_login"], row["families"], row["failed_mails"]) == (2, 2, 1)
    f.make_guardian(cast.school.board, [cast.child2])  # a third family, without a login
    (row,) = client.get(reverse("backoffice:home")).context["rows"]
    assert (row["families_with_login"], row["families"]) == (2, 3)


def _queries(client, path, n):
    board = f.make_board()
    school = f.make_school(board)
    group = f.make_group(school, "5")
    for _ in range(n):
        guardian = f.make_guardian(board, [f.make_pupil(school, group)])
        f.add_contact(guardian, "email", f"{guardian.first_name}@example.org")
        f.make_guardian(board, [f.make_pupil(school, group)])
        f.make_staff(school, role="leerkracht")
    client.force_login(f.make_staff(school, role="directeur"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["backoffice:home", "backoffice:staff", "backoffice:invitations"])
def test_query_counts_are_constant(db, client, name):
    path = reverse(name)
    assert _queries(client, path, 1) == _queries(client, path, 20)
