import datetime

import pytest

from ouderportaal.onboarding.matching import match_request, match_requests, normalise_name, pupil_matches
from ouderportaal.onboarding.models import AccountRequest
from ouderportaal.school.models import Pupil
from tests import factories as f


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Zoë", "zoe"),
        ("  ZOË  ", "zoe"),
        ("van den Berg-Smit", "vandenbergsmit"),
        ("Van Den  Berg - Smit", "vandenbergsmit"),
        ("’t Hart", "thart"),
        ("'t Hart", "thart"),
        ("Çelik", "celik"),
        ("Ĳsbrand", "ijsbrand"),
        ("Strauß", "strauss"),
        ("v.d. Berg", "vdberg"),
        ("Zoe\u0308", "zoe"),  # decomposed diaeresis
        ("", ""),
    ],
)
def test_normalise_name(typed, expected):
    assert normalise_name(typed) == expected


def pupil(**kw):
    defaults = dict(first_names="Zoë Anna", roepnaam="Zoë", voorvoegsel="van den", surname="Berg")
    return Pupil(**{**defaults, **kw})


@pytest.mark.parametrize(
    ("first_name", "surname"),
    [
        ("Zoë", "van den Berg"),
        ("zoe", "VAN DEN BERG"),
        ("Zoe", "Berg"),
        ("zoë anna", "vandenberg"),
        ("Anna", "Van den Berg"),
        (" ZOË ", " berg "),
    ],
)
def test_pupil_matches_first_name_and_surname_with_or_without_prefix(first_name, surname):
    assert pupil_matches(pupil(), first_name=first_name, surname=surname)


@pytest.mark.parametrize(
    ("first_name", "surname"),
    [
        ("Zoey", "van den Berg"),
        ("Zoë", "van der Berg"),
        ("Zoë", "Bergen"),
        ("", "Berg"),
        ("Zoë", "den Berg"),
        ("Zo", "Berg"),
    ],
)
def test_pupil_does_not_match_other_names(first_name, surname):
    assert not pupil_matches(pupil(), first_name=first_name, surname=surname)


def test_roepnaam_different_from_voornamen_matches_both():
    p = pupil(first_names="Johannes Petrus", roepnaam="Hans", voorvoegsel="", surname="de Wit")
    assert pupil_matches(p, first_name="Hans", surname="de Wit")
    assert pupil_matches(p, first_name="Johannes", surname="De-Wit")
    assert pupil_matches(p, first_name="Johannes Petrus", surname="dewit")


def request_for(school, first_name, surname, birth_date, email="ouder@example.org"):
    return AccountRequest.objects.create(
        school=school,
        email=email,
        child_first_name=first_name,
        child_surname=surname,
        child_birth_date=birth_date,
        confirmed_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    )


def test_match_finds_pupil_of_that_school_only(cast):
    r = request_for(cast.other_school, "Sanne", "Visser", cast.child1.birth_date)
    assert match_request(r).pupil is None
    r = request_for(cast.school, "sanne", "visser", cast.child1.birth_date)
    assert match_request(r).pupil == cast.child1


def test_wrong_birth_date_matches_nothing(cast):
    r = request_for(cast.school, "Sanne", "Visser", cast.child1.birth_date + datetime.timedelta(days=1))
    match = match_request(r)
    assert match.pupil is None
    assert match.candidates == []


def test_pupil_who_left_is_not_matched(cast):
    cast.child1.left_on = datetime.date(2020, 1, 1)
    cast.child1.save()
    assert match_request(request_for(cast.school, "Sanne", "Visser", cast.child1.birth_date)).pupil is None


def test_guardian_matched_by_recorded_email(cast):
    f.add_contact(cast.coparent_guardian, "email", "Tom.de.Boer@Example.org")
    match = match_request(
        request_for(cast.school, "Sanne", "Visser", cast.child1.birth_date, "tom.de.boer@example.org")
    )
    assert match.email_candidate.guardian == cast.coparent_guardian
    assert match.guardian_has_account
    assert {c.guardian for c in match.candidates} >= {cast.guardian, cast.coparent_guardian}


def test_phone_number_equal_to_the_address_does_not_count(cast):
    f.add_contact(cast.coparent_guardian, "phone", "x@example.org")
    match = match_request(request_for(cast.school, "Sanne", "Visser", cast.child1.birth_date, "x@example.org"))
    assert match.email_candidate is None


def test_oldest_of_two_matching_pupils_is_chosen(cast):
    # Same names and birth date twice (a data-entry duplicate): the oldest record by birth date, then by id.
    twin = f.make_pupil(cast.school, roepnaam="Sanne", surname="Visser", birth_date=cast.child1.birth_date)
    match = match_request(request_for(cast.school, "Sanne", "Visser", cast.child1.birth_date))
    assert match.pupil in {cast.child1, twin}
    assert match.pupil == min([cast.child1, twin], key=lambda p: p.pk)


def test_many_requests_match_in_constant_queries(cast, django_assert_num_queries):
    one = [request_for(cast.school, "Sanne", "Visser", cast.child1.birth_date)]
    many = one + [request_for(cast.school, "Daan", "Visser", cast.child2.birth_date) for _ in range(5)]
    with django_assert_num_queries(3):
        match_requests(one)
    with django_assert_num_queries(3):
        result = match_requests(many)
    assert result[many[-1].pk].pupil == cast.child2
