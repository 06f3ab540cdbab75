from django.conf import settings
from django.core.management.base import BaseCommand

from ouderportaal.imports.services import clean_stale


class Command(BaseCommand):
    help = (
        "Verwijder geüploade importbestanden die niet binnen IMPORT_KEEP_HOURS zijn verwerkt (ook gebeurt dit bij "
        "elke upload). Bedoeld voor een dagelijkse cron-taak."
    )

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=None, help=f"standaard {settings.IMPORT_KEEP_HOURS}")

    def handle(self, *args, hours=None, **options):
        removed = clean_stale(hours=hours)
        self.stdout.write(f"{removed} bestand(en) verwijderd.")
