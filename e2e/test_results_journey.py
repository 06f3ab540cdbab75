"""Toetsen in Chromium: the parent reads results, levels and growth on a phone and a desktop; staff close the
results for a test week and the parent sees the notice instead."""

import os

import pytest

from e2e.conftest import OUTPUT
from e2e.test_parent_day import log_in

pytestmark = pytest.mark.e2e

# Screenshots for the issue: test-output/issue9/toetsen-<tag>-<width>.png (tag "before" was taken on main).
SHOT_TAG = os.environ.get("ISSUE9_SHOT_TAG", "after")


def shoot(page, name):
    folder = OUTPUT / "issue9"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def results_url(demo):
    """The demo parent's child with the most years of results."""
    child = max(demo.parent_children, key=lambda c: c.test_results.values("school_year").distinct().count())
    return f"/kind/{child.public_id}/toetsen/"


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_parent_reads_results(device, page, phone_page, demo_data, axe_check):
    page = phone_page if device == "phone" else page
    log_in(page)
    page.goto(results_url(demo_data))
    width = page.viewport_size["width"]
    shoot(page, f"toetsen-{SHOT_TAG}-{width}")
    if os.environ.get("ISSUE9_PARTS"):  # for looking closely: the page in screen-high slices
        height = page.evaluate("document.documentElement.scrollHeight")
        for i, top in enumerate(range(0, height, 1400)):
            clip = {"x": 0, "y": top, "width": width, "height": min(1400, height - top)}
            page.screenshot(path=f"{os.environ['ISSUE9_PARTS']}/{width}-{i}.png", full_page=True, clip=clip)
    axe_check(page)
    assert not overflowing(page), overflowing(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 2, page.evaluate(WIDEST_JS)


# Elements sticking out of the viewport, unless a horizontally scrolling ancestor holds them.
OVERFLOW_JS = """() => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= innerWidth + 1) continue;
    let a = el.parentElement, held = false;
    while (a) {
      const o = getComputedStyle(a).overflowX;
      if (o === 'auto' || o === 'scroll') { held = true; break; }
      a = a.parentElement;
    }
    if (!held && !el.closest('[popover]')) out.push(el.tagName + '.' + el.className + ' ' + Math.round(box.right));
  }
  return out.slice(0, 10);
}"""


WIDEST_JS = """() => [...document.querySelectorAll('body *')].map(e => [e.getBoundingClientRect().right, e.tagName + '.'
  + e.className]).sort((a, b) => b[0] - a[0]).slice(0, 6)"""


def overflowing(page):
    return page.evaluate(OVERFLOW_JS)


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_level_explained_on_tap_and_growth_chart(device, page, phone_page, demo_data, axe_check):
    page = phone_page if device == "phone" else page
    log_in(page)
    page.goto(results_url(demo_data))
    charts = page.locator("svg.growth-chart")
    assert charts.count() >= 3
    box = charts.first.bounding_box()
    assert box["width"] > 250 and box["x"] + box["width"] <= page.viewport_size["width"]
    level = page.locator("table.results-year button.level").first
    level.click()
    popover = page.locator(f"#{level.get_attribute('popovertarget')}")
    assert popover.is_visible()
    assert "hoort bij de" in popover.inner_text()
    (OUTPUT / "issue9").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT / "issue9" / f"level-popover-{page.viewport_size['width']}.png"))
    axe_check(page)
    popover.get_by_role("button", name="Sluiten").click()
    assert not popover.is_visible()
    # The data table beside the chart opens and holds the numbers.
    page.locator("details.growth-data summary").first.click()
    assert page.locator("details.growth-data table").first.is_visible()
    axe_check(page)


def test_staff_close_the_results_and_the_parent_sees_the_notice(browser, live_server, page, demo_data, axe_check):
    from e2e.conftest import PHONE, _context

    school = demo_data.schools[0]
    log_in(page, "administratie", "beheer-demo")
    page.goto("/beheer/toetsweken/")
    axe_check(page)
    shoot(page, "toetsweken-1280")
    section = page.locator("section.closure-status").filter(has_text=school.name)
    section.get_by_label("Weer open vanaf").fill("2099-01-30T17:00")
    section.get_by_role("button", name="Nu sluiten").click()
    page.wait_for_load_state()
    assert "nu gesloten" in page.locator(".message").inner_text()

    parent = _context(browser, live_server, **PHONE).new_page()
    log_in(parent)
    parent.goto(results_url(demo_data))
    notice = parent.locator(".notice-closed")
    assert "weer zichtbaar vanaf" in notice.inner_text() and "30 januari 2099 om 17:00" in notice.inner_text()
    assert parent.locator("svg, table.results-year, button.level").count() == 0
    shoot(parent, "toetsen-closed-360")
    axe_check(parent)

    page.locator("section.closure-status").filter(has_text=school.name).get_by_role("button", name="Nu openen").click()
    page.wait_for_load_state()
    parent.reload()
    assert parent.locator("svg.growth-chart").count() >= 1
    parent.context.close()


def test_parent_makes_a_calendar_address(phone_page, demo_data, axe_check):
    page = phone_page
    log_in(page)
    page.goto("/account/")
    page.get_by_role("link", name="Agenda-adres maken").click()
    page.wait_for_load_state()
    axe_check(page)
    page.get_by_role("button", name="Adres maken").click()
    page.wait_for_load_state()
    address = page.get_by_label("Uw agenda-adres").input_value()
    assert "/agenda/" in address and address.endswith("/toetsweken.ics")
    axe_check(page)
    assert not overflowing(page), overflowing(page)
    shoot(page, "account-agenda-360")
    # The address is absolute on SITE_URL; the live server runs elsewhere, so fetch its path.
    feed = page.request.get("/agenda/" + address.split("/agenda/", 1)[1])
    assert feed.status == 200 and "BEGIN:VEVENT" in feed.text() and "Toetsweek De Mijlpaal" in feed.text()
