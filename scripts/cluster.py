"""Two web nodes behind nginx, one task worker, one PostgreSQL, one Redis — all on loopback — and a check that the
portal behaves as one site.

    .venv/bin/python scripts/cluster.py          (make cluster; CI runs it)

It creates a fresh PostgreSQL database, seeds the demo, starts an SMTP server (aiosmtpd), two gunicorn nodes and
the task worker with sessions and caches shared through Redis (CACHE_URL), and nginx (Debian's nginx-light) in
front with both nodes as upstreams, no sticky sessions. Then it checks:

  1. a parent logged in through node 1 continues on node 2 with the same session cookie;
  2. a "forgot password" request through nginx queues a background task and a mail that the worker delivers;
  3. while parents' requests stream through nginx, node 1 is killed (SIGKILL): no request fails.

Exits non-zero with the reason when a check fails. Needs nginx (apt-get install nginx-light), PostgreSQL and Redis
(DATABASE_ADMIN_URL, CACHE_URL to override the loopback defaults).
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from prodsite import nginx_conf, stop  # noqa: E402  (scripts/prodsite.py: shared with make audit)

from bench.run import Client, free_port, wait_for_port  # noqa: E402

PYTHON = sys.executable
PG = os.environ.get("DATABASE_ADMIN_URL", "postgres://postgres@127.0.0.1:5432")
DB_NAME = "ouderportaal_cluster"
CACHE_URL = os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/7")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


class Cluster:
    def __init__(self, tmp):
        self.tmp = tmp
        self.processes = {}
        self.smtp_port = free_port()
        self.nodes = [free_port(), free_port()]
        self.port = free_port()
        self.env = {
            **os.environ,
            "SECRET_KEY": "cluster-check-secret-key",
            "DEBUG": "",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": f"http://127.0.0.1:{self.port}",
            "DATABASE_URL": f"{PG}/{DB_NAME}",
            "CACHE_URL": CACHE_URL,
            "EMAIL_URL": f"smtp://127.0.0.1:{self.smtp_port}",
            "STATIC_ROOT": f"{tmp}/static",
            "TRUSTED_PROXY_COUNT": "1",
            "LOG_LEVEL": "WARNING",
        }

    def manage(self, *args, **kwargs):
        return subprocess.run([PYTHON, "manage.py", *args], env=self.env, cwd=ROOT, check=True, **kwargs)

    def start(self, name, argv, **env):
        log = open(f"{self.tmp}/{name}.log", "w")  # noqa: SIM115 - closed with the process
        # Each in its own process group, so that a node (gunicorn's master and workers) can be killed at once.
        self.processes[name] = subprocess.Popen(
            argv, env={**self.env, **env}, cwd=ROOT, stdout=log, stderr=log, start_new_session=True
        )

    def up(self):
        subprocess.run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", DB_NAME], check=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB_NAME], check=True)
        self.manage("migrate", "-v", "0")
        self.manage("collectstatic", "--noinput", "-v", "0")
        self.manage("seed_demo", stdout=subprocess.DEVNULL)
        self.manage("shell", "-v", "0", "-c", "from django.core.cache import cache; cache.clear()")
        self.start("smtp", [PYTHON, "-m", "aiosmtpd", "-n", "-d", "-c", "aiosmtpd.handlers.Debugging", "-l",
                            f"127.0.0.1:{self.smtp_port}"])  # fmt: skip
        for number, port in enumerate(self.nodes, 1):
            self.start(
                f"node{number}",
                [PYTHON, "-m", "gunicorn", "-c", "ouderportaal/gunicorn.conf.py", "--access-logfile", "/dev/null"],
                BIND=f"127.0.0.1:{port}",
                WEB_CONCURRENCY="2",
            )
        self.start("worker", [PYTHON, "manage.py", "db_worker", "--interval", "0.2"])
        Path(f"{self.tmp}/nginx.conf").write_text(nginx_conf(self.tmp, self.port, self.nodes))
        self.start("nginx", [NGINX, "-c", f"{self.tmp}/nginx.conf", "-p", self.tmp, "-g", "daemon off;"])
        for port in [self.smtp_port, *self.nodes, self.port]:
            wait_for_port(port)

    def down(self):
        stop(self.processes.values())
        subprocess.run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", DB_NAME], check=False)

    def smtp_log(self):
        return Path(f"{self.tmp}/smtp.log").read_text(errors="replace")


def check(condition, message):
    print(("ok    " if condition else "FAIL  ") + message, flush=True)
    if not condition:
        raise SystemExit(1)


def session_moves_between_nodes(cluster):
    node1, node2 = Client(cluster.nodes[0]), Client(cluster.nodes[1])
    node1.login("ouder", "ouder-demo")
    node2.cookies = dict(node1.cookies)
    status, text, _, _ = node2.request("GET", "/")
    check(status == 200 and "Lotte" in text, f"logged in on node 1, start page on node 2: {status}")
    status, _, _, location = node2.request("GET", "/gezin/")
    check(status == 200, f"Gezin on node 2 with node 1's session: {status} {location or ''}")
    return node1


def worker_delivers_mail(cluster):
    client = Client(cluster.port)
    _, text, _, _ = client.request("GET", "/wachtwoord-vergeten/")
    token = client.csrf_token(text)
    status, _, _, _ = client.request("POST", "/wachtwoord-vergeten/", {"csrfmiddlewaretoken": token, "login": "ouder"})
    check(status == 302, f"forgot-password through nginx accepted: {status}")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and "eva.jansen@example.com" not in cluster.smtp_log():
        time.sleep(0.5)
    check("eva.jansen@example.com" in cluster.smtp_log(), "the worker delivered the reset mail to the SMTP server")


def node_dies_under_load(cluster, logged_in, seconds=12.0, threads=4):
    paths = ["/", "/gezin/", "/school/", "/account/"]
    results, stop = [], threading.Event()

    def parent():
        client = Client(cluster.port)
        client.cookies = dict(logged_in.cookies)
        i = 0
        while not stop.is_set():
            try:
                status, _, _, _ = client.request("GET", paths[i % len(paths)])
            except OSError as error:
                status = repr(error)
            results.append((time.monotonic(), status))
            i += 1

    workers = [threading.Thread(target=parent) for _ in range(threads)]
    for worker in workers:
        worker.start()
    time.sleep(seconds / 3)
    killed_at = time.monotonic()
    # Kill node 1's whole process group: master and workers at once, as when a machine dies.
    os.killpg(cluster.processes["node1"].pid, signal.SIGKILL)
    time.sleep(seconds * 2 / 3)
    stop.set()
    for worker in workers:
        worker.join()
    failed = [(t - killed_at, s) for t, s in results if s != 200]
    before = sum(1 for t, _ in results if t < killed_at)
    print(f"      {len(results)} requests ({before} before node 1 was killed), {len(failed)} failed")
    check(not failed, f"no failed request while node 1 died: {failed[:5]}")


def main():
    check(Path(NGINX).exists(), f"nginx at {NGINX} (apt-get install nginx-light)")
    tmp = tempfile.mkdtemp(prefix="ouderportaal-cluster-")
    cluster = Cluster(tmp)
    try:
        cluster.up()
        print(f"cluster: nginx :{cluster.port} → nodes :{cluster.nodes[0]} :{cluster.nodes[1]}, worker, {CACHE_URL}")
        logged_in = session_moves_between_nodes(cluster)
        worker_delivers_mail(cluster)
        node_dies_under_load(cluster, logged_in)
    except BaseException:
        for name in ["node1", "node2", "worker", "nginx-error"]:
            log = Path(f"{tmp}/{name}.log")
            if log.exists():
                print(f"--- {name}.log (last lines)\n" + "\n".join(log.read_text().splitlines()[-15:]))
        raise
    finally:
        cluster.down()
    print("cluster: all checks passed")


if __name__ == "__main__":
    main()
