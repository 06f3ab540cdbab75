"""What the four import commands share: open the file, show progress on a terminal, print a summary."""

import sys

from django.core.management.base import BaseCommand, CommandError

from ouderportaal.imports.models import ImportRun
from ouderportaal.imports.services import import_file
from ouderportaal.school.models import School

LABELS = {"new": "nieuw", "changed": "gewijzigd", "unchanged": "ongewijzigd", "missing": "ontbreekt in bestand"}


class ImportCommand(BaseCommand):
    source = None
    school_required = True

    def add_arguments(self, parser):
        parser.add_argument("file", help="het bestand (UTF-8 of Windows-1252; ; of , als scheidingsteken)")
        parser.add_argument(
            "--school",
            required=self.school_required,
            help="BRIN-code van de school"
            if self.school_required
            else "BRIN-code van de school (standaard: de BRIN in het bestand)",
        )
        parser.add_argument("--dry-run", action="store_true", help="alleen controleren en tellen; niets opslaan")

    def extra_options(self, options):
        return {}

    def handle(self, *args, file, school=None, dry_run=False, **options):
        target = None
        if school:
            target = School.objects.filter(brin__iexact=school.strip()).first()
            if target is None:
                raise CommandError(f"Er is geen school met BRIN {school}.")
        try:
            fileobj = open(file, "rb")  # noqa: SIM115 — closed below
        except OSError as error:
            raise CommandError(f"Kan {file} niet openen: {error.strerror}.") from None
        with fileobj:
            run = import_file(
                source=self.source,
                fileobj=fileobj,
                file_name=file,
                school=target,
                dry_run=dry_run,
                progress=self.progress_bar(),
                **self.extra_options(options),
            )
        if self.stdout.isatty():
            self.stdout.write("")
        self.summary(run)

    def progress_bar(self):
        if not sys.stdout.isatty() or not self.stdout.isatty():
            return None

        def show(done, total):
            filled = 40 * done // max(total, 1)
            self.stdout.write(f"\r[{'#' * filled}{' ' * (40 - filled)}] {100 * done // max(total, 1):3d}%", ending="")
            self.stdout.flush()

        return show

    def summary(self, run):
        if run.status == ImportRun.Status.REFUSED:
            raise CommandError(f"Geweigerd: {run.message} Er is niets opgeslagen.")
        for section, counts in run.counts.items():
            parts = ", ".join(f"{n} {LABELS[k]}" for k, n in counts.items())
            self.stdout.write(f"  {section}: {parts}")
        for warning in run.warnings[:20]:
            self.stdout.write(f"  let op: regel {warning['line']}, {warning['column']}: {warning['message']}")
        if len(run.warnings) > 20:
            self.stdout.write(f"  … en nog {len(run.warnings) - 20} waarschuwingen")
        if run.error_count:
            for error in run.errors[:50]:
                value = f" ({error['value']!r})" if error["value"] else ""
                self.stderr.write(f"  fout: regel {error['line']}, kolom {error['column']}{value}: {error['message']}")
            raise CommandError(f"{run.error_count} fouten gevonden; er is niets opgeslagen.")
        if run.dry_run:
            self.stdout.write(self.style.SUCCESS("Proefdraai: het bestand is in orde; er is niets opgeslagen."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Verwerkt: {run.file_name} ({run.school})."))
