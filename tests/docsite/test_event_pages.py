"""Event landing pages, the version switcher and the compare view (issue 12.2)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from eventcat.catalog.loader import read_catalog
from eventcat.compat import compare
from tests.docsite.conftest import build
from tests.docsite.site12 import shots, three_versions
from tests.docsite.test_browser import Browser, browser, pytestmark, serve

__all__ = ["browser", "pytestmark"]  # the Chromium fixture of test_browser.py


def engine(root: Path, old: int, new: int) -> tuple[str, list[str]]:
    """What the engine itself says about two versions of OrderPlaced (mode from the catalog)."""
    catalog = read_catalog(root)
    event = catalog.event("OrderPlaced")
    assert event is not None
    a, b = event.version(old), event.version(new)
    assert a is not None and b is not None
    settings = b.compatibility
    report = compare(
        a.schema,
        b.schema,
        mode=settings.mode.replace("_TRANSITIVE", ""),
        policy=settings.policy,
        rules=settings.rules,
        old_resolver=catalog.resolver(a.path),
        new_resolver=catalog.resolver(b.path),
    )
    return report.verdict, sorted(c.type for c in report.changes)


def test_landing_page_lists_versions_lifecycle_and_verdicts(
    make_catalog: Callable[..., Path], tmp_path: Path
) -> None:
    root = make_catalog(three_versions())
    built = build(tmp_path / "out", root)
    assert built.ok, built.error + built.log
    page = built.html("events/OrderPlaced/")
    raw = (built.site / "events" / "OrderPlaced" / "index.html").read_text(encoding="utf-8")
    for number in (1, 2, 3):
        assert f'href="v{number}/"' in page
        # wraps at dots, not mid-word, and on a phone only at dots (html() drops the hints)
        assert (
            '<span class="ec-part">orders</span>.<wbr><span class="ec-part">order_<wbr>placed'
            f'</span>.<wbr><span class="ec-part">v{number}</span>' in raw
        )
    assert "deprecated · sunset 2099-01-01" in page
    for old, new in ((1, 2), (2, 3)):
        verdict, _ = engine(root, old, new)
        row = page.split(f'id="v{new}"', 1)[1].split("</tr>", 1)[0]
        assert f">{verdict}<" in row, row
    for number in (1, 2, 3):
        version = built.html(f"events/OrderPlaced/v{number}/")
        assert 'class="ec-switcher"' in version and 'aria-current="page"' in version
        assert 'href="../"' in version  # back to the landing page


def test_compare_any_two_versions_in_the_browser(
    make_catalog: Callable[..., Path], tmp_path: Path, browser: Callable[[str], Browser]
) -> None:
    root = make_catalog(three_versions())
    built = build(tmp_path / "out", root)
    assert built.ok, built.error + built.log
    with serve(built.site) as base:
        tab = browser(base)
        page = tab.open("events/OrderPlaced/")
        page.locator(".ec-compare[data-ready='1']").wait_for(timeout=10_000)
        shots(tab, "event-landing")
        page.locator(".ec-compare-old").select_option("1")
        page.locator(".ec-compare-new").select_option("3")
        assert page.locator(".ec-compare").get_attribute("data-shown") == "1-3"
        verdict, types = engine(root, 1, 3)
        out = page.locator(".ec-compare-out")
        assert verdict in out.locator(".ec-compare-head").inner_text()
        shown = sorted(a.inner_text() for a in out.locator("tbody tr td:first-child a").all())
        assert shown == types
        # each change in the gate's concise words, not the engine's long "At #/…" explanation
        meaning = {
            row.locator("td:first-child a").inner_text(): row.locator("td:last-child")
            for row in out.locator("tbody tr").all()
        }
        removed = meaning["PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL"]
        assert removed.inner_text().startswith(
            "a property was removed from a closed object at note."
        )
        assert removed.locator("code").inner_text() == "note"  # `note` is code, not backticks
        required = meaning["REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"].inner_text()
        assert required.startswith(
            "a required property was added at customerId, so a consumer on the new schema "
            "rejects some old events [BACKWARD LENIENT]."
        ), required
        assert "Counterexample: " in required and "customerId" in required
        assert "At #" not in out.inner_text() and "`" not in removed.inner_text()
        out.scroll_into_view_if_needed()
        shots(tab, "compare")
        # the switcher's "Compare versions" link opens the view on that version and the one before
        page = tab.open("events/OrderPlaced/v2/")
        page.locator(".ec-switcher-compare").click()
        page.locator(".ec-compare[data-ready='1']").wait_for(timeout=10_000)
        assert page.locator(".ec-compare").get_attribute("data-shown") == "1-2"
        assert tab.outside() == [], tab.outside()
        assert tab.errors == [], tab.errors
