"""PostgreSQL restarted under a stream of requests: once it is back, no request fails.

The test starts its OWN throwaway PostgreSQL cluster (initdb and pg_ctl, a free port, a temporary folder) and the
production web server (gunicorn, DEBUG off) against it, so it never touches the machine's shared server. Django's
persistent connections are checked before each request (CONN_HEALTH_CHECKS in settings): a connection broken by
the restart is replaced instead of failing the first request of every worker.

Prints the figures (requests, errors during the restart, recovery time); docs/security.md shows how to rerun.
"""

import glob
import http.client
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from tests.smtp import free_port

pytestmark = pytest.mark.system

ROOT = Path(__file__).resolve().parent.parent
BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
PG_BIN = Path(BIN[-1]) if BIN else None


def as_postgres(args, check=True):
    # initdb refuses to run as root: use the postgres account then.
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run(prefix + [str(a) for a in args], check=check, capture_output=True, text=True)


@pytest.fixture(scope="module")
def cluster():
    if PG_BIN is None or not (PG_BIN / "initdb").exists():
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl)")
    folder = Path(tempfile.mkdtemp(prefix="op-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    data, port = folder / "data", free_port()
    as_postgres([PG_BIN / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"])
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    pg_ctl = [PG_BIN / "pg_ctl", "-D", data, "-o", options, "-l", folder / "log", "-w"]
    as_postgres(pg_ctl + ["start"])
    as_postgres([PG_BIN / "createdb", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "ouderportaal"])
    try:
        yield {"port": port, "restart": lambda: as_postgres(pg_ctl + ["-m", "fast", "restart"])}
    finally:
        as_postgres(pg_ctl + ["-m", "immediate", "stop"], check=False)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def server(cluster):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{cluster['port']}/ouderportaal",
        "SECRET_KEY": "restart-test-secret-key",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "MANIFEST_STATIC": "0",
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run(manage + ["migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    make_school = (
        "from tests import factories as f; f.make_school(f.make_board(), name='De Herstart')"  # a page with a query
    )
    subprocess.run(manage + ["shell", "-c", make_school], cwd=ROOT, env=env, check=True)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [gunicorn, "-c", "ouderportaal/gunicorn.conf.py", "--access-logfile", "/dev/null"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            if get(port, "/health/") == 200:
                break
            time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not start")
        yield {"port": port, "restart": cluster["restart"]}
    finally:
        process.terminate()
        process.wait(10)


def get(port, path):
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", path)
        status = conn.getresponse().status
        conn.close()
        return status
    except OSError:
        return None


class Stream:
    """Three visitors asking for a page with a database query, as fast as the server answers."""

    def __init__(self, port):
        self.port, self.results, self.stop = port, [], threading.Event()
        self.threads = [threading.Thread(target=self.run) for _ in range(3)]

    def run(self):
        while not self.stop.is_set():
            started = time.monotonic()
            status = get(self.port, "/aanvragen/")  # the school list
            self.results.append((started, time.monotonic(), status))

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join()


def report(name, results, began, back):
    after = [r for r in results if r[0] > back]
    during = [r for r in results if r[1] >= began and r[0] <= back]
    first_ok = min((r[1] for r in after if r[2] == 200), default=back)
    print(
        f"\n{name}: restart took {back - began:.2f} s; {len(during)} requests in flight or sent meanwhile "
        f"({sum(r[2] != 200 for r in during)} failed); {len(after)} after ({sum(r[2] != 200 for r in after)} failed); "
        f"first answer {(first_ok - back) * 1000:.0f} ms after the database was back"
    )
    return [r for r in after if r[2] != 200]


def test_a_restart_while_nobody_asks_costs_nothing(server):
    # Every worker holds a connection from before; without the health check the first request of each would fail.
    with Stream(server["port"]) as warm:
        time.sleep(1)
    assert warm.results and all(r[2] == 200 for r in warm.results)
    began = time.monotonic()
    server["restart"]()  # pg_ctl -w: returns once the server accepts connections again
    back = time.monotonic()
    with Stream(server["port"]) as stream:
        time.sleep(2)
    assert len(stream.results) > 10
    assert report("quiet restart", stream.results, began, back) == []


def test_a_restart_under_load_costs_at_most_the_requests_in_flight(server):
    with Stream(server["port"]) as stream:
        time.sleep(1.5)
        began = time.monotonic()
        server["restart"]()
        back = time.monotonic()
        time.sleep(2)
    before = [r for r in stream.results if r[1] < began]
    assert before and all(r[2] == 200 for r in before)
    failed_after = report("restart under load", stream.results, began, back)
    assert len([r for r in stream.results if r[0] > back]) > 10
    assert failed_after == [], f"{len(failed_after)} requests failed after the database was back"
