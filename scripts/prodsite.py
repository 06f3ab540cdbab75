"""The production configuration on loopback, for the checks from outside (scripts/audit.py, scripts/wapiti-scan).

A self-signed certificate for 127.0.0.1 (openssl), nginx with TLS in front of gunicorn with DEBUG off and SITE_URL
https (so secure cookies, HSTS and the SSL redirect are on, as in production), a throwaway SQLite database with the
demo's data. One port: plain HTTP sent to the TLS port is redirected to https (nginx's code 497), standing in for
the port-80 server of docs/deploy.md, so that a scanner given "127.0.0.1:<port>" finds both.

Also the nginx configuration that scripts/cluster.py uses (nginx_conf), and a small HTTPS client that logs in as a
demo parent or staff member (the second step with the demo's published authenticator key).
"""

import http.client
import os
import re
import secrets
import shutil
import ssl
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import free_port, wait_for_port  # noqa: E402

PYTHON = sys.executable
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

NGINX_HTTP = """
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {tmp}/nginx-access.log;
    client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fcgi; uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
    server_tokens off;
    upstream portal {{
        # No sticky sessions: any node serves any request. A node that fails is taken out for 30 s.
{servers}
    }}
    server {{
{listen}
        client_max_body_size 25m;
        location / {{
            proxy_pass http://portal;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            # A request a dying node could not answer is tried on the other (GET and HEAD only: never a POST).
            proxy_next_upstream error timeout http_502 http_503;
            proxy_connect_timeout 2s;
        }}
    }}
}}
"""

TLS_LISTEN = """\
        listen 127.0.0.1:{port} ssl;
        ssl_certificate {cert};
        ssl_certificate_key {key};
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_prefer_server_ciphers off;
        ssl_session_cache shared:SSL:1m;
        # Plain HTTP on this port: redirect to https, as the port-80 server of docs/deploy.md does.
        error_page 497 =301 https://$host:$server_port$request_uri;"""


def nginx_conf(tmp, port, upstreams, cert=None, key=None):
    """nginx on 127.0.0.1:port in front of the gunicorn ports in upstreams; with TLS when cert and key are given."""
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=30s;" for p in upstreams)
    listen = TLS_LISTEN.format(port=port, cert=cert, key=key) if cert else f"        listen 127.0.0.1:{port};"
    return NGINX_HTTP.format(tmp=tmp, servers=servers, listen=listen)


def self_signed_certificate(tmp):
    """A P-256 certificate for 127.0.0.1, valid two days; (certificate, key) paths."""
    cert, key = Path(tmp) / "cert.pem", Path(tmp) / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", key, "-out", cert],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def stop(processes):
    """Terminate every process still running, then wait; kill what does not end within 10 s."""
    processes = list(processes)
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


class ProductionSite:
    """gunicorn (DEBUG off) behind nginx with TLS, on a throwaway SQLite database in tmp."""

    def __init__(self, tmp, **env):
        self.tmp = Path(tmp)
        self.port = free_port()
        self.node = free_port()
        self.url = f"https://127.0.0.1:{self.port}"
        self.processes = {}
        self.env = {
            **os.environ,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DEBUG": "",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": self.url,
            "DATABASE_URL": f"sqlite:///{self.tmp}/portal.sqlite3",
            "CACHE_URL": "locmem://",
            "EMAIL_URL": "smtp://127.0.0.1:1",  # no worker runs: mail stays queued
            "STATIC_ROOT": f"{self.tmp}/static",
            "MEDIA_ROOT": f"{self.tmp}/media",
            "IMPORT_DIR": f"{self.tmp}/imports",
            "TRUSTED_PROXY_COUNT": "1",
            "LOG_LEVEL": "WARNING",
            **env,
        }
        self.cert = self.key = None

    def manage(self, *args, **kwargs):
        kwargs.setdefault("check", True)
        return subprocess.run([PYTHON, "manage.py", *args], env=self.env, cwd=ROOT, **kwargs)

    def start(self, name, argv):
        log = open(self.tmp / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        self.processes[name] = subprocess.Popen(
            argv, env=self.env, cwd=ROOT, stdout=log, stderr=log, start_new_session=True
        )

    def prepare(self, seed=True):
        """Database, static files and certificate: what a deployment has before its servers start."""
        self.manage("migrate", "--noinput", "-v", "0")
        self.manage("collectstatic", "--noinput", "-v", "0")
        if seed:
            self.manage("seed_demo", stdout=subprocess.DEVNULL)
        self.cert, self.key = self_signed_certificate(self.tmp)

    def up(self):
        self.start(
            "gunicorn",
            [PYTHON, "-m", "gunicorn", "-c", "ouderportaal/gunicorn.conf.py", "--access-logfile", "/dev/null",
             "--bind", f"127.0.0.1:{self.node}", "--workers", "2"],
        )  # fmt: skip
        (self.tmp / "nginx.conf").write_text(nginx_conf(self.tmp, self.port, [self.node], self.cert, self.key))
        self.start("nginx", [NGINX, "-c", f"{self.tmp}/nginx.conf", "-p", str(self.tmp), "-g", "daemon off;"])
        for port in [self.node, self.port]:
            wait_for_port(port)

    def down(self):
        stop(self.processes.values())

    def logs(self, lines=15):
        out = []
        for name in [*self.processes, "nginx-error"]:
            log = self.tmp / f"{name}.log"
            if log.exists():
                out.append(f"--- {name}.log (last lines)\n" + "\n".join(log.read_text().splitlines()[-lines:]))
        return "\n".join(out)

    def client(self):
        return Client(self.port, self.cert)


class Client:
    """HTTPS to the site on loopback, trusting only its own certificate; keeps cookies."""

    def __init__(self, port, cert):
        self.port = port
        self.context = ssl.create_default_context(cafile=str(cert))
        self.cookies = {}
        self.raw_cookies = {}  # name → the last Set-Cookie header for it, flags included

    def request(self, method, path, body=None):
        """(status, headers as a list of pairs, text)."""
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, timeout=30, context=self.context)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            body = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://127.0.0.1:{self.port}{path}"
        conn.request(method, path, body, headers)
        response = conn.getresponse()
        text = response.read().decode(errors="replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";")[0]
                self.raw_cookies[name] = value
        conn.close()
        return response.status, response.getheaders(), text

    def post_form(self, path, fields, page_path=None):
        """POST fields with the CSRF token of the form on page_path (by default the page at path itself)."""
        _, _, page = self.request("GET", page_path or path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return self.request("POST", path, {"csrfmiddlewaretoken": token, **fields})

    def login(self, username, password, totp_key=None):
        """Log in and follow the redirects; staff meet the second step on the way and pass it with a code computed
        from totp_key (hex), as their app would."""
        status, headers, _ = self.post_form("/inloggen/", {"username": username, "password": password})
        if status != 302:
            raise RuntimeError(f"login {username}: {status}")
        for _redirect in range(5):
            location = urllib.parse.urlsplit(dict(headers)["Location"])
            path = f"{location.path}?{location.query}" if location.query else location.path
            if location.path.startswith("/tweestaps/"):
                status, headers = self.second_step(path, totp_key)
            else:
                status, headers, _ = self.request("GET", path)
            if status != 302:
                break
        if status != 200:
            raise RuntimeError(f"login {username}: {status} at {path}")
        return self

    def second_step(self, path, totp_key):
        from django_otp.oath import totp

        for _attempt in range(2):  # a code works once: at a window's edge, wait for the next one
            status, headers, _ = self.post_form(path, {"otp_token": f"{totp(bytes.fromhex(totp_key)):06d}"})
            if status == 302:
                return status, headers
            time.sleep(31 - time.time() % 30)
        raise RuntimeError(f"second step: {status}")
