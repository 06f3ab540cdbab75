from django.core.management.base import BaseCommand

from ouderportaal.letters import services


class Command(BaseCommand):
    help = (
        "Send the scheduled letters whose time has come. The task worker does this at each letter's time; run this "
        "from cron as a safety net."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{services.send_due_letters()} letter(s) sent")
