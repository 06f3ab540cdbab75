"""The school's absence settings: cut-off, hours per part of day, who may report, the letter logo."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ouderportaal.absences.models import AttendanceSettings
from ouderportaal.core.models import AuditLogEntry
from tests import factories as f


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (11, 87, 164)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_the_office_sets_cut_off_hours_reporters_and_logo(client, cast):
    client.force_login(cast.staff)
    assert client.get("/beheer/absenties/instellingen/").status_code == 200
    response = client.post(
        "/beheer/absenties/instellingen/",
        {
            "report_cutoff": "08:15",
            "morning_hours": "3",
            "afternoon_hours": "2.5",
            "reporters": "authority",
            "logo_file": SimpleUploadedFile("logo.png", png()),
        },
    )
    assert response.status_code == 302
    settings = AttendanceSettings.objects.get(school=cast.school)
    assert str(settings.report_cutoff) == "08:15:00" and settings.reporters == "authority"
    assert bytes(settings.logo).startswith(b"\x89PNG")
    assert AuditLogEntry.objects.filter(action="school.absence_settings", actor=cast.staff).exists()


def test_bad_settings_are_refused_and_nothing_is_written(client, cast):
    client.force_login(cast.staff)
    base = {"report_cutoff": "08:15", "morning_hours": "3", "afternoon_hours": "2", "reporters": "may_view"}
    for change, message in [
        ({"morning_hours": "0"}, "tussen 0 en 6"),
        ({"report_cutoff": "25:99"}, "tijd"),
        ({"logo_file": SimpleUploadedFile("logo.png", b"GIF89a....")}, "PNG- of JPEG"),
    ]:
        response = client.post("/beheer/absenties/instellingen/", {**base, **change})
        assert response.status_code == 200 and message in response.content.decode(), change
    assert not AttendanceSettings.objects.exists()


def test_teachers_and_other_schools_cannot_change_them(client, cast):
    client.force_login(f.make_staff(cast.school, role="leerkracht"))
    assert client.get("/beheer/absenties/instellingen/").status_code == 404
    client.force_login(cast.other_staff)
    client.post(
        "/beheer/absenties/instellingen/",
        {"report_cutoff": "11:00", "morning_hours": "3", "afternoon_hours": "2", "reporters": "may_view"},
    )
    assert not AttendanceSettings.objects.filter(school=cast.school).exists()
