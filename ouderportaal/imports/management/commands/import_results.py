from ouderportaal.imports.management.base import ImportCommand
from ouderportaal.imports.models import ImportRun


class Command(ImportCommand):
    help = "Importeer toetsresultaten (CSV, zie docs/imports.md), op leerlingsleutel."
    source = ImportRun.Source.RESULTS
