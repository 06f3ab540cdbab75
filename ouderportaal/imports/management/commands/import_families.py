from ouderportaal.imports.management.base import ImportCommand
from ouderportaal.imports.models import ImportRun


class Command(ImportCommand):
    help = "Importeer gezinnen (CSV, zie docs/imports.md): ouders/verzorgers, gezag, contactgegevens, adres, huisarts."
    source = ImportRun.Source.FAMILIES
