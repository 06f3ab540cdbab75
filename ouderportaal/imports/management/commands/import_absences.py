from ouderportaal.imports.management.base import ImportCommand
from ouderportaal.imports.models import ImportRun


class Command(ImportCommand):
    help = "Importeer absenties (CSV, zie docs/imports.md), op leerling, dag en dagdeel."
    source = ImportRun.Source.ABSENCES
