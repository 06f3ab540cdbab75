"""Leave requests from the parent's form to the director's decision: the rules' reasons in Dutch, bad input, the
decision letter as PDF mailed through the outbox (a real SMTP server) and kept on the Absenten tab."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from ouderportaal.absences.models import Absence, LeaveRequest
from ouderportaal.core.models import AuditLogEntry
from ouderportaal.schoolcalendar.calendar import SchoolCalendar
from tests import factories as f
from tests import smtp

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def school_days_from(school, first, count):
    calendar = SchoolCalendar.covering(school, first, first + timedelta(days=120))
    return calendar.school_days(first, first + timedelta(days=120))[:count]


@pytest.fixture
def parent_client(client, cast):
    client.force_login(cast.parent)
    return client


@pytest.fixture
def director(cast):
    return f.make_staff(cast.school, role="directeur", first_name="Mieke", last_name="de Wit")


def ask(client, pupil, first, last, kind="14", statement=None, **extra):
    data = {"kind": kind, "starts_on": first, "ends_on": last, "part_of_day": "dag", "explanation": "Bruiloft"}
    if statement is not None:
        data["statement"] = statement
    return client.post(f"/kind/{pupil.public_id}/verlof/", {**data, **extra})


def test_13a_for_eleven_school_days_is_refused_with_the_reason(parent_client, cast):
    days = school_days_from(cast.school, timezone.localdate() + timedelta(days=30), 11)
    response = ask(
        parent_client, cast.child1, days[0], days[-1], kind="13a", statement=SimpleUploadedFile("w.pdf", PDF)
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "De school kan dit verlof niet geven." in html and "hooguit 10 schooldagen" in html
    assert not LeaveRequest.objects.exists()


def test_13a_within_the_rules_is_filed_with_the_statement(parent_client, cast):
    days = school_days_from(cast.school, timezone.localdate() + timedelta(days=30), 10)
    response = ask(
        parent_client, cast.child1, days[0], days[-1], kind="13a", statement=SimpleUploadedFile("w.pdf", PDF)
    )
    leave = LeaveRequest.objects.get()
    if leave.status != "pending":  # the period fell in the first two weeks of a school year: refused instead
        pytest.skip("period in the first school weeks")
    assert response.status_code == 302 and leave.school_days == 10 and bytes(leave.statement) == PDF
    assert AuditLogEntry.objects.filter(action="pupil.leave.request", actor=cast.parent).exists()


@pytest.mark.parametrize(
    "change, message",
    [
        ({"ends_on": "first-1"}, "vóór de eerste dag"),
        ({"starts_on": "1900-01-01"}, "verleden"),
        ({"starts_on": "2200-01-01", "ends_on": "2200-01-02"}, "een jaar vooruit"),
        ({"explanation": "x" * 10_000}, "2000 tekens"),
        ({"statement": "big"}, "te groot"),
        ({"statement": "text"}, "PDF-bestand"),
    ],
)
def test_bad_leave_input_gives_a_dutch_error_and_writes_nothing(parent_client, cast, change, message):
    days = school_days_from(cast.school, timezone.localdate() + timedelta(days=30), 3)
    data = {"starts_on": days[0], "ends_on": days[-1]}
    for key, value in change.items():
        if value == "first-1":
            value = days[0] - timedelta(days=1)
        elif value == "big":
            value = SimpleUploadedFile("groot.pdf", PDF + b"0" * (50 * 1024 * 1024))
        elif value == "text":
            value = SimpleUploadedFile("brief.pdf", b"Dit is geen PDF")
        data[key] = value
    response = ask(parent_client, cast.child1, data.pop("starts_on"), data.pop("ends_on"), kind="13a", **data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not LeaveRequest.objects.exists()


def test_a_parent_cannot_ask_leave_for_a_child_they_may_not_view(client, cast):
    client.force_login(cast.outsider)
    days = school_days_from(cast.school, timezone.localdate() + timedelta(days=30), 3)
    assert ask(client, cast.child1, days[0], days[-1]).status_code == 404


def test_under_fives_leave_is_noted(parent_client, cast):
    cast.child1.birth_date = timezone.localdate() - timedelta(days=4 * 365)
    cast.child1.save()
    days = school_days_from(cast.school, timezone.localdate() + timedelta(days=7), 3)
    ask(parent_client, cast.child1, days[0], days[-1])
    assert LeaveRequest.objects.get().status == "noted"


def test_the_director_grants_and_the_letter_arrives_as_pdf(
    parent_client, cast, director, settings, django_capture_on_commit_callbacks
):
    days = school_days_from(cast.school, timezone.localdate() + timedelta(days=30), 3)
    ask(parent_client, cast.child1, days[0], days[-1])
    leave = LeaveRequest.objects.get()
    assert leave.status == "pending" and leave.school_days == 3

    office = Client()
    office.force_login(cast.staff)
    assert cast.child1.full_name in office.get("/beheer/verlof/").content.decode()
    assert "beslist de directeur" in office.get(f"/beheer/verlof/{leave.public_id}/").content.decode()
    denied = office.post(f"/beheer/verlof/{leave.public_id}/", {"decision": "grant", "motivation": "Goed"})
    assert denied.status_code == 404  # the administration does not decide

    office.force_login(director)
    with smtp.running(settings) as box:
        with django_capture_on_commit_callbacks(execute=True):
            response = office.post(
                f"/beheer/verlof/{leave.public_id}/", {"decision": "grant", "motivation": "Huwelijk van een zus."}
            )
        assert response.status_code == 302
        message = box.wait_for(cast.parent.email)
    leave.refresh_from_db()
    assert leave.status == "granted" and leave.decided_by == director
    assert sorted(Absence.objects.filter(leave_request=leave).values_list("date", flat=True)) == days
    assert all(a.excused and a.reason == "verlof_omstandigheden" for a in Absence.objects.filter(leave_request=leave))
    assert AuditLogEntry.objects.filter(action="pupil.leave.decide", actor=director).exists()

    assert "toegekend" in smtp.text_body(message)
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(attachment.get_content())).pages)
    for expected in (
        cast.school.name,
        cast.school.street,
        "toe te kennen",
        "Huwelijk van een zus.",
        "artikel 14",
        "bezwaar",
        "zes weken",
        "Mieke de Wit",
    ):
        assert expected in text, expected

    # Kept on the Absenten tab, for the guardians only.
    year = f"{days[0].year if days[0].month >= 8 else days[0].year - 1}"
    page = parent_client.get(f"/kind/{cast.child1.public_id}/absenten/?schooljaar={year}-{int(year) + 1}")
    assert "Besluitbrief (PDF)" in page.content.decode()
    letter = parent_client.get(f"/verlof/{leave.public_id}/besluit.pdf")
    assert letter.status_code == 200 and letter.content.startswith(b"%PDF")
    parent_client.force_login(cast.outsider)
    assert parent_client.get(f"/verlof/{leave.public_id}/besluit.pdf").status_code == 404

    # Decided once.
    again = office.post(f"/beheer/verlof/{leave.public_id}/", {"decision": "refuse", "motivation": "Nee"}, follow=True)
    assert again.status_code == 200 and "al besloten" in again.content.decode()


def test_a_refusal_says_so_and_writes_no_absences(parent_client, cast, director):
    days = school_days_from(cast.school, timezone.localdate() + timedelta(days=30), 2)
    ask(parent_client, cast.child1, days[0], days[-1])
    leave = LeaveRequest.objects.get()
    client = Client()
    client.force_login(director)
    response = client.post(f"/beheer/verlof/{leave.public_id}/", {"decision": "refuse", "motivation": ""})
    assert "Schrijf een motivering" in response.content.decode()
    client.post(f"/beheer/verlof/{leave.public_id}/", {"decision": "refuse", "motivation": "Geen gewichtige reden."})
    leave.refresh_from_db()
    assert leave.status == "refused" and not Absence.objects.exists()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(bytes(leave.letter))).pages)
    assert "af te wijzen" in text and "ongeoorloofd verzuim" in text


def test_staff_of_another_school_never_see_the_request(client, cast, director):
    days = school_days_from(cast.school, timezone.localdate() + timedelta(days=30), 2)
    client.force_login(cast.parent)
    ask(client, cast.child1, days[0], days[-1])
    leave = LeaveRequest.objects.get()
    client.force_login(f.make_staff(cast.other_school, role="directeur"))
    assert client.get(f"/beheer/verlof/{leave.public_id}/").status_code == 404
    assert (
        client.post(f"/beheer/verlof/{leave.public_id}/", {"decision": "grant", "motivation": "x"}).status_code == 404
    )


def test_the_letter_carries_the_schools_logo_when_set(parent_client, cast, director):
    from ouderportaal.absences import services
    from ouderportaal.absences.models import AttendanceSettings
    from tests.test_absence_settings import png

    AttendanceSettings.objects.create(school=cast.school, logo=png())
    days = school_days_from(cast.school, timezone.localdate() + timedelta(days=30), 1)
    ask(parent_client, cast.child1, days[0], days[0])
    leave = services.decide_leave(
        leave=LeaveRequest.objects.get(), acting_user=director, granted=True, motivation="Akkoord"
    )
    assert len(PdfReader(io.BytesIO(bytes(leave.letter))).pages[0].images) == 1
