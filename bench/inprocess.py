"""In-process cost of each parent page against /health/: the Django side of bench/run.py, without gunicorn.

    DATABASE_URL=… .venv/bin/python bench/inprocess.py [--parent ouder] [--n 300] [--profile PATH]

Logs the parent in (force_login: no Argon2), walks the pages bench/run.py measures and prints per page the mean
CPU milliseconds a request costs inside Django (settings as in production: DEBUG off, cached template loader, manifest
static files), the queries it runs, and the page's cost as a multiple of /health/'s. With --profile PATH, writes a
pyinstrument profile of that one page (HTML next to bench/out/). Timings on a shared machine are noisy: compare pages
within one run.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ouderportaal.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
os.environ["DEBUG"] = ""
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("EMAIL_URL", "dummy://")
os.environ.setdefault("LOG_LEVEL", "WARNING")
STATIC = os.environ.setdefault("STATIC_ROOT", str(Path(tempfile.gettempdir()) / "ouderportaal-inprocess-static"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--parent", default="ouder")
    parser.add_argument("--n", type=int, default=300, help="requests a page")
    parser.add_argument("--profile", help="a path (e.g. /school/ or toetsen) to profile with pyinstrument")
    parser.add_argument("--cprofile", help="a path to profile with cProfile on CPU time (sorted by own time)")
    parser.add_argument("--only", help="measure only paths containing this")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    if not Path(STATIC, "staticfiles.json").exists():
        call_command("collectstatic", "--noinput", verbosity=0)

    from bench.run import PARENT_LINK, anonymise, links
    from ouderportaal.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=args.parent))
    start = client.get("/").content.decode()
    paths = ["/", *links(start, PARENT_LINK)]
    for tab in [p for p in paths if p.startswith("/kind/")][:1]:
        paths += links(client.get(tab).content.decode(), PARENT_LINK)
    paths = [p for p in dict.fromkeys(paths) if p != "/berichten/"] + ["/berichten/"]
    if args.only:
        paths = [p for p in paths if args.only in p]

    def cost(path, n, client=client):
        for _ in range(5):
            client.get(path)
        # CPU time of this process: steadier than wall time on a shared machine (the database's side is not in it).
        begin = time.process_time()
        for _ in range(n):
            response = client.get(path)
        elapsed = (time.process_time() - begin) / n * 1000
        assert response.status_code in (200, 302), (path, response.status_code)
        return elapsed

    if args.cprofile:
        import cProfile
        import pstats

        path = next((p for p in paths if args.cprofile in p), args.cprofile)
        cost(path, 20)
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for _ in range(args.n):
            client.get(path)
        profiler.disable()
        stats = pstats.Stats(profiler).strip_dirs()
        stats.sort_stats("cumulative").print_stats(60)
        stats.sort_stats("tottime").print_stats(40)
        return

    if args.profile:
        from pyinstrument import Profiler

        path = next((p for p in paths if args.profile in p), args.profile)
        cost(path, 20)
        profiler = Profiler(interval=0.0002)
        profiler.start()
        for _ in range(args.n):
            client.get(path)
        profiler.stop()
        out = ROOT / "bench" / "out"
        out.mkdir(exist_ok=True)
        print(profiler.output_text(unicode=True, color=False, show_all=False))
        (out / "profile.html").write_text(profiler.output_html())
        return

    # Load balancers ask /health/ without a session cookie.
    health = cost("/health/", args.n, Client())
    print(f"/health/: {health:.2f} ms in-process")
    print("| page | ms | queries | × /health/ |\n|---|---:|---:|---:|")
    for path in paths:
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        count = len(queries)
        reset_queries()
        ms = cost(path, args.n)
        print(f"| `{anonymise(path, paths)}` | {ms:.2f} | {count} | {ms / health:.1f} |")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
