"""The Absenten tab: one school year at a time, totals excused and unexcused, a forgiving year parameter."""

import datetime

import pytest

from ouderportaal.absences.models import Absence
from tests import factories as f


@pytest.fixture
def year():
    return f.current_year()


@pytest.fixture
def parent_client(client, cast):
    client.force_login(cast.parent)
    return client


def absences_page(client, pupil, query=""):
    response = client.get(f"/kind/{pupil.public_id}/absenten/{query}")
    assert response.status_code == 200
    return response


def add(pupil, day, reason, part="dag", **kw):
    return Absence.objects.create(
        pupil=pupil, date=day, reason=reason, part_of_day=part, excused=kw.pop("excused", None), **kw
    )


def test_lists_absences_of_the_year_with_totals(parent_client, cast, year):
    start = year.starts_on
    add(cast.child1, start + datetime.timedelta(days=30), "ziek", note="Griep")
    add(cast.child1, start + datetime.timedelta(days=31), "arts", part="ochtend")
    add(cast.child1, start + datetime.timedelta(days=32), "ongeoorloofd", part="middag")
    add(cast.child1, start + datetime.timedelta(days=33), "te_laat", part="te_laat", minutes_late=12)
    add(cast.child1, start - datetime.timedelta(days=3), "luxe_verzuim")  # last school year
    add(cast.child2, start + datetime.timedelta(days=30), "schorsing")  # the other child
    response = absences_page(parent_client, cast.child1)
    html = response.content.decode()
    assert "Griep" in html and "Arts/tandarts/therapie" in html and "Te laat (12 minuten)" in html
    assert "Luxe verzuim" not in html and "Schorsing" not in html
    totals = response.context["totals"]
    assert totals["excused"] == {"count": 2, "dayparts": 3}
    assert totals["unexcused"] == {"count": 1, "dayparts": 1}  # the late arrival counts only as late
    assert totals["late"] == {"count": 1, "minutes": 12}
    assert "samen 3 dagdelen" in html and "samen 1 dagdeel" in html
    assert "keer geoorloofd afwezig" in html  # the big number says what it counts


def test_late_minutes_stand_with_the_reason_not_in_the_part_of_day(parent_client, cast, year):
    add(cast.child1, year.starts_on + datetime.timedelta(days=33), "te_laat", part="te_laat", minutes_late=10)
    html = absences_page(parent_client, cast.child1).content.decode()
    assert 'data-label="Dagdeel">—</td>' in html
    assert "Te laat (10 minuten)" in html


def test_only_years_with_records_are_offered(parent_client, cast, year):
    cast.child1.enrolled_on = datetime.date(year.start_year - 6, 9, 1)
    cast.child1.save()
    add(cast.child1, datetime.date(year.start_year - 3, 10, 1), "ziek")
    response = absences_page(parent_client, cast.child1)
    offered = [o["value"] for o in response.context["years"]]
    assert offered == [str(year), f"{year.start_year - 3}-{year.start_year - 2}"]


def test_excused_follows_what_the_school_recorded(parent_client, cast, year):
    add(cast.child1, year.starts_on + datetime.timedelta(days=5), "ziek", excused=False)
    totals = absences_page(parent_client, cast.child1).context["totals"]
    assert totals["unexcused"]["count"] == 1 and totals["excused"]["count"] == 0


def test_choose_an_earlier_school_year(parent_client, cast, year):
    add(cast.child1, year.starts_on - datetime.timedelta(days=3), "luxe_verzuim")
    previous = f"{year.start_year - 1}-{year.start_year}"
    response = absences_page(parent_client, cast.child1, f"?schooljaar={previous}")
    assert response.context["year"].start_year == year.start_year - 1
    assert "Luxe verzuim" in response.content.decode()
    assert f'<option value="{previous}" selected>' in response.content.decode()


@pytest.mark.parametrize(
    "value", ["abc", "1900-1901", "2025-2025", "2025-2027", "", "9999-10000", "２０２５-２０２６", "-1"]
)
def test_odd_school_year_falls_back_to_the_current_one(parent_client, cast, year, value):
    response = absences_page(parent_client, cast.child1, f"?schooljaar={value}")
    assert response.context["year"].start_year == year.start_year


def test_no_years_before_enrolment(parent_client, cast, year):
    cast.child1.enrolled_on = year.starts_on
    cast.child1.save()
    previous = f"{year.start_year - 1}-{year.start_year}"
    response = absences_page(parent_client, cast.child1, f"?schooljaar={previous}")
    assert response.context["year"].start_year == year.start_year
    assert f'<option value="{previous}"' not in response.content.decode()


def test_empty_year(parent_client, cast):
    html = absences_page(parent_client, cast.child1).content.decode()
    assert "niets genoteerd" in html
    assert 'name="schooljaar"' not in html  # nothing to choose between


def test_a_child_who_left_opens_on_its_last_school_year(parent_client, cast, year):
    last = year.start_year - 1
    cast.child1.left_on = datetime.date(year.start_year, 7, 10)
    cast.child1.save()
    add(cast.child1, datetime.date(year.start_year, 3, 2), "ziek")
    response = absences_page(parent_client, cast.child1)
    assert response.context["year"].start_year == last
    assert len(response.context["absences"]) == 1
