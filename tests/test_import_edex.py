"""EDEX import: a clean file, the quirks of real files, a second year's export, and a re-import that writes nothing."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ouderportaal.imports.models import ImportRun
from ouderportaal.imports.services import import_file
from ouderportaal.school.models import CompositeGroup, Enrolment, Group, Pupil, SchoolYear, Teacher
from tests import factories as f
from tests.importfiles import edex, pupil

GROUPS = [("G1", "Groep 4/5", "C"), ("G2", "Groep 8", "8"), ("G3", "Peuters", "0")]
PUPILS = [
    pupil("L1", "Sanne", "Visser", level="4"),
    pupil("L2", "Daan", "Berg", level="5", voorvoegsel="v. d."),
    pupil("L3", "Zoë", "Jansen", group="G2", level="8"),
    pupil("L4", "Noor", "Bakker", group="G2", level="?", geslacht="?"),
]
TEACHERS = [("T1", "Anna", "Smit", ["G1"]), ("T2", "Piet", "Kok", ["G2", "G3"])]


@pytest.fixture
def school(db):
    return f.make_school(brin="05KO00")


def run(school, data, **kw):
    return import_file(source=ImportRun.Source.EDEX, fileobj=data, file_name="leerlingen.xml", **kw)


def writes(queries):
    return [q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]


def test_clean_file_creates_groups_pupils_teachers(school):
    result = run(school, edex(groups=GROUPS, pupils=PUPILS, teachers=TEACHERS))
    assert result.status == ImportRun.Status.APPLIED, (result.message, result.errors)
    assert result.school == school and result.counts["leerlingen"] == {"new": 4, "changed": 0, "unchanged": 0}
    combination = Group.objects.get(school=school, source_key="G1")
    assert combination.year_levels == "4/5" and combination.school_year.start_year == 2025
    assert {e.pupil.roepnaam: e.year_level for e in combination.enrolments.select_related("pupil")} == {
        "Sanne": 4,
        "Daan": 5,
    }
    daan = Pupil.objects.get(source_key="L2")
    assert daan.voorvoegsel == "v. d." and daan.birth_date == datetime.date(2017, 3, 4)
    # A pupil without a year level gets the group's (with a warning); '?' codes are "unknown".
    noor = Pupil.objects.get(source_key="L4")
    assert noor.gender == "0" and Enrolment.objects.get(pupil=noor).year_level == 8
    assert any("jaargroep" in w["column"] for w in result.warnings)
    assert set(Group.objects.get(source_key="G2").teachers.values_list("source_key", flat=True)) == {"T2"}
    assert Teacher.objects.filter(school=school).count() == 2


def test_reimport_writes_nothing(school):
    run(school, edex(groups=GROUPS, pupils=PUPILS, teachers=TEACHERS))
    with CaptureQueriesContext(connection) as queries:
        again = run(school, edex(groups=GROUPS, pupils=PUPILS, teachers=TEACHERS))
    assert again.status == ImportRun.Status.APPLIED
    assert all(c.get("new", 0) == 0 and c.get("changed", 0) == 0 for c in again.counts.values())
    # Only the run's own record and its audit row are written.
    assert [w.split()[2].strip('"') for w in writes(queries.captured_queries)] == [
        "imports_importrun",
        "core_auditlogentry",
    ]


def test_old_file_with_tussenvoegsel_and_newer_school_year(school):
    data = edex(
        year="2031-2032",
        old=True,
        groups=[("A", "Groep 3", "3")],
        pupils=[pupil("X", "Jan", "Dijk", group="A", level="3", voorvoegsel="van")],
    )
    result = run(school, data)
    assert result.status == ImportRun.Status.APPLIED, result.message
    assert Pupil.objects.get(source_key="X").voorvoegsel == "van"
    assert SchoolYear.objects.filter(start_year=2031).exists()


def test_cp1252_file_with_diacritics(school):
    data = edex(
        encoding="windows-1252",
        groups=[("A", "Groep 3", "3")],
        pupils=[pupil("X", "Noël", "Eëndracht", group="A", level="3")],
    )
    result = run(school, data)
    assert result.status == ImportRun.Status.APPLIED, result.message
    assert Pupil.objects.get(source_key="X").roepnaam == "Noël"


def test_next_school_year(school):
    run(school, edex(groups=GROUPS, pupils=PUPILS, teachers=TEACHERS))
    next_groups = [("H1", "Groep 5/6", "C"), ("H3", "Groep 1/2", "C")]
    next_pupils = [
        pupil("L1", "Sanne", "Visser", group="H1", level="5"),
        pupil("L2", "Daan", "Berg", group="H1", level="6", voorvoegsel="v. d."),
        pupil("L3", "Zoë", "Jansen", group="", level="8", uitstroomdatum="2026-07-17"),
        pupil("L5", "Fleur", "Mulder", group="H3", level="1", instroomdatum="2026-09-01"),
    ]
    result = run(school, edex(year="2026-2027", groups=next_groups, pupils=next_pupils))
    assert result.status == ImportRun.Status.APPLIED, (result.message, result.errors)
    assert result.counts["leerlingen"] == {"new": 1, "changed": 1, "unchanged": 2, "missing": 1}
    assert Pupil.objects.get(source_key="L3").left_on == datetime.date(2026, 7, 17)
    sanne = Pupil.objects.get(source_key="L1")
    assert list(sanne.enrolments.order_by("school_year__start_year").values_list("year_level", flat=True)) == [4, 5]
    # Noor is not in the new file: reported, not written off without a confirmation.
    assert Pupil.objects.get(source_key="L4").left_on is None
    assert Group.objects.filter(school=school).count() == 4  # the peuter group is skipped
    run(school, edex(year="2026-2027", groups=next_groups, pupils=next_pupils), mark_missing_left=True)
    assert Pupil.objects.get(source_key="L4").left_on is not None
    assert Pupil.objects.count() == 5  # nothing deleted


@pytest.mark.parametrize(
    ("change", "column", "message"),
    [
        ({"geboortedatum": "31-02-2017"}, "geboortedatum", "datum"),
        ({"geboortedatum": None}, "geboortedatum", "ontbreekt"),
        ({"achternaam": None, "roepnaam": None, "voornamen": None}, "achternaam", "achternaam of roepnaam"),
        ({"key": "L1"}, "leerling key", "staat al"),
        ({"groep": "ONBEKEND"}, "groep key", "niet in het bestand"),
    ],
)
def test_errors_name_line_column_value_and_nothing_is_written(school, change, column, message):
    pupils = [PUPILS[0], {**pupil("L9", "Kim", "Vos"), **change}]
    result = run(school, edex(groups=GROUPS, pupils=pupils))
    assert result.status == ImportRun.Status.PREVIEWED and result.error_count >= 1
    error = result.errors[0]
    assert error["column"] == column and message in error["message"] and error["line"] > 1
    assert not Pupil.objects.exists() and not Group.objects.exists()


def test_other_brin_refused(school):
    other = f.make_school(school.board, brin="12AB00")
    result = import_file(
        source=ImportRun.Source.EDEX,
        fileobj=edex(brin="05KO", groups=GROUPS, pupils=PUPILS),
        file_name="x.xml",
        school=other,
    )
    assert result.status == ImportRun.Status.REFUSED and "05KO" in result.message
    assert not Pupil.objects.exists()


def test_unknown_brin_refused(db):
    result = run(None, edex(brin="31XY", groups=GROUPS, pupils=PUPILS))
    assert result.status == ImportRun.Status.REFUSED and "31XY" in result.message


def test_invalid_bsn_is_a_warning_and_not_stored(school):
    result = run(school, edex(groups=GROUPS, pupils=[{**PUPILS[0], "bsn": "123456789"}]))
    assert result.status == ImportRun.Status.APPLIED and Pupil.objects.get().bsn == ""
    assert any(w["column"] == "bsn" for w in result.warnings)


def test_command_dry_run_and_apply(school, tmp_path, capsys):
    path = tmp_path / "school.xml"
    path.write_bytes(edex(groups=GROUPS, pupils=PUPILS, teachers=TEACHERS).getvalue())
    call_command("import_edex", str(path), "--dry-run")
    assert not Pupil.objects.exists()
    call_command("import_edex", str(path))
    assert Pupil.objects.count() == 4
    out = capsys.readouterr().out
    assert "leerlingen: 4 nieuw" in out and "Proefdraai" in out and "Verwerkt" in out


def test_command_reports_errors(school, tmp_path):
    path = tmp_path / "school.xml"
    path.write_bytes(edex(groups=GROUPS, pupils=[{**PUPILS[0], "geboortedatum": "gisteren"}]).getvalue())
    with pytest.raises(CommandError, match="1 fouten"):
        call_command("import_edex", str(path))
    assert not Pupil.objects.exists()


def test_composite_groups_stored_with_their_members(school):
    """Samengestelde groepen: upserted on their key per school year; membership follows the file."""
    combined = [("S1", "Plusklas"), ("S2", "Leesgroep")]
    pupils = [
        pupil("L1", "Sanne", "Visser", level="4", samengesteld="S1"),
        pupil("L2", "Daan", "Berg", level="5", samengesteld="S1"),
        pupil("L3", "Zoë", "Jansen", group="G2", level="8", samengesteld="S9"),  # not in the file: a warning
    ]
    result = run(school, edex(groups=GROUPS, pupils=pupils, combined=combined))
    assert result.status == ImportRun.Status.APPLIED, result.errors
    assert result.counts["samengestelde groepen"]["new"] == 2
    assert result.counts["leden samengestelde groepen"]["new"] == 2
    assert any(w["value"] == "S9" for w in result.warnings)
    plusklas = CompositeGroup.objects.get(school=school, source_key="S1")
    assert plusklas.school_year.start_year == 2025 and plusklas.name == "Plusklas"
    assert set(plusklas.pupils.values_list("source_key", flat=True)) == {"L1", "L2"}
    with CaptureQueriesContext(connection) as queries:
        again = run(school, edex(groups=GROUPS, pupils=pupils, combined=combined))
    assert len(writes(queries.captured_queries)) == 2 and again.counts["leden samengestelde groepen"]["unchanged"] == 2
    # Daan leaves the plusklas and joins the reading group, which is renamed; nothing else changes.
    pupils[1] = pupil("L2", "Daan", "Berg", level="5", samengesteld="S2")
    result = run(school, edex(groups=GROUPS, pupils=pupils, combined=[("S1", "Plusklas"), ("S2", "Leesclub")]))
    assert result.counts["leden samengestelde groepen"] == {"new": 1, "changed": 1, "unchanged": 1}
    assert set(plusklas.pupils.values_list("source_key", flat=True)) == {"L1"}
    assert CompositeGroup.objects.get(source_key="S2").name == "Leesclub"
    assert list(Pupil.objects.get(source_key="L2").composite_groups.values_list("name", flat=True)) == ["Leesclub"]
