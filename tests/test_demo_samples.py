"""docs/samples (written by `manage.py write_demo_files docs/samples --sample`) import cleanly, in order."""

from pathlib import Path

import pytest

from ouderportaal.demo.catalogue import SCHOOL_SPECS, assessment_specs
from ouderportaal.imports.models import ImportRun
from ouderportaal.imports.services import import_file
from ouderportaal.results.models import Assessment
from ouderportaal.school.models import Guardian, Pupil
from tests import factories as f

SAMPLES = Path(__file__).resolve().parent.parent / "docs" / "samples"
ORDER = ["edex", "families", "results", "absences"]


@pytest.mark.django_db
def test_samples_import_cleanly_and_twice_change_nothing():
    board = f.make_board()
    for spec in SCHOOL_SPECS:
        f.make_school(board, brin=spec["brin"], name=spec["name"])
    for lookup, defaults in assessment_specs():
        Assessment.objects.create(**lookup, **defaults)
    files = sorted(SAMPLES.iterdir(), key=lambda p: (p.name[:4], ORDER.index(p.stem.split("-")[1]), p.name))
    assert len(files) == 12
    for attempt in (1, 2):
        for path in files:
            source = ImportRun.Source(path.stem.split("-")[1])
            school = board.schools.get(brin__iexact=path.name[:4])
            with open(path, "rb") as fileobj:
                run = import_file(source=source, fileobj=fileobj, file_name=path.name, school=school)
            assert run.status == ImportRun.Status.APPLIED, (path.name, run.message, run.errors[:3])
            if attempt == 2:
                assert all(c.get("new", 0) + c.get("changed", 0) == 0 for c in run.counts.values()), path.name
    assert Pupil.objects.count() == 7 and Guardian.objects.filter(source_key__startswith="V").exists()
