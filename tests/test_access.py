import pytest

from ouderportaal.school.models import Pupil


def test_guardian_sees_only_own_children(cast):
    assert set(Pupil.objects.for_guardian(cast.parent)) == {cast.child1, cast.child2}
    assert set(Pupil.objects.for_guardian(cast.coparent)) == {cast.child1}
    assert list(Pupil.objects.for_guardian(cast.outsider)) == [cast.outsider_child]


def test_may_view_off_hides_child(cast):
    assert not Pupil.objects.for_guardian(cast.no_authority).exists()


def test_staff_without_guardianship_sees_no_pupils(cast):
    assert not Pupil.objects.for_guardian(cast.staff).exists()


def test_health_answers_without_login(client, db):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


NUL_ADDRESSES = [
    ("parent", "/berichten/%00abc/"),
    ("parent", "/berichten/abc%00/bijlagen/1/"),
    ("parent", "/kind/%00x/toetsen/"),
    ("parent", "/kind/x%00/medisch/"),
    ("parent", "/beheer/leerlingen/%00x/"),
    ("parent", "/wijzigingen/%00/intrekken/"),
    ("staff", "/beheer/leerlingen/%00x/"),
    ("staff", "/beheer/leerlingen/%00x/medisch/"),
    ("staff", "/beheer/brieven/%00/"),
    ("staff", "/beheer/aanvragen/%00/"),
    ("staff", "/beheer/verlof/%00/"),
    ("staff", "/beheer/wijzigingen/%00/"),
    ("staff", "/beheer/imports/%00/"),
    ("staff", "/beheer/toetsweken/%00/"),
]


@pytest.mark.parametrize("who, path", NUL_ADDRESSES)
def test_an_address_with_a_nul_byte_is_404_not_a_server_error(client, cast, who, path):
    # PostgreSQL refuses NUL in text: a public id with %00 must not reach a query (core.pages.refuse_nul), for a
    # parent's pages and the back-office alike.
    client.force_login(getattr(cast, who))
    assert client.get(path).status_code == 404


def test_an_attachment_address_with_a_nul_byte_is_404(client, cast):
    from tests.letter_factories import cast_letter

    letter = cast_letter(cast)
    client.force_login(cast.parent)
    assert client.get(f"/berichten/{letter.public_id}/").status_code == 200
    assert client.get(f"/berichten/{letter.public_id}/bijlagen/%00/").status_code == 404
