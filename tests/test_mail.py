"""The mail layer and its outbox: rendered in the recipient's language, sent after commit, claimed before sending
so it never goes twice, retried with backoff when the server fails, never dropped."""

import datetime
from smtplib import SMTPRecipientsRefused, SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from ouderportaal.core import emails
from ouderportaal.core.models import OutgoingMail
from tests import smtp

pytestmark = pytest.mark.django_db


class BrokenBackend(BaseEmailBackend):
    """A mail server that fails with `error` (a class attribute, set by the test)."""

    error = SMTPServerDisconnected("Connection unexpectedly closed")

    def send_messages(self, messages):
        raise BrokenBackend.error


@pytest.fixture
def broken(settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.test_mail.BrokenBackend"}}
    yield BrokenBackend
    BrokenBackend.error = SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def working(settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


def queue(**kw):
    return emails.password_reset(
        to=kw.get("to", "ouder@example.org"),
        language=kw.get("language", "nl"),
        username=kw.get("username", "o'brien & <zoon>"),
        reset_url="https://ouders.example.nl/wachtwoord-herstellen/MQ/abc/",
    )


def test_message_is_rendered_in_three_parts_and_escaped_only_in_html(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outgoing = queue()
    (message,) = mail.outbox
    assert message.subject == "Nieuw wachtwoord kiezen voor het ouderportaal"
    assert "\n" not in message.subject
    assert "Uw gebruikersnaam: o'brien & <zoon>" in message.body
    html = message.alternatives[0].content
    assert "o&#x27;brien &amp; &lt;zoon&gt;" in html
    assert message.extra_headers["Message-ID"] == outgoing.message_id
    assert outgoing.message_id.endswith("@ouderportaal.invalid>")


def test_message_is_rendered_in_the_recipients_language(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queue(language="en")
    (message,) = mail.outbox
    assert '<html lang="en">' in message.alternatives[0].content
    assert message.extra_headers["Content-Language"] == "en"


def test_a_mass_mail_is_one_row_per_address_in_its_language_each_with_its_own_message_id(
    django_capture_on_commit_callbacks,
):
    recipients = [(f"ouder{i}@example.org", "en" if i % 3 == 1 else "nl") for i in range(7)]
    attachments = [{"path": "brieven/kamp.pdf", "filename": "kamp.pdf", "content_type": "application/pdf"}]
    context = {"username": "ouder", "reset_url": "https://ouders.example.nl/x/"}
    with django_capture_on_commit_callbacks() as callbacks:
        ids = emails.queue_mass_mail(
            "password-reset",
            recipients=recipients,
            context=context,
            reply_to="adm@example.org",
            attachments=attachments,
        )
    assert len(callbacks) == 1  # the batches are queued once the transaction commits
    rows = OutgoingMail.objects.in_bulk(ids)
    assert [(rows[pk].to, rows[pk].language) for pk in ids] == recipients
    assert len({row.message_id for row in rows.values()}) == 7
    for row in rows.values():
        assert (row.template, row.reply_to, row.attachments) == ("password-reset", "adm@example.org", attachments)
        assert (row.status, row.attempts, row.claim_token, row.sent_at) == (OutgoingMail.Status.QUEUED, 0, "", None)
        lang = "Choose a new password" if row.language == "en" else "Nieuw wachtwoord kiezen"
        assert row.subject.startswith(lang) and f'<html lang="{row.language}">' in row.body_html


def test_a_bulk_row_too_long_for_its_column_is_refused_not_cut_short():
    from django.db import DataError, connection

    from ouderportaal.core import bulk

    if connection.vendor != "postgresql":
        pytest.skip("SQLite does not enforce a column's length")
    first = queue()
    with pytest.raises(DataError), transaction.atomic():
        bulk.insert_like(OutgoingMail, first.pk, ["to", "message_id"], [("a" * 300, "<x@y>")], key="message_id")
    assert OutgoingMail.objects.count() == 1


def test_nothing_leaves_before_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        outgoing = queue()
    assert mail.outbox == []
    assert outgoing.status == OutgoingMail.Status.QUEUED
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    outgoing.refresh_from_db()
    assert outgoing.status == OutgoingMail.Status.SENT
    assert outgoing.attempts == 1
    assert outgoing.sent_at is not None


def test_a_rolled_back_transaction_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                queue()
                raise RuntimeError("the service failed after queueing")
        except RuntimeError:
            pass
    assert mail.outbox == []
    assert not OutgoingMail.objects.exists()


def test_a_message_is_never_sent_twice():
    outgoing = queue()
    assert emails.deliver(outgoing.pk) is True
    assert emails.deliver(outgoing.pk) is False
    assert emails.send_due_mail() == 0
    assert len(mail.outbox) == 1


def test_a_claimed_message_is_left_alone():
    outgoing = queue()
    # Another worker claimed it a moment ago.
    OutgoingMail.objects.filter(pk=outgoing.pk).update(status=OutgoingMail.Status.SENDING)
    assert emails.deliver(outgoing.pk) is False
    assert emails.send_due_mail() == 0
    assert mail.outbox == []


class StealingBackend(BaseEmailBackend):
    """Sends into mail.outbox; after the first message another worker takes the row `steal` (as it could once this
    worker's claim had expired)."""

    steal = None

    def send_messages(self, messages):
        mail.outbox.extend(messages)
        OutgoingMail.objects.filter(pk=StealingBackend.steal).update(claim_token="another-worker")
        return len(messages)


def test_a_claim_is_renewed_before_it_expires_and_a_row_another_worker_took_is_left_alone(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MAILERS = {"default": {"BACKEND": "tests.test_mail.StealingBackend"}}
    settings.MAIL_CLAIM_TIMEOUT = 0  # every row finds the claim past half its lifetime: renewed before each send
    rows = [queue(to=f"ouder{i}@example.org") for i in range(3)]
    StealingBackend.steal = rows[2].pk
    assert emails.deliver_batch([row.pk for row in rows]) == 2
    assert [m.to for m in mail.outbox] == [["ouder0@example.org"], ["ouder1@example.org"]]
    statuses = {row.pk: (row.status, row.claim_token) for row in OutgoingMail.objects.all()}
    assert [statuses[row.pk][0] for row in rows] == ["sent", "sent", "sending"]
    assert statuses[rows[2].pk][1] == "another-worker"
    # Each renewal put off the follow-up check of the rows it renewed.
    checks = [t.args_kwargs["args"][0] for t in DBTaskResult.objects.order_by("enqueued_at")]
    assert checks == [[row.pk for row in rows], [rows[1].pk]]


@pytest.mark.parametrize(
    ("address", "plain"),
    [
        ("ouder@example.org", True),
        ("o'brien+school@mail.example.co.uk", True),
        ("a@b>, <c@example.org", False),
        ("a b@example.org", False),
        ("a@[127.0.0.1]", False),
        ("a@example.org\r\nRCPT TO:<b@example.org>", False),
        ('"a@b"@example.org', False),
        ("zoë@example.org", False),
    ],
)
def test_only_a_plain_address_skips_the_address_parser(address, plain):
    assert bool(emails._PLAIN_ADDRESS.fullmatch(address)) is plain


def test_failure_waits_and_is_retried_later(broken, settings, caplog):
    outgoing = queue()
    before = timezone.now()
    assert emails.deliver(outgoing.pk) is False
    outgoing.refresh_from_db()
    assert outgoing.status == OutgoingMail.Status.AWAITING_RETRY
    assert outgoing.attempts == 1
    assert "SMTPServerDisconnected" in outgoing.last_error
    assert before + datetime.timedelta(seconds=59) < outgoing.next_attempt_at < before + datetime.timedelta(minutes=2)
    assert "retrying" in caplog.text

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert emails.send_due_mail() == 0  # not due yet
    assert emails.send_due_mail(now=outgoing.next_attempt_at) == 1
    outgoing.refresh_from_db()
    assert (outgoing.status, outgoing.attempts, outgoing.last_error) == (OutgoingMail.Status.SENT, 2, "")
    assert len(mail.outbox) == 1


def test_backoff_doubles_up_to_six_hours():
    minutes = [emails.backoff(n).total_seconds() / 60 for n in range(1, 12)]
    assert minutes[:5] == [1, 2, 4, 8, 16]
    assert max(minutes) == 360
    assert minutes == sorted(minutes)


def test_after_max_attempts_it_fails_but_stays(broken, working):
    outgoing = queue()
    OutgoingMail.objects.filter(pk=outgoing.pk).update(attempts=emails.MAX_ATTEMPTS - 1)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("django.conf.settings.MAILERS", {"default": {"BACKEND": "tests.test_mail.BrokenBackend"}})
        emails.deliver(outgoing.pk)
    outgoing.refresh_from_db()
    assert outgoing.status == OutgoingMail.Status.FAILED
    assert outgoing.attempts == emails.MAX_ATTEMPTS

    call_command("send_queued_mail", "--retry-failed", stdout=open("/dev/null", "w"))  # noqa: SIM115
    outgoing.refresh_from_db()
    assert outgoing.status == OutgoingMail.Status.SENT
    assert len(mail.outbox) == 1


def test_a_refused_address_fails_at_once(broken):
    broken.error = SMTPRecipientsRefused({"ouder@example.org": (550, b"5.1.1 No such user")})
    outgoing = queue()
    emails.deliver(outgoing.pk)
    outgoing.refresh_from_db()
    assert outgoing.status == OutgoingMail.Status.FAILED
    assert "550" in outgoing.last_error


def test_a_temporarily_refused_address_is_retried(broken):
    broken.error = SMTPRecipientsRefused({"ouder@example.org": (451, b"4.7.1 Try again later")})
    outgoing = queue()
    emails.deliver(outgoing.pk)
    outgoing.refresh_from_db()
    assert outgoing.status == OutgoingMail.Status.AWAITING_RETRY


@pytest.mark.django_db(transaction=True)
def test_outage_of_a_real_smtp_server(settings, client):
    """Stop the server, trigger a mail, start it again, run the queue: the mail arrives, once."""
    from tests import factories as f

    f.make_user("ouder", email="ouder@example.org")
    with smtp.running(settings) as box:
        box.stop()
        assert client.post("/wachtwoord-vergeten/", {"login": "ouder"}).status_code == 302
        outgoing = OutgoingMail.objects.get()
        assert outgoing.status == OutgoingMail.Status.AWAITING_RETRY
        assert "Connection" in outgoing.last_error or "refused" in outgoing.last_error.lower()

        box.start()
        call_command("send_queued_mail", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert len(box) == 0  # not due yet
        OutgoingMail.objects.update(next_attempt_at=timezone.now())
        call_command("send_queued_mail", stdout=open("/dev/null", "w"))  # noqa: SIM115
        message = box.wait_for("ouder@example.org")
        assert message["Message-ID"] == outgoing.message_id
        call_command("send_queued_mail", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert len(box) == 1


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_sends_and_reschedules(settings, client):
    """With the production task backend: the request only writes rows; `db_worker` sends; a failure is queued again
    with run_after, and the worker sends it once it is due."""
    from django_tasks_db.models import DBTaskResult

    from tests import factories as f

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    f.make_user("ouder", email="ouder@example.org")

    def worker():
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)

    with smtp.running(settings) as box:
        box.stop()
        client.post("/wachtwoord-vergeten/", {"login": "ouder"})
        assert DBTaskResult.objects.count() == 1  # the lookup task; the request renders no mail
        assert not OutgoingMail.objects.exists()
        worker()  # the lookup queues the mail; its delivery fails (server stopped) and is rescheduled
        outgoing = OutgoingMail.objects.get()
        assert outgoing.status == OutgoingMail.Status.AWAITING_RETRY
        retry = DBTaskResult.objects.get(status="READY")
        assert retry.run_after == outgoing.next_attempt_at

        box.start()
        worker()  # not due: nothing happens
        assert len(box) == 0
        past = timezone.now() - datetime.timedelta(seconds=1)
        OutgoingMail.objects.update(next_attempt_at=past)
        DBTaskResult.objects.filter(pk=retry.pk).update(run_after=past)
        worker()
        box.wait_for("ouder@example.org")
        outgoing.refresh_from_db()
        assert outgoing.status == OutgoingMail.Status.SENT
        assert outgoing.attempts == 2


def test_demo_console_prints_links_whole(settings, capsys):
    settings.MAILERS = {"default": {"BACKEND": "ouderportaal.core.console.ConsoleBackend"}}
    url = "http://127.0.0.1:8000/wachtwoord-herstellen/MTIz/cxyz12-0123456789abcdef0123456789abcdef/"
    outgoing = emails.password_reset(to="ouder@example.org", language="nl", username="zoë", reset_url=url)
    assert emails.deliver(outgoing.pk)
    printed = capsys.readouterr().out
    assert url in printed.splitlines()
    assert "Subject: Nieuw wachtwoord kiezen voor het ouderportaal" in printed
    assert "Uw gebruikersnaam: zoë" in printed
