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


@pytest.mark.parametrize(
    "path",
    [
        "/berichten/%00abc/",
        "/berichten/abc%00/bijlagen/1/",
        "/kind/%00x/toetsen/",
        "/kind/x%00/medisch/",
        "/beheer/leerlingen/%00x/",
        "/wijzigingen/%00/intrekken/",
    ],
)
def test_an_address_with_a_nul_byte_is_404_not_a_server_error(client, cast, path):
    # PostgreSQL refuses NUL in text: a public id with %00 must not reach a query (core.pages.refuse_nul).
    client.force_login(cast.parent)
    assert client.get(path).status_code == 404


def test_an_attachment_address_with_a_nul_byte_is_404(client, cast):
    from tests.letter_factories import cast_letter

    letter = cast_letter(cast)
    client.force_login(cast.parent)
    assert client.get(f"/berichten/{letter.public_id}/").status_code == 200
    assert client.get(f"/berichten/{letter.public_id}/bijlagen/%00/").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/beheer/leerlingen/%00x/",
        "/beheer/leerlingen/%00x/medisch/",
        "/beheer/brieven/%00/",
        "/beheer/aanvragen/%00/",
        "/beheer/verlof/%00/",
        "/beheer/wijzigingen/%00/",
        "/beheer/imports/%00/",
        "/beheer/toetsweken/%00/",
    ],
)
def test_a_back_office_address_with_a_nul_byte_is_404(client, cast, path):
    client.force_login(cast.staff)
    assert client.get(path).status_code == 404
