"""The Toetsen tab's table and charts come from the cache (results/report_cache.py) only while exactly what they show
is unchanged: an import, a correction, a removed result, a test no longer shown, another name, language, year or
colour setting draws them anew; a closed tab is never served from it."""

import datetime
import re

import pytest
from django.utils import timezone

from ouderportaal.imports.models import ImportRun
from ouderportaal.imports.services import import_file
from ouderportaal.results.models import Assessment, TestResult
from ouderportaal.results.services import close_now, open_now
from tests.importfiles import RESULT_HEADER as HEADER
from tests.importfiles import csv_file


def import_results(school, *rows):
    data = csv_file(HEADER, [["L1", "Visser", "Sanne", "14-03-2017", *row] for row in rows])
    run = import_file(source=ImportRun.Source.RESULTS, fileobj=data, file_name="toetsen.csv", school=school)
    assert run.status == ImportRun.Status.APPLIED, (run.message, run.errors)


def arithmetic(ability, level, moment="M5", day="20-01-2026"):
    return ["Rekenen-Wiskunde", "Rekenen-Wiskunde LiB", moment, day, "5", "", ability, level, ""]


def spelling(ability, level):
    return ["Spelling", "Spelling LiB", "M5", "21-01-2026", "5", "", ability, level, ""]


@pytest.fixture
def page(client, cast):
    cast.child1.source_key = "L1"
    cast.child1.save(update_fields=["source_key"])
    client.force_login(cast.parent)

    def get(query=""):
        response = client.get(f"/kind/{cast.child1.public_id}/toetsen/{query}")
        assert response.status_code == 200
        return response

    return get


def without_token(response):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def drawn(response):
    """Whether the table and charts were drawn for this response (else they came from the cache)."""
    return "table" in response.context


def test_the_second_visit_is_served_from_the_cache_and_reads_the_same(page, cast):
    import_results(cast.school, arithmetic("185,5", "III"), spelling("190", "II"))
    first, second = page(), page()
    assert drawn(first) and not drawn(second)
    assert without_token(second) == without_token(first)
    assert "185,5" in second.content.decode() and "Spelling" in second.content.decode()


def test_an_import_that_changes_a_result_is_shown_at_once(page, cast):
    import_results(cast.school, arithmetic("185,5", "III"), spelling("190", "II"))
    assert "185,5" in page().content.decode() and not drawn(page())
    import_results(cast.school, arithmetic("201", "I"), spelling("190", "II"))  # the same row, a new score
    response = page()
    html = response.content.decode()
    assert drawn(response)
    assert "201" in html and "185,5" not in html and 'popovertarget="niveau-IV-I"' in html
    # A new moment is a new row of the table and a new point of the chart.
    import_results(cast.school, arithmetic("201", "I"), arithmetic("210", "I", "E5", "10-06-2026"))
    assert "210" in page().content.decode()


def test_a_removed_result_or_a_test_no_longer_shown_disappears(page, cast):
    import_results(cast.school, arithmetic("185,5", "III"), spelling("190", "II"))
    assert "Spelling" in page().content.decode()
    TestResult.objects.filter(assessment__subject="Spelling").delete()
    assert "Spelling" not in page().content.decode()
    assert "Rekenen" in page().content.decode()
    Assessment.objects.filter(subject="Rekenen-Wiskunde").update(nationally_normed=False)
    assert "Rekenen" not in page().content.decode()
    Assessment.objects.filter(subject="Rekenen-Wiskunde").update(nationally_normed=True, name="Rekenen-Wiskunde Nieuw")
    assert "Rekenen-Wiskunde Nieuw" in page().content.decode()


def test_a_closure_is_never_served_from_the_cache(page, cast):
    import_results(cast.school, arithmetic("185,5", "III"))
    page(), page()  # in the cache
    close_now(school=cast.school, until=timezone.now() + datetime.timedelta(days=2), reason="", acting_user=cast.staff)
    html = page().content.decode()
    assert "tijdelijk gesloten" in html and "185,5" not in html and "Rekenen" not in html
    open_now(school=cast.school, acting_user=cast.staff)
    assert "185,5" in page().content.decode()


def test_language_name_year_and_colours_are_part_of_the_key(page, client, cast, settings):
    import_results(cast.school, arithmetic("185,5", "III"), arithmetic("170", "IV", "M4", "20-01-2025"))
    assert "Wat de niveaus betekenen" in page().content.decode()
    client.cookies["django_language"] = "en"
    english = page()
    assert drawn(english) and "What the levels mean" in english.content.decode()
    assert "185.5" in english.content.decode()
    client.cookies["django_language"] = "nl"
    assert "Wat de niveaus betekenen" in page().content.decode()

    cast.child1.roepnaam = "Sanna"
    cast.child1.save(update_fields=["roepnaam"])
    assert "Toetsresultaten van Sanna" in page().content.decode()

    earlier = page("?schooljaar=2024-2025")
    assert drawn(earlier) and "170" in earlier.context["table"].rows[0]["cells"][0].ability_score.to_eng_string()

    assert 'class="level level-III"' in page().content.decode()
    settings.RESULT_LEVEL_COLOURS = {k: v for k, v in settings.RESULT_LEVEL_COLOURS.items() if k != "III"}
    assert 'class="level level-other"' in page().content.decode()


def test_a_cached_report_is_found_by_the_plain_rows_without_loading_the_results(page, cast):
    # The key read from plain rows (open_results_shown) is the key the drawn report was stored under (from the
    # loaded results): the second view finds it, and loads no results as models.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ouderportaal.results.report_cache import cache_key, shown_row
    from ouderportaal.results.visibility import open_results_loaded, open_results_shown
    from ouderportaal.school.models import SchoolYear

    import_results(cast.school, arithmetic("212", "III"), spelling("190", "IV"))
    _, shown = open_results_shown(cast.child1)
    _, loaded = open_results_loaded(cast.child1)
    year = SchoolYear(start_year=2025)
    assert len(shown) == 2
    assert cache_key(cast.child1, shown, year) == cache_key(cast.child1, [shown_row(r) for r in loaded], year)
    first = page().context["report"]
    with CaptureQueriesContext(connection) as queries:
        second = page().context["report"]
    assert second == first and "212" in second
    reads = [q["sql"] for q in queries.captured_queries if "results_testresult" in q["sql"]]
    # One read of results, of the shown fields only: not the models (whose columns include the pupil's id).
    assert len(reads) == 1 and "pupil_id" not in reads[0].split(" FROM ")[0]
