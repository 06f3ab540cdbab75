"""An authenticated wapiti scan of the production configuration, as a parent and as a staff member.

    .venv/bin/python scripts/wapiti_scan.py [--minutes N] [--attack-seconds N]     (make scan; slow, not in CI)

Starts the site as `make audit` does (scripts/prodsite.py: gunicorn with DEBUG off behind nginx with TLS, the demo's
data), logs in as the demo parent `ouder` and the demo staff member `administratie` (the second step with the demo's
published authenticator key), and runs wapiti (PyPI wapiti3, pinned below, in its own venv var/wapiti-venv/) once
per session with that session's cookies, the logout URL excluded. Reports go to var/wapiti/<role>.json; the summary
printed at the end is what docs/security.md shows. Exits non-zero on any finding above informational (wapiti's
levels low, medium, high, critical) and on any anomaly (a server error or a timeout).

Two settings differ from production, both for the scanner's sake:
- AXES_FAILURE_LIMIT is raised: wapiti's payloads in the password-change form are wrong guesses of the current
  password, and at the limit the portal ends the session (tests/test_password_guessing.py tests that);
- every request carries a same-origin Referer, as a browser's do: without it Django's CSRF check refuses every POST
  over https before the view, and the forms would not be tested at all.
No traffic leaves the machine: the modules that need wapiti's internet endpoints (ssrf, xxe, log4shell) are left
out, and the endpoints point at a closed loopback port.
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter

from prodsite import ROOT, ProductionSite

WAPITI = "wapiti3==3.2.3"
VENV = ROOT / "var" / "wapiti-venv"
OUT = ROOT / "var" / "wapiti"
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"  # ouderportaal/demo/catalogue.py, published
MODULES = [
    "backup", "brute_login_form", "cookieflags", "crlf", "csp", "csrf", "exec", "file", "htaccess", "http_headers",
    "https_redirect", "methods", "permanentxss", "redirect", "sql", "ssl", "timesql", "upload", "xss",
]  # fmt: skip
ROLES = {
    "parent": ("ouder", "ouder-demo", None, "/"),
    "staff": ("administratie", "beheer-demo", DEMO_TOTP_KEY, "/beheer/"),
}
LEVELS = {0: "info", 1: "low", 2: "medium", 3: "high", 4: "critical"}


def install_wapiti():
    wapiti = VENV / "bin" / "wapiti"
    stamp = VENV / ".installed"
    if wapiti.exists() and stamp.exists() and stamp.read_text() == WAPITI:
        return wapiti
    python = shutil.which("python3") or sys.executable
    subprocess.run([python, "-m", "venv", "--clear", VENV], check=True)
    subprocess.run([VENV / "bin" / "pip", "install", "--quiet", WAPITI], check=True, stderr=subprocess.DEVNULL)
    stamp.write_text(WAPITI)
    return wapiti


def scan(wapiti, site, role, minutes, attack_seconds):
    username, password, totp_key, start = ROLES[role]
    client = site.client().login(username, password, totp_key)
    cookies = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    report = OUT / f"{role}.json"
    report.unlink(missing_ok=True)
    argv = [
        wapiti, "-u", f"{site.url}/", "--scope", "folder", "-s", f"{site.url}{start}",
        "-C", cookies, "-H", f"Referer: {site.url}/",
        "-x", f"{site.url}/uitloggen/", "--skip", "csrfmiddlewaretoken",  # payloads in the token only meet the 403
        "-m", ",".join(MODULES), "--endpoint", "http://127.0.0.1:9/", "--dns-endpoint", "localhost",
        "--store-session", site.tmp / f"wapiti-{role}", "--store-config", site.tmp / "wapiti-config",
        # Bounded: the crawl (a form that answers with itself is followed 6 deep, not 40), then each module.
        "-d", "6", "--max-links-per-page", "40",
        "--max-scan-time", str(minutes * 60), "--max-attack-time", str(attack_seconds), "--tasks", "4",
        "-f", "json", "-o", report, "-v", "1", "--no-bugreport",
    ]  # fmt: skip
    started = time.monotonic()
    with open(OUT / f"{role}.log", "w") as log:
        code = subprocess.run(argv, stdout=log, stderr=subprocess.STDOUT, check=False).returncode
    if code != 0 or not report.exists():
        raise RuntimeError(f"wapiti ({role}) failed with exit code {code}: see {OUT / role}.log")
    seconds = time.monotonic() - started
    # Still logged in: the account's own page answers (a logged-out browser is sent to /inloggen/).
    status, headers, _ = client.request("GET", "/account/")
    still_in = status == 200
    if not still_in:
        print(f"   {role}: /account/ answered {status} {dict(headers).get('Location', '')} after the scan")
    return {"role": role, "report": report, "seconds": seconds, "session_survived": still_in}


def summarise(result):
    data = json.loads(result["report"].read_text())
    info = data.get("infos", {})
    findings, informational = [], Counter()
    for section in ["vulnerabilities", "anomalies", "additionals"]:
        for category, items in data.get(section, {}).items():
            for item in items:
                level = item.get("level", 0)
                if section == "anomalies" or level > 0:
                    findings.append((section, category, LEVELS.get(level, level), item.get("method"),
                                     item.get("path"), item.get("info", "")[:160], item.get("parameter")))  # fmt: skip
                else:
                    informational[category] += 1
    crawled = info.get("crawled_pages_nbr", len(info.get("crawled_pages", [])))
    print(f"== {result['role']}: {crawled} pages and forms crawled, {result['seconds'] / 60:.1f} min, "
          f"session still logged in afterwards: {'yes' if result['session_survived'] else 'NO'}")  # fmt: skip
    print(f"   findings above informational: {len(findings)}")
    for finding in findings:
        print("   - " + " | ".join(str(part) for part in finding))
    if informational:
        print("   informational: " + ", ".join(f"{k} ×{n}" for k, n in sorted(informational.items())))
    return findings


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=6, help="longest crawl per session (default 6)")
    parser.add_argument("--attack-seconds", type=float, default=45, help="longest attack per module (default 45)")
    parser.add_argument("--roles", default="parent,staff")
    args = parser.parse_args()
    wapiti = install_wapiti()
    OUT.mkdir(parents=True, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="ouderportaal-wapiti-")
    site = ProductionSite(tmp, AXES_FAILURE_LIMIT="100000")
    results = []
    try:
        site.prepare()
        site.up()
        print(f"scan: nginx (TLS) {site.url} → gunicorn :{site.node}, DEBUG off; modules {', '.join(MODULES)}")

        # One after the other: the staff scan submits the back office's forms, which may switch off the demo
        # parent's login (the parent's session then ends, rightly) and would cut a parent scan short.
        for role in args.roles.split(","):
            results.append(scan(wapiti, site, role, args.minutes, args.attack_seconds))
        errors = [line for line in (site.tmp / "gunicorn.log").read_text().splitlines() if "ERROR" in line]
        shutil.copy(site.tmp / "nginx-access.log", OUT / "nginx-access.log")  # every request the scan made
    except BaseException:
        print(site.logs())
        raise
    finally:
        site.down()
        shutil.rmtree(tmp, ignore_errors=True)
    findings = [f for result in sorted(results, key=lambda r: r["role"]) for f in summarise(result)]
    print(f"server errors logged by gunicorn: {len(errors)}")
    for line in errors[:10]:
        print("   " + line)
    lost = [r["role"] for r in results if not r["session_survived"]]
    if findings or errors or lost or len(results) < len(args.roles.split(",")):
        print(f"scan: {len(findings)} findings, {len(errors)} server errors, sessions lost: {lost or 'none'}")
        raise SystemExit(1)
    print("scan: no finding above informational")


if __name__ == "__main__":
    main()
