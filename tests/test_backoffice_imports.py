"""The back-office import page: upload → preview → apply, only for the office staff of that school."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ouderportaal.core.models import AuditLogEntry
from ouderportaal.imports.models import ImportRun
from ouderportaal.school.models import Group, Pupil
from tests import factories as f
from tests.importfiles import csv_file, edex, pupil

GROUPS = [("G1", "Groep 4/5", "C")]
PUPILS = [pupil("L1", "Sanne", "Visser", level="4"), pupil("L2", "Daan", "Berg", level="5")]


@pytest.fixture(autouse=True)
def _import_dir(settings, tmp_path):
    settings.IMPORT_DIR = tmp_path / "imports"


def upload(client, school, data, source="edex", name="leerlingen.xml"):
    file = SimpleUploadedFile(name, data.getvalue() if hasattr(data, "getvalue") else data)
    return client.post(reverse("backoffice:imports"), {"school": school.pk, "source": source, "file": file})


def edex_for(school, **kw):
    return edex(brin=school.brin[:4], groups=GROUPS, pupils=PUPILS, **kw)


def test_upload_preview_then_apply(cast, client, tmp_path):
    client.force_login(cast.staff)
    response = upload(client, cast.school, edex_for(cast.school))
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response.url == reverse("backoffice:import_run", args=[run.pk])
    assert run.status == ImportRun.Status.PREVIEWED and run.actor == cast.staff
    assert not Pupil.objects.filter(source_key="L1").exists()  # a preview writes nothing
    page = client.get(response.url).content.decode()
    assert "Verwerken" in page and "Sanne Visser" in page and "leerlingen" in page
    client.post(response.url)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.APPLIED and run.stored_file == ""
    assert not list((tmp_path / "imports").iterdir())  # the uploaded file is gone once applied
    assert Pupil.objects.filter(school=cast.school, source_key__in=["L1", "L2"]).count() == 2
    assert AuditLogEntry.objects.filter(action="import.applied", actor=cast.staff, school_id=cast.school.pk).exists()
    # A second click does not apply twice.
    response = client.post(reverse("backoffice:import_run", args=[run.pk]), follow=True)
    assert "al verwerkt" in response.content.decode()


def test_file_of_another_brin_refused(cast, client):
    client.force_login(cast.staff)
    upload(client, cast.school, edex(brin="88QQ", groups=GROUPS, pupils=PUPILS))
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.REFUSED and "88QQ" in run.message
    page = client.get(reverse("backoffice:import_run", args=[run.pk])).content.decode()
    assert "niets opgeslagen" in page and "Verwerken" not in page
    assert not Group.objects.filter(source_key="G1").exists()


def test_only_own_office_schools(cast, client):
    client.force_login(cast.staff)
    response = upload(client, cast.other_school, edex_for(cast.other_school))
    assert response.status_code == 200 and "Selecteer een geldige keuze" in response.content.decode()
    assert not ImportRun.objects.exists()
    teacher = f.make_staff(cast.school, role="leerkracht", username="juf")
    client.force_login(teacher)
    assert client.get(reverse("backoffice:imports")).status_code == 404


def test_errors_shown_and_downloaded_with_formulas_neutralised(cast, client):
    client.force_login(cast.staff)
    header = ["leerling_key", "datum", "reden"]
    upload(client, cast.school, csv_file(header, [["=cmd|' /C calc'!A0", "01-01-2026", "ziek"]]), "absences", "a.csv")
    run = ImportRun.objects.get()
    assert run.error_count == 1
    page = client.get(reverse("backoffice:import_run", args=[run.pk])).content.decode()
    assert "Verwerken" not in page and "geen leerling met deze sleutel" in page
    report = client.get(reverse("backoffice:import_errors", args=[run.pk])).content.decode("utf-8-sig")
    assert "'=cmd|' /C calc'!A0" in report and "\n=cmd" not in report and ";=cmd" not in report


def test_empty_and_missing_file_are_form_errors(cast, client):
    client.force_login(cast.staff)
    response = client.post(reverse("backoffice:imports"), {"school": cast.school.pk, "source": "edex"})
    assert response.status_code == 200 and "Kies een bestand" in response.content.decode()
    response = upload(client, cast.school, b"")
    assert "leeg" in response.content.decode()


def test_large_file_checked_and_applied_in_the_background(cast, client, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_BACKGROUND_BYTES = 100
    client.force_login(cast.staff)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(client, cast.school, edex_for(cast.school))
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.QUEUED and len(callbacks) == 1
    page = client.get(response.url).content.decode()
    assert 'http-equiv="refresh"' in page and "<progress" in page
    callbacks[0]()  # the worker's turn
    run.refresh_from_db()
    assert run.status == ImportRun.Status.PREVIEWED and run.progress == 100
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response.url)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.APPLIED
    assert Pupil.objects.filter(source_key="L2").exists()


def test_too_large_upload_refused(cast, client, settings):
    settings.IMPORT_MAX_BYTES = 1000
    client.force_login(cast.staff)
    response = upload(client, cast.school, b"x" * 2000, "absences", "groot.csv")
    assert response.status_code == 413 and "niet opgeslagen" in response.content.decode()
    assert not ImportRun.objects.exists()


@pytest.mark.parametrize("count", [1, 6])
def test_query_counts(cast, client, django_assert_num_queries, count):
    for i in range(count):
        ImportRun.objects.create(
            school=cast.school,
            source="edex",
            file_name=f"{i}.xml",
            actor=cast.staff,
            counts={"leerlingen": {"new": 1, "changed": 0, "unchanged": 0}},
        )
    client.force_login(cast.staff)
    client.get(
        reverse("backoffice:home")
    )  # the session's first request also settles the second step and the idle clock
    run = ImportRun.objects.first()
    with django_assert_num_queries(QUERIES["list"]):
        client.get(reverse("backoffice:imports"))
    with django_assert_num_queries(QUERIES["run"]):
        client.get(reverse("backoffice:import_run", args=[run.pk]))


# +1 on every staff page since the menu counts pending change requests (issue 7), +1 for the two-factor device of
# the session (django-otp), -1 since the navigation's staff link comes from the session (issue 14), -1 since its
# guardian link does too (issue 11).
QUERIES = {"list": 9, "run": 6}


def test_oversized_upload_refused_on_its_length_before_reading(cast, client, settings, tmp_path, monkeypatch):
    """A body longer than the limit is refused on Content-Length: the body is never parsed, so nothing is spooled."""
    from django.http.multipartparser import MultiPartParser

    parsed = []
    original = MultiPartParser.parse
    monkeypatch.setattr(MultiPartParser, "parse", lambda self: parsed.append(1) or original(self))
    settings.IMPORT_MAX_BYTES = 2**20
    client.force_login(cast.staff)
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "spool")
    (tmp_path / "spool").mkdir()
    response = upload(client, cast.school, b"leerling_key;datum;reden\r\n" + b"x" * (3 * 2**20), "absences", "a.csv")
    assert response.status_code == 413
    assert "groter dan 1 MB en is niet opgeslagen" in response.content.decode()
    assert not ImportRun.objects.exists()
    assert not (tmp_path / "imports").exists() or not list((tmp_path / "imports").iterdir())
    assert not list((tmp_path / "spool").iterdir()) and not parsed


def test_upload_past_the_limit_stops_at_the_limit(cast, client, settings, tmp_path, monkeypatch):
    """A length within the allowance but a file past the limit: the upload handler stops reading it."""
    from django.core.files.uploadhandler import TemporaryFileUploadHandler

    settings.IMPORT_MAX_BYTES = 2**20
    written = []
    original = TemporaryFileUploadHandler.receive_data_chunk

    def counting(self, raw_data, start):
        written.append(len(raw_data))
        return original(self, raw_data, start)

    monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk", counting)
    client.force_login(cast.staff)
    body = b"leerling_key;datum;reden\r\n" + b"x" * (2**20 + 20_000)
    response = upload(client, cast.school, body, "absences", "a.csv")
    assert response.status_code == 413 and "niet opgeslagen" in response.content.decode()
    assert not ImportRun.objects.exists()
    assert sum(written) <= 2**20  # never more than the limit handed on to be kept


def test_csrf_still_checked_on_upload(cast, settings):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.staff)
    response = upload(client, cast.school, edex_for(cast.school))
    assert response.status_code == 403 and not ImportRun.objects.exists()


def test_discard_removes_the_stored_file(cast, client, tmp_path):
    client.force_login(cast.staff)
    response = upload(client, cast.school, edex_for(cast.school))
    run = ImportRun.objects.get()
    assert run.can_discard and (tmp_path / "imports" / run.stored_file).exists()
    assert "Niet verwerken" in client.get(response.url).content.decode()
    client.post(response.url, {"discard": "1"})
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DISCARDED and run.stored_file == ""
    assert not list((tmp_path / "imports").iterdir())
    assert not Pupil.objects.filter(source_key="L1").exists()
    assert AuditLogEntry.objects.filter(action="import.discarded", actor=cast.staff).exists()
    # Nor can it be applied afterwards.
    client.post(response.url)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DISCARDED and not Pupil.objects.filter(source_key="L1").exists()


def test_preview_with_errors_keeps_no_file(cast, client, tmp_path):
    client.force_login(cast.staff)
    upload(client, cast.school, csv_file(["leerling_key", "datum", "reden"], [["X", "01-01-2026", "ziek"]]), "absences")
    run = ImportRun.objects.get()
    assert run.error_count == 1 and run.stored_file == "" and not list((tmp_path / "imports").iterdir())


def test_stale_previews_cleaned_on_upload_and_by_command(cast, client, tmp_path, settings):
    import datetime
    import os

    from django.core.management import call_command
    from django.utils import timezone

    client.force_login(cast.staff)
    upload(client, cast.school, edex_for(cast.school))
    old = ImportRun.objects.get()
    directory = tmp_path / "imports"
    orphan = directory / "0123abcd.upload"  # an upload that broke off before its run was saved
    orphan.write_bytes(b"x")
    day_ago = (timezone.now() - datetime.timedelta(hours=25)).timestamp()
    os.utime(orphan, (day_ago, day_ago))
    # Within the hours nothing goes.
    call_command("clean_imports", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert (directory / old.stored_file).exists()
    ImportRun.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(hours=25))
    upload(client, cast.school, edex_for(cast.school))  # a new upload cleans what is stale
    old.refresh_from_db()
    fresh = ImportRun.objects.exclude(pk=old.pk).get()
    assert old.status == ImportRun.Status.DISCARDED and old.stored_file == "" and "24 uur" in old.message
    assert not orphan.exists()
    assert sorted(p.name for p in directory.iterdir()) == [fresh.stored_file]
    assert AuditLogEntry.objects.filter(action="import.discarded", actor=None).count() == 1
    # The command does the same for what is left.
    ImportRun.objects.filter(pk=fresh.pk).update(created_at=timezone.now() - datetime.timedelta(hours=25))
    call_command("clean_imports", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert not list(directory.iterdir())
    fresh.refresh_from_db()
    assert fresh.status == ImportRun.Status.DISCARDED and not fresh.can_apply
