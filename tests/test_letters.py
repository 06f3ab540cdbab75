"""Letters end to end through the services and a real SMTP server on loopback: who gets one, what they get."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from ouderportaal.core.models import AuditLogEntry, OutgoingMail
from ouderportaal.letters import services
from ouderportaal.letters.models import Letter, LetterRecipient
from tests import factories as f
from tests import letter_smtp, smtp
from tests.letter_factories import PDF, make_draft, make_sent, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailbox(settings):
    with letter_smtp.running(settings) as box:
        yield box


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """committed(fn, ...) runs fn and then what it left for after the commit (the mail worker's tasks)."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


def group_with_families(school, n, year_levels="7"):
    """A group of n pupils, each with a mother (account) and a father (address on record only)."""
    group = f.make_group(school, year_levels, name=f"Groep {year_levels}b")
    board = school.board
    for i in range(n):
        pupil = f.make_pupil(school, group)
        f.make_guardian(board, [pupil], user=f.make_user(f"moeder{year_levels}x{i}"), relation="moeder")
        father = f.make_guardian(board, [pupil], relation="vader")
        f.add_contact(father, "email", f"vader{year_levels}x{i}@example.org")
    return group


def test_a_letter_to_a_group_reaches_each_guardian_once_with_identical_attachments(cast, mailbox, committed):
    group = group_with_families(cast.school, 4)
    second = pdf("rooster.pdf", PDF + b"% tweede\n")
    letter = committed(make_sent, cast.school, cast.staff, groups=[group], files=[pdf("schoolreis.pdf"), second])
    assert letter.status == Letter.Status.SENT
    assert LetterRecipient.objects.filter(letter=letter).count() == 8
    for recipient in LetterRecipient.objects.filter(letter=letter).select_related("mail"):
        assert recipient.mail.to == recipient.email  # each row linked to its own mail
    assert len(mailbox) == 8
    addresses = sorted(m["To"] for m in mailbox)
    assert addresses == sorted({m["To"] for m in mailbox}), "someone got the letter twice"
    assert "vader7x0@example.org" in addresses and "moeder7x0@example.com" in addresses
    message = mailbox.last("vader7x0@example.org")
    files = {part.get_filename(): part.get_content() for part in message.iter_attachments()}
    assert files == {"schoolreis.pdf": PDF, "rooster.pdf": PDF + b"% tweede\n"}
    assert "Beste ouders," in smtp.text_body(message)
    assert "<p>Beste ouders,</p>" in smtp.html_body(message)
    link = [u for u in smtp.links(message) if "/berichten/" in u]
    assert link and link[0].endswith(f"/berichten/{letter.public_id}/")
    assert message["Subject"] == f"{cast.school.name}: Schoolreisje"
    assert message["Reply-To"] == cast.school.admin_email
    # Each mail its own Message-ID, the one stored with its outbox row; and its own To.
    stored = dict(OutgoingMail.objects.values_list("to", "message_id"))
    assert {m["To"]: m["Message-ID"] for m in mailbox} == stored
    # Everything went over one connection (one batch).
    assert mailbox.connections == 1
    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {OutgoingMail.Status.SENT}


def test_a_guardian_with_two_children_in_the_audience_gets_one_mail(cast, mailbox, committed):
    # cast.guardian (user "ouder") has child1 in cast.group and child2 in cast.other_group.
    letter = committed(make_sent, cast.school, cast.staff, groups=[cast.group, cast.other_group])
    assert len(mailbox.to("ouder@example.com")) == 1
    recipient = LetterRecipient.objects.get(letter=letter, guardian=cast.guardian)
    assert "Sanne" in recipient.children and "Daan" in recipient.children


def test_the_audience_is_who_may_view_and_wants_mail(cast, mailbox, committed):
    board = cast.school.board
    pupil = f.make_pupil(cast.school, cast.group)
    no_mail = f.make_guardian(board, [pupil], user=f.make_user("geen_post"), receives_mail=False)
    no_address = f.make_guardian(board, [pupil], first_name="Zonder", surname="Adres")
    left = f.make_pupil(cast.school, cast.group, left_on=timezone.localdate() - datetime.timedelta(days=3))
    gone = f.make_guardian(board, [left], user=f.make_user("vertrokken"))
    letter = committed(make_sent, cast.school, cast.staff)  # the whole school
    guardians = set(LetterRecipient.objects.filter(letter=letter).values_list("guardian", flat=True))
    assert cast.guardian.pk in guardians and cast.coparent_guardian.pk in guardians
    assert no_address.pk in guardians
    assert no_mail.pk not in guardians  # does not want mail
    assert gone.pk not in guardians  # the child left school
    assert not LetterRecipient.objects.filter(letter=letter, guardian__user=cast.no_authority).exists()  # may not view
    assert not LetterRecipient.objects.filter(letter=letter, guardian__user=cast.outsider).exists()  # other school
    without = LetterRecipient.objects.get(letter=letter, guardian=no_address)
    assert without.mail is None and without.email == ""
    assert len(mailbox) == len(guardians) - 1


def test_chosen_pupils_only(cast, mailbox, committed):
    letter = committed(make_sent, cast.school, cast.staff, pupils=[cast.child2])
    assert list(LetterRecipient.objects.filter(letter=letter).values_list("guardian", flat=True)) == [cast.guardian.pk]


def test_sending_is_audited_and_a_sent_letter_cannot_change(cast, mailbox, committed):
    letter = committed(make_sent, cast.school, cast.staff, groups=[cast.group])
    entry = AuditLogEntry.objects.get(action="letter.send")
    assert entry.actor == cast.staff and entry.data["recipients"] == 2 and entry.data["mails"] == 2
    assert AuditLogEntry.objects.filter(action="letter.draft.save").exists()
    with pytest.raises(services.LetterError):
        services.send_letter(letter=letter, acting_user=cast.staff)
    with pytest.raises(services.LetterError):
        services.save_draft(
            acting_user=cast.staff,
            letter=letter,
            school=cast.school,
            subject="Correctie",
            body_html="x",
            audience_kind="school",
            groups=[],
            pupils=[],
        )
    assert len(mailbox) == 2


def test_an_empty_audience_is_refused_and_nothing_is_queued(cast):
    empty = f.make_group(cast.school, "8", name="Groep 8")
    letter = make_draft(cast.school, cast.staff, groups=[empty])
    with pytest.raises(services.LetterError, match="geen ontvangers"):
        services.send_letter(letter=letter, acting_user=cast.staff)
    letter.refresh_from_db()
    assert letter.status == Letter.Status.DRAFT
    assert not OutgoingMail.objects.exists() and not LetterRecipient.objects.exists()


def test_a_scheduled_letter_goes_out_at_its_time(cast, mailbox, committed):
    letter = make_draft(cast.school, cast.staff, groups=[cast.group])
    with pytest.raises(services.LetterError, match="toekomst"):
        services.schedule_letter(letter=letter, acting_user=cast.staff, send_at=timezone.now())
    send_at = timezone.now() + datetime.timedelta(hours=2)
    services.schedule_letter(letter=letter, acting_user=cast.staff, send_at=send_at)
    assert services.send_due_letters() == 0
    assert len(mailbox) == 0
    assert committed(services.send_due_letters, now=send_at + datetime.timedelta(minutes=1)) == 1
    letter.refresh_from_db()
    assert letter.status == Letter.Status.SENT and letter.sent_by == cast.staff
    assert len(mailbox) == 2
    call_command("send_scheduled_letters", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mailbox) == 2


def test_a_scheduled_letter_can_be_withdrawn(cast):
    letter = make_draft(cast.school, cast.staff, groups=[cast.group])
    services.schedule_letter(letter=letter, acting_user=cast.staff, send_at=timezone.now() + datetime.timedelta(days=1))
    services.unschedule_letter(letter=letter, acting_user=cast.staff)
    letter.refresh_from_db()
    assert letter.status == Letter.Status.DRAFT and letter.send_at is None


@pytest.mark.parametrize(
    "dirty, kept, gone",
    [
        ('<p>Hallo</p><script>alert("x")</script>', "<p>Hallo</p>", ["script", "alert"]),
        ('<p><a href="javascript:alert(1)">klik</a></p>', "klik", ["javascript"]),
        ('<p style="color:red" onclick="x()">rood</p>', "<p>rood</p>", ["style", "onclick"]),
        ('<img src="x" onerror="alert(1)"><iframe src="https://evil.example"></iframe>', "", ["img", "iframe"]),
        ('<p><a href="https://school.example/info">info</a></p>', 'href="https://school.example/info"', []),
    ],
)
def test_the_body_is_sanitised_on_save(cast, dirty, kept, gone):
    letter = make_draft(cast.school, cast.staff, body=dirty)
    assert kept in letter.body_html
    for word in gone:
        assert word not in letter.body_html


def test_the_mail_text_part_reads_like_the_letter(cast, mailbox, committed):
    body = "<h2>Schoolreis</h2><p>We gaan <strong>dinsdag</strong>.</p><ul><li>Lunch</li><li>Jas</li></ul>"
    body += '<p><a href="https://school.example/reis">Meer</a></p>'
    committed(make_sent, cast.school, cast.staff, groups=[cast.group], body=body)
    text = smtp.text_body(mailbox.last("ouder@example.com")).replace("\r\n", "\n")
    assert "Schoolreis\n\nWe gaan dinsdag.\n\n- Lunch\n- Jas\n\nMeer (https://school.example/reis)" in text
    assert "<" not in text.split("Meer")[0]


def test_the_demo_has_two_sent_letters_and_a_draft():
    from ouderportaal.accounts.models import User
    from ouderportaal.demo.build import build_demo

    build_demo()
    assert Letter.objects.filter(status=Letter.Status.SENT).count() == 2
    assert Letter.objects.filter(status=Letter.Status.DRAFT).count() == 1
    camp = Letter.objects.get(subject="Schoolkamp groep 7")
    attachment = camp.attachments.get()
    with attachment.file.open("rb") as pdf_file:
        assert pdf_file.read(5) == b"%PDF-"
    parent = User.objects.get(username="ouder")
    rows = LetterRecipient.objects.filter(guardian__user=parent)
    assert sorted((r.letter.subject, r.read_at is None) for r in rows) == [
        ("Nieuwsbrief december", False),
        ("Schoolkamp groep 7", True),
    ]
    assert OutgoingMail.objects.filter(status=OutgoingMail.Status.FAILED).exists()
