"""core/prepared.py: the children query with its SQL built once gives what the ORM gives, and only the guardian's."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.http import Http404

from ouderportaal.core.prepared import Prepared
from ouderportaal.school import access
from ouderportaal.school.models import Pupil
from tests import factories as f

pytestmark = pytest.mark.django_db


def fields(obj):
    return {k: v for k, v in vars(obj).items() if k != "_state"}


def test_children_as_the_orm_gives_them():
    board = f.make_board()
    school = f.make_school(board)
    home = f.make_household(board)
    with_home = f.make_pupil(school, household=home, birth_date=datetime.date(2017, 7, 30))
    without_home = f.make_pupil(school)
    hidden = f.make_pupil(school)  # the guardian may not view this one
    others = f.make_pupil(school)  # another family's child
    user = f.make_user()
    guardian = f.make_guardian(board, [with_home, without_home], user=user, household=home)
    guardian.guardianships.create(pupil=hidden, may_view=False)
    f.make_guardian(board, [others], user=f.make_user())

    prepared = Prepared(Pupil, access.visible_pupils, ("school", "household"), probe=lambda pk: get_user_model()(pk=pk))
    for _ in range(2):  # the first call compiles, the second reuses
        fast = prepared(user)
        slow = list(access.visible_pupils(user).select_related("school", "household"))
        assert [fields(p) for p in fast] == [fields(p) for p in slow]
        assert [p.pk for p in fast] == [p.pk for p in slow] and {p.pk for p in fast} == {with_home.pk, without_home.pk}
        for a, b in zip(fast, slow, strict=True):
            assert fields(a.school) == fields(b.school)
            assert (a.household and fields(a.household)) == (b.household and fields(b.household))
            assert isinstance(a.birth_date, datetime.date) and not a._state.adding
    assert prepared.compiled  # the fast path was taken, not the fallback
    assert next(iter(prepared.compiled.values())) is not None
    assert prepared(f.make_user()) == []


def test_a_query_of_another_shape_runs_through_the_orm():
    user = f.make_user()
    # values() gives dicts, not the model's columns nor a values_list(): every call uses the ORM.
    build = lambda u: Pupil.objects.filter(pk=u.pk).values("pk")  # noqa: E731
    prepared = Prepared(Pupil, build, probe=lambda pk: get_user_model()(pk=pk))
    assert prepared(user) == []
    assert next(iter(prepared.compiled.values())) is None


def test_the_parameter_bound_wherever_the_query_names_it():
    board = f.make_board()
    school, other = f.make_school(board), f.make_school(board)
    mine = f.make_pupil(school)
    f.make_pupil(other)
    # The probe's id twice: both places take the parameter.
    build = lambda s: Pupil.objects.filter(school=s) | Pupil.objects.filter(pk=s.pk)  # noqa: E731
    prepared = Prepared(Pupil, build, probe=lambda pk: type(school)(pk=pk))
    assert [p.pk for p in prepared(school)] == [p.pk for p in build(school)] == [mine.pk]
    assert next(iter(prepared.compiled.values())) is not None


def test_group_queries_as_the_orm_gives_them():
    from django.utils import timezone

    from ouderportaal.school import group as group_queries
    from ouderportaal.school.models import CompositeGroup, Teacher

    board = f.make_board()
    school = f.make_school(board)
    group = f.make_group(school, "4/5")
    group.teachers.set([Teacher.objects.create(school=school, first_name=n, surname="Bakker") for n in ("Piet", "Ans")])
    child = f.make_pupil(school, group, 4, roepnaam="Zoë")
    f.make_pupil(school, group, 5, roepnaam="Bram")
    f.make_pupil(school, group, 5, roepnaam="Weg", left_on=datetime.date(2020, 1, 1))
    f.make_pupil(school, f.make_group(school, "6"), 6, roepnaam="Elders")
    year = group.school_year
    composite = CompositeGroup.objects.create(school=school, school_year=year, source_key="p", name="Plusklas")
    composite.pupils.add(child)
    today = timezone.localdate()
    rows = list(group_queries._names(child, year.start_year, today))
    for _ in range(2):  # the first call compiles, the second reuses
        assert group_queries._group_names(child, year.start_year, today) == rows
        composites, teachers, classmates = group_queries.group_names(child)
        assert (composites, teachers) == (["Plusklas"], ["Ans Bakker", "Piet Bakker"])
        # Names only: the classmates (the child too, not who left nor another group's) carry nothing else.
        assert [c["roepnaam"] for c in classmates] == ["Bram", "Zoë"]
        assert all(set(c) == {"roepnaam", "voorvoegsel", "surname"} for c in classmates)
        enrolment = group_queries.current_enrolment(child)
        assert (enrolment.group, enrolment.school_year, enrolment.year_level) == (group, year, 4)
    assert all(compiled is not None for compiled in group_queries._group_names.compiled.values())
    assert all(compiled is not None for compiled in group_queries._enrolments.compiled.values())
    # Another school year: compiled again with that year, and the child has no enrolment there.
    assert group_queries._enrolments(child, year.start_year + 1) == []


def test_two_levels_of_related_objects_as_the_orm_gives_them(django_assert_num_queries):
    from ouderportaal.letters import access as letter_access
    from tests.letter_factories import make_sent

    board = f.make_board()
    school = f.make_school(board)
    group = f.make_group(school, "3")
    pupils = [f.make_pupil(school, group) for _ in range(2)]
    user = f.make_user()
    f.make_guardian(board, pupils, user=user)
    staff = f.make_user()
    for _ in range(3):
        make_sent(school, staff, groups=[group])
    for _ in range(2):  # the first call compiles, the second reuses
        slow = list(letter_access.received_letters(user).select_related("letter__school"))
        with django_assert_num_queries(1):
            fast = letter_access.received_list(user)
            assert [(r.pk, fields(r.letter), fields(r.letter.school)) for r in fast] == [
                (r.pk, fields(r.letter), fields(r.letter.school)) for r in slow
            ]
        assert len(fast) == 3
    assert all(compiled is not None for compiled in letter_access._received_list.compiled.values())
    assert letter_access.received_list(f.make_user()) == []
    # One letter by its public id (a text parameter), only among the user's own.
    letter = fast[1].letter
    for _ in range(2):
        with django_assert_num_queries(1):
            one = letter_access.get_received_or_404(user, letter.public_id)
            assert (one.pk, fields(one.letter), fields(one.letter.school)) == (
                fast[1].pk,
                fields(letter),
                fields(letter.school),
            )
    assert all(compiled is not None for compiled in letter_access._received_one.compiled.values())
    with pytest.raises(Http404):
        letter_access.get_received_or_404(f.make_user(), letter.public_id)
    with pytest.raises(Http404):
        letter_access.get_received_or_404(user, "no-such-letter")


def test_nested_related_objects_and_rows_as_the_orm_gives_them():
    from ouderportaal.school.models import Guardianship

    board = f.make_board()
    school = f.make_school(board)
    home = f.make_household(board)
    children = [f.make_pupil(school), f.make_pupil(school)]
    user = f.make_user()
    f.make_guardian(board, children, user=user, household=home)
    f.make_guardian(board, children)  # a co-parent without a household
    probe = lambda pk: get_user_model()(pk=pk)  # noqa: E731

    def build(u):
        return Guardianship.objects.filter(pupil__in=access.visible_pupils(u)).order_by("guardian_id", "pk")

    prepared = Prepared(Guardianship, build, ("guardian", "guardian__household"), probe=probe)
    for _ in range(2):
        fast = prepared(user)
        slow = list(build(user).select_related("guardian", "guardian__household"))
        assert len(fast) == 4 and [fields(s) for s in fast] == [fields(s) for s in slow]
        for a, b in zip(fast, slow, strict=True):
            assert fields(a.guardian) == fields(b.guardian)
            assert (a.guardian.household and fields(a.guardian.household)) == (
                b.guardian.household and fields(b.guardian.household)
            )
    assert {s.guardian.household for s in fast} == {home, None}
    assert next(iter(prepared.compiled.values())) is not None

    rows = Prepared(Guardianship, lambda u: build(u).values_list("pupil_id", "relation"), probe=probe)
    for _ in range(2):
        assert rows(user) == list(build(user).values_list("pupil_id", "relation"))
    assert next(iter(rows.compiled.values())) is not None


def test_deferred_fields_are_left_to_load_on_first_use(django_assert_num_queries):
    board = f.make_board()
    school = f.make_school(board)
    pupil = f.make_pupil(school, birth_place="Utrecht")
    f.make_pupil(school)
    build = lambda s: Pupil.objects.filter(school=s).defer("birth_place", "bsn").order_by("pk")  # noqa: E731
    prepared = Prepared(Pupil, build, probe=lambda pk: type(school)(pk=pk))
    fast, slow = prepared(school), list(build(school))
    assert next(iter(prepared.compiled.values())) is not None  # SQL built once, not the ORM every call
    assert [fields(p) for p in fast] == [fields(p) for p in slow]
    assert fast[0].get_deferred_fields() == {"birth_place", "bsn"}
    with django_assert_num_queries(1):
        assert fast[0].birth_place == "Utrecht" and fast[0].pk == pupil.pk
