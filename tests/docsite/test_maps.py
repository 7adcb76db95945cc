"""Maps (issue 12.1): service, domain and catalog maps drawn from one shared graph file, in Chromium."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.docsite.conftest import Built, build
from tests.docsite.hostile import MARK, SETTINGS, hostile_event
from tests.docsite.site12 import shots
from tests.docsite.test_browser import LIVE_HAZARDS, Browser, browser, pytestmark, serve

__all__ = ["browser", "pytestmark"]  # the Chromium fixture of test_browser.py


def test_graph_is_one_shared_file_and_pages_only_point_at_it(example_site: Built) -> None:
    graph = json.loads(
        (example_site.site / "assets/eventcat/graph.json").read_text(encoding="utf-8")
    )
    ids = {n["id"] for n in graph["nodes"]}
    # the odoo backend produces SubscriptionTierChanged, which reaches three consumers through queues
    view = set(graph["views"]["s:business.odoo"])
    assert {
        "s:business.odoo",
        "e:SubscriptionTierChanged",
        "c:exchange:creativeflow.topic.exchange",
    } <= view
    assert any(i.startswith("q:") for i in view) and any(i.startswith("x:") for i in view)
    assert all(e["s"] in ids and e["t"] in ids for e in graph["edges"])
    page = example_site.html("services/business.odoo/")
    assert 'class="ec-map' in page and "graph.json" in page
    assert '"nodes"' not in page  # the data is not inlined


def test_service_map_clicks_through_and_catalog_map_searches(
    example_site: Built, browser: Callable[[str], Browser]
) -> None:
    with serve(example_site.site) as base:
        tab = browser(base)
        page = tab.open("services/business.odoo/")
        page.locator(".ec-map[data-ready='1']").wait_for(timeout=20_000)
        assert int(page.locator(".ec-map").get_attribute("data-nodes") or 0) >= 5
        page.locator(".ec-map").scroll_into_view_if_needed()
        shots(tab, "service-map")
        # click the event's node: Cytoscape draws on a canvas, so tap where it rendered it
        point = page.evaluate("""() => {
            const cy = document.querySelector('.ec-map').ecMap.cy;
            const node = cy.getElementById('e:SubscriptionTierChanged');
            const box = cy.container().getBoundingClientRect();
            const p = node.renderedPosition();
            return {x: box.left + p.x, y: box.top + p.y};
        }""")
        page.mouse.click(point["x"], point["y"])
        page.wait_for_url("**/events/SubscriptionTierChanged/", timeout=10_000)
        assert "SubscriptionTierChanged" in page.locator("h1").first.inner_text()

        page = tab.open("map/")
        page.locator(".ec-map[data-ready='1']").wait_for(timeout=20_000)
        shots(tab, "catalog-map")
        search = page.locator(".ec-map-search")
        search.fill("Notification Service")
        search.press("Enter")
        page.wait_for_timeout(500)
        focus = page.locator(".ec-map").get_attribute("data-focus") or ""
        assert focus.startswith("s:"), focus
        assert page.evaluate(
            "(id) => document.querySelector('.ec-map').ecMap.cy.getElementById(id)"
            ".hasClass('focus')",
            focus,
        )
        assert f"#focus={focus}" in page.url.replace("%3A", ":")
        shots(tab, "catalog-map-focus")
        page.locator(".ec-map-btn[data-act='expand']").click()
        expanded = int(page.locator(".ec-map").get_attribute("data-nodes") or 0)
        page.locator(".ec-map-btn[data-act='collapse']").click()
        assert int(page.locator(".ec-map").get_attribute("data-nodes") or 0) < expanded

        page = tab.open("domains/subscription-billing/")
        page.locator(".ec-map[data-ready='1']").wait_for(timeout=20_000)
        page.locator(".ec-map").scroll_into_view_if_needed()
        shots(tab, "domain-map")
        assert tab.outside() == [], tab.outside()
        assert tab.errors == [], tab.errors


def test_hostile_names_on_the_maps_stay_text(
    make_catalog: Callable[..., Path], tmp_path: Path, browser: Callable[[str], Browser]
) -> None:
    root = make_catalog({"orders/OrderPlaced_v1.schema.json": hostile_event()}, settings=SETTINGS)
    built = build(tmp_path / "out", root)
    assert built.ok, built.error + built.log
    with serve(built.site) as base:
        tab = browser(base)
        for path in ("map/", "services/order-service/", "domains/orders/"):
            page = tab.open(path)
            page.locator(".ec-map[data-ready='1']").wait_for(timeout=20_000)
            page.locator(".ec-map-search").fill("<script>")
            page.locator(".ec-map-search").press("Enter")
            page.wait_for_timeout(300)
            assert page.evaluate(f"window.{MARK}") is None, path
            assert page.evaluate(LIVE_HAZARDS) == [], path
        assert tab.outside() == [], tab.outside()
        assert tab.errors == [], tab.errors
