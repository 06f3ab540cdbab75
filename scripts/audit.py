"""The production configuration graded from outside: `manage.py check --deploy`, the security headers of every kind
of answer, and MDN's HTTP Observatory.

    .venv/bin/python scripts/audit.py            (make audit; CI runs it)

Starts gunicorn (DEBUG off, SITE_URL https) behind nginx with a self-signed certificate on loopback, with the demo's
data in a throwaway SQLite database (scripts/prodsite.py), then:

  1. `manage.py check --deploy` with that environment: no issue at all (a warning fails too);
  2. the headers of a page, a static file, a 404, a 405, a parent's page and a staff page (after the second step):
     HSTS, CSP, nosniff, Referrer-Policy, frame-ancestors, Cross-Origin-*-Policy, Permissions-Policy; cookies
     Secure, HttpOnly (the session), SameSite;
  3. the Observatory (npm @mdn/mdn-http-observatory, pinned in scripts/observatory/, installed into
     var/observatory/ on the first run) scans https://127.0.0.1:<port>: grade and score; below A+ fails.

The scanner trusts the site's self-signed certificate (NODE_EXTRA_CA_CERTS), as browsers trust a real one; without
that it would mark the redirect to https as going to an invalid certificate. Its HSTS preload list (downloaded by the
package's install script, which needs the internet) is left empty: 127.0.0.1 is on no preload list anyway.
"""

import json
import os
import shutil
import subprocess
import tempfile
import time

from prodsite import ROOT, ProductionSite

OBSERVATORY_SPEC = ROOT / "scripts" / "observatory"
OBSERVATORY = ROOT / "var" / "observatory"
OBSERVATORY_PACKAGE = OBSERVATORY / "node_modules" / "@mdn" / "mdn-http-observatory"
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"  # ouderportaal/demo/catalogue.py, published

REQUIRED_HEADERS = {
    "Strict-Transport-Security": lambda v: "max-age=31536000" in v and "includeSubDomains" in v,
    "X-Content-Type-Options": lambda v: v == "nosniff",
    "Referrer-Policy": lambda v: v in {"same-origin", "no-referrer", "strict-origin-when-cross-origin"},
    "Cross-Origin-Opener-Policy": lambda v: v == "same-origin",
    "Cross-Origin-Resource-Policy": lambda v: v == "same-origin",
    "Permissions-Policy": lambda v: "camera=()" in v,
}
HTML_HEADERS = {
    "Content-Security-Policy": lambda v: (
        "default-src 'none'" in v and "frame-ancestors 'none'" in v and "unsafe-" not in v
    ),
    "X-Frame-Options": lambda v: v == "DENY",
}


def check(condition, message):
    print(("ok    " if condition else "FAIL  ") + message, flush=True)
    if not condition:
        raise SystemExit(1)


def install_observatory():
    """npm ci of the pinned package into var/observatory/, unless this lock file was installed there already.

    Started in the background (about 40 s on a clean checkout); the returned process is waited for later."""
    lock = (OBSERVATORY_SPEC / "package-lock.json").read_bytes()
    stamp = OBSERVATORY / ".installed"
    if stamp.exists() and stamp.read_bytes() == lock and (OBSERVATORY_PACKAGE / "package.json").exists():
        return None
    check(shutil.which("npm") is not None, "npm on the PATH (apt-get install nodejs npm)")
    OBSERVATORY.mkdir(parents=True, exist_ok=True)
    stamp.unlink(missing_ok=True)
    for name in ["package.json", "package-lock.json"]:
        shutil.copy(OBSERVATORY_SPEC / name, OBSERVATORY / name)
    # --ignore-scripts: the package's install scripts download the HSTS preload and TLD lists and a CA bundle from
    # the internet; the scan of a loopback site needs none of them.
    return subprocess.Popen(
        ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=OBSERVATORY, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def installed(install):
    if install is not None:
        output, _ = install.communicate()
        failed = install.returncode != 0
        check(not failed, "npm ci of the Observatory into var/observatory/" + (f"\n{output[-2000:]}" if failed else ""))
        (OBSERVATORY / ".installed").write_bytes((OBSERVATORY_SPEC / "package-lock.json").read_bytes())


def deploy_check(site):
    result = site.manage("check", "--deploy", "--fail-level", "WARNING", check=False, capture_output=True, text=True)
    output = (result.stdout + result.stderr).strip()
    print("      " + output.replace("\n", "\n      "))
    check(result.returncode == 0 and "no issues (0 silenced)" in output, "manage.py check --deploy: no issues")


def headers_of(client, path, method="GET"):
    status, headers, text = client.request(method, path)
    return status, {k.title(): v for k, v in headers}, text


def check_headers(site):
    anonymous = site.client()
    _, _, page = headers_of(anonymous, "/inloggen/")
    stylesheet = page.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
    parent = site.client().login("ouder", "ouder-demo")
    staff = site.client().login("administratie", "beheer-demo", totp_key=DEMO_TOTP_KEY)
    answers = [
        ("login page", anonymous, "/inloggen/", "GET", 200, True),
        ("static file", anonymous, stylesheet, "GET", 200, False),
        ("unknown page", anonymous, "/bestaat-niet/", "GET", 404, True),
        ("wrong method", anonymous, "/inloggen/", "OPTIONS", 405, False),
        ("parent's start page", parent, "/", "GET", 200, True),
        ("staff start page", staff, "/beheer/", "GET", 200, True),
    ]
    for name, client, path, method, expected, html in answers:
        status, headers, _ = headers_of(client, path, method)
        wanted = {**REQUIRED_HEADERS, **(HTML_HEADERS if html else {})}
        wrong = [h for h, ok in wanted.items() if not ok(headers.get(h, ""))]
        check(status == expected and not wrong, f"{name} ({method} {path}): {status}, headers {wrong or 'all set'}")
    # The CSRF cookie comes with the login page, the session cookie with the login, the language cookie with a
    # choice of language. No script reads any of them.
    parent.post_form("/i18n/setlang/", {"language": "nl", "next": "/"}, page_path="/")
    for name in ["csrftoken", "sessionid", "django_language"]:
        cookie = parent.raw_cookies.get(name, "")
        flags = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
        wanted = {"secure", "samesite", "httponly"}
        check(wanted <= flags, f"cookie {name}: {'; '.join(sorted(flags & wanted))}")


def observatory(site):
    (OBSERVATORY_PACKAGE / "conf" / "hsts-preload.json").write_text("{}")
    env = {**os.environ, "NODE_EXTRA_CA_CERTS": str(site.cert)}
    result = subprocess.run(
        ["node", OBSERVATORY_PACKAGE / "src" / "scan.js", f"127.0.0.1:{site.port}"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    report = json.loads(result.stdout or "{}")
    check("scan" in report, f"the Observatory scanned the site {report.get('error') or result.stderr[-500:]}".strip())
    (ROOT / "var" / "audit-observatory.json").write_text(json.dumps(report, indent=2))
    for name, test in report["tests"].items():
        print(f"      {'pass' if test['pass'] else 'FAIL'} {test['scoreModifier']:+3d}  {name}: {test['result']}")
    scan = report["scan"]
    version = json.loads((OBSERVATORY_PACKAGE / "package.json").read_text())["version"]
    print(
        f"HTTP Observatory ({OBSERVATORY_PACKAGE.name} {version}, algorithm {scan['algorithmVersion']}): grade "
        f"{scan['grade']}, score {scan['score']}, {scan['testsPassed']}/{scan['testsQuantity']} tests passed"
    )
    check(scan["grade"] == "A+", f"grade {scan['grade']} (A+ required)")


def main():
    started = time.monotonic()
    install = install_observatory()
    tmp = tempfile.mkdtemp(prefix="ouderportaal-audit-")
    site = ProductionSite(tmp)
    try:
        site.prepare()
        deploy_check(site)
        site.up()
        print(f"audit: nginx (TLS, self-signed) {site.url} → gunicorn :{site.node}, DEBUG off")
        check_headers(site)
        installed(install)
        observatory(site)
    except BaseException:
        print(site.logs())
        raise
    finally:
        site.down()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"audit: all checks passed in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
