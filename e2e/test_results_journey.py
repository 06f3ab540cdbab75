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
    while (a) { const o = getComputedStyle(a).overflowX; if (o === 'auto' || o === 'scroll') { held = true; break; } a = a.parentElement; }
    if (!held && !el.closest('[popover]')) out.push(el.tagName + '.' + el.className + ' ' + Math.round(box.right));
  }
  return out.slice(0, 10);
}"""


WIDEST_JS = """() => [...document.querySelectorAll('body *')].map(e => [e.getBoundingClientRect().right, e.tagName + '.'
  + e.className]).sort((a, b) => b[0] - a[0]).slice(0, 6)"""


def overflowing(page):
    return page.evaluate(OVERFLOW_JS)
