"""manage.py seed_demo [--reset]: the deterministic demo data, then the demo logins (`make demo` prints them)."""

import time
from base64 import b32encode

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from ouderportaal.demo.build import build_demo, delete_demo, demo_board, foreign_boards, onboarding_example
from ouderportaal.demo.catalogue import DEMO_LOGINS, DEMO_TOTP_KEY, SEED, DemoDataError


class Command(BaseCommand):
    help = (
        "Zet vaste demodata in een lege database: één bestuur, twee scholen met elk ongeveer 200 leerlingen en drie "
        "schooljaren historie. Staan de demodata er al, dan toont het alleen de demologins; --reset bouwt ze opnieuw."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", action="store_true", help="verwijder eerst de demodata (en de demologins) en bouw ze opnieuw op"
        )

    def handle(self, *args, reset=False, **options):
        others = list(foreign_boards().values_list("name", flat=True)[:3])
        if others:
            raise CommandError(
                f"Deze database bevat al gegevens van een ander schoolbestuur ({', '.join(others)}). "
                "seed_demo zet demodata alleen in een lege database en verwijdert nooit echte gegevens."
            )
        if demo_board() is not None and not reset:
            self.stdout.write("Demodata staan er al (opnieuw opbouwen: seed_demo --reset).")
            self.print_logins(onboarding_example())
            return

        started = time.perf_counter()
        try:
            with transaction.atomic():
                if reset:
                    delete_demo()
                demo = build_demo()
        except DemoDataError as error:
            raise CommandError(f"{error} Gebruik seed_demo --reset om de demodata opnieuw op te bouwen.") from None
        seconds = time.perf_counter() - started

        c = demo.counts
        per_school = ", ".join(f"{n} op {name}" for name, n in c["pupils_current"].items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Demodata {'opnieuw ' if reset else ''}aangemaakt in {seconds:.1f} s "
                f"(seed {SEED}, peildatum {timezone.localdate():%d-%m-%Y}, schooljaar {demo.current_year})."
            )
        )
        lines = [
            f"{c['schools']} scholen, {c['school_years']} schooljaren, {c['groups']} groepen "
            f"({c['groups_current']} dit jaar), {c['teachers']} leerkrachten",
            f"{c['pupils']} leerlingen: dit jaar {per_school}; {c['pupils_left']} vertrokken; "
            f"{c['enrolments']} groepsplaatsingen",
            f"{c['households']} gezinnen, {c['guardians']} ouders/verzorgers "
            f"({c['guardians_with_account']} met account), {c['contacts']} contactgegevens, "
            f"{c['general_practitioners']} huisartsen",
            f"{c['emergency_contacts']} noodcontacten, {c['medical_infos']} leerlingen met medische gegevens",
            f"{c['absences']} absenties, {c['test_results']} toetsresultaten, {c['closures']} geplande sluiting "
            f"toetsresultaten ({demo.closure})",
        ]
        for line in lines:
            self.stdout.write(f"  {line}")
        self.print_logins(demo.onboarding)

    def print_logins(self, onboarding):
        width_user = max(len("gebruikersnaam"), *(len(login.username) for login in DEMO_LOGINS))
        width_password = max(len("wachtwoord"), *(len(login.password) for login in DEMO_LOGINS))
        self.stdout.write("")
        self.stdout.write("Demologins:")
        self.stdout.write(f"  {'gebruikersnaam':<{width_user}}  {'wachtwoord':<{width_password}}  rol")
        for login in DEMO_LOGINS:
            self.stdout.write(f"  {login.username:<{width_user}}  {login.password:<{width_password}}  {login.role}")
        self.stdout.write(
            "  Medewerkers en beheerder: tweede stap met een authenticator-app, sleutel "
            f"{b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode()} (demo; `manage.py demo_code` toont de code van nu)."
        )
        if onboarding is not None:
            self.stdout.write("")
            self.stdout.write(onboarding.text)
