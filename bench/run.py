"""Benchmark of the parent pages, as ratios against a trivial baseline measured in the same run.

    .venv/bin/python bench/run.py [--requests 200] [--concurrency 4] [--workers 2]

Seeds the demo data into a fresh SQLite file (or DATABASE_URL), starts gunicorn on loopback, logs in as the demo
parent and times every page it links to, interleaved with /health/ (one database round trip, no template).
Machines here are shared and noisy: read the ratios and medians, not the absolute numbers.
"""

import argparse
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

    def login(self, username, password):
        _, text, _, _ = self.request("GET", "/inloggen/")
        token = self.csrf_token(text)
        status, _, elapsed, _ = self.request(
            "POST", "/inloggen/", {"csrfmiddlewaretoken": token, "username": username, "password": password}
        )
        assert status == 302, f"login failed: {status}"
        return elapsed


def anonymise(path, paths):
    """/kind/<public id>/x/ → /kind/<1>/x/: public ids change with every seed, the child's number does not."""
    ids = list(dict.fromkeys(re.findall(r"/kind/([^/]+)/", " ".join(paths))))
    return re.sub(r"/kind/([^/]+)/", lambda m: f"/kind/<{ids.index(m[1]) + 1}>/", path)


def timed(client, path, n, concurrency):
    def one(_):
        status, _, elapsed, _ = client.request("GET", path)
        assert status == 200, f"{path}: {status}"
        return elapsed

    with ThreadPoolExecutor(concurrency) as pool:
        start = time.perf_counter()
        times = list(pool.map(one, range(n)))
        wall = time.perf_counter() - start
    return {"median_ms": statistics.median(times) * 1000, "rps": n / wall}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

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
    subprocess.run([*manage, "seed_demo", "--reset"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "-c", "ouderportaal/gunicorn.conf.py", "--access-logfile", "/dev/null"],
        env={**env, "BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(args.workers)},
        cwd=ROOT,
    )
    try:
        wait_for_port(port)
        logins = []
        for _ in range(5):  # each a fresh visitor: a logged-in one is sent past the login page
            client = Client(port)
            logins.append(client.login("ouder", "ouder-demo"))
        _, start_page, _, _ = client.request("GET", "/")
        paths = ["/"] + sorted(set(re.findall(r'href="(/(?:kind/[^"/]+/[a-z]+|gezin|school|account)/)"', start_page)))
        child_tabs = sorted({p for p in re.findall(r'href="(/kind/[^"]+/[a-z]+/)"', start_page)})
        if child_tabs:
            _, tab_page, _, _ = client.request("GET", child_tabs[0])
            paths += sorted(set(re.findall(r'href="(/(?:kind/[^"/]+/[a-z]+|gezin|school|account)/)"', tab_page)))
        paths = list(dict.fromkeys(paths))

        rows = []
        baseline = timed(client, "/health/", args.requests, args.concurrency)
        for path in paths:
            result = timed(client, path, args.requests, args.concurrency)
            # Re-measure the baseline beside each page: the machine's load drifts.
            base = timed(client, "/health/", args.requests // 2, args.concurrency)
            rows.append((path, result, result["median_ms"] / base["median_ms"]))
        report = {
            "requests": args.requests,
            "concurrency": args.concurrency,
            "workers": args.workers,
            "baseline_health": baseline,
            "login_median_ms": statistics.median(logins) * 1000,
            "login_ratio": statistics.median(logins) * 1000 / baseline["median_ms"],
            "pages": [{"path": anonymise(p, paths), **r, "ratio": q} for p, r, q in rows],
        }
    finally:
        server.terminate()
        server.wait()

    print(f"baseline /health/: median {baseline['median_ms']:.1f} ms, {baseline['rps']:.0f} req/s")
    print(f"login (argon2): median {report['login_median_ms']:.0f} ms = {report['login_ratio']:.1f}x baseline")
    print(f"{'page':34} {'median ms':>10} {'req/s':>8} {'x baseline':>11}")
    for page in report["pages"]:
        print(f"{page['path']:34} {page['median_ms']:10.1f} {page['rps']:8.0f} {page['ratio']:11.2f}")
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "pages.json").write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
