from ouderportaal.imports.management.base import ImportCommand
from ouderportaal.imports.models import ImportRun


class Command(ImportCommand):
    help = "Importeer een EDEX-bestand (2.0/2.1 of 1.03): school, groepen, leerlingen, leerkrachten.."
    source = ImportRun.Source.EDEX
    school_required = False

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--mark-missing-left",
            action="store_true",
            help="leerlingen die niet meer in het bestand staan als vertrokken markeren",
        )

    def extra_options(self, options):
        return {"mark_missing_left": options["mark_missing_left"]}
