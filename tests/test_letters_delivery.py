"""Delivery under faults, each test counting what the real SMTP server on loopback received: the server down when
sending starts, the server refusing one address, and the worker killed with SIGKILL in the middle of a batch."""

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from ouderportaal.core.models import OutgoingMail
from ouderportaal.letters import delivery
from ouderportaal.letters.models import LetterRecipient
from tests import factories as f
from tests import letter_smtp
from tests.letter_factories import make_sent

ROOT = Path(__file__).resolve().parent.parent


def families(school, n):
    group = f.make_group(school, "6", name="Groep 6a")
    for i in range(n):
        pupil = f.make_pupil(school, group)
        f.make_guardian(school.board, [pupil], user=f.make_user(f"ouder6x{i}", email=f"ouder6x{i}@example.org"))
    return group


def addresses(box):
    return sorted(m["To"] for m in box)


def expected(n):
    return sorted(f"ouder6x{i}@example.org" for i in range(n))


def send_queue():
    call_command("send_queued_mail", stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.mark.django_db
def test_server_down_when_sending_starts_loses_nothing(settings, django_capture_on_commit_callbacks):
    school = f.make_school()
    staff = f.make_staff(school)
    group = families(school, 5)
    with letter_smtp.running(settings) as box:
        box.stop()
        with django_capture_on_commit_callbacks(execute=True):
            letter = make_sent(school, staff, groups=[group])
        statuses = set(OutgoingMail.objects.values_list("status", flat=True))
        assert statuses == {OutgoingMail.Status.AWAITING_RETRY}
        assert OutgoingMail.objects.count() == 5
        _, counts = delivery.report(letter, letter.recipients.select_related("mail"))
        assert (counts["queued"], counts["failed"]) == (5, 0)

        box.start()
        send_queue()
        assert len(box) == 0  # the retry is not due yet
        OutgoingMail.objects.update(next_attempt_at=timezone.now())
        send_queue()
        assert addresses(box) == expected(5)
        send_queue()
        assert addresses(box) == expected(5), "a mail went out twice"
        assert box.connections == 1  # the recovery sent them over one connection
    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {OutgoingMail.Status.SENT}


@pytest.mark.django_db
def test_a_refused_address_fails_with_the_servers_answer_and_the_rest_is_delivered(
    settings, django_capture_on_commit_callbacks
):
    school = f.make_school()
    staff = f.make_staff(school)
    group = families(school, 4)
    with letter_smtp.running(settings, reject=["ouder6x2@example.org"]) as box:
        with django_capture_on_commit_callbacks(execute=True):
            letter = make_sent(school, staff, groups=[group])
        assert addresses(box) == [a for a in expected(4) if a != "ouder6x2@example.org"]
        assert box.connections == 1  # the refusal did not cost the batch its connection
    refused = LetterRecipient.objects.select_related("mail").get(letter=letter, email="ouder6x2@example.org")
    assert refused.mail.status == OutgoingMail.Status.FAILED
    assert "550" in refused.mail.last_error and "user unknown" in refused.mail.last_error
    assert refused.mail.attempts == 1  # permanent: no retry
    rows, counts = delivery.report(letter, letter.recipients.select_related("mail"))
    assert (counts["sent"], counts["failed"], counts["not_reached"]) == (3, 1, 1)
    assert [row.recipient.email for row in rows if row.not_reached] == ["ouder6x2@example.org"]


class HoldingMailbox(letter_smtp.StrictMailbox):
    """Accepts messages until the `hold_at`-th, which it keeps waiting until its client is gone; that message is
    then not accepted (the client never got a 250), as a real server would do."""

    hold_at = 4

    def __init__(self, port, **kw):
        super().__init__(port, **kw)
        self.data_calls = 0
        self.holding = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.data_calls += 1
        if self.data_calls == self.hold_at:
            self.holding.set()
            deadline = time.monotonic() + 60
            while server.transport is not None and not server.transport.is_closing():
                if time.monotonic() > deadline:
                    break
                await asyncio.sleep(0.05)
            return "451 4.3.0 Client gone"
        return await super().handle_DATA(server, session, envelope)


def worker(port, *args):
    """`manage.py db_worker --batch` in its own process, on the test database."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "EMAIL_URL": f"smtp://127.0.0.1:{port}?timeout=10",
        "MAIL_CLAIM_TIMEOUT": "2",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "LOG_LEVEL": "ERROR",
    }
    command = [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--interval", "0"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_leaves_every_recipient_mailed_exactly_once(settings):
    if connection.vendor != "postgresql":
        pytest.skip("the worker runs in another process: it needs a database it can open (PostgreSQL)")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MAIL_CLAIM_TIMEOUT = 2
    school = f.make_school()
    staff = f.make_staff(school)
    group = families(school, 10)
    with letter_smtp.running(settings, box_class=HoldingMailbox) as box:
        make_sent(school, staff, groups=[group])  # commits: the batch task is in the queue
        process = worker(box.port)
        try:
            assert box.holding.wait(60), "the worker never reached the held message"
            os.kill(process.pid, signal.SIGKILL)
        finally:
            process.wait(30)
        assert len(box) == 3
        statuses = list(OutgoingMail.objects.order_by("pk").values_list("status", flat=True))
        # Three accepted; the rest of the claimed chunk is still claimed by the dead worker.
        assert statuses == ["sent"] * 3 + ["sending"] * 7

        # Started again once the dead worker's claim has expired: its follow-up check sends the rest.
        time.sleep(settings.MAIL_CLAIM_TIMEOUT + 1.5)
        process = worker(box.port)
        assert process.wait(60) == 0
        assert addresses(box) == expected(10), "every recipient exactly once"
    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {OutgoingMail.Status.SENT}
