"""Every parent and staff page as a person sees it, in Chromium at 360 px and at 1280 px, on the demo data.

The pages come from the URL patterns (tests/test_url_sweep.py: walk, fill, URL_KWARGS), so a page added later is
checked without touching this file. On each page the rendered boxes are read back (TESTING.md "Layout as a person
sees it") and the test fails when

  - an element's box leaves the viewport and no ancestor scrolls (or clips) it horizontally;
  - an item of a navigation bar is not visible without scrolling: the bars wrap, so every item is in view, the
    current one too;
  - a word is broken across lines although it would fit on one line of the page (a squeezed column wraps an
    address letter by letter), or a table cell's text is wider than the cell.

Screenshots of every page at both widths: test-output/layout/<width>/<page>.png (the whole page) and
<page>-first-screen.png (what shows before scrolling).
"""

import re
from types import SimpleNamespace

import pytest

from e2e.conftest import DESKTOP, OUTPUT, PHONE, _context, pass_second_step
from ouderportaal.core.pages import PARENT, STAFF
from tests.test_url_sweep import ROUTES, fill, page_kind

pytestmark = pytest.mark.e2e

DEVICES = {"360": PHONE, "1280": DESKTOP}
LOGINS = {PARENT: ("ouder", "ouder-demo"), STAFF: ("administratie", "beheer-demo")}

# Runs in the page; returns a list of problems in words a person would use.
LAYOUT_PROBLEMS = """() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  const style = new Map();
  const css = el => { if (!style.has(el)) style.set(el, getComputedStyle(el)); return style.get(el); };
  const describe = el => {
    const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      [...el.classList].map(c => '.' + c).join('');
    const text = (el.innerText || el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
    return text ? `${name} "${text}"` : name;
  };
  // The nearest ancestor that scrolls or clips sideways: its box is where a child may show.
  const clipper = el => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (css(a).overflowX !== 'visible') return a;
    }
    return null;
  };
  // Text a person cannot see (visually hidden for screen readers, display none).
  const unseen = el => {
    for (let a = el; a && a !== document.body; a = a.parentElement) {
      const s = css(a);
      if (s.display === 'none' || s.visibility === 'hidden' || s.clipPath !== 'none' || s.clip !== 'auto') return true;
    }
    return false;
  };

  if (document.documentElement.scrollWidth > width + 1) {
    problems.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} px wide in ${width} px`);
  }

  const reported = new Set();
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if ((box.width === 0 && box.height === 0) || unseen(el)) continue;
    if (box.right <= width + 1 && box.left >= -1) continue;
    if (clipper(el)) continue;
    let parent = el.parentElement;
    while (parent && !reported.has(parent)) parent = parent.parentElement;
    reported.add(el);
    if (parent) continue;  // its container is reported already
    problems.push(`outside the viewport (${Math.round(box.left)} to ${Math.round(box.right)} px of ${width}): ` +
      describe(el));
  }

  for (const nav of document.querySelectorAll('nav')) {
    if (unseen(nav)) continue;
    for (const link of nav.querySelectorAll('a')) {
      const box = link.getBoundingClientRect();
      let left = 0, right = width;
      for (let a = link.parentElement; a && a !== document.body; a = a.parentElement) {
        if (css(a).overflowX === 'visible') continue;
        const area = a.getBoundingClientRect();
        left = Math.max(left, area.left);
        right = Math.min(right, area.right);
      }
      const current = link.hasAttribute('aria-current') ? 'the current ' : '';
      if (box.width === 0 || unseen(link)) {
        problems.push(`${current}navigation item is hidden: "${link.textContent.trim()}"`);
      } else if (box.left < left - 1 || box.right > right + 1) {
        problems.push(`${current}navigation item not in view without scrolling: "${link.textContent.trim()}" ` +
          `(${Math.round(box.left)} to ${Math.round(box.right)} px, bar shows ${Math.round(left)} to ` +
          `${Math.round(right)})`);
      }
    }
  }

  const line = width - 32;  // the page's text column on a phone
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('script, style, select, option') || unseen(parent)) continue;
    for (const word of node.textContent.matchAll(/[^\\s\\-\\u00ad\\u2010-\\u2015\\/]+/g)) {
      range.setStart(node, word.index);
      range.setEnd(node, word.index + word[0].length);
      const boxes = [...range.getClientRects()].filter(r => r.width > 0);
      const lines = new Set(boxes.map(r => Math.round(r.bottom)));
      const wordWidth = boxes.reduce((sum, r) => sum + r.width, 0);
      if (lines.size > 1 && wordWidth <= line) {
        problems.push(`"${word[0]}" is broken over ${lines.size} lines in ${Math.round(parent.clientWidth ||
          parent.getBoundingClientRect().width)} px: ${describe(parent.closest('td, th, dd, li, p, div') || parent)}`);
      }
    }
  }

  // A phone's reflowed table labels each cell with a ::before pseudo-element, which the text walk cannot see.
  const measure = document.createElement('canvas').getContext('2d');
  for (const cell of document.querySelectorAll('td[data-label], th[data-label]')) {
    const label = getComputedStyle(cell, '::before');
    if (unseen(cell) || label.content === 'none' || label.display === 'none' || label.width === 'auto') continue;
    measure.font = label.font;
    const room = parseFloat(label.width);
    for (const word of cell.dataset.label.split(/\\s+/)) {
      if (measure.measureText(word).width > room + 1) {
        problems.push(`"${word}" is broken over lines in the cell label (${Math.round(room)} px): ${describe(cell)}`);
      }
    }
  }

  for (const cell of document.querySelectorAll('td, th')) {
    if (!unseen(cell) && cell.scrollWidth > cell.clientWidth + 1) {
      problems.push(`text wider than its cell (${cell.scrollWidth} px in ${cell.clientWidth}): ${describe(cell)}`);
    }
  }
  return [...new Set(problems)];
}"""


def demo_cast(demo):
    """The test cast's names (tests/conftest.py) for the demo world, so URL_KWARGS fills routes as in the sweep."""
    from ouderportaal.school.models import Guardian, Pupil

    child1, child2 = demo.parent_children
    outsider = demo.users["ouder3"]
    outsider_child = Pupil.objects.for_guardian(outsider).order_by("pk").first()
    return SimpleNamespace(
        school=demo.schools[0],
        other_school=demo.schools[1],
        group=child1.enrolments.order_by("-school_year__start_year").first().group,
        other_group=child2.enrolments.order_by("-school_year__start_year").first().group,
        child1=child1,
        child2=child2,
        parent=demo.users["ouder"],
        guardian=Guardian.objects.get(user=demo.users["ouder"]),
        coparent=demo.users["ouder2"],
        coparent_guardian=demo.coparent_guardian,
        no_authority=demo.no_authority_guardian.user,
        outsider=outsider,
        outsider_child=outsider_child,
        staff=demo.users["administratie"],
        other_staff=None,
    )


def slug(route):
    """A stable file name for a route: "kind/<str:public_id>/toetsen/" → "kind-public_id-toetsen"."""
    return re.sub(r"[^a-z0-9_]+", "-", re.sub(r"<(?:\w+:)?(\w+)>", r"\1", route.lower())).strip("-") or "start"


def log_in(page, username, password):
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    pass_second_step(page, username)
    page.wait_for_load_state()
    assert "/inloggen/" not in page.url, f"{username} could not log in"


@pytest.mark.parametrize("width", DEVICES)
def test_every_page_fits_the_screen(width, browser, live_server, demo_data):
    cast = demo_cast(demo_data)
    folder = OUTPUT / "layout" / width
    folder.mkdir(parents=True, exist_ok=True)
    # Filled first: an argument's value may add rows another page lists (an account request for the queue).
    # Downloads (the import error report, fouten.csv) are files, not pages.
    pages = {
        kind: [
            (route, fill(route, cast))
            for route, view in ROUTES
            if page_kind(view) == kind and not route.endswith(".csv")
        ]
        for kind in LOGINS
    }
    problems = []
    checked = []
    for kind, (username, password) in LOGINS.items():
        context = _context(browser, live_server, **DEVICES[width])
        page = context.new_page()
        log_in(page, username, password)
        for route, path in pages[kind]:
            if "<str:attachment_id>" in route:  # a file download (letter attachments), not a page
                continue
            # An action without a page of its own (POST only): its 405 has no body, which Chromium shows as an error.
            if page.request.get(path, max_redirects=0).status == 405:
                continue
            response = page.goto(path)
            assert response.status == 200, f"{path}: {response.status}"
            page.wait_for_load_state()
            page.screenshot(path=str(folder / f"{slug(route)}.png"), full_page=True)
            page.screenshot(path=str(folder / f"{slug(route)}-first-screen.png"))
            checked.append(path)
            problems += [f"{width} px {path}: {problem}" for problem in page.evaluate(LAYOUT_PROBLEMS)]
        context.close()
    assert len(checked) >= 10, checked
    assert not problems, "\n".join(problems)
