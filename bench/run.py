"""Benchmark of the portal under gunicorn, as ratios against a trivial baseline measured in the same run.

    .venv/bin/python bench/run.py [--requests 200] [--blocks 8] [--concurrency 4] [--workers 2] [--parents 50]
                                  [--seconds 60] [--no-seed] [--parent user:password]

At board scale (`seed_demo --scale board`), one command for the whole table and the 50 parents:

    CACHE_URL=redis://127.0.0.1:6379/0 DATABASE_URL=postgres://…/board .venv/bin/python bench/run.py --no-seed --board

--board measures the board parent ouder-v014441 (two children in group 8, the longest result history) and lets 50
board parents spread over the 30 schools (every 288th login) log in at once; PARENT_LOGINS="user:password,…" sets
other logins for the parents at once (bench/locustfile.py). CACHE_URL=redis://… keeps sessions in Redis as a
multi-node deployment does (cached_db sessions); without it they are read from the database.

Seeds the demo data into a fresh SQLite file (or DATABASE_URL; --no-seed keeps what is there), starts gunicorn on
loopback and measures, each beside /health/ (one database round trip, no template; the two take turns in blocks):
  - every page the demo parent can open, and the back-office lists the administration can open;
  - a burst of logins (and Argon2's cost of one password check on its own line);
  - --parents parents at once (locust, headless, bounded by --seconds) opening every tab with think time.
Prints Markdown tables (for docs/benchmarks.md) and writes bench/out/pages.json.
Machines here are shared and noisy: read the ratios and percentiles, not the absolute numbers.
"""

import argparse
import csv
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The demo staff's authenticator key (ouderportaal/demo/catalogue.py, published with the demo logins).
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"
PYTHON = sys.executable


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, timeout=30.0):
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


class Client:
    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, body=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            body = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        start = time.perf_counter()
        conn.request(method, path, body, headers)
        response = conn.getresponse()
        text = response.read().decode()
        elapsed = time.perf_counter() - start
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";")[0]
        conn.close()
        return response.status, text, elapsed, response.getheader("Location")

    @staticmethod
    def csrf_token(page):
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def login(self, username, password, totp_key=None):
        """Log in; staff meet the second step on the way and pass it with a code from `totp_key` (hex)."""
        _, text, _, _ = self.request("GET", "/inloggen/")
        token = self.csrf_token(text)
        status, _, elapsed, location = self.request(
            "POST", "/inloggen/", {"csrfmiddlewaretoken": token, "username": username, "password": password}
        )
        assert status == 302, f"login failed: {status}"
        if totp_key:
            for _redirect in range(5):  # to the page the login leads to, the second step on the way
                if location.startswith("/tweestaps/"):
                    self.second_step(location, totp_key)
                    break
                status, _, _, location = self.request("GET", location)
                if status != 302:
                    break
        return elapsed

    def second_step(self, path, totp_key):
        from django_otp.oath import totp

        for _attempt in range(2):  # a code works once: at a window's edge, wait for the next one
            _, page, _, _ = self.request("GET", path)
            form = {"csrfmiddlewaretoken": self.csrf_token(page), "otp_token": f"{totp(bytes.fromhex(totp_key)):06d}"}
            if self.request("POST", path, form)[0] == 302:
                return
            time.sleep(31 - time.time() % 30)
        raise RuntimeError("second step failed")


def anonymise(path, paths):
    """/kind/<public id>/x/ → /kind/<1>/x/: public ids change with every seed, the child's number does not."""
    ids = list(dict.fromkeys(re.findall(r"/kind/([^/]+)/", " ".join(paths))))
    return re.sub(r"/kind/([^/]+)/", lambda m: f"/kind/<{ids.index(m[1]) + 1}>/", path)


def run_block(client, path, n, concurrency):
    """(each request's seconds, wall seconds) of n GET requests, `concurrency` at once."""

    def one(_):
        status, _, elapsed, _ = client.request("GET", path)
        assert status == 200, f"{path}: {status}"
        return elapsed

    with ThreadPoolExecutor(concurrency) as pool:
        start = time.perf_counter()
        times = list(pool.map(one, range(n)))
        return times, time.perf_counter() - start


def timed(client, path, n, concurrency):
    times, wall = run_block(client, path, n, concurrency)
    return {"rps": n / wall, **percentiles(times)}


def percentiles(times):
    times = sorted(times)
    at = lambda q: times[min(len(times) - 1, int(q * len(times)))] * 1000  # noqa: E731
    return {"median_ms": statistics.median(times) * 1000, "p95_ms": at(0.95), "p99_ms": at(0.99)}


def links(page, pattern):
    return list(dict.fromkeys(re.findall(pattern, page)))


PARENT_LINK = r'href="(/(?:kind/[^"/]+/[a-z]+|gezin|school|account|berichten)/)"'
# Back-office lists: /beheer/ pages without an object in the URL.
STAFF_LINK = r'href="(/beheer/(?:[a-z-]+/)?)"'


def parent_pages(client):
    _, start_page, _, _ = client.request("GET", "/")
    paths = ["/", *links(start_page, PARENT_LINK)]
    for child_tab in [p for p in paths if p.startswith("/kind/")][:1]:
        _, tab_page, _, _ = client.request("GET", child_tab)
        paths += links(tab_page, PARENT_LINK)
    return list(dict.fromkeys(paths))


def staff_pages(client):
    status, home, _, _ = client.request("GET", "/beheer/")
    assert status == 200, f"/beheer/: {status} (the staff login did not pass its second step)"
    return list(dict.fromkeys(["/beheer/", *links(home, STAFF_LINK)]))


def measure_pages(client, paths, args):
    """Each page beside its own baseline: the page and /health/ take turns in --blocks blocks of equal size, so that
    the machine's drift (it is shared) meets both alike; each rate is its requests over its summed wall time. The
    baseline is asked as a load balancer asks it: without a session cookie (with one, the idle-timeout middleware
    would load the session and the user first)."""
    rows = []
    health = Client(client.port)
    n = max(1, args.requests // args.blocks)
    for path in paths:
        page_times, page_wall, base_wall = [], 0.0, 0.0
        for _ in range(args.blocks):
            times, wall = run_block(client, path, n, args.concurrency)
            page_times, page_wall = page_times + times, page_wall + wall
            base_wall += run_block(health, "/health/", n, args.concurrency)[1]
        rps, health_rps = len(page_times) / page_wall, len(page_times) / base_wall
        rows.append({"path": path, "rps": rps, **percentiles(page_times), "ratio": rps / health_rps,
                     "health_rps": health_rps})  # fmt: skip
    return rows


def login_burst(port, n, concurrency, login):
    def one(_):
        return Client(port).login(*login)

    with ThreadPoolExecutor(concurrency) as pool:
        start = time.perf_counter()
        times = list(pool.map(one, range(n)))
        wall = time.perf_counter() - start
    return {"logins": n, "per_second": n / wall, **percentiles(times)}


def argon2_check_ms(time_cost, memory_cost, parallelism):
    from argon2 import PasswordHasher

    hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)
    digest = hasher.hash("ouder-demo")
    start = time.perf_counter()
    for _ in range(5):
        hasher.verify(digest, "ouder-demo")
    return (time.perf_counter() - start) / 5 * 1000


def argon2_costs():
    """One password check with the project's parameters (accounts/hashers.py) and with Django's default ones."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ouderportaal.settings")
    sys.path.insert(0, str(ROOT))
    from django.contrib.auth.hashers import Argon2PasswordHasher

    from ouderportaal.accounts.hashers import OwaspArgon2PasswordHasher

    def params(h):
        return h.time_cost, h.memory_cost, h.parallelism

    return {
        "project": argon2_check_ms(*params(OwaspArgon2PasswordHasher)),
        "project_params": "m={1} KiB, t={0}, p={2}".format(*params(OwaspArgon2PasswordHasher)),
        "django_default": argon2_check_ms(*params(Argon2PasswordHasher)),
        "django_default_params": "m={1} KiB, t={0}, p={2}".format(*params(Argon2PasswordHasher)),
    }


def parents_at_once(port, users, seconds, out):
    """locust, headless: `users` parents log in and open every tab with think time."""
    prefix = out / "parents"
    subprocess.run(
        [PYTHON, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "-u", str(users),
         "-r", str(max(1, users // 5)), "-t", f"{seconds}s", "--host", f"http://127.0.0.1:{port}",
         "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"],
        check=False, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    with open(f"{prefix}_stats.csv") as f:
        rows = {row["Name"]: row for row in csv.DictReader(f)}
    total = rows["Aggregated"]
    pages = {k: v for k, v in rows.items() if k != "Aggregated" and not k.startswith("/inloggen/")}
    page_requests = sum(int(v["Request Count"]) for v in pages.values())
    # The pages' own p95, without the logins (Argon2 is measured on its own line).
    page_p95 = max((float(v["95%"]) for v in pages.values()), default=0.0)
    return {
        "users": users,
        "seconds": seconds,
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "p99_ms": float(total["99%"]),
        "page_requests": page_requests,
        "worst_page_p95_ms": page_p95,
        "rps": float(total["Requests/s"]),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--blocks", type=int, default=8, help="turns of each page and /health/ (see measure_pages)")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--parents", type=int, default=50, help="parents at once (locust); 0 skips")
    parser.add_argument("--seconds", type=int, default=60, help="how long the parents stay")
    parser.add_argument("--logins", type=int, default=20, help="logins in the burst")
    parser.add_argument("--no-seed", action="store_true", help="measure the database as it is (e.g. board scale)")
    parser.add_argument("--board", action="store_true", help="a board-scale database: its parents (see above)")
    parser.add_argument(
        "--parent", default="ouder:ouder-demo", help="user:password whose pages are measured and who logs in the burst"
    )
    args = parser.parse_args()
    if args.board:
        args.parent = "ouder-v014441:ouder-demo"
        board_parents = ",".join(f"ouder-v{288 * i:06d}:ouder-demo" for i in range(1, 51))
        os.environ.setdefault("PARENT_LOGINS", board_parents)

    tmp = tempfile.mkdtemp(prefix="ouderportaal-bench-")
    port = free_port()
    env = {
        **os.environ,
        "SECRET_KEY": "bench-only-secret-key",
        "DEBUG": "",
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": f"{tmp}/static",
        "EMAIL_URL": "dummy://",
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3"),
        "LOG_LEVEL": "WARNING",
    }
    manage = [PYTHON, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v", "0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v", "0"], env=env, check=True, cwd=ROOT)
    if not args.no_seed:
        subprocess.run([*manage, "seed_demo", "--reset"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "-c", "ouderportaal/gunicorn.conf.py", "--access-logfile", "/dev/null"],
        env={**env, "BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(args.workers)},
        cwd=ROOT,
    )
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    try:
        wait_for_port(port)
        parent = Client(port)
        parent.login(*args.parent.split(":", 1))
        staff = Client(port)
        staff.login("administratie", "beheer-demo", totp_key=DEMO_TOTP_KEY)
        ppaths, spaths = parent_pages(parent), staff_pages(staff)
        baseline = timed(parent, "/health/", args.requests, args.concurrency)
        report = {
            "requests": args.requests,
            "blocks": args.blocks,
            "concurrency": args.concurrency,
            "workers": args.workers,
            "database": env["DATABASE_URL"].split(":", 1)[0],
            "sessions": "Redis (cached_db)" if env.get("CACHE_URL", "").startswith("redis") else "database",
            "baseline_health": baseline,
            "pages": [{**row, "path": anonymise(row["path"], ppaths)} for row in measure_pages(parent, ppaths, args)],
            "staff_pages": measure_pages(staff, spaths, args),
            "health_with_session": timed(parent, "/health/", args.requests, args.concurrency),
            "argon2": argon2_costs(),
            "login_burst": login_burst(port, args.logins, args.concurrency, args.parent.split(":", 1)),
        }
        if args.parents:
            report["parents_at_once"] = parents_at_once(port, args.parents, args.seconds, out)
    finally:
        server.terminate()
        server.wait()
    (out / "pages.json").write_text(json.dumps(report, indent=2))
    print_markdown(report)


def print_markdown(report):
    base = report["baseline_health"]
    print(f"Database {report['database']}, sessions in {report.get('sessions', 'database')}, "
          f"gunicorn {report['workers']} workers, {report['concurrency']} at once, "
          f"{report['requests']} requests a page in {report.get('blocks', 1)} turns with /health/.")  # fmt: skip
    print(f"/health/: {base['rps']:.0f} req/s, p50 {base['median_ms']:.1f} ms.\n")
    print("| page | req/s | × /health/ req/s | p50 ms | p95 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for row in report["pages"] + report["staff_pages"]:
        print(f"| `{row['path']}` | {row['rps']:.0f} | {row['ratio']:.2f} | {row['median_ms']:.1f} | "
              f"{row['p95_ms']:.1f} | {row['p99_ms']:.1f} |")  # fmt: skip
    ratios = sorted(row["ratio"] for row in report["pages"])
    print(f"\nParent pages: worst {ratios[0]:.2f}, median {statistics.median(ratios):.2f} × /health/.")
    burst = report["login_burst"]
    with_session = report["health_with_session"]
    print(f"(/health/ with the parent's session cookie: {with_session['rps']:.0f} req/s, "
          f"p50 {with_session['median_ms']:.1f} ms; the ratios are against /health/ without a cookie.)")  # fmt: skip
    argon2 = report["argon2"]
    print(f"Argon2, one password check in-process: {argon2['project']:.0f} ms with the project's parameters "
          f"({argon2['project_params']}); {argon2['django_default']:.0f} ms with Django's default "
          f"({argon2['django_default_params']}).")  # fmt: skip
    print(f"Login burst: {burst['logins']} logins, {burst['per_second']:.1f}/s, p50 {burst['median_ms']:.0f} ms, "
          f"p95 {burst['p95_ms']:.0f} ms.")  # fmt: skip
    if parents := report.get("parents_at_once"):
        print(f"{parents['users']} parents at once for {parents['seconds']} s: {parents['requests']} requests "
              f"({parents['rps']:.1f}/s), {parents['failures']} failed; p50 {parents['p50_ms']:.0f} ms, "
              f"p95 {parents['p95_ms']:.0f} ms (logins included), p99 {parents['p99_ms']:.0f} ms; "
              f"worst page p95 without logins {parents['worst_page_p95_ms']:.0f} ms.")  # fmt: skip


if __name__ == "__main__":
    main()
