"""Benchmark of letter delivery: a letter to 10,000 guardians, on SQLite and (with --postgres) PostgreSQL.

    .venv/bin/python bench/mail.py [--postgres URL] [--guardians 10000] [--baseline-messages 3000]
    make bench-mail [PG_URL=postgres://postgres@127.0.0.1:5432/op_bench]

Per database, in a process of its own:
1. Seeds one school with N pupils, each with one guardian with an email address, in a fresh SQLite file (or in the
   PostgreSQL database, which is FLUSHED first).
2. Times `letters.services.send_letter`: audience resolution, N recipient rows, N outbox rows, the worker's tasks,
   one transaction ("queue"). The URL configuration is loaded first, as in the web process that sends a letter.
3. Starts aiosmtpd (its Sink handler) in its own process on loopback and measures that server's own acceptance
   rate with a plain smtplib loop over one connection, sending the very bytes of one letter mail ("baseline").
4. Runs one task worker (`manage.py db_worker --batch`) against the same server and times it until the queue is
   empty ("worker"), then the plain loop again. Ratios, not absolute numbers: the machine is shared and noisy.
Then prints one table for all databases run (the one in docs/benchmarks.md), with the load average.
Targets: queue <= 10 s; worker >= 50 % of the plain loop's rate.
"""

import argparse
import email.policy
import json
import os
import resource
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
WORKER = [PYTHON, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--interval", "0"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port}")


def seed(n):
    import datetime

    from ouderportaal.accounts.models import User
    from ouderportaal.school.models import (
        Board,
        ContactDetail,
        Enrolment,
        Group,
        Guardian,
        Guardianship,
        Pupil,
        School,
        SchoolYear,
        StaffRole,
    )

    board = Board.objects.create(name="Bench")
    school = School.objects.create(
        board=board,
        name="De Benchschool",
        brin="05KO01",
        street="Straat 1",
        postcode="1234 AB",
        city="Utrecht",
        phone="030 123 4567",
        email="info@bench.example",
        admin_email="administratie@bench.example",
    )
    year, _ = SchoolYear.objects.get_or_create(start_year=SchoolYear.start_year_for(datetime.date.today()))
    group = Group.objects.create(school=school, school_year=year, name="Groep 7", year_levels="7")
    pupils = Pupil.objects.bulk_create(
        [
            Pupil(
                school=school,
                first_names=f"Kind {i}",
                roepnaam=f"Kind{i}",
                surname=f"Achternaam{i}",
                birth_date=datetime.date(2016, 1, 1),
                enrolled_on=datetime.date(2021, 8, 20),
            )
            for i in range(n)
        ],
        batch_size=1000,
    )
    Enrolment.objects.bulk_create(
        [Enrolment(pupil=p, group=group, school_year=year, year_level=7) for p in pupils], batch_size=1000
    )
    guardians = Guardian.objects.bulk_create(
        [Guardian(board=board, first_name=f"Ouder{i}", surname=f"Achternaam{i}") for i in range(n)], batch_size=1000
    )
    Guardianship.objects.bulk_create(
        [Guardianship(guardian=g, pupil=p, relation="moeder") for g, p in zip(guardians, pupils, strict=True)],
        batch_size=1000,
    )
    ContactDetail.objects.bulk_create(
        [ContactDetail(guardian=g, kind="email", value=f"ouder{i}@bench.example") for i, g in enumerate(guardians)],
        batch_size=1000,
    )
    staff = User.objects.create(username="bench-staff")
    StaffRole.objects.create(user=staff, school=school, role="administratie")
    return school, group, staff


def plain_loop(port, message, sender, count):
    """The server's own acceptance rate: one connection, `count` times the same bytes. Returns (mails/s, the
    client's CPU milliseconds per mail)."""
    start, cpu = time.perf_counter(), time.process_time()
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        for i in range(count):
            smtp.sendmail(sender, [f"ouder{i}@bench.example"], message)
    return count / (time.perf_counter() - start), (time.process_time() - cpu) * 1000 / count


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--guardians", type=int, default=10_000)
    parser.add_argument("--baseline-messages", type=int, default=3000)
    parser.add_argument("--postgres", metavar="URL", help="also run on this PostgreSQL database (it is FLUSHED)")
    parser.add_argument("--queue-only", action="store_true", help="stop after timing the queueing")
    parser.add_argument("--database", metavar="URL", help=argparse.SUPPRESS)  # one run, in a child process
    args = parser.parse_args()
    if args.database:
        run(args, args.database)
        return
    tmp = tempfile.mkdtemp(prefix="ouderportaal-bench-mail-")
    databases = [f"sqlite:///{tmp}/bench.sqlite3", *([args.postgres] if args.postgres else [])]
    reports = []
    for url in databases:
        command = [PYTHON, __file__, "--database", url, "--guardians", str(args.guardians)]
        command += ["--baseline-messages", str(args.baseline_messages), *(["--queue-only"] if args.queue_only else [])]
        subprocess.run(command, check=True)
        out = ROOT / "bench" / "out" / f"mail-{url.split(':', 1)[0]}.json"
        reports.append(json.loads(out.read_text()))
    print_table(reports)


def print_table(reports):
    print(f"\nload average (1, 5, 15 min): {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        "\n| database | N | queue | worker | plain loop (before, after) | worker ÷ plain | CPU ms/mail (worker, loop) |"
    )
    print("|---|---|---|---|---|---|---|")
    notes = []
    for r in reports:
        name = {"sqlite": "SQLite", "postgres": "PostgreSQL", "postgresql": "PostgreSQL"}.get(r["database"])
        if "worker_seconds" not in r:
            print(f"| {name} | {r['guardians']:,} | {r['queue_seconds']:.2f} s | – | – | – | – |")
            continue
        before, after = r["plain_loop_mails_per_second"]
        print(
            f"| {name} | {r['guardians']:,} | {r['queue_seconds']:.2f} s | {r['worker_mails_per_second']:.0f} mails/s "
            f"({r['worker_seconds']:.1f} s) | {before:.0f}, {after:.0f} mails/s | {r['worker_vs_plain_loop']:.2f} | "
            f"{r['worker_cpu_ms_per_mail']:.2f}, {r['plain_loop_cpu_ms_per_mail']:.2f} |"
        )
        after_startup = r["worker_mails_per_second_after_startup"]
        notes.append(
            f"{name}: the worker's start-up took {r['worker_startup_seconds']:.1f} s (empty queue); without it "
            f"{after_startup:.0f} mails/s, {after_startup / ((before + after) / 2):.2f} × the plain loop"
        )
    print("\n".join(["", *notes]))


def write_report(report):
    print(json.dumps(report, indent=2))
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / f"mail-{report['database']}.json").write_text(json.dumps(report, indent=2))


def run(args, database_url):
    tmp = tempfile.mkdtemp(prefix="ouderportaal-bench-mail-")
    smtp_port = free_port()
    env = {
        **os.environ,
        "SECRET_KEY": "bench-only-secret-key",
        "DEBUG": "",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}?timeout=30",
        "MEDIA_ROOT": f"{tmp}/media",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "ouderportaal.settings"
    import django

    django.setup()
    from django.core.management import call_command

    from ouderportaal.core import emails
    from ouderportaal.core.models import OutgoingMail
    from ouderportaal.letters import services
    from ouderportaal.letters.demo import CAMP, CAMP_PDF, tiny_pdf

    call_command("migrate", verbosity=0)
    if not database_url.startswith("sqlite"):
        call_command("flush", interactive=False, verbosity=0)
    print(f"seeding {args.guardians} guardians …", flush=True)
    school, group, staff = seed(args.guardians)
    from django.db import connection

    if connection.vendor == "postgresql":
        # As autovacuum would soon after an import: without statistics the planner takes the new tables for tiny.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    from django.core.files.base import ContentFile

    letter = services.save_draft(
        acting_user=staff,
        school=school,
        subject="Schoolkamp",
        body_html=CAMP,
        audience_kind="groups",
        groups=[group],
        pupils=[],
        new_files=[ContentFile(tiny_pdf(CAMP_PDF), name="kamp.pdf")],
    )
    # What one worker process costs before it sends anything (Django start-up, system checks, exit): timed on the
    # empty queue, and reported beside the rate so a long-running worker's rate can be read off too.
    start = time.perf_counter()
    subprocess.run(WORKER, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    startup_seconds = time.perf_counter() - start

    # The web process that sends a letter has its URL configuration loaded (send_letter builds the letter's link).
    from django.urls import reverse

    start = time.perf_counter()
    reverse("letters:letter", args=[letter.public_id])
    urlconf_seconds = time.perf_counter() - start
    start = time.perf_counter()
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profile = cProfile.Profile()
        recipients = profile.runcall(services.send_letter, letter=letter, acting_user=staff)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
    else:
        recipients = services.send_letter(letter=letter, acting_user=staff)
    queue_seconds = time.perf_counter() - start
    mails = OutgoingMail.objects.count()
    print(f"queue: {recipients} recipients, {mails} mails in {queue_seconds:.2f} s", flush=True)
    report = {
        "database": database_url.split(":", 1)[0],
        "guardians": args.guardians,
        "recipients": recipients,
        "urlconf_seconds": round(urlconf_seconds, 2),
        "queue_seconds": round(queue_seconds, 2),
    }
    if args.queue_only:
        write_report(report)
        return

    sample = OutgoingMail.objects.order_by("pk").first()
    message = emails._message(sample).message(policy=email.policy.SMTP).as_bytes()
    from django.conf import settings

    server = subprocess.Popen(
        [PYTHON, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink", "-l", f"127.0.0.1:{smtp_port}"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(smtp_port)
        before, before_cpu = plain_loop(smtp_port, message, settings.DEFAULT_FROM_EMAIL, args.baseline_messages)
        print(f"plain smtplib loop: {before:.0f} mails/s", flush=True)
        start, cpu = time.perf_counter(), children_cpu()
        with open(f"{tmp}/worker.log", "w") as log:
            worker = subprocess.run(
                WORKER,
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=log,
            )
        if worker.returncode:
            sys.exit(f"the worker failed: see {tmp}/worker.log")
        worker_seconds = time.perf_counter() - start
        worker_cpu = children_cpu() - cpu
        sent = OutgoingMail.objects.filter(status=OutgoingMail.Status.SENT).count()
        worker_rate = sent / worker_seconds
        print(f"one worker: {sent} mails in {worker_seconds:.1f} s = {worker_rate:.0f} mails/s", flush=True)
        after, after_cpu = plain_loop(smtp_port, message, settings.DEFAULT_FROM_EMAIL, args.baseline_messages)
        print(f"plain smtplib loop again: {after:.0f} mails/s", flush=True)
    finally:
        server.terminate()
        server.wait()

    baseline = (before + after) / 2
    report |= {
        "mail_bytes": len(message),
        "worker_seconds": round(worker_seconds, 1),
        "worker_mails_per_second": round(worker_rate, 1),
        "plain_loop_mails_per_second": [round(before, 1), round(after, 1)],
        "worker_vs_plain_loop": round(worker_rate / baseline, 2),
        "worker_startup_seconds": round(startup_seconds, 1),
        "worker_mails_per_second_after_startup": round(sent / max(worker_seconds - startup_seconds, 0.1), 1),
        # CPU time per mail, less disturbed by a busy machine than the rates: the worker process (start-up included)
        # and the plain loop's client.
        "worker_cpu_ms_per_mail": round(worker_cpu * 1000 / max(sent, 1), 2),
        "plain_loop_cpu_ms_per_mail": round((before_cpu + after_cpu) / 2, 2),
        "all_sent": sent == mails,
    }
    write_report(report)
    print(
        f"targets: queue <= 10 s: {'yes' if queue_seconds <= 10 else 'NO'}; "
        f"worker >= 50 % of plain loop: {'yes' if report['worker_vs_plain_loop'] >= 0.5 else 'NO'}"
    )


if __name__ == "__main__":
    main()
