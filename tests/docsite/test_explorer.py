"""The schema explorer (issue 12.3): a collapsible, searchable tree of the payload, in Chromium."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.conftest import event_schema
from tests.docsite.conftest import build
from tests.docsite.hostile import MARK, SETTINGS, hostile_event
from tests.docsite.site12 import shots
from tests.docsite.test_browser import LIVE_HAZARDS, Browser, browser, pytestmark, serve

__all__ = ["browser", "pytestmark"]  # the Chromium fixture of test_browser.py


def tree_event() -> dict[str, object]:
    schema = event_schema()
    schema["$defs"] = {
        "category": {
            "type": "object",
            "properties": {
                "name": {"type": "string", "minLength": 1},
                "children": {"type": "array", "items": {"$ref": "#/$defs/category"}},
            },
        }
    }
    schema["properties"]["category"] = {"$ref": "#/$defs/category"}
    schema["properties"]["status"] = {"enum": ["open", "closed"]}
    schema["properties"]["coupon"] = {
        "oneOf": [{"type": "string", "title": "code"}, {"type": "integer", "title": "number"}]
    }
    schema["properties"]["note"] = {"type": ["string", "null"], "maxLength": 200}
    return schema


def test_explorer_expands_collapses_searches_and_links_back(
    make_catalog: Callable[..., Path], tmp_path: Path, browser: Callable[[str], Browser]
) -> None:
    root = make_catalog({"orders/OrderPlaced_v1.schema.json": tree_event()})
    built = build(tmp_path / "out", root)
    assert built.ok, built.error + built.log
    data = built.site / "assets/eventcat/schemas/OrderPlaced/v1.json"
    assert json.loads(data.read_text(encoding="utf-8"))["nodes"]
    assert '"nodes"' not in built.html("events/OrderPlaced/v1/")  # fetched, not inlined
    with serve(built.site) as base:
        tab = browser(base)
        page = tab.open("events/OrderPlaced/v1/")
        page.locator(".ec-explorer[data-ready='1']").wait_for(timeout=10_000)
        tree = page.locator(".ec-explorer-tree")
        order_id = tree.locator(".ec-x-row[data-key='p:orderId']")
        assert "required" in order_id.text_content() and "uuid" in order_id.text_content()
        assert "nullable" in tree.locator(".ec-x-row[data-key='p:note']").text_content()
        assert "maxLength: 200" in tree.locator(".ec-x-row[data-key='p:note']").text_content()
        assert '"closed"' in tree.locator(".ec-x-row[data-key='p:status']").text_content()
        # a $ref to a shared fragment: linked to its page and expandable in place
        total = tree.locator(".ec-x-row[data-key='p:total']")
        assert total.locator("a.ec-x-ref").get_attribute("href", timeout=2000)
        total.locator(".ec-x-toggle").first.click()
        assert total.locator(".ec-x-row[data-key='p:currency']").is_visible()
        # oneOf branches as a group
        coupon = tree.locator(".ec-x-row[data-key='p:coupon']")
        coupon.locator(".ec-x-toggle").first.click()
        coupon.locator(".ec-x-row[data-key='one'] > .ec-x-line .ec-x-toggle").click()
        assert "option 1: code" in coupon.inner_text() and "option 2: number" in coupon.inner_text()
        page.locator(".ec-explorer-btn[data-act='collapse']").click()
        assert not total.locator(".ec-x-row[data-key='p:currency']").is_visible()
        page.locator(".ec-explorer-btn[data-act='expand']").click()
        assert total.locator(".ec-x-row[data-key='p:currency']").is_visible()
        # recursion: category.children[] is category again, shown as a link back, not expanded
        back = tree.locator(".ec-x-row[data-key='p:category'] .ec-x-recursive")
        assert back.count() == 1 and back.is_visible()
        page.locator(".ec-explorer-btn[data-act='collapse']").click()
        page.locator(".ec-explorer-search").fill("currency")
        page.wait_for_timeout(400)
        hits = tree.locator(".ec-x-hit")
        assert hits.count() == 1 and hits.first.is_visible()
        assert "1 match" in page.locator(".ec-explorer-status").inner_text()
        page.locator(".ec-explorer").scroll_into_view_if_needed()
        shots(tab, "explorer")
        assert tab.outside() == [], tab.outside()
        assert tab.errors == [], tab.errors


def test_hostile_schema_text_in_the_explorer_stays_text(
    make_catalog: Callable[..., Path], tmp_path: Path, browser: Callable[[str], Browser]
) -> None:
    root = make_catalog({"orders/OrderPlaced_v1.schema.json": hostile_event()}, settings=SETTINGS)
    built = build(tmp_path / "out", root)
    assert built.ok, built.error + built.log
    with serve(built.site) as base:
        tab = browser(base)
        for path in ("events/OrderPlaced/v1/", "events/OrderPlaced/"):
            page = tab.open(path)
            page.wait_for_timeout(300)
            if path.endswith("v1/"):
                page.locator(".ec-explorer[data-ready='1']").wait_for(timeout=10_000)
                page.locator(".ec-explorer-btn[data-act='expand']").click()
                assert "<script>" in page.locator(".ec-explorer-tree").inner_text()
                page.locator(".ec-explorer-search").fill("<img")
                page.wait_for_timeout(400)
            assert page.evaluate(f"window.{MARK}") is None, path
            assert page.evaluate(LIVE_HAZARDS) == [], path
        assert tab.outside() == [], tab.outside()
        assert tab.errors == [], tab.errors


def linked_event() -> dict[str, object]:
    """Descriptions as real catalogs write them: Markdown links, long bare URLs, long enums."""
    schema = event_schema()
    schema["properties"]["url"] = {
        "type": "string",
        "description": "See [the webhook docs](https://docs.github.com/en/webhooks/webhook-events"
        "-and-payloads?actionType=opened#pull_request) or [the guide](../guide/), not "
        "[this](javascript:alert(1)) nor [that](//evil.example/x). Served from "
        "https://api.github.com/repos/octocat/Hello-World/pulls/1347/requested_reviewers"
        "?per_page=100&page=2.",
    }
    schema["properties"]["state"] = {
        "enum": ["dependency_graph_automatic_submission_requested", "pull_request_review_thread"]
    }
    return schema


def test_explorer_descriptions_link_and_wrap_at_separators(
    make_catalog: Callable[..., Path], tmp_path: Path, browser: Callable[[str], Browser]
) -> None:
    from tests.docsite.test_layout import DEFECTS, WIDTHS

    root = make_catalog({"orders/OrderPlaced_v1.schema.json": linked_event()})
    built = build(tmp_path / "out", root)
    assert built.ok, built.error + built.log
    # the versions table's eventType: its parts between dots stay whole on a phone (CSS)
    landing = (built.site / "events/OrderPlaced/index.html").read_text(encoding="utf-8")
    assert '<span class="ec-part">order_<wbr>placed</span>.<wbr>' in landing
    with serve(built.site) as base:
        tab = browser(base)
        tab.page.set_viewport_size(dict(zip(("width", "height"), WIDTHS["phone"], strict=True)))
        page = tab.open("events/OrderPlaced/v1/")
        page.locator(".ec-explorer[data-ready='1']").wait_for(timeout=10_000)
        row = page.locator(".ec-explorer-tree .ec-x-row[data-key='p:url']")
        links = row.locator(".ec-x-desc a")
        assert [links.nth(i).inner_text() for i in range(links.count())] == [
            "the webhook docs",
            "the guide",
        ]
        assert (
            links.nth(0).get_attribute("href", timeout=2000).startswith("https://docs.github.com/")
        )
        assert links.nth(1).get_attribute("href", timeout=2000) == "../guide/"
        text = row.locator(".ec-x-desc").inner_text()
        assert "not this nor that." in text and "](" not in text  # unsafe links: their text
        # the bare URL may wrap after / . ? & = only; enum values after their separators
        url_parts = row.locator(".ec-x-desc").evaluate(
            "(d) => [...d.childNodes].filter((n) => n.nodeType === 3).map((n) => n.data)"
        )
        assert "requested_reviewers?" in url_parts and "per_page=" in url_parts, url_parts
        state = page.locator(".ec-explorer-tree .ec-x-row[data-key='p:state'] .ec-x-enum code")
        assert state.first.locator("wbr").count() == 4  # after each _ of the value
        defects = page.evaluate(DEFECTS, False)
        assert defects == [], defects
        page.locator(".ec-explorer").scroll_into_view_if_needed()
        shots(tab, "explorer-links")
        assert tab.outside() == [], tab.outside()
        assert tab.errors == [], tab.errors
