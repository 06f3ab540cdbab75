from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ouderportaal.core.backup import BackupError, restore, table_rows


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the database of DATABASE_URL, which must be fresh and empty "
        "(createdb, or a new SQLite file); prints the rows per table."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        db = settings.DATABASES["default"]
        try:
            restore(file, db)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = table_rows(db)
        for table, count in sorted(rows.items()):
            self.stdout.write(f"{count:>9}  {table}", ending="\n")
        self.stdout.write(f"Restored {len(rows)} tables, {sum(rows.values())} rows, into {db['NAME']}.")
