"""The parent's Berichten and the back-office's letter pages: what they show, to whom, bad input, query counts."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from ouderportaal.core.models import OutgoingMail
from ouderportaal.letters.models import Letter, LetterRecipient
from tests import factories as f
from tests.letter_factories import PDF, make_draft, make_sent, pdf

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_berichten_lists_letters_newest_first_with_unread_marked(cast):
    old = make_sent(cast.school, cast.staff, groups=[cast.group], subject="Oude brief")
    Letter.objects.filter(pk=old.pk).update(sent_at=timezone.now() - datetime.timedelta(days=3))
    new = make_sent(cast.school, cast.staff, groups=[cast.group], subject="Nieuwe brief")
    make_sent(cast.school, cast.staff, groups=[cast.group], subject="Voor een ander gezin", pupils=[])
    LetterRecipient.objects.filter(letter__subject="Voor een ander gezin", guardian=cast.guardian).delete()
    client = client_for(cast.parent)
    page = client.get("/berichten/").content.decode()
    assert page.index("Nieuwe brief") < page.index("Oude brief")
    assert "Voor een ander gezin" not in page
    assert "2 ongelezen berichten" in page
    assert page.count("tag-new") == 2
    response = client.get(f"/berichten/{new.public_id}/")
    assert response.status_code == 200 and "Beste ouders," in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    page = client.get("/berichten/").content.decode()
    assert "1 ongelezen bericht" in page and page.count("tag-new") == 1
    read = LetterRecipient.objects.get(letter=new, guardian=cast.guardian)
    first_read = read.read_at
    assert first_read is not None
    client.get(f"/berichten/{new.public_id}/")
    read.refresh_from_db()
    assert read.read_at == first_read  # the first opening counts
    # The co-parent's copy is their own.
    assert LetterRecipient.objects.get(letter=new, guardian=cast.coparent_guardian).read_at is None


def test_the_letter_body_is_shown_sanitised(cast):
    letter = make_sent(cast.school, cast.staff, groups=[cast.group], body="<p>Hoi</p>")
    Letter.objects.filter(pk=letter.pk).update(body_html='<p>Hoi</p><script>alert(1)</script><p style="x">y</p>')
    page = client_for(cast.parent).get(f"/berichten/{letter.public_id}/").content.decode()
    assert "alert(1)" not in page and 'style="x"' not in page


def test_an_attachment_downloads_for_recipients_and_staff_only(cast):
    letter = make_sent(cast.school, cast.staff, groups=[cast.group], files=[pdf("Rooster groep 4.pdf")])
    attachment = letter.attachments.get()
    url = f"/berichten/{letter.public_id}/bijlagen/{attachment.public_id}/"
    response = client_for(cast.parent).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Rooster groep 4.pdf" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    for stranger in (cast.outsider, cast.no_authority, cast.staff, cast.other_staff):
        assert client_for(stranger).get(url).status_code == 404
    staff_url = f"/beheer/brieven/{letter.public_id}/bijlagen/{attachment.public_id}/"
    assert client_for(cast.staff).get(staff_url).status_code == 200
    assert client_for(cast.other_staff).get(staff_url).status_code == 404
    assert client_for(cast.parent).get(staff_url).status_code == 404
    # An attachment of another letter through this letter's URL: 404.
    other = make_sent(cast.school, cast.staff, groups=[cast.other_group], files=[pdf()])
    wrong = f"/berichten/{letter.public_id}/bijlagen/{other.attachments.get().public_id}/"
    assert client_for(cast.parent).get(wrong).status_code == 404


def test_a_draft_is_invisible_to_parents(cast):
    draft = make_draft(cast.school, cast.staff, groups=[cast.group])
    assert client_for(cast.parent).get(f"/berichten/{draft.public_id}/").status_code == 404


def test_teachers_do_not_send_letters(cast):
    teacher = f.make_staff(cast.school, role="leerkracht", username="juf")
    letter = make_sent(cast.school, cast.staff, groups=[cast.group])
    client = client_for(teacher)
    assert client.get("/beheer/brieven/").status_code == 404
    assert client.get(f"/beheer/brieven/{letter.public_id}/bezorging/").status_code == 404
    assert "/beheer/brieven/" not in client.get("/beheer/").content.decode()


def test_the_sending_roles_are_a_setting(cast, settings):
    teacher = f.make_staff(cast.school, role="leerkracht", username="juf")
    settings.LETTER_SENDER_ROLES = ["leerkracht"]
    assert client_for(teacher).get("/beheer/brieven/").status_code == 200
    assert client_for(cast.staff).get("/beheer/brieven/").status_code == 404


def compose(client, **data):
    form = {
        "school": "",
        "subject": "Schoolreis",
        "body_html": "<p>We gaan naar de <strong>dierentuin</strong>.</p>",
        "audience": "groups",
        "next": "preview",
        **data,
    }
    return client.post("/beheer/brieven/nieuw/", {k: v for k, v in form.items() if v is not None})


def test_staff_compose_preview_and_send(cast, django_capture_on_commit_callbacks):
    client = client_for(cast.staff)
    response = compose(client, school=cast.school.pk, groups=[cast.group.pk], attachments=[pdf("reis.pdf")])
    letter = Letter.objects.get()
    assert response.status_code == 302 and response.url == f"/beheer/brieven/{letter.public_id}/"
    assert letter.status == Letter.Status.DRAFT and letter.attachments.get().filename == "reis.pdf"
    preview = client.get(response.url).content.decode()
    assert "dierentuin" in preview and "Hij gaat naar 2 ouders/verzorgers" in preview
    assert f"{cast.school.name}: Schoolreis" in preview  # the mail's subject
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(response.url, {"action": "send", "when": "now"})
    assert response.url == f"/beheer/brieven/{letter.public_id}/bezorging/"
    letter.refresh_from_db()
    assert letter.status == Letter.Status.SENT and letter.sent_by == cast.staff
    page = client.get(response.url).content.decode()
    assert "Eva Visser" in page and "Sanne (Groep 4/5)" in page
    # A sent letter cannot be edited: the edit page sends staff back.
    edit = client.post(f"/beheer/brieven/{letter.public_id}/bewerken/", {"subject": "Anders"})
    assert edit.status_code == 302
    letter.refresh_from_db()
    assert letter.subject == "Schoolreis"


def test_the_delivery_page_shows_read_failed_and_not_reached(cast):
    letter = make_sent(cast.school, cast.staff, groups=[cast.group])
    OutgoingMail.objects.filter(to="ouder@example.com").update(status="sent")
    OutgoingMail.objects.filter(to="ouder2@example.com").update(status="failed", last_error="550 no such user")
    client_for(cast.parent).get(f"/berichten/{letter.public_id}/")
    page = client_for(cast.staff).get(f"/beheer/brieven/{letter.public_id}/bezorging/").content.decode()
    assert "550 no such user" in page
    assert "gelezen in het portaal" in page
    printable = client_for(cast.staff).get(f"/beheer/brieven/{letter.public_id}/niet-bereikt/").content.decode()
    assert "Tom de Boer" in printable and "Eva Visser" not in printable
    # Unread after N days counts as not reached.
    Letter.objects.filter(pk=letter.pk).update(sent_at=timezone.now() - datetime.timedelta(days=10))
    LetterRecipient.objects.update(read_at=None)
    printable = client_for(cast.staff).get(f"/beheer/brieven/{letter.public_id}/niet-bereikt/?dagen=7").content
    assert "Eva Visser" in printable.decode()
    assert client_for(cast.staff).get(f"/beheer/brieven/{letter.public_id}/niet-bereikt/?dagen=x").status_code == 200


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("groot.pdf", PDF + b"0" * (30 * 1024 * 1024)), "is te groot"),
        (SimpleUploadedFile("virus.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200), "is geen PDF-bestand"),
        (SimpleUploadedFile("leeg.pdf", b""), "leeg"),
    ],
)
def test_bad_attachments_get_a_dutch_error_and_keep_the_text(cast, upload, message):
    response = compose(client_for(cast.staff), school=cast.school.pk, groups=[cast.group.pk], attachments=[upload])
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert "dierentuin" in page  # what was typed stays
    assert not Letter.objects.exists()


def test_too_many_attachments(cast, settings):
    settings.LETTER_MAX_ATTACHMENTS = 2
    files = [pdf(f"{i}.pdf") for i in range(3)]
    response = compose(client_for(cast.staff), school=cast.school.pk, groups=[cast.group.pk], attachments=files)
    assert "hoogstens 2 bijlagen" in response.content.decode()


def test_an_empty_audience_gets_a_dutch_error(cast):
    client = client_for(cast.staff)
    response = compose(client, school=cast.school.pk)
    assert "Kies een of meer groepen." in response.content.decode()
    response = compose(client, school=cast.school.pk, audience="pupils")
    assert "Kies een of meer leerlingen." in response.content.decode()
    empty = f.make_group(cast.school, "8", name="Groep 8")
    compose(client, school=cast.school.pk, groups=[empty.pk])
    letter = Letter.objects.get()
    response = client.post(f"/beheer/brieven/{letter.public_id}/", {"action": "send", "when": "now"})
    assert response.status_code == 200 and "geen ontvangers" in response.content.decode()


def test_groups_of_another_school_are_refused(cast):
    foreign = f.make_group(cast.other_school, "6")
    response = compose(client_for(cast.staff), school=cast.school.pk, groups=[foreign.pk])
    assert response.status_code == 200 and not Letter.objects.exists()


@pytest.mark.parametrize("when", ["2020-01-01T08:00", "gisteren", ""])
def test_a_send_time_in_the_past_or_nonsense_is_refused(cast, when):
    letter = make_draft(cast.school, cast.staff, groups=[cast.group])
    response = client_for(cast.staff).post(
        f"/beheer/brieven/{letter.public_id}/", {"action": "send", "when": "later", "send_at": when}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "toekomst" in page or "Vul een datum" in page or "Kies wanneer" in page
    letter.refresh_from_db()
    assert letter.status == Letter.Status.DRAFT


def test_a_script_filled_body_is_stored_harmless(cast):
    body = '<p onclick="x()">Hallo</p><script>alert(1)</script>'
    body += '<a href="javascript:alert(2)">klik</a><p style="color:red">r</p>'
    compose(client_for(cast.staff), school=cast.school.pk, groups=[cast.group.pk], body_html=body)
    stored = Letter.objects.get().body_html
    assert "script" not in stored and "javascript" not in stored and "style" not in stored and "onclick" not in stored
    assert "Hallo" in stored and "klik" in stored


def test_a_body_with_only_markup_is_refused(cast):
    response = compose(
        client_for(cast.staff), school=cast.school.pk, groups=[cast.group.pk], body_html="<script>x</script>"
    )
    assert "Schrijf de tekst van de brief." in response.content.decode()


def test_drafts_are_kept_edited_and_deleted(cast):
    client = client_for(cast.staff)
    compose(client, school=cast.school.pk, groups=[cast.group.pk], attachments=[pdf("a.pdf")], next="edit")
    letter = Letter.objects.get()
    assert "Schoolreis" in client.get("/beheer/brieven/").content.decode()
    attachment = letter.attachments.get()
    response = client.post(
        f"/beheer/brieven/{letter.public_id}/bewerken/",
        {
            "school": cast.school.pk,
            "subject": "Schoolreis (nieuw)",
            "body_html": "<p>Anders</p>",
            "audience": "school",
            "remove_attachments": [attachment.pk],
            "next": "preview",
        },
    )
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.subject == "Schoolreis (nieuw)" and not letter.attachments.exists()
    client.post(f"/beheer/brieven/{letter.public_id}/", {"action": "delete"})
    assert not Letter.objects.exists()


def test_scheduling_from_the_preview(cast):
    letter = make_draft(cast.school, cast.staff, groups=[cast.group])
    when = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    client = client_for(cast.staff)
    client.post(f"/beheer/brieven/{letter.public_id}/", {"action": "send", "when": "later", "send_at": when})
    letter.refresh_from_db()
    assert letter.status == Letter.Status.SCHEDULED
    assert "Ingepland" in client.get(f"/beheer/brieven/{letter.public_id}/").content.decode()
    client.post(f"/beheer/brieven/{letter.public_id}/", {"action": "unschedule"})
    letter.refresh_from_db()
    assert letter.status == Letter.Status.DRAFT


# Query counts: the same with 1 and with 6 of everything listed.


def count(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries)


def setup_letters(cast, n):
    board = cast.school.board
    group = f.make_group(cast.school, "3", name=f"Groep 3-{n}")
    pupils = [f.make_pupil(cast.school, group) for _ in range(n)]
    user = f.make_user()
    f.make_guardian(board, pupils, user=user)
    for pupil in pupils:
        f.add_contact(f.make_guardian(board, [pupil]), "email", f"x{pupil.pk}@example.org")
    letters = [
        make_sent(cast.school, cast.staff, groups=[group], files=[pdf(f"{i}.pdf") for i in range(n)]) for _ in range(n)
    ]
    return user, letters[0]


def test_constant_query_counts(cast):
    counts = []
    for n in (1, 6):
        user, letter = setup_letters(cast, n)
        parent, staff = client_for(user), client_for(cast.staff)
        counts.append(
            [
                count(parent, "/berichten/"),
                count(parent, f"/berichten/{letter.public_id}/"),
                count(staff, "/beheer/brieven/"),
                count(staff, f"/beheer/brieven/{letter.public_id}/bezorging/"),
                count(staff, f"/beheer/brieven/{letter.public_id}/niet-bereikt/"),
            ]
        )
        draft = make_draft(cast.school, cast.staff, groups=[letter.groups.get()])
        counts[-1].append(count(staff, f"/beheer/brieven/{draft.public_id}/"))
        counts[-1].append(count(staff, f"/beheer/brieven/{draft.public_id}/bewerken/"))
    assert counts[0] == counts[1]
