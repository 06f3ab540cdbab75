from django.core.management.base import BaseCommand

from ouderportaal.onboarding.services import purge_unconfirmed_requests


class Command(BaseCommand):
    help = "Delete account requests whose address was not confirmed within a week (run daily from cron)."

    def handle(self, *args, **options):
        self.stdout.write(f"{purge_unconfirmed_requests()} unconfirmed account request(s) deleted")
