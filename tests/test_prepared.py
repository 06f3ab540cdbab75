"""core/prepared.py: the children query with its SQL built once gives what the ORM gives, and only the guardian's."""

import datetime

import pytest
from django.contrib.auth import get_user_model

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
    # Two parameters for the probe's id: not the one-parameter shape, so every call uses the ORM.
    build = lambda u: Pupil.objects.filter(pk=u.pk) | Pupil.objects.filter(school_id=u.pk)  # noqa: E731
    prepared = Prepared(Pupil, build, probe=lambda pk: get_user_model()(pk=pk))
    assert prepared(user) == []
    assert next(iter(prepared.compiled.values())) is None
