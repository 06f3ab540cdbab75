"""Hostile files: each ends in a clear Dutch refusal, nothing written, no server error."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ouderportaal.imports.models import ImportRun
from ouderportaal.imports.reading import neutralise
from ouderportaal.imports.services import import_file
from ouderportaal.school.models import Group, Pupil
from tests import factories as f

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<EDEX><school><schooljaar>2025-2026</schooljaar><brincode>&lol9;</brincode></school><leerlingen/></EDEX>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE EDEX [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<EDEX><school><schooljaar>2025-2026</schooljaar></school><leerlingen><leerling key="1">
<achternaam>&xxe;</achternaam></leerling></leerlingen></EDEX>"""


@pytest.fixture
def school(db):
    return f.make_school(brin="05KO00")


def run(source, school, data):
    return import_file(source=source, fileobj=io.BytesIO(data), file_name="aanval", school=school)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (BILLION_LAUGHS, "DTD of entiteiten"),
        (EXTERNAL, "DTD of entiteiten"),
        (b"<EDEX><school>", "geen geldig XML-bestand"),
        (b"<html><body>hallo</body></html>", "geen EDEX-bestand"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binaire"),
        (b"<EDEX>" + b"<a>" * 50 + b"</a>" * 50 + b"</EDEX>", "dieper genest"),
    ],
)
def test_hostile_xml_refused(school, data, message):
    result = run(ImportRun.Source.EDEX, school, data)
    assert result.status == ImportRun.Status.REFUSED and message in result.message
    assert not Pupil.objects.exists() and not Group.objects.exists()


def test_binary_file_named_csv(school):
    data = bytes(range(256)) * 100
    result = run(ImportRun.Source.FAMILIES, school, data)
    assert result.status == ImportRun.Status.REFUSED and "binaire gegevens" in result.message


def test_csv_with_ten_thousand_columns(school):
    header = ";".join(f"kolom{i}" for i in range(10_000)).encode()
    result = run(ImportRun.Source.ABSENCES, school, header + b"\r\n" + b"1;" * 10_000 + b"\r\n")
    assert result.status == ImportRun.Status.REFUSED and "kopregel" in result.message


def test_csv_row_with_too_many_fields(school):
    data = b"leerling_key;datum;reden\r\nL1;01-01-2026;ziek" + b";x" * 5000 + b"\r\n"
    result = run(ImportRun.Source.ABSENCES, school, data)
    assert result.status == ImportRun.Status.REFUSED and "Regel 2" in result.message


def test_huge_cell_refused(school):
    data = b"leerling_key;datum;reden\r\nL1;01-01-2026;" + b"z" * 100_000 + b"\r\n"
    result = run(ImportRun.Source.ABSENCES, school, data)
    assert result.status == ImportRun.Status.REFUSED and "meer dan 8000 tekens" in result.message


def test_200_megabyte_file_refused_without_reading_it(school, tmp_path):
    path = tmp_path / "groot.csv"
    with open(path, "wb") as sparse:
        sparse.truncate(200 * 2**20)  # sparse: no disk, and the importer must not read it anyway
    with pytest.raises(CommandError, match="200 MB; de grens is 20 MB"):
        call_command("import_absences", str(path), "--school", school.brin)
    assert ImportRun.objects.get().status == ImportRun.Status.REFUSED


def test_neutralise_formulas_for_exported_csv():
    assert neutralise("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0"
    assert neutralise("+31 6 1234 5678") == "+31 6 1234 5678" and neutralise("-2,5") == "-2,5"
    assert neutralise("-2+SUM(A1)") == "'-2+SUM(A1)" and neutralise("\tx") == "'\tx"
    assert neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("Visser") == "Visser"
