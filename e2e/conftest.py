"""Browser tests: Playwright drives Debian's Chromium (never a downloaded browser) against the live server."""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
OUTPUT = Path(os.environ.get("TEST_OUTPUT", Path(__file__).resolve().parent.parent / "test-output"))
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}: apt-get install chromium")
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield browser
        browser.close()


def _context(browser, live_server, **options):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", **options)
    context.set_default_timeout(10_000)
    return context


def _page(context):
    """A page whose Content-Security-Policy violations fail the test (Chromium reports each on the console)."""
    page = context.new_page()
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    yield page
    context.close()
    assert violations == [], f"the page broke the Content-Security-Policy: {violations[:3]}"


@pytest.fixture
def page(browser, live_server):
    yield from _page(_context(browser, live_server, **DESKTOP))


@pytest.fixture
def phone_page(browser, live_server):
    yield from _page(_context(browser, live_server, **PHONE))


@pytest.fixture
def screenshot(request):
    """screenshot(page, "name") saves test-output/screenshots/<test>-<name>.png (full page)."""
    folder = OUTPUT / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        path = folder / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def axe_check():
    """axe_check(page) runs axe-core in the page and fails on serious or critical violations."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page):
        violations = axe.run(page).response["violations"]
        bad = [v for v in violations if v["impact"] in {"serious", "critical"}]
        summary = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in bad]
        assert not bad, f"axe on {page.url}: {summary}"
        return violations

    return check


@pytest.fixture
def demo_data(live_server):
    """The demo data in the live server's database (flushed after the test, as every live-server test is)."""
    from ouderportaal.demo.build import build_demo

    return build_demo()


def pass_second_step(page, username):
    """After a staff login: enter the code the user's authenticator app shows now (computed from the device key)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.factories import totp_code

    page.wait_for_load_state()
    if "/tweestaps/controle/" not in page.url:
        return
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    page.get_by_label("Code uit de app, of een herstelcode").fill(totp_code(device))
    page.get_by_role("button", name="Doorgaan").click()
    page.wait_for_load_state()
