"""The Toetsen tab's year table, growth charts and level explanations agree with the stored results: gaps, a repeated
year, a combination group, both level schemes and a change of supplier; the SVG is valid XML; the query count does not
grow with the years of results."""

import datetime
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from ouderportaal.results.charts import growth_svg, y_ticks
from ouderportaal.results.levels import level_meaning
from ouderportaal.results.models import Assessment, TestResult
from ouderportaal.results.report import change_in_words, growth, split_name, year_table
from ouderportaal.school.models import SchoolYear

SVG = "{http://www.w3.org/2000/svg}"


def year(start):
    return SchoolYear.objects.get_or_create(start_year=start)[0]


@pytest.fixture
def tests_(db):
    lovs = Assessment.objects.create(
        supplier="Cito", subject="Rekenen-Wiskunde", name="Rekenen-Wiskunde (LOVS)", level_scheme="AE", scale="cito-rw"
    )
    lib = Assessment.objects.create(
        supplier="Cito",
        subject="Rekenen-Wiskunde",
        name="Rekenen-Wiskunde (Leerling in beeld)",
        level_scheme="IV",
        scale="cito-rw",
    )
    iep = Assessment.objects.create(supplier="IEP", subject="Rekenen-Wiskunde", name="IEP Rekenen", level_scheme="IV")
    spelling = Assessment.objects.create(
        supplier="Cito", subject="Spelling", name="Spelling (Leerling in beeld)", level_scheme="IV"
    )
    return lovs, lib, iep, spelling


def add(pupil, assessment, start, moment, month, score, level, raw=""):
    return TestResult.objects.create(
        pupil=pupil,
        assessment=assessment,
        school_year=year(start),
        moment=moment,
        taken_on=datetime.date(start + 1, month, 20),
        ability_score=None if score is None else Decimal(score),
        score=raw,
        level=level,
    )


@pytest.fixture
def history(cast, tests_):
    """Sanne (child1, in combination group 4/5 as a jaargroep 5 pupil): LOVS in groep 3 (A–E), Leerling in beeld
    from groep 4 with E4 missing, groep 4 repeated, then a move to IEP (another supplier, another scale)."""
    lovs, lib, iep, spelling = tests_
    child = cast.child1
    return [
        add(child, lovs, 2020, "M3", 1, "100.0", "B"),
        add(child, lovs, 2020, "E3", 6, "108.5", "C"),
        add(child, lib, 2021, "M4", 1, "115.0", "II+"),
        # E4 2022 missing: a gap.
        add(child, lib, 2022, "M4", 1, "121.0", "III"),  # groep 4 again
        add(child, lib, 2022, "E4", 6, "124.0", "III-"),
        add(child, iep, 2023, "M5", 1, "62.0", "IV"),
        add(child, iep, 2023, "E5", 6, "62.0", "IV"),
        add(child, spelling, 2023, "M5", 1, None, "", raw="41"),
    ]


def test_change_in_words(history):
    m3, e3, m4, m4b, e4, m5, e5, _ = history
    with translation.override("nl"):
        assert change_in_words(None, m3) == "Eerste toets van dit leergebied."
        assert change_in_words(m3, e3) == "8,5 punten hoger dan in M3."
        assert change_in_words(m4b, e4) == "3 punten hoger dan in M4."
        assert change_in_words(e4, m4b) == "3 punten lager dan in E4."
        assert change_in_words(m5, e5) == "Even hoog als in M5."
        assert change_in_words(e4, m5) == "Andere toets dan in E4: de scores zijn niet te vergelijken."
    with translation.override("en"):
        assert change_in_words(m4b, e4) == "3 points higher than in M4."


def test_growth_splits_at_a_change_of_scale_and_breaks_the_line_at_a_gap(history):
    subjects = {s.name: s for s in growth(history)}
    rekenen = subjects["Rekenen-Wiskunde"]
    assert [s.name for s in rekenen.series] == ["LOVS", "IEP Rekenen"]
    cito, other = rekenen.series
    # LOVS and Leerling in beeld share one scale: one series, all five Cito points in the order taken.
    assert [p.result.moment for p in cito.points] == ["M3", "E3", "M4", "M4", "E4"]
    assert [p.score for p in cito.points] == [r.ability_score for r in history[:5]]
    # The gap after the first M4 (E4 missing) breaks the line; the repeated year keeps its own moments.
    assert [[p.result.moment for p in run] for run in cito.runs] == [["M3", "E3", "M4"], ["M4", "E4"]]
    assert [p.result.moment for p in other.points] == ["M5", "E5"]
    assert rekenen.latest_change.startswith("Even hoog")
    # A result without ability score is listed, never drawn.
    spelling = subjects["Spelling"]
    assert spelling.series == [] and [r["result"].score for r in spelling.rows] == ["41"]


def test_change_compares_with_the_same_scale(cast, tests_):
    lovs, lib, iep, spelling = tests_
    rows = [
        add(cast.child1, lib, 2022, "M4", 1, "120.0", "III"),
        add(cast.child1, iep, 2022, "M4", 2, "60.0", "III"),  # a second test of the subject at the same moment
        add(cast.child1, lib, 2022, "E4", 6, "125.5", "III"),
        add(cast.child1, iep, 2022, "E4", 6, "58.0", "IV"),
    ]
    with translation.override("nl"):
        changes = [row["change"] for row in growth(rows)[0].rows]
    assert changes == [
        "Eerste toets van dit leergebied.",
        "Andere toets dan in M4: de scores zijn niet te vergelijken.",
        "5,5 punten hoger dan in M4.",
        "2 punten lager dan in M4.",
    ]
    # Both tests keep their own row in the year table, each with both moments.
    table = year_table(rows)
    assert sorted((r["name"], [c.ability_score for c in r["cells"]]) for r in table.rows) == [
        ("IEP Rekenen", [Decimal("60.0"), Decimal("58.0")]),
        ("Rekenen-Wiskunde (Leerling in beeld)", [Decimal("120.0"), Decimal("125.5")]),
    ]


def test_two_tests_of_one_name_at_one_moment_are_both_shown(cast, tests_):
    lovs, lib, iep, spelling = tests_
    rows = [add(cast.child1, lovs, 2022, "M4", 1, "120.0", "B"), add(cast.child1, lib, 2022, "M4", 1, "121.0", "II")]
    table = year_table(rows)
    assert sorted(c.ability_score for r in table.rows for c in r["cells"] if c) == [Decimal("120.0"), Decimal("121.0")]


def test_svg_is_valid_xml_and_agrees_with_the_results(history):
    cito = growth(history)[0].series[0]
    svg = str(growth_svg(cito, chart_id="groei-1-1", title="Rekenen-Wiskunde <&> groei"))
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Rekenen-Wiskunde <&> groei"
    circles = root.findall(f"{SVG}circle")
    assert [c.find(f"{SVG}title").text for c in circles] == [
        "M3: 100, B",
        "E3: 108,5, C",
        "M4: 115, II+",
        "M4: 121, III",
        "E4: 124, III-",
    ]
    assert [c.get("class") for c in circles] == [
        "point level-B",
        "point level-C",
        "point level-II",
        "point level-III",
        "point level-III",
    ]
    # Every level is written beside its point, not only coloured.
    labels = [t.text for t in root.findall(f"{SVG}text") if t.get("class") == "point-level"]
    assert labels == ["B", "C", "II+", "III", "III-"]
    lines = root.findall(f"{SVG}polyline")
    assert [len(line.get("points").split()) for line in lines] == [3, 2]
    # Higher scores are drawn higher; x follows the dates.
    ys = [float(c.get("cy")) for c in circles]
    xs = [float(c.get("cx")) for c in circles]
    assert ys == sorted(ys, reverse=True) and xs == sorted(xs)


def test_charts_and_tables_are_drawn_without_queries(history, django_assert_num_queries):
    with django_assert_num_queries(0):
        subjects = growth(history)
        svgs = [str(growth_svg(s, chart_id="c", title="t")) for subject in subjects for s in subject.series]
        year_table(history)
    assert len(svgs) == 2


def test_single_point_chart(history):
    chart = growth_svg(growth(history)[0].series[1], chart_id="x", title="t")
    assert len(ET.fromstring(str(chart)).findall(f"{SVG}circle")) == 2
    single = growth([history[0]])[0].series[0]
    root = ET.fromstring(str(growth_svg(single, chart_id="y", title="t")))
    assert len(root.findall(f"{SVG}circle")) == 1 and not root.findall(f"{SVG}polyline")


@pytest.mark.parametrize("low, high", [(100, 108.5), (20, 20.5), (95, 305), (-3, 4)])
def test_y_ticks_cover_the_range(low, high):
    ticks = y_ticks(low, high)
    assert ticks[0] <= low and ticks[-1] >= high and 2 <= len(ticks) <= 7


def test_year_table_puts_moments_side_by_side_and_names_the_product_once(cast, tests_):
    lovs, lib, iep, spelling = tests_
    rows = [
        add(cast.child1, spelling, 2024, "E5", 6, "150.0", "II"),
        add(cast.child1, lib, 2024, "M5", 1, "140.0", "I"),
        add(cast.child1, spelling, 2024, "M5", 1, "146.0", "III"),
    ]
    table = year_table(rows)
    assert table.columns == ["M5", "E5"] and table.common_suffix == "Leerling in beeld" and table.supplier == "Cito"
    assert [(r["name"], [c and c.ability_score for c in r["cells"]]) for r in table.rows] == [
        ("Rekenen-Wiskunde", [Decimal("140.0"), None]),
        ("Spelling", [Decimal("146.0"), Decimal("150.0")]),
    ]
    mixed = year_table([*rows, add(cast.child1, iep, 2024, "E5", 6, "70.0", "II")])
    assert mixed.common_suffix == "" and {r["name"] for r in mixed.rows} >= {"IEP Rekenen"}


def test_split_name():
    assert split_name("Spelling (Leerling in beeld)") == ("Spelling", "Leerling in beeld")
    assert split_name("IEP Rekenen") == ("IEP Rekenen", "")


@pytest.mark.parametrize(
    "level, scheme, text",
    [
        ("II", "IV", "II: hoort bij de 20% leerlingen die net boven het landelijk gemiddelde scoren."),
        ("I+", "IV", "I+: hoort bij de 20% leerlingen die het hoogst scoren, in de bovenste helft van dat niveau."),
        ("V-", "IV", "V-: hoort bij de 20% leerlingen die het laagst scoren, in de onderste helft van dat niveau."),
        ("C", "AE", "C: hoort bij de 25% leerlingen die net onder het landelijk gemiddelde scoren."),
        ("E", "AE", "E: hoort bij de 10% leerlingen die het laagst scoren."),
        ("1F", "IV", "1F: een niveau dat de toets zelf geeft."),
    ],
)
def test_level_meaning(level, scheme, text):
    with translation.override("nl"):
        assert level_meaning(level, scheme) == text


def test_page_shows_chart_table_and_change(client, cast, history):
    client.force_login(cast.parent)
    html = client.get(f"/kind/{cast.child1.public_id}/toetsen/").content.decode()
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="growth-chart"') == 2
    assert "Dit leergebied is met verschillende toetsen gemeten" in html
    assert "Even hoog als in M5." in html and "3 punten hoger dan in M4." in html
    # The data table beside the chart lists every result, also the one without an ability score.
    for result in history:
        assert f'{result.moment} <span class="result-extra">{result.taken_on:%d-%m-%Y}</span>' in html
    assert "toetsscore 41" not in html  # a raw score only: shown as the score itself
    assert "Niveaus A–E" in html and "Niveaus I–V" in html and "bovenste of de onderste helft" in html


def test_query_count_is_the_same_for_one_and_eight_years(client, cast, tests_):
    lovs, lib, iep, spelling = tests_
    client.force_login(cast.parent)
    url = f"/kind/{cast.child1.public_id}/toetsen/"

    def count():
        """(queries of a first view, which draws the table and charts; of the next, which finds them cached)"""
        cache.clear()
        counts = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries.captured_queries))
        return tuple(counts)

    add(cast.child1, lib, 2018, "M3", 1, "100.0", "III")
    count()  # the session's first request also settles the second step and the idle clock
    one = count()
    # A cached report does not need the results as models (the test-week gate is inside both results queries).
    assert one[1] == one[0] - 1
    for i, start in enumerate(range(2018, 2026)):
        for moment, month in (("M", 1), ("E", 6)):
            for assessment in (lib, spelling):
                TestResult.objects.get_or_create(
                    pupil=cast.child1,
                    assessment=assessment,
                    school_year=year(start),
                    moment=f"{moment}{3 + min(i, 5)}",
                    defaults={"taken_on": datetime.date(start + 1, month, 20), "ability_score": 100 + 10 * i},
                )
    assert TestResult.objects.values("school_year").distinct().count() == 8
    assert count() == one


@pytest.mark.parametrize("query", ["?schooljaar=abc", "?schooljaar=2020-2021%00", "?schooljaar=" + "9" * 500])
def test_garbage_year_is_never_a_server_error(client, cast, history, query):
    client.force_login(cast.parent)
    assert client.get(f"/kind/{cast.child1.public_id}/toetsen/{query}").status_code == 200


def test_combination_group_pupil_keeps_own_moments(cast, history):
    # child1 sits in group 4/5 as a jaargroep-5 pupil: the table shows the moments as delivered.
    table = year_table([r for r in history if r.school_year.start_year == 2023])
    assert table.columns == ["M5", "E5"]
