"""The three CSV imports: clean files, every documented error, re-import writes nothing, encodings, delimiters."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ouderportaal.absences.models import Absence
from ouderportaal.imports.models import ImportRun
from ouderportaal.imports.services import import_file
from ouderportaal.results.models import Assessment, TestResult
from ouderportaal.school.models import ContactDetail, GeneralPractitioner, Guardian, Guardianship, Household
from tests import factories as f
from tests.importfiles import RESULT_HEADER, csv_file

FAMILY_HEADER = [
    "leerling_key",
    "ouder_key",
    "voorletters",
    "voornaam",
    "voorvoegsel",
    "achternaam",
    "relatie",
    "gezag",
    "mag_inzien",
    "ontvangt_post",
    "hoofdverzorger",
    "email",
    "email_geheim",
    "telefoon",
    "telefoon_soort",
    "telefoon_geheim",
    "telefoon_nood",
    "gezin_key",
    "straat",
    "postcode",
    "plaats",
    "adres_geheim",
    "huisarts",
    "huisarts_praktijk",
    "huisarts_telefoon",
]
MOTHER = [
    "E.",
    "Eva",
    "",
    "Visser",
    "moeder",
    "ja",
    "ja",
    "ja",
    "ja",
    "eva@example.nl",
    "nee",
    "06-12345678",
    "mobiel",
    "nee",
    "ja",
    "H1",
    "Dorpsstraat 1",
    "3511 AB",
    "Utrecht",
    "nee",
    "Dr. Jansen",
    "De Linde",
    "030 123 4567",
]
FATHER = [
    "T.",
    "Tom",
    "de",
    "Boer",
    "vader",
    "ja",
    "ja",
    "ja",
    "nee",
    "tom@example.nl",
    "nee",
    "06-87654321",
    "mobiel",
    "ja",
    "nee",
    "H2",
    "Geheimweg 9",
    "3512 CD",
    "Utrecht",
    "ja",
    "",
    "",
    "",
]
ABSENCE_HEADER = ["leerling_key", "datum", "dagdeel", "reden", "geoorloofd", "minuten_te_laat", "opmerking"]


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


def run(source, school, data, **kw):
    return import_file(source=source, fileobj=data, file_name="bestand.csv", school=school, **kw)


def families(rows=None, **kw):
    rows = rows or [["L1", "O1", *MOTHER], ["L2", "O1", *MOTHER], ["L1", "O2", *FATHER]]
    return csv_file(FAMILY_HEADER, rows, **kw)


def writes(queries):
    return [q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]


def assert_reimport_writes_nothing(source, school, make):
    with CaptureQueriesContext(connection) as queries:
        again = run(source, school, make())
    assert again.status == ImportRun.Status.APPLIED, again.errors
    assert all(c.get("new", 0) == 0 and c.get("changed", 0) == 0 for c in again.counts.values()), again.counts
    assert len(writes(queries.captured_queries)) == 2  # the run and its audit row


# Families ---------------------------------------------------------------------------------------------------


def test_families_clean_file(school):
    result = run(ImportRun.Source.FAMILIES, school, families())
    assert result.status == ImportRun.Status.APPLIED, result.errors
    mother = Guardian.objects.get(source_key="O1")
    assert mother.pupils.count() == 2 and mother.household.street == "Dorpsstraat 1"
    father = Guardian.objects.get(source_key="O2")
    assert father.voorvoegsel == "de" and father.household.address_secret
    assert ContactDetail.objects.get(guardian=father, kind="phone").secret
    assert ContactDetail.objects.get(guardian=mother, kind="phone").emergency
    link = Guardianship.objects.get(guardian=mother, pupil__source_key="L1")
    assert link.relation == "moeder" and link.is_main_caretaker and link.has_authority
    sanne = link.pupil
    sanne.refresh_from_db()
    assert sanne.household == mother.household and sanne.street == "Dorpsstraat 1" and not sanne.address_secret
    assert sanne.general_practitioner == GeneralPractitioner.objects.get(name="Dr. Jansen")
    assert Household.objects.count() == 2
    assert_reimport_writes_nothing(ImportRun.Source.FAMILIES, school, families)


def test_families_change_is_an_update_not_a_new_row(school):
    run(ImportRun.Source.FAMILIES, school, families())
    moved = [*MOTHER]
    moved[16] = "Nieuwstraat 2"
    result = run(ImportRun.Source.FAMILIES, school, families([["L1", "O1", *moved], ["L2", "O1", *moved]]))
    assert result.counts["gezinnen"] == {"new": 0, "changed": 1, "unchanged": 0}
    assert Guardian.objects.get(source_key="O1").household.street == "Nieuwstraat 2"
    assert Guardian.objects.count() == 2  # the father is not in this file and is left alone


def test_families_email_label(school):
    """`email_soort` (werk, privé) is kept as the address's label; a new label replaces the contact details."""
    header = ["leerling_key", "ouder_key", "achternaam", "relatie", "email", "email_soort", "telefoon"]

    def file(label):
        return csv_file(header, [["L1", "O1", "Visser", "moeder", "eva@example.nl", label, "06-12345678"]])

    assert run(ImportRun.Source.FAMILIES, school, file("werk")).status == ImportRun.Status.APPLIED
    email = ContactDetail.objects.get(guardian__source_key="O1", kind="email")
    assert (email.value, email.label, email.display_label) == ("eva@example.nl", "werk", "werk")
    assert_reimport_writes_nothing(ImportRun.Source.FAMILIES, school, lambda: file("werk"))
    result = run(ImportRun.Source.FAMILIES, school, file("privé"))
    assert result.counts["contactgegevens"]["changed"] == 2
    assert ContactDetail.objects.get(guardian__source_key="O1", kind="email").label == "privé"
    assert run(ImportRun.Source.FAMILIES, school, file("x" * 51)).errors[0]["column"] == "email_soort"


@pytest.mark.parametrize(
    ("index", "value", "column", "message"),
    [
        (0, "L9", "leerling_key", "geen leerling"),
        (6, "oom", "relatie", "kies uit"),
        (7, "misschien", "gezag", "ja of nee"),
        (11, "geen-adres", "email", "e-mailadres"),
        (13, "12345", "telefoon", "telefoonnummer"),
        (19, "1234", "postcode", "postcode"),
        (5, "", "achternaam", "verplicht"),
    ],
)
def test_families_errors(school, index, value, column, message):
    row = ["L1", "O1", *MOTHER]
    row[index] = value
    result = run(ImportRun.Source.FAMILIES, school, families([["L2", "O3", *FATHER], row]))
    assert result.error_count == 1 and result.status == ImportRun.Status.PREVIEWED
    error = result.errors[0]
    assert (error["line"], error["column"], error["value"]) == (3, column, value[:100])
    assert message in error["message"]
    assert not Guardian.objects.exists() and not Household.objects.exists()


def test_families_same_guardian_different_data_is_an_error(school):
    other = [*MOTHER]
    other[3] = "Anders"
    result = run(ImportRun.Source.FAMILIES, school, families([["L1", "O1", *MOTHER], ["L2", "O1", *other]]))
    assert result.errors[0]["line"] == 3 and "andere gegevens" in result.errors[0]["message"]


def test_families_comma_cp1252_with_bom_less_excel(school):
    row = ["L1", "O1", *MOTHER]
    row[5] = "Eënstra"
    result = run(ImportRun.Source.FAMILIES, school, families([row], delimiter=",", encoding="cp1252"))
    assert result.status == ImportRun.Status.APPLIED, (result.message, result.errors)
    assert Guardian.objects.get().surname == "Eënstra"


def test_formulas_are_stored_as_text(school):
    row = ["L1", "O1", *MOTHER]
    row[3] = "=cmd|' /C calc'!A0"
    result = run(ImportRun.Source.FAMILIES, school, families([row]))
    assert result.status == ImportRun.Status.APPLIED
    assert Guardian.objects.get().first_name == "=cmd|' /C calc'!A0"


# Results ----------------------------------------------------------------------------------------------------


def results(rows=None, **kw):
    rows = rows or [
        [
            "L1",
            "Visser",
            "Sanne",
            "04-03-2017",
            "Rekenen-Wiskunde",
            "Rekenen-Wiskunde LiB",
            "M5",
            "20-01-2026",
            "5",
            "",
            "185,5",
            "III",
            "",
        ],
        [
            "L1",
            "Visser",
            "Sanne",
            "04-03-2017",
            "Spelling",
            "Spelling LiB",
            "M5",
            "21-01-2026",
            "5",
            "",
            "190",
            "II",
            "",
        ],
        ["L2", "Visser", "Daan", "06-05-2018", "Spelling", "Spelling", "E3", "2025-06-10", "3", "", "120", "", "B+"],
    ]
    return csv_file(RESULT_HEADER, rows, **kw)


def test_results_clean_file(school):
    result = run(ImportRun.Source.RESULTS, school, results(bom=True))
    assert result.status == ImportRun.Status.APPLIED, (result.message, result.errors)
    assert TestResult.objects.count() == 3 and Assessment.objects.count() == 3
    sanne = TestResult.objects.get(pupil__source_key="L1", assessment__subject="Rekenen-Wiskunde")
    assert str(sanne.ability_score) == "185.5" and sanne.level == "III" and sanne.school_year.start_year == 2025
    daan = TestResult.objects.get(pupil__source_key="L2")
    assert daan.level == "B+" and daan.assessment.level_scheme == "AE" and daan.school_year.start_year == 2024
    assert_reimport_writes_nothing(ImportRun.Source.RESULTS, school, results)


def test_results_header_aliases(school):
    header = ["Leerlingnummer", "Vak", "Toetsnaam", "Moment", "Datum", "VS", "Niveau I-V"]
    data = csv_file(header, [["L1", "Spelling", "Spelling LiB", "m5", "20-01-2026", "190", "IV"]])
    result = run(ImportRun.Source.RESULTS, school, data)
    assert result.status == ImportRun.Status.APPLIED, (result.message, result.errors)
    assert TestResult.objects.get().moment == "M5"


def test_results_name_and_birth_date_cross_check_warns(school):
    row = [
        "L1",
        "Jansen",
        "Sanne",
        "01-01-2016",
        "Spelling",
        "Spelling LiB",
        "M5",
        "20-01-2026",
        "5",
        "",
        "190",
        "II",
        "",
    ]
    result = run(ImportRun.Source.RESULTS, school, results([row]))
    assert result.status == ImportRun.Status.APPLIED
    assert {w["column"] for w in result.warnings} == {"achternaam", "geboortedatum"}


@pytest.mark.parametrize(
    ("index", "value", "column", "message"),
    [
        (6, "X5", "toetsmoment", "M5"),
        (7, "32-01-2026", "afnamedatum", "datum"),
        (10, "veel", "vaardigheidsscore", "getal"),
        (11, "VI", "niveau_iv", "I t/m V"),
        (8, "9", "jaargroep", "1 tot en met 8"),
        (0, "L9", "leerling_key", "geen leerling met deze sleutel"),
        (4, "", "leergebied", "verplicht veld is leeg"),
        (5, "x" * 201, "toets", "langer dan 200 tekens"),
        (6, "", "toetsmoment", "verplicht veld is leeg"),
        (7, "", "afnamedatum", "verplicht veld is leeg"),
    ],
)
def test_results_errors(school, index, value, column, message):
    row = [
        "L1",
        "Visser",
        "Sanne",
        "04-03-2017",
        "Spelling",
        "Spelling LiB",
        "M5",
        "20-01-2026",
        "5",
        "",
        "190",
        "II",
        "",
    ]
    row[index] = value
    result = run(ImportRun.Source.RESULTS, school, results([row]))
    error = result.errors[0]
    assert (error["line"], error["column"], error["value"]) == (2, column, value[:100])
    assert message in error["message"] and not TestResult.objects.exists()


def test_results_a_value_is_checked_on_every_row_it_is_on(school):
    """Conversions are remembered per column: a good value once seen, a bad one reported on each of its lines."""
    good = ["L1", "", "", "", "Spelling", "Spelling LiB", "M5", "20-01-2026", "", "", "190", "II", ""]
    rows = [good, [*good[:6], "M6", "32-01-2026", *good[8:]], [*good[:6], "M7", "32-01-2026", *good[8:]]]
    rows += [[*good[:6], "M8", "20-01-2026", *good[8:]], ["L9", *good[1:]], ["L9", *good[1:6], "E5", *good[7:]]]
    result = run(ImportRun.Source.RESULTS, school, results(rows))
    assert [(e["line"], e["column"]) for e in result.errors] == [
        (3, "afnamedatum"),
        (4, "afnamedatum"),
        (6, "leerling_key"),
        (7, "leerling_key"),
    ]
    assert result.counts["toetsresultaten"]["new"] == 2 and not TestResult.objects.exists()


def test_missing_required_column_is_refused(school):
    result = run(ImportRun.Source.RESULTS, school, csv_file(["leerling_key", "toets"], [["L1", "x"]]))
    assert result.status == ImportRun.Status.REFUSED and "leergebied" in result.message


# Absences ---------------------------------------------------------------------------------------------------


def absences(rows=None, **kw):
    rows = rows or [
        ["L1", "12-01-2026", "ochtend", "ziek", "", "", ""],
        ["L1", "13-01-2026", "", "te laat", "", "10", "bus"],
        ["L2", "14-01-2026", "hele dag", "luxe verzuim", "", "", ""],
    ]
    return csv_file(ABSENCE_HEADER, rows, **kw)


def test_absences_clean_file(school):
    result = run(ImportRun.Source.ABSENCES, school, absences())
    assert result.status == ImportRun.Status.APPLIED, (result.message, result.errors)
    late = Absence.objects.get(reason="te_laat")
    assert late.part_of_day == "te_laat" and late.minutes_late == 10 and not late.excused
    assert Absence.objects.get(reason="ziek").excused
    assert_reimport_writes_nothing(ImportRun.Source.ABSENCES, school, absences)


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (["L1", "12-13-2026", "ochtend", "ziek", "", "", ""], "datum", "datum"),
        (["L1", "12-01-2026", "avond", "ziek", "", "", ""], "dagdeel", "kies uit"),
        (["L1", "12-01-2026", "ochtend", "vakantie", "", "", ""], "reden", "kies uit"),
        (["L1", "12-01-2026", "", "te laat", "", "", ""], "minuten_te_laat", "minuten"),
        (["L1", "12-01-2026", "ochtend", "ziek", "soms", "", ""], "geoorloofd", "ja of nee"),
    ],
)
def test_absences_errors(school, row, column, message):
    result = run(ImportRun.Source.ABSENCES, school, absences([row]))
    error = result.errors[0]
    assert error["line"] == 2 and error["column"] == column and message in error["message"]
    assert not Absence.objects.exists()


def test_absences_duplicate_row_is_an_error(school):
    row = ["L1", "12-01-2026", "ochtend", "ziek", "", "", ""]
    result = run(ImportRun.Source.ABSENCES, school, absences([row, row]))
    assert result.errors[0]["line"] == 3 and "regel 2" in result.errors[0]["message"]


def test_absences_command(school, tmp_path, capsys):
    path = tmp_path / "absenties.csv"
    path.write_bytes(absences().getvalue())
    call_command("import_absences", str(path), "--school", school.brin)
    assert Absence.objects.count() == 3
    with pytest.raises(CommandError, match="geen school"):
        call_command("import_absences", str(path), "--school", "99ZZ")
    assert "absenties: 3 nieuw" in capsys.readouterr().out


def test_csv_of_another_school_finds_no_pupils(school):
    other = f.make_school(school.board)
    result = run(ImportRun.Source.ABSENCES, other, absences())
    assert result.error_count == 3 and not Absence.objects.exists()


def test_empty_file_refused(school):
    result = run(ImportRun.Source.ABSENCES, school, io.BytesIO(b""))
    assert result.status == ImportRun.Status.REFUSED and "leeg" in result.message


def test_preview_samples_name_new_and_changed_rows(school):
    """The preview's first rows of each kind: pupil, test and moment; pupil, day and part of the day."""
    first = run(ImportRun.Source.RESULTS, school, results())
    new = first.samples["toetsresultaten"]["new"]
    assert new[0] == "Sanne Visser Rekenen-Wiskunde LiB M5" and new[2] == "Daan Visser Spelling E3"
    TestResult.objects.filter(moment="E3").update(level="A")
    again = run(ImportRun.Source.RESULTS, school, results())
    assert again.samples["toetsresultaten"]["changed"] == ["Daan Visser Spelling E3 (level: A → B+)"]
    first = run(ImportRun.Source.ABSENCES, school, absences())
    assert first.samples["absenties"]["new"][:2] == [
        "Sanne Visser 12-01-2026 ochtend",
        "Sanne Visser 13-01-2026 te laat",
    ]
    Absence.objects.filter(reason="ziek").update(note="anders")
    again = run(ImportRun.Source.ABSENCES, school, absences())
    assert again.samples["absenties"]["changed"] == ["Sanne Visser 12-01-2026 ochtend (note: anders → )"]


def test_preview_samples_of_a_families_file(school):
    first = run(ImportRun.Source.FAMILIES, school, families())
    assert first.samples["gezagsrelaties"]["new"] == [
        "Eva Visser → Sanne Visser (moeder)",
        "Eva Visser → Daan Visser (moeder)",
        "Tom de Boer → Sanne Visser (vader)",
    ]
    Guardianship.objects.filter(guardian__source_key="O2").update(relation="voogd", may_view=False)
    again = run(ImportRun.Source.FAMILIES, school, families())
    assert again.samples["gezagsrelaties"]["changed"] == [
        "Tom de Boer → Sanne Visser (voogd) (relation: voogd → vader, may_view: False → True)"
    ]
    assert again.counts["gezagsrelaties"] == {"new": 0, "changed": 1, "unchanged": 2}
