"""manage.py write_demo_files DIR [--sample]: the demo board as its administration would export it."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from ouderportaal.demo.build import demo_world
from ouderportaal.demo.exports import write_exports
from ouderportaal.demo.planner import Planner


class Command(BaseCommand):
    help = (
        "Schrijf de demodata als exportbestanden: per school EDEX (drie schooljaren) en CSV voor gezinnen, "
        "toetsresultaten en absenties. --sample: alleen de gezinnen van de demologins (docs/samples/)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--sample", action="store_true", help="alleen de vaste demogezinnen: kleine bestanden")

    def handle(self, *args, directory, sample=False, **options):
        board, schools, users = demo_world()
        planner = Planner(timezone.localdate(), board=board, schools=schools, users=users).plan()
        keep = None
        if sample:
            keep = {id(child.pupil) for family in planner.families if family["key"] for child in family["children"]}
        for school, source, path in write_exports(planner, directory, keep=keep):
            self.stdout.write(f"{path}  ({school.name}, {source}, {path.stat().st_size // 1024} kB)")
