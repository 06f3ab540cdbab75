from django.core.management.base import BaseCommand, CommandError

from ouderportaal.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write a backup of the database to FILE: pg_dump -Fc on PostgreSQL, SQLite's online backup API on SQLite."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            backup(file)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backup written to {file}.")
