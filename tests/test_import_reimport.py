"""A re-import of the last applied file over unchanged rows is recognised without checking a row
(imports.fingerprints), and only then: any change in the file or in the stored rows takes the full path."""

import copy
import datetime
import decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ouderportaal.absences.models import Absence
from ouderportaal.imports import fingerprints, services
from ouderportaal.imports.models import AppliedState, ImportRun
from ouderportaal.imports.results import results_state
from ouderportaal.imports.services import import_file
from ouderportaal.results.models import TestResult
from ouderportaal.school.models import ContactDetail, GeneralPractitioner, Pupil
from tests import factories as f
from tests.importfiles import csv_file
from tests.test_import_csv import ABSENCE_HEADER, FAMILY_HEADER, FATHER, MOTHER

HEADER = ["leerling_key", "achternaam", "roepnaam", "geboortedatum", "leergebied", "toets", "toetsmoment",
          "afnamedatum", "toetsscore", "vaardigheidsscore", "niveau_iv"]  # fmt: skip
ROWS = [
    ["L1", "Visser", "Sanne", "04-03-2017", "Rekenen-Wiskunde", "Rekenen LiB", "M5", "20-01-2026", "", "185,5", "III"],
    ["L1", "Visser", "Sanne", "04-03-2017", "Spelling", "Spelling LiB", "M5", "21-01-2026", "12", "190", "II"],
    ["L2", "Jansen", "Daan", "06-05-2018", "Spelling", "Spelling LiB", "M4", "2025-06-10", "", "120", "I"],
]  # the last row's surname does not match the pupil: a warning on every import
Source = ImportRun.Source


@pytest.fixture
def school(db):
    school = f.make_school(brin="05KO00")
    group = f.make_group(school, "4/5")
    f.make_pupil(
        school, group, 5, source_key="L1", roepnaam="Sanne", surname="Visser", birth_date=datetime.date(2017, 3, 4)
    )
    f.make_pupil(
        school, group, 4, source_key="L2", roepnaam="Daan", surname="Visser", birth_date=datetime.date(2018, 5, 6)
    )
    return school


@pytest.fixture
def checked(monkeypatch):
    """The sources whose file was read and checked row by row (the full path)."""
    calls = []
    for source, prepare in list(services.PREPARE.items()):

        def counted(*args, _source=source, _prepare=prepare, **kwargs):
            calls.append(_source)
            return _prepare(*args, **kwargs)

        monkeypatch.setitem(services.PREPARE, source, counted)
    return calls


def run(school, rows, source=Source.RESULTS, header=HEADER, **kw):
    data = csv_file(header, rows)
    return import_file(source=source, fileobj=data, file_name="bestand.csv", school=school, **kw)


def counts(result, label="toetsresultaten"):
    return result.counts[label]


def test_reimport_checks_no_row_writes_nothing_and_still_warns(school, checked):
    first = run(school, ROWS)
    assert first.status == ImportRun.Status.APPLIED and counts(first)["new"] == 3
    assert checked == [Source.RESULTS] and AppliedState.objects.get().run == first
    # Taken from the rows just written (the school had none): the digest of the same rows read back.
    assert first.applied_state.state_digest == fingerprints.state_digest(results_state(school, {}))
    with CaptureQueriesContext(connection) as queries:
        again = run(school, ROWS)
    assert checked == [Source.RESULTS]  # not read again
    assert again.status == ImportRun.Status.APPLIED
    assert counts(again) == {"new": 0, "changed": 0, "unchanged": 3}
    written = [q["sql"] for q in queries.captured_queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert len(written) == 2  # the run and its audit row
    assert again.warnings == first.warnings and [(w["line"], w["column"]) for w in again.warnings] == [
        (4, "achternaam")
    ]


def test_row_changed_in_the_database_is_corrected(school, checked):
    run(school, ROWS)
    TestResult.objects.filter(moment="M4").update(ability_score=decimal.Decimal("99.0"), level="V")
    again = run(school, ROWS)
    assert counts(again) == {"new": 0, "changed": 1, "unchanged": 2} and checked == [Source.RESULTS] * 2
    assert TestResult.objects.get(moment="M4").ability_score == decimal.Decimal("120.0")
    assert counts(run(school, ROWS)) == {"new": 0, "changed": 0, "unchanged": 3} and len(checked) == 2


def test_row_deleted_in_the_database_comes_back(school, checked):
    run(school, ROWS)
    TestResult.objects.filter(moment="M4").delete()
    assert counts(run(school, ROWS)) == {"new": 1, "changed": 0, "unchanged": 2} and len(checked) == 2


def test_changed_file_row_is_checked(school, checked):
    run(school, ROWS)
    rows = copy.deepcopy(ROWS)
    rows[1][9] = "veel"
    bad = run(school, rows)
    assert len(checked) == 2 and bad.status == ImportRun.Status.PREVIEWED
    assert [(e["line"], e["column"], e["value"]) for e in bad.errors] == [(3, "vaardigheidsscore", "veel")]
    rows[1][9] = "191"
    good = run(school, rows)
    assert counts(good) == {"new": 0, "changed": 1, "unchanged": 2} and len(checked) == 3
    assert TestResult.objects.get(moment="M5", assessment__subject="Spelling").ability_score == 191


def test_pupil_renamed_takes_the_full_path_and_the_warning_follows(school, checked):
    run(school, ROWS)
    Pupil.objects.filter(source_key="L2").update(surname="Jansen")
    again = run(school, ROWS)
    assert len(checked) == 2 and again.warnings == []


def test_key_pointing_at_another_pupil_takes_the_full_path(school, checked):
    run(school, ROWS)
    Pupil.objects.filter(source_key="L2").update(source_key="L2-oud")
    f.make_pupil(school, f.make_group(school, "3"), 3, source_key="L2", roepnaam="Daan", surname="Jansen",
                 birth_date=datetime.date(2018, 5, 6))  # fmt: skip
    again = run(school, ROWS)
    assert counts(again) == {"new": 1, "changed": 0, "unchanged": 2} and len(checked) == 2


def test_only_applied_runs_are_kept_and_a_dry_run_may_use_them(school, checked):
    run(school, ROWS, dry_run=True)
    assert not AppliedState.objects.exists()
    run(school, ROWS[:2])
    second = run(school, ROWS)
    assert list(AppliedState.objects.values_list("run", flat=True)) == [second.pk] and len(checked) == 3
    dry = run(school, ROWS, dry_run=True)
    assert counts(dry)["unchanged"] == 3 and len(checked) == 3 and AppliedState.objects.get().run == second


def test_another_schools_state_is_not_used(school, checked):
    run(school, ROWS)
    other = f.make_school(brin="06KO00")
    assert run(other, ROWS).status == ImportRun.Status.PREVIEWED and len(checked) == 2  # no such pupils there


def test_absences_reimport_and_a_changed_row(school, checked):
    rows = [["L1", "12-01-2026", "ochtend", "ziek", "", "", ""], ["L2", "14-01-2026", "hele dag", "ziek", "", "", ""]]
    run(school, rows, Source.ABSENCES, ABSENCE_HEADER)
    assert counts(run(school, rows, Source.ABSENCES, ABSENCE_HEADER), "absenties")["unchanged"] == 2
    assert checked == [Source.ABSENCES]
    Absence.objects.filter(pupil__source_key="L2").update(note="gewijzigd")
    again = run(school, rows, Source.ABSENCES, ABSENCE_HEADER)
    assert counts(again, "absenties") == {"new": 0, "changed": 1, "unchanged": 1} and len(checked) == 2
    assert Absence.objects.get(pupil__source_key="L2").note == ""


def test_families_reimport_and_a_changed_contact(school, checked):
    rows = [["L1", "O1", *MOTHER], ["L2", "O1", *MOTHER], ["L1", "O2", *FATHER]]
    first = run(school, rows, Source.FAMILIES, FAMILY_HEADER)
    again = run(school, rows, Source.FAMILIES, FAMILY_HEADER)
    assert checked == [Source.FAMILIES] and again.counts == {
        label: {"new": 0, "changed": 0, "unchanged": sum(n.values())} for label, n in first.counts.items()
    }
    ContactDetail.objects.filter(value="eva@example.nl").update(value="ander@example.nl")
    run(school, rows, Source.FAMILIES, FAMILY_HEADER)
    assert len(checked) == 2 and ContactDetail.objects.filter(value="eva@example.nl").exists()


def test_families_reimport_after_another_school_added_its_own_gp(school, checked):
    """The board's general practitioners are shared: only those with a name the file gave are part of its state."""
    rows = [["L1", "O1", *MOTHER], ["L2", "O1", *MOTHER], ["L1", "O2", *FATHER]]
    first = run(school, rows, Source.FAMILIES, FAMILY_HEADER)
    assert first.applied_state.scope == {"general_practitioners": ["Dr. Jansen"]}
    GeneralPractitioner.objects.create(board=school.board, name="Dr. Smit", practice="Het Hof")
    run(school, rows, Source.FAMILIES, FAMILY_HEADER)
    assert checked == [Source.FAMILIES]  # recognised without reading the file
    GeneralPractitioner.objects.filter(name="Dr. Jansen").update(phone="030 765 4321")
    again = run(school, rows, Source.FAMILIES, FAMILY_HEADER)
    assert len(checked) == 2 and again.counts["huisartsen"]["changed"] == 1
    GeneralPractitioner.objects.create(board=school.board, name="Dr. Jansen", practice="Elders")
    run(school, rows, Source.FAMILIES, FAMILY_HEADER)
    assert len(checked) == 3  # one more with that name: the file might now find another one


def test_a_file_over_the_limit_is_refused_before_it_is_read(school, settings):
    run(school, ROWS)
    settings.IMPORT_MAX_BYTES = 100
    again = run(school, ROWS)
    assert again.status == ImportRun.Status.REFUSED and "grens" in again.message
