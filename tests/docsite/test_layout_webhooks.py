"""No layout defect on a site made from GitHub's webhook schemas, at a laptop and a phone width.

The same checks as test_layout.py (its checker, its widths) on pages of every kind of a site built
from a real catalog: ``@octokit/webhooks-schemas`` (npm, MIT) converted by
bench/realworld_webhooks.py. Deep payloads (``pull_request``, ``repository``), long identifiers
(``github.deployment_protection_rule.requested.v1``), a service that produces ~290 events. The
events whose own file changed between the two versions of the package used here get a v1 and a v2,
so the compare view shows real changes of a real payload.

The package tarballs are not vendored (CI does not fetch them): the test skips, saying how to
fetch them, when they are not in the benchmark's cache (~/.cache/eventcat-bench/).
Screenshots go to test-artifacts/layout-webhooks-<page>-<width>.png.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.docsite.conftest import Built, build
from tests.docsite.test_browser import Browser, browser, serve
from tests.docsite.test_layout import COMPARED, DEFECTS, WIDTHS, Visit, overflows, report, sized
from tests.webhooks import catalog_files, versioned, write

__all__ = ["browser", "sized"]  # fixtures

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("site")]

#: the package's versions the catalog is made from: 7.1.0, with v1s from 7.0.3 where an event's
#: own file changed (among them RegistryPackagePublished, one of the largest event files)
OLD, NEW = "7.0.3", "7.1.0"

COMPARE = ".ec-compare[data-ready='1']"
EXPLORER = ".ec-explorer[data-ready='1']"
MAP = ".ec-map[data-ready='1']"


@pytest.fixture(scope="module")
def webhook_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    old, new = catalog_files(OLD), catalog_files(NEW)
    folder = tmp_path_factory.mktemp("webhooks")
    write(versioned(old, new), folder / "catalog")
    built = build(folder / "out", folder / "catalog")
    assert built.ok, built.error + "\n" + built.log
    return built


def largest_payload(site: Path) -> str:
    """The event version whose schema explorer has the most to show (the largest data file)."""
    files = list((site / "assets" / "eventcat" / "schemas").glob("*/v*.json"))
    assert files, "no schema explorer data in the site"
    largest = max(files, key=lambda f: f.stat().st_size)
    return f"events/{largest.parent.name}/{largest.stem}/"


def pages(site: Path) -> list[Visit]:
    explorer = largest_payload(site)
    return [
        Visit("", "home"),
        Visit("events/", "events-index"),
        Visit("domains/pull-request/", "domain", ready=MAP, shows=".ec-map"),
        Visit("services/github/", "service-map", ready=MAP, shows=".ec-map"),
        Visit("services/webhook-consumer/", "service-consumer"),
        Visit("events/RegistryPackagePublished/", "event-landing", ready=COMPARE),
        Visit(
            "events/RegistryPackagePublished/#compare=1-2",
            "compare",
            ready=COMPARED,
            shows=".ec-compare-out",
        ),
        Visit("events/RegistryPackagePublished/v2/", "event-changes"),
        Visit("events/PullRequestOpened/v1/", "event-large"),
        Visit(
            explorer,
            "explorer",
            ready=EXPLORER,
            press=".ec-explorer-btn[data-act='expand']",
            shows=".ec-explorer",
        ),
        Visit("map/", "map", ready=MAP, shows=".ec-map"),
        Visit("fragments/", "fragments-index"),
        Visit("fragments/Repository_v1/", "fragment"),
        Visit("rules/", "rules-index"),
        Visit("rules/PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL/", "rule"),
    ]


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_no_page_kind_of_a_webhook_catalog_overflows(
    webhook_site: Built, sized: Callable[[str, str], Browser], width: str
) -> None:
    with serve(webhook_site.site) as base:
        tab = sized(base, width)
        found = overflows(tab, pages(webhook_site.site), width, "layout-webhooks", full_page=False)
        assert tab.errors == [], tab.errors
        assert tab.outside() == [], tab.outside()
    if found:
        pytest.fail(report(found), pytrace=False)


# The drawn map: the smallest label on screen (px), the map's and the canvas's shapes.
MAP_FACTS = """() => {
  const cy = document.querySelector('.ec-map').ecMap.cy;
  const sizes = cy.nodes().map((n) => parseFloat(n.style('font-size')) * cy.zoom());
  const bb = cy.elements().boundingBox();
  return {font: Math.min(...sizes), nodes: cy.nodes().length, tall: bb.h / bb.w,
          canvas: cy.height() / cy.width()};
}"""


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_large_maps_open_with_legible_labels_in_a_grid(
    webhook_site: Built, sized: Callable[[str, str], Browser], width: str
) -> None:
    """The catalog map (62 domains) and the map of the service producing 215 events were one
    column thousands of pixels tall, fitted to a sliver of 1-2 px labels: they open with their
    domains collapsed, wrapped into columns shaped like the canvas, at a legible zoom."""
    with serve(webhook_site.site) as base:
        tab = sized(base, width)
        for path in ("map/", "services/github/", "domains/pull-request/"):
            page = tab.open(path)
            page.locator(MAP).wait_for(timeout=20_000)
            facts = page.evaluate(MAP_FACTS)
            assert facts["font"] >= 9, (path, facts)
            assert facts["tall"] <= 2 * facts["canvas"], (path, facts)  # not one long column
            if path != "domains/pull-request/":
                assert facts["nodes"] < 80, (path, facts)  # one node per domain
            defects = page.evaluate(DEFECTS, width == "laptop")
            assert defects == [], (path, defects)

        # search finds an event inside a collapsed domain: its domain opens, the zoom stays legible
        page = tab.open("services/github/")
        page.locator(MAP).wait_for(timeout=20_000)
        search = page.locator(".ec-map-search")
        search.fill("PullRequestOpened")
        search.press("Enter")
        page.wait_for_function(
            "() => { const m = document.querySelector('.ec-map');"
            " return m.getAttribute('data-focus') === 'e:PullRequestOpened' && !m.ecMap.cy.animated(); }"
        )
        assert page.evaluate(MAP_FACTS)["font"] >= 9

        # a collapsed domain opens on a click, and an event in it clicks through to its page
        page = tab.open("services/github/")
        page.locator(MAP).wait_for(timeout=20_000)
        before = int(page.locator(".ec-map").get_attribute("data-nodes") or 0)
        page.mouse.click(*on_screen(page, "d:issues"))
        page.wait_for_function(f"() => +document.querySelector('.ec-map').dataset.nodes > {before}")
        page.mouse.click(*on_screen(page, "e:IssuesOpened"))
        page.wait_for_url("**/events/IssuesOpened/", timeout=10_000)
        assert tab.errors == [], tab.errors
        assert tab.outside() == [], tab.outside()


def on_screen(page: Any, node: str) -> tuple[float, float]:
    """Where a node of the map is drawn, brought into the canvas first (Cytoscape draws on a
    canvas: a test taps where it rendered the node)."""
    point = page.evaluate(
        """(id) => {
        const cy = document.querySelector('.ec-map').ecMap.cy;
        const node = cy.getElementById(id);
        cy.center(node);
        const box = cy.container().getBoundingClientRect();
        const p = node.renderedPosition();
        return {x: box.left + p.x, y: box.top + p.y};
    }""",
        node,
    )
    return point["x"], point["y"]
