from django.core.management.base import BaseCommand
from django.utils import timezone

from ouderportaal.core import emails
from ouderportaal.core.models import OutgoingMail


class Command(BaseCommand):
    help = (
        "Send outbox mail that is due now (new, or waiting for a retry). The task worker does this by itself; "
        "run this from cron as a safety net, or after an outage. A row left in 'sending' by a worker that died is "
        "sent again once its claim has expired (MAIL_CLAIM_TIMEOUT), with the same Message-ID."
    )

    def add_arguments(self, parser):
        parser.add_argument("--retry-failed", action="store_true", help="give mail that failed for good a new try")

    def handle(self, *args, retry_failed=False, **options):
        if retry_failed:
            count = OutgoingMail.objects.filter(status=OutgoingMail.Status.FAILED).update(
                status=OutgoingMail.Status.AWAITING_RETRY, attempts=0, next_attempt_at=timezone.now()
            )
            self.stdout.write(f"{count} failed message(s) queued again")
        sent = emails.send_due_mail()
        self.stdout.write(f"{sent} message(s) sent")
