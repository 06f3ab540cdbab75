"""Benchmark of the import pipeline on a board-scale file set, against a plain executemany insert of the same rows.

    .venv/bin/python bench/imports.py [--schools 30] [--pupils 10000] [--results 400000]
                                      [--postgres postgres://postgres@127.0.0.1:5432/op_bench]

For each database (a fresh SQLite file; PostgreSQL when --postgres is given) a child process migrates, generates
the files (per school: EDEX, families, results, absences), imports them all (first import), imports them again
(re-import: nothing changes), then deletes the imported rows and inserts exactly those rows again with one
executemany per table (the baseline). A second child measures peak memory on hostile and maximum-size files.
Targets (issue 8): first import ≤ 60 s on SQLite, ≤ 3 × the executemany time; re-import ≤ 0.5 × the first import.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def import_all(files, schools):
    from ouderportaal.imports.services import import_file

    counts = {}
    for brin, source, path in files:
        with open(path, "rb") as fileobj:
            run = import_file(source=source, fileobj=fileobj, file_name=path.name, school=schools[brin])
        if run.status != "applied":
            raise SystemExit(f"{path.name}: {run.status} {run.message} {run.errors[:3]}")
        for section, numbers in run.counts.items():
            total = counts.setdefault(section, {"new": 0, "changed": 0, "unchanged": 0})
            for name in total:
                total[name] += numbers.get(name, 0)
    return counts


def profiled(prefix, name, function, *args):
    """Run `function`, under cProfile when --profile is given (stats in PREFIX-first.prof, PREFIX-again.prof)."""
    if not prefix:
        return function(*args)
    import cProfile
    import pstats

    profile = cProfile.Profile()
    value = profile.runcall(function, *args)
    profile.dump_stats(f"{prefix}-{name}.prof")
    pstats.Stats(profile, stream=sys.stderr).sort_stats("tottime").print_stats(25)
    return value


def child(args):
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ouderportaal.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from ouderportaal.absences.models import Absence
    from ouderportaal.demo.board import brins as school_codes
    from ouderportaal.demo.board import generate
    from ouderportaal.results.models import Assessment, TestResult
    from ouderportaal.school.models import (
        Board,
        ContactDetail,
        Enrolment,
        GeneralPractitioner,
        Group,
        Guardian,
        Guardianship,
        Household,
        Pupil,
        School,
        Teacher,
    )

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    rng = random.Random(8)  # noqa: S311 - reproducible bench data
    brins = school_codes(args.schools)
    board = Board.objects.create(name="Bench")
    schools = {
        brin: School.objects.create(board=board, name=f"School {brin}", brin=brin, street="Straat 1",
                                    postcode="3811 AB", city="Amersfoort", phone="033 123 4567",
                                    email="s@example.com", admin_email="a@example.com")
        for brin in brins
    }  # fmt: skip
    for subject in ["Rekenen-Wiskunde", "Spelling", "Begrijpend lezen", "Technisch lezen", "Woordenschat"]:
        Assessment.objects.create(supplier="Cito", subject=subject, name=f"{subject} (LiB)", level_scheme="IV")
    result = {"database": connection.vendor}
    with tempfile.TemporaryDirectory() as directory:
        started = time.perf_counter()
        files = generate(Path(directory), brins, args.pupils, args.results, rng)
        result["generate_s"] = time.perf_counter() - started
        result["files"] = len(files)
        result["megabytes"] = sum(p.stat().st_size for _b, _s, p in files) / 2**20
        started, cpu = time.perf_counter(), time.process_time()
        result["counts"] = profiled(args.profile, "first", import_all, files, schools)
        result["first_import_s"] = time.perf_counter() - started
        result["first_import_cpu_s"] = time.process_time() - cpu
        result["peak_rss_mb_after_import"] = peak_rss_mb()
        started, cpu = time.perf_counter(), time.process_time()
        again = profiled(args.profile, "again", import_all, files, schools)
        result["reimport_s"] = time.perf_counter() - started
        result["reimport_cpu_s"] = time.process_time() - cpu
        result["reimport_written"] = sum(c["new"] + c["changed"] for c in again.values())

    # The baseline: the very same rows, inserted with one executemany per table.
    models = [Household, GeneralPractitioner, Teacher, Group, Group.teachers.through, Pupil, Enrolment, Guardian,
              ContactDetail, Guardianship, TestResult, Absence]  # fmt: skip
    tables = []
    for model in models:
        columns = [f.column for f in model._meta.concrete_fields]
        rows = list(model.objects.order_by("pk").values_list(*[f.attname for f in model._meta.concrete_fields]))
        tables.append((model, columns, rows))
    with transaction.atomic():
        for model, _columns, _rows in reversed(tables):
            model.objects.all()._raw_delete(model.objects.db)
    started, cpu = time.perf_counter(), time.process_time()
    with transaction.atomic(), connection.cursor() as cursor:
        for model, columns, rows in tables:
            quote = connection.ops.quote_name
            sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
                   f"VALUES ({', '.join(['%s'] * len(columns))})")  # fmt: skip
            cursor.executemany(sql, [tuple(_adapt(v) for v in row) for row in rows])
    result["executemany_s"] = time.perf_counter() - started
    result["executemany_cpu_s"] = time.process_time() - cpu
    result["rows"] = {model._meta.label: len(rows) for model, _c, rows in tables}
    print(json.dumps(result))


def _adapt(value):
    import decimal

    return str(value) if isinstance(value, decimal.Decimal) else value


def hostile(args):
    """Peak memory of one process per file: the largest allowed files, and files that are refused."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ouderportaal.settings")
    django.setup()
    from django.core.management import call_command

    from ouderportaal.imports.services import import_file
    from ouderportaal.school.models import Board, School

    call_command("migrate", verbosity=0)
    school = School.objects.filter(brin="27MP").first() or School.objects.create(
        board=Board.objects.create(name="Hostile"), name="S", brin="27MP", street="s", postcode="3811 AB",
        city="A", phone="033 123 4567", email="s@example.com", admin_email="a@example.com",
    )  # fmt: skip
    before = peak_rss_mb()
    path = Path(args.hostile_file)
    with open(path, "rb") as fileobj:
        run = import_file(source=args.hostile_source, fileobj=fileobj, file_name=path.name, school=school, dry_run=True)
    print(json.dumps({"file": path.name, "mb": round(path.stat().st_size / 2**20, 1), "status": run.status,
                      "errors": run.error_count, "rss_before_mb": round(before), "rss_peak_mb": round(peak_rss_mb()),
                      "message": run.message[:90]}))  # fmt: skip


def hostile_files(directory):
    big_rows = b"leerling_key;datum;dagdeel;reden\r\n" + b"".join(
        b"X%07d;01-02-2026;ochtend;ziek\r\n" % n for n in range(620_000)
    )
    files = {
        "absences-19mb-all-errors.csv": ("absences", big_rows[: 19 * 2**20]),
        "billion-laughs.xml": ("edex", (ROOT / "tests" / "test_import_hostile.py").read_bytes().split(b'b"""')[1]
                               .split(b'"""')[0]),
        "columns-10000.csv": ("families", b";".join(b"k%d" % i for i in range(10_000)) + b"\r\n"),
        "binary.csv": ("families", os.urandom(5 * 2**20)),
    }  # fmt: skip
    edex = [
        b'<?xml version="1.0"?><EDEX><school><schooljaar>2025-2026</schooljaar><brincode>27MP</brincode>'
        b'</school><groepen><groep key="G"><naam>G</naam><jaargroep>5</jaargroep></groep></groepen><leerlingen>'
    ]
    n = size = 0
    while size < 19 * 2**20:
        edex.append(b'<leerling key="%d"><achternaam>A%d</achternaam><roepnaam>K</roepnaam><geboortedatum>2017-01-01'
                    b'</geboortedatum><jaargroep>5</jaargroep><groep key="G"/></leerling>' % (n, n))  # fmt: skip
        size += len(edex[-1])
        n += 1
    edex.append(b"</leerlingen></EDEX>")
    files["edex-19mb.xml"] = ("edex", b"".join(edex))
    sparse = directory / "huge-200mb.csv"
    with open(sparse, "wb") as out:
        out.truncate(200 * 2**20)
    paths = [("absences", sparse)]
    for name, (source, data) in files.items():
        (directory / name).write_bytes(data)
        paths.append((source, directory / name))
    return paths


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=30)
    parser.add_argument("--pupils", type=int, default=10_000)
    parser.add_argument("--results", type=int, default=400_000)
    parser.add_argument("--postgres", help="a PostgreSQL URL of a database this benchmark may empty")
    parser.add_argument("--profile", help="write cProfile stats of both imports to PREFIX-first/-again.prof")
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--hostile-only", action="store_true", help="only the memory measurements")
    parser.add_argument("--skip-hostile", action="store_true", help="only the import timings")
    parser.add_argument("--hostile-file")
    parser.add_argument("--hostile-source")
    args = parser.parse_args()
    if args.child:
        return child(args)
    if args.hostile_file:
        return hostile(args)
    env = {
        **os.environ,
        "SECRET_KEY": "bench",
        "DEBUG": "",
        "TASKS_BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
    }
    report = []
    with tempfile.TemporaryDirectory() as directory:
        targets = [f"sqlite:///{directory}/bench.sqlite3"] + ([args.postgres] if args.postgres else [])
        targets = [] if args.hostile_only else targets
        for url in targets:
            out = subprocess.run(
                [sys.executable, __file__, "--child", "--schools", str(args.schools), "--pupils", str(args.pupils),
                 "--results", str(args.results), *(["--profile", args.profile] if args.profile else [])],
                env={**env, "DATABASE_URL": url}, capture_output=True, text=True, cwd=ROOT, check=True,
            )  # fmt: skip
            report.append(json.loads(out.stdout.strip().splitlines()[-1]))
            print(json.dumps(report[-1]), file=sys.stderr, flush=True)  # kept even if a later step fails
        hostile_report = []
        for source, path in [] if args.skip_hostile else hostile_files(Path(directory)):
            out = subprocess.run(
                [sys.executable, __file__, "--hostile-file", str(path), "--hostile-source", source],
                env={**env, "DATABASE_URL": f"sqlite:///{directory}/hostile.sqlite3"},
                capture_output=True, text=True, cwd=ROOT, check=True,
            )  # fmt: skip
            hostile_report.append(json.loads(out.stdout.strip().splitlines()[-1]))
            print(json.dumps(hostile_report[-1]), file=sys.stderr, flush=True)
    for r in report:
        r["ratio_to_executemany"] = r["first_import_s"] / r["executemany_s"]
        r["reimport_ratio"] = r["reimport_s"] / r["first_import_s"]
    print(json.dumps({"imports": report, "hostile": hostile_report}, indent=2))
    print(table(report, hostile_report))


def table(report, hostile_report):
    """The figures as docs/benchmarks.md shows them (Markdown), with the machine's load at the end of the run."""
    if not report:
        return ""
    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    columns = [names.get(r["database"], r["database"]) for r in report]
    first = report[0]
    rows = [
        ("files", lambda r: f"{r['files']} ({r['megabytes']:.1f} MB)"),
        ("first import", lambda r: f"{r['first_import_s']:.1f} s (CPU {r['first_import_cpu_s']:.1f} s)"),
        ("re-import, unchanged files",
         lambda r: f"{r['reimport_s']:.1f} s (CPU {r['reimport_cpu_s']:.1f} s), {r['reimport_written']} rows written"),
        ("executemany of the same rows", lambda r: f"{r['executemany_s']:.1f} s (CPU {r['executemany_cpu_s']:.1f} s)"),
        ("first import ÷ executemany (target ≤ 3)", lambda r: f"**{r['ratio_to_executemany']:.2f}**"),
        ("re-import ÷ first import (target ≤ 0.5)", lambda r: f"**{r['reimport_ratio']:.2f}**"),
        ("peak memory of the importing process", lambda r: f"{r['peak_rss_mb_after_import']:.0f} MB"),
    ]  # fmt: skip
    lines = ["| | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    lines += [f"| {label} | " + " | ".join(cell(r) for r in report) + " |" for label, cell in rows]
    counts = ", ".join(f"{n:,} {label}" for label, n in first["rows"].items())
    lines.append(f"\nRows: {counts}.")
    if hostile_report:
        lines += ["", "| file | outcome | peak RSS |", "|---|---|---|"]
        lines += [f"| {h['file']} ({h['mb']} MB) | {h['status']}, {h['errors']} errors {h['message'][:60]} | "
                  f"{h['rss_peak_mb']} MB |" for h in hostile_report]  # fmt: skip
    load = os.getloadavg()
    lines.append(f"\nLoad average at the end: {load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f} ({os.cpu_count()} CPUs).")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
