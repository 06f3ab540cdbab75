"""manage.py demo_code: the code an authenticator app with the demo key shows now (the demo's staff second step)."""

from django.core.management.base import BaseCommand
from django_otp.oath import totp

from ouderportaal.demo.catalogue import DEMO_TOTP_KEY


class Command(BaseCommand):
    help = "De tweestapscode van nu voor de demologins van medewerkers (demo-sleutel)."

    def handle(self, *args, **options):
        self.stdout.write(f"{totp(bytes.fromhex(DEMO_TOTP_KEY)):06d}")
