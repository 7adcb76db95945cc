"""No layout defect on any kind of page, in a real browser at a laptop and a phone width.

The repository's own site (its mkdocs.yml: the example catalog, notebooks, Material's Pygments
highlighting) is built once, served on 127.0.0.1 and visited in Debian's chromium at 1366 and 390
px. On every page kind the test fails when the page scrolls sideways, when an element sticks out
of the content column (unless it sits in a container that scrolls on its own), when a table does
not fit its column at laptop width, or when an identifier in ``<code>`` breaks inside a word
(``ai.generation.faile d.v1``) instead of after a ``.``, ``_``, ``/``, ``:`` or ``-`` or
between the words of a camelCase name.
Screenshots go to test-artifacts/ (gitignored).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.docsite.test_browser import ARTIFACTS, Browser, browser, serve  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("site")]

WIDTHS = {"laptop": (1366, 768), "phone": (390, 844)}


@dataclass(frozen=True)
class Visit:
    """A page the test visits: its path in the site and its screenshot's name; ``ready``: what
    its script draws (waited for); ``press``: a button pressed first (the explorer's "Expand
    all"); ``shows``: the part of the page a window-sized screenshot shows."""

    path: str
    name: str
    ready: str = ""
    press: str = ""
    shows: str = ""


COMPARED = ".ec-compare[data-ready='1'] .ec-compare-out table"

#: one page of each kind (path in the site, screenshot name); the event page is the one whose
#: eventType broke mid-word, the rule page the longest rule id
PAGES = [
    Visit("", "home"),
    Visit("events/", "events-index"),
    Visit("events/AIGenerationFailed/v1/", "event"),
    Visit("events/SubscriptionTierChanged/", "event-landing"),
    # the compare view's table once its script has drawn it (a column was cut at 390 px)
    Visit("events/SubscriptionTierChanged/#compare=1-2", "compare", ready=COMPARED),
    Visit("events/SubscriptionTierChanged/v2/", "event-changes"),
    Visit("domains/", "domains-index"),
    Visit("domains/subscription-billing/", "domain"),
    Visit("services/", "services-index"),
    Visit("services/ad-network-integration-service/", "service"),
    Visit("map/", "map"),
    Visit("teams/", "teams-index"),
    Visit("fragments/", "fragments-index"),
    Visit("envelope/", "envelope"),
    Visit("rules/", "rules-index"),
    Visit("rules/compat-breaking/", "rules-compat"),
    Visit("rules/PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL/", "rule"),
    Visit("fields/", "fields"),
    Visit("fields/u/", "fields-page"),
    Visit("changelog/", "changelog"),
    Visit("notebooks/", "notebooks-index"),
    Visit("notebooks/explore_catalog/", "notebook"),
]

# Returns every defect of the page shown: [description, ...]. An element "in its own scroller"
# is inside an ancestor (below the column) whose overflow-x is not visible.
DEFECTS = """
(laptop) => {
  const describe = (el) => {
    const cls = el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "";
    return el.tagName.toLowerCase() + cls + " «" + (el.textContent || "").trim().slice(0, 60) + "»";
  };
  const out = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth + 1) out.push(`the page scrolls sideways: ${doc.scrollWidth} px in ${doc.clientWidth}`);
  const column = document.querySelector(".md-content__inner");
  const c = column.getBoundingClientRect();
  const scrolls = (el) => {
    for (let p = el.parentElement; p && p !== column; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== "visible") return true;
    }
    return false;
  };
  for (const el of column.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    // 4 px of slack: inline code's padding may hang over the line's end by a pixel or two
    if (r.right <= c.right + 4 && r.left >= c.left - 4) continue;
    if (scrolls(el)) continue;
    // Material draws code blocks edge to edge on a phone: inside the window is fine there
    if (el.closest("pre, .highlight") && r.left >= -1 && r.right <= window.innerWidth + 1) continue;
    out.push(`${describe(el)} spans ${Math.round(r.left)}..${Math.round(r.right)} px, the column ${Math.round(c.left)}..${Math.round(c.right)}`);
  }
  if (laptop) {
    for (const el of column.querySelectorAll(".ec-table, .ec-meta, .md-typeset__scrollwrap")) {
      if (el.scrollWidth > el.clientWidth + 1) out.push(`${describe(el)} is ${el.scrollWidth} px wide in ${el.clientWidth}`);
    }
  }
  // An identifier wrapped over lines must break after a separator, never inside a word.
  for (const code of column.querySelectorAll("code, a, h1")) {
    if (code.closest("pre")) continue;
    // one rect per line box of its text (a block such as h1 has a single rect of its own)
    const whole = document.createRange();
    whole.selectNodeContents(code);
    if (whole.getClientRects().length < 2) continue;
    const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    let previous = null;
    const block = (node) => {  // the nearest ancestor that is not inline: its own line box
      let p = node.parentElement;
      while (p !== code && getComputedStyle(p).display.startsWith("inline")) p = p.parentElement;
      return p;
    };
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const here = block(node);
      if (previous && previous.block !== here) previous.char = " ";  // another block
      for (let i = 0; i < node.length; i++) {
        const char = node.data[i];
        if (/\\s/.test(char)) { if (previous) previous.char = " "; continue; }  // a space may break
        const range = document.createRange();
        range.setStart(node, i); range.setEnd(node, i + 1);
        const rect = range.getBoundingClientRect();
        if (rect.width === 0) continue;
        if (previous && rect.top > previous.top + 2 && /[A-Za-z0-9]/.test(previous.char) && /[A-Za-z0-9]/.test(char)
            && !(/[a-z0-9]/.test(previous.char) && /[A-Z]/.test(char))) {  // camelCase words may part
          out.push(`${describe(code)} breaks inside a word, between «${previous.char}» and «${char}»`);
        }
        previous = {top: rect.top, char, block: here};
      }
    }
  }
  return out.slice(0, 15);
}
"""


@pytest.fixture(scope="module")
def repo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    site = tmp_path_factory.mktemp("layout") / "site"
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    mkdocs_build(load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site), strict=True))
    return site


@pytest.fixture
def sized(browser: Callable[[str], Browser]) -> Iterator[Callable[[str, str], Browser]]:  # noqa: F811
    def make(base: str, width: str) -> Browser:
        tab = browser(base)
        w, h = WIDTHS[width]
        tab.page.set_viewport_size({"width": w, "height": h})
        return tab

    yield make


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_no_page_kind_overflows_its_column(
    repo_site: Path, sized: Callable[[str, str], Browser], width: str
) -> None:
    with serve(repo_site) as base:
        tab = sized(base, width)
        found = overflows(tab, PAGES, width, "layout", full_page=True)
        assert tab.errors == [], tab.errors
        assert tab.outside() == [], tab.outside()
    if found:
        pytest.fail(report(found), pytrace=False)


def overflows(
    tab: Browser, pages: Sequence[Visit], width: str, prefix: str, *, full_page: bool
) -> dict[str, list[str]]:
    """Every defect of every page in ``pages`` at ``width``, by page path; a screenshot of each
    goes to test-artifacts/``prefix``-<name>-<width>.png (the whole page, or the part a visit
    ``shows``)."""
    found: dict[str, list[str]] = {}
    for visit in pages:
        page: Any = tab.open(visit.path)
        if visit.ready:
            page.locator(visit.ready).first.wait_for(timeout=20_000)
        if visit.press:
            page.locator(visit.press).first.click()
        page.wait_for_timeout(300)  # Mermaid and the maps draw after load
        defects = page.evaluate(DEFECTS, width == "laptop")
        if defects:
            found[visit.path or "/"] = defects
        shot = str(_artifact(f"{prefix}-{visit.name}-{width}.png"))
        if visit.shows and not full_page:
            page.locator(visit.shows).first.scroll_into_view_if_needed()
            page.evaluate("window.scrollBy(0, -80)")  # below Material's fixed header
            page.wait_for_timeout(400)  # Material's header swaps its title on scroll
        tab.page.screenshot(path=shot, full_page=full_page)
    return found


def report(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{p}:\n  " + "\n  ".join(d) for p, d in found.items())


def _artifact(name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / name
