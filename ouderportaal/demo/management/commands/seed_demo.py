"""manage.py seed_demo [--reset]: the deterministic demo data, then the demo logins (`make demo` prints them)."""

import time
from base64 import b32encode

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from ouderportaal.demo.board import PASSWORD, SCALES, add_board_scale, username_for
from ouderportaal.demo.build import (
    build_demo,
    delete_demo,
    demo_board,
    demo_counts,
    foreign_boards,
    onboarding_example,
)
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
        parser.add_argument(
            "--scale",
            choices=sorted(SCALES),
            help="voeg scholen toe tot bestuursgrootte: 'board' = 30 scholen, ~10.000 leerlingen, ~15.000 ouders "
            "met login (wachtwoord van de demo-ouders), ~400.000 toetsresultaten, ~150.000 absenties",
        )

    def handle(self, *args, reset=False, scale=None, **options):
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
                if scale:
                    today = timezone.localdate()
                    logins = add_board_scale(
                        demo.board, SCALES[scale], today=today, start_year=demo.current_year.start_year
                    )
                    demo.counts = demo_counts(demo.board, today)
        except DemoDataError as error:
            raise CommandError(f"{error} Gebruik seed_demo --reset om de demodata opnieuw op te bouwen.") from None
        if scale and connection.vendor == "postgresql":
            # Planner statistics for the freshly filled tables now, not whenever autovacuum gets to them.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        seconds = time.perf_counter() - started

        c = demo.counts
        per_school = ", ".join(f"{n} op {name}" for name, n in list(c["pupils_current"].items())[:3])
        if len(c["pupils_current"]) > 3:
            per_school += f" … ({sum(c['pupils_current'].values())} op {len(c['pupils_current'])} scholen)"
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
        if scale:
            self.stdout.write(
                f"Ouders op bestuursschaal: {logins} logins {username_for('V000001')} … "
                f"{username_for(f'V{logins:06d}')}, wachtwoord {PASSWORD}"
            )

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
