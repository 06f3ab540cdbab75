from django.core.management.base import BaseCommand

from ouderportaal.onboarding.services import purge_password_reset_requests, purge_unconfirmed_requests


class Command(BaseCommand):
    help = (
        "Delete account requests whose address was not confirmed within a week, and the per-IP counts of "
        "password-reset requests older than an hour (run daily from cron)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{purge_unconfirmed_requests()} unconfirmed account request(s) deleted")
        self.stdout.write(f"{purge_password_reset_requests()} password-reset request count(s) deleted")
