"""The built site in a real browser (Debian's chromium driven by Playwright), served on 127.0.0.1.

Skipped, with the reason, only when chromium or Playwright is not installed (CI installs both).
Screenshots go to test-artifacts/ (gitignored).
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.docsite.conftest import Built, build
from tests.docsite.hostile import MARK, NOTEBOOK_NAMES, SETTINGS, hostile_event
from tests.docsite.test_hostile import write_hostile_notebooks

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = ROOT / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("site"),
    pytest.mark.skipif(
        shutil.which(CHROMIUM) is None and not Path(CHROMIUM).exists(),
        reason=f"Debian's chromium is not installed at {CHROMIUM} (apt-get install -y chromium)",
    ),
]


# mkdocs-material renders each Mermaid diagram into a closed shadow root; open them so the test
# can see the SVG inside.
OPEN_SHADOW_ROOTS = """
const attach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (options) { return attach.call(this, {...options, mode: "open"}); };
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class Browser:
    """One page with a record of every request, console error, page error and dialog."""

    def __init__(self, page: Any, base: str) -> None:
        self.page = page
        self.base = base
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on(
            "console",
            lambda m: (
                self.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None
            ),
        )
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        page.on("dialog", lambda d: (self.errors.append(f"dialog: {d.message}"), d.dismiss()))

    def open(self, path: str) -> Any:
        self.page.goto(f"{self.base}/{path}", wait_until="load")
        self.page.wait_for_load_state("networkidle")
        return self.page

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"site-{name}.png"), full_page=False)

    def outside(self) -> list[str]:
        return [
            u for u in self.requests if not u.startswith(("http://127.0.0.1:", "data:", "blob:"))
        ]


@pytest.fixture
def browser() -> Iterator[Callable[[str], Browser]]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = launched.new_context(
            viewport={"width": 1280, "height": 900}, service_workers="block"
        )
        context.add_init_script(OPEN_SHADOW_ROOTS)
        try:
            yield lambda base: Browser(context.new_page(), base)
        finally:
            context.close()
            launched.close()


def test_home_event_page_diagram_and_search(
    example_site: Built, browser: Callable[[str], Browser]
) -> None:
    with serve(example_site.site) as base:
        tab = browser(base)
        page = tab.open("")
        assert "eventcat example catalog" in page.locator("h1").first.inner_text()
        assert page.locator(".ec-stat").count() >= 5
        tab.shot("home")

        page = tab.open("events/SubscriptionTierChanged/v2/")
        assert "SubscriptionTierChanged" in page.locator("h1").first.inner_text()
        # Mermaid, shipped with the site, has drawn the diagram as an SVG
        svg = page.locator(".ec-flow .mermaid svg").first
        svg.wait_for(state="attached", timeout=20_000)
        assert svg.locator("text=Odoo Backend").count() >= 1 or "Odoo" in svg.inner_html()
        assert page.locator(".ec-props table tr").count() > 5
        assert (
            page.locator(".ec-json .md-code__button, .highlight .md-code__button").count() >= 2
        )  # copy buttons
        page.locator(".ec-flow").scroll_into_view_if_needed()
        tab.shot("event-flow")
        page.locator("#payload").scroll_into_view_if_needed()
        tab.shot("event-payload")
        page.locator("#changes").scroll_into_view_if_needed()
        tab.shot("event-changes")

        page = tab.open("")
        page.locator(".md-search__input").click()
        page.keyboard.type("SubscriptionTierChanged", delay=20)
        results = page.locator(".md-search-result__item")
        results.first.wait_for(timeout=20_000)
        assert "SubscriptionTierChanged" in page.locator(".md-search-result").inner_text()
        tab.shot("search")

        assert tab.outside() == [], tab.outside()
        assert tab.errors == [], tab.errors


def test_hostile_markup_runs_nothing_in_the_browser(
    make_catalog: Callable[..., Path], tmp_path: Path, browser: Callable[[str], Browser]
) -> None:
    root = make_catalog({"orders/OrderPlaced_v1.schema.json": hostile_event()}, settings=SETTINGS)
    built = build(tmp_path / "out", root)
    assert built.ok, built.error + built.log
    with serve(built.site) as base:
        tab = browser(base)
        for path in (
            "",
            "events/OrderPlaced/v1/",
            "services/order-service/",
            "teams/team-a/",
            "domains/orders/",
            "fields/",
            "events/",
        ):
            page = tab.open(path)
            page.wait_for_timeout(300)
            assert page.evaluate(f"window.{MARK}") is None, path
        page = tab.open("events/OrderPlaced/v1/")
        page.locator(".ec-flow .mermaid svg").first.wait_for(state="attached", timeout=20_000)
        assert (
            "<script>window.__pwned=1</script>" in page.locator(".ec-lifecycle").first.inner_text()
        )
        for link in page.locator("a").all():
            href = (link.get_attribute("href") or "").strip().lower()
            assert not href.startswith("javascript:"), href
        tab.shot("hostile-event")
        page.locator(".md-search__input").click()
        page.keyboard.type("pwned", delay=20)
        page.wait_for_timeout(1500)
        tab.shot("hostile-search")
        assert page.evaluate(f"window.{MARK}") is None
        assert tab.outside() == [], tab.outside()
        assert tab.errors == [], tab.errors


# Every element of the live DOM (shadow roots included) with an inline handler or a script URL.
LIVE_HAZARDS = """
() => {
  const found = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll("*")) {
      for (const attr of el.attributes) {
        const value = attr.value.trim().toLowerCase();
        if (attr.name.startsWith("on") ||
            (/(^|:)(href|src|action|formaction)$/.test(attr.name) &&
             /^(javascript|data|vbscript):/.test(value))) {
          found.push(`${el.tagName} ${attr.name}=${attr.value.slice(0, 80)}`);
        }
      }
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document);
  return found;
}
"""


def test_hostile_notebooks_run_nothing_in_the_browser(
    make_catalog: Callable[..., Path], tmp_path: Path, browser: Callable[[str], Browser]
) -> None:
    from tests.conftest import event_schema

    root = make_catalog({"orders/OrderPlaced_v1.schema.json": event_schema()})
    write_hostile_notebooks(tmp_path / "out")
    built = build(tmp_path / "out", root)
    assert built.ok, built.error + built.log
    pages = sorted(p.parent.name for p in (built.site / "notebooks").glob("*/index.html"))
    with serve(built.site) as base:
        tab = browser(base)
        for path in ["notebooks/", *(f"notebooks/{name}/" for name in pages)]:
            page = tab.open(path)
            for svg in page.locator(".ecd-nb-out svg").all():  # hover and click what a reader would
                svg.hover()
                svg.click()
            page.wait_for_timeout(300)
            assert page.evaluate(f"window.{MARK}") is None, path
            assert page.evaluate(LIVE_HAZARDS) == [], path
            assert page.url == f"{base}/{path}", page.url  # no refresh or navigation away
        tab.shot("hostile-notebook")
        assert tab.outside() == [], tab.outside()
        assert tab.errors == [], tab.errors
    assert len(pages) == len(NOTEBOOK_NAMES), pages  # one page each, "index.ipynb" included


def test_lifecycle_banner_links_to_the_replacement(
    example_site: Built, browser: Callable[[str], Browser]
) -> None:
    with serve(example_site.site) as base:
        tab = browser(base)
        page = tab.open("events/SubscriptionTierChanged/v1/")
        banner = page.locator(".ec-lifecycle").first
        assert banner.is_visible()
        assert "Deprecated" in banner.inner_text() and "2027-03-31" in banner.inner_text()
        assert page.locator("#metadata-changes").count() == 1
        tab.shot("event-lifecycle")
        banner.locator(".admonition-title a").first.click()
        page.wait_for_load_state("load")
        assert page.url.endswith("/events/SubscriptionTierChanged/v2/"), page.url
        assert "v2" in page.locator("h1").first.inner_text()
        assert page.locator(".ec-lifecycle").count() == 0
        page.locator("#metadata-changes").scroll_into_view_if_needed()
        assert (
            "channel-changed" in page.locator(".ec-notices").first.inner_text()
        )  # no banner on v2: the metadata section
        tab.shot("event-metadata-changes")
        assert tab.outside() == [], tab.outside()
        assert tab.errors == [], tab.errors
