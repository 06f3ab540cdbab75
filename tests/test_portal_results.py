"""The Toetsen tab: nationally normed tests only, level letter with its colour, closed during test weeks."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.utils import dateformat, timezone, translation

from ouderportaal.results.levels import text_colour_for
from ouderportaal.results.models import Assessment, ResultsClosure, TestResult
from ouderportaal.results.visibility import closed_until, open_results_for
from ouderportaal.school.models import SchoolYear
from tests import factories as f


@pytest.fixture
def parent_client(client, cast):
    client.force_login(cast.parent)
    return client


@pytest.fixture
def results(cast):
    year = f.current_year()
    normed = Assessment.objects.create(
        supplier="Cito", subject="Rekenen", name="Rekenen-Wiskunde LiB", level_scheme=Assessment.LevelScheme.I_TO_V
    )
    spelling = Assessment.objects.create(
        supplier="Cito", subject="Spelling", name="Spelling oud", level_scheme=Assessment.LevelScheme.A_TO_E
    )
    method = Assessment.objects.create(
        supplier="Methode", subject="Rekenen", name="Blok 3 methodetoets", level_scheme="IV", nationally_normed=False
    )
    day = year.starts_on + datetime.timedelta(days=150)
    return [
        TestResult.objects.create(
            pupil=cast.child1,
            assessment=normed,
            school_year=year,
            moment="M5",
            taken_on=day,
            ability_score="187.5",
            level="III+",
        ),
        TestResult.objects.create(
            pupil=cast.child1, assessment=spelling, school_year=year, moment="M5", taken_on=day, score="42", level="B"
        ),
        TestResult.objects.create(
            pupil=cast.child1, assessment=method, school_year=year, moment="M5", taken_on=day, score="77", level="I"
        ),
    ]


def results_page(client, pupil, query=""):
    response = client.get(f"/kind/{pupil.public_id}/toetsen/{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_shows_normed_results_with_level_colour_and_legend(parent_client, cast, results):
    html = results_page(parent_client, cast.child1)
    assert "Rekenen-Wiskunde LiB" in html and "187,5" in html and "M5" in html
    assert (
        'class="level level-III" popovertarget="niveau-IV-IIIplus"><span class="visually-hidden">Niveau </span>III+'
        in html
    )
    assert 'class="level level-B" popovertarget="niveau-AE-B"' in html
    assert "Niveaus I–V" in html and "Niveaus A–E" in html
    # The meaning, in a popover opened by a tap on the level.
    assert 'id="niveau-IV-IIIplus" popover' in html
    assert "III+: hoort bij de 20% leerlingen die rond het landelijk gemiddelde scoren, in de bovenste helft" in html
    assert "B: hoort bij de 25% leerlingen die net boven het landelijk gemiddelde scoren." in html
    assert 'href="/niveaukleuren.css?v=' in html


def test_method_tests_are_hidden(parent_client, cast, results):
    assert "Blok 3 methodetoets" not in results_page(parent_client, cast.child1)
    cache.clear()  # drawn again, not taken from the cache: the context then holds what the page is drawn from
    response = parent_client.get(f"/kind/{cast.child1.public_id}/toetsen/")
    shown = [cell for row in response.context["table"].rows for cell in row["cells"] if cell]
    assert sorted(r.assessment.name for r in shown) == ["Rekenen-Wiskunde LiB", "Spelling oud"]
    assert all(row["result"].assessment.nationally_normed for s in response.context["subjects"] for row in s.rows)


def test_other_child_results_not_shown(parent_client, cast, results):
    assert "Rekenen-Wiskunde LiB" not in results_page(parent_client, cast.child2)


def test_closure_hides_every_result_and_names_the_reopening(parent_client, cast, results):
    now = timezone.now()
    ends = now + datetime.timedelta(days=3)
    ResultsClosure.objects.create(school=cast.school, starts_at=now - datetime.timedelta(hours=1), ends_at=ends)
    html = results_page(parent_client, cast.child1)
    assert "tijdelijk gesloten" in html
    with translation.override("nl"):
        assert dateformat.format(timezone.localtime(ends), "j F Y") in html
    for leak in ("Rekenen-Wiskunde", "Spelling", "187,5", "level-", "schooljaar=", "Niveaus"):
        assert leak not in html


@pytest.mark.parametrize("query", ["", "?schooljaar=2020-2021", "?schooljaar=abc"])
def test_closure_holds_for_every_year(parent_client, cast, results, query):
    now = timezone.now()
    ResultsClosure.objects.create(school=cast.school, starts_at=now, ends_at=now + datetime.timedelta(days=1))
    assert "Rekenen-Wiskunde" not in results_page(parent_client, cast.child1, query)


def test_closure_of_another_school_changes_nothing(parent_client, cast, results):
    now = timezone.now()
    ResultsClosure.objects.create(
        school=cast.other_school, starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(days=1)
    )
    assert "Rekenen-Wiskunde LiB" in results_page(parent_client, cast.child1)


def test_past_and_future_closures_leave_results_open(parent_client, cast, results):
    now = timezone.now()
    ResultsClosure.objects.create(
        school=cast.school, starts_at=now - datetime.timedelta(days=9), ends_at=now - datetime.timedelta(days=2)
    )
    ResultsClosure.objects.create(
        school=cast.school, starts_at=now + datetime.timedelta(days=2), ends_at=now + datetime.timedelta(days=9)
    )
    assert "Rekenen-Wiskunde LiB" in results_page(parent_client, cast.child1)


def test_closed_until_follows_adjoining_closures(cast):
    now = timezone.now()
    day = datetime.timedelta(days=1)
    ResultsClosure.objects.create(school=cast.school, starts_at=now - day, ends_at=now + day)
    ResultsClosure.objects.create(school=cast.school, starts_at=now + day, ends_at=now + 3 * day)
    ResultsClosure.objects.create(school=cast.school, starts_at=now + 5 * day, ends_at=now + 6 * day)
    assert closed_until(cast.school.pk, now) == now + 3 * day
    assert closed_until(cast.school.pk, now + 4 * day) is None


def test_closed_until_with_more_closures_than_its_query_reads_first(cast):
    # The gate reads the school's ten closures that end last; when all ten end after now, it reads them all.
    now = timezone.now()
    day = datetime.timedelta(days=1)
    for i in range(15):  # past test weeks
        ResultsClosure.objects.create(school=cast.school, starts_at=now - (40 + i) * day, ends_at=now - (39 + i) * day)
    ResultsClosure.objects.create(school=cast.school, starts_at=now - day, ends_at=now + day)
    assert closed_until(cast.school.pk, now) == now + day
    ResultsClosure.objects.create(school=cast.school, starts_at=now + day, ends_at=now + 2 * day)
    for i in range(10):  # scheduled test weeks, each ending later than the running ones
        ResultsClosure.objects.create(school=cast.school, starts_at=now + (10 + i) * day, ends_at=now + (11 + i) * day)
    assert closed_until(cast.school.pk, now) == now + 2 * day
    assert closed_until(cast.school.pk, now + 3 * day) is None
    assert closed_until(cast.school.pk, now + 10 * day) == now + 20 * day


def test_open_results_for_is_empty_while_closed(cast, results):
    now = timezone.now()
    ResultsClosure.objects.create(school=cast.school, starts_at=now, ends_at=now + datetime.timedelta(days=1))
    until, visible = open_results_for(cast.child1, now=now + datetime.timedelta(minutes=1))
    assert until is not None and not visible.exists()
    until, visible = open_results_for(cast.child1, now=now + datetime.timedelta(days=2))
    assert until is None and set(visible) == set(results[:2])


def test_earlier_school_year(parent_client, cast, results):
    year = f.current_year()
    earlier = SchoolYear.objects.create(start_year=year.start_year - 1)
    TestResult.objects.create(
        pupil=cast.child1,
        assessment=results[0].assessment,
        school_year=earlier,
        moment="E4",
        taken_on=earlier.starts_on + datetime.timedelta(days=300),
        level="II",
    )
    table = parent_client.get(f"/kind/{cast.child1.public_id}/toetsen/").context["table"]
    assert table.columns == ["M5"]
    table = parent_client.get(f"/kind/{cast.child1.public_id}/toetsen/?schooljaar={earlier}").context["table"]
    assert table.columns == ["E4"] and table.rows[0]["cells"][0].level == "II"


@pytest.mark.parametrize("value", ["abc", "1900-1901", "2025-2025", ""])
def test_odd_school_year_falls_back_to_the_current_one(parent_client, cast, results, value):
    assert "Rekenen-Wiskunde LiB" in results_page(parent_client, cast.child1, f"?schooljaar={value}")


def test_level_colours_stylesheet_follows_settings(client, db, settings):
    settings.RESULT_LEVEL_COLOURS = {"I": "#1b7a34", "III": "#f2d43d", "bad band": "#fff", "X": "red;}body{"}
    response = client.get("/niveaukleuren.css")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    css = response.content.decode()
    assert ".level-I{background-color:#1b7a34;color:#ffffff}" in css
    assert ".level-III{background-color:#f2d43d;color:#000000}" in css
    assert "bad band" not in css and "body" not in css


@pytest.mark.parametrize("colour", ["#1b7a34", "#7cc36a", "#f2d43d", "#f0913a", "#d6332b", "#777", "#000", "#fff"])
def test_badge_text_contrast_is_at_least_4_5(colour):
    def luminance(hex_colour):
        hex_colour = hex_colour.lstrip("#")
        if len(hex_colour) == 3:
            hex_colour = "".join(c * 2 for c in hex_colour)
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    lighter, darker = sorted([luminance(colour), luminance(text_colour_for(colour))], reverse=True)
    assert (lighter + 0.05) / (darker + 0.05) >= 4.5


def test_legend_in_english(client, cast, results):
    client.force_login(cast.parent)
    client.post("/i18n/setlang/", {"language": "en"})
    html = results_page(client, cast.child1)
    assert "Levels I–V" in html and "highest 20%" in html and "School year" in html


def test_opens_on_latest_year_with_results_when_this_year_has_none(parent_client, cast, results):
    last_year, _ = SchoolYear.objects.get_or_create(start_year=f.current_year().start_year - 1)
    TestResult.objects.filter(pk__in=[r.pk for r in results]).update(school_year=last_year)
    html = results_page(parent_client, cast.child1)
    assert "Rekenen-Wiskunde LiB" in html
    assert f'value="{last_year}" selected' in html or f"Schooljaar {last_year}" in html


def test_the_stylesheet_link_changes_with_the_colours(parent_client, cast, results, settings):
    """The link's version is worked out once, and anew when the colours change: a browser never keeps old colours."""

    def version():
        return re.search(r'href="/niveaukleuren\.css\?v=(\w+)"', results_page(parent_client, cast.child1)).group(1)

    before = version()
    assert version() == before
    settings.RESULT_LEVEL_COLOURS = {**settings.RESULT_LEVEL_COLOURS, "I": "#123456"}
    assert version() != before
