"""Shared pieces of the issue-12 browser tests (maps, event pages, explorer)."""

from __future__ import annotations

import copy
from typing import Any

from tests.conftest import event_schema
from tests.docsite.test_browser import ARTIFACTS, Browser

WIDTHS = (1366, 390)


def shots(tab: Browser, name: str) -> None:
    """Screenshots at a laptop's and a phone's width, kept under test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    page = tab.page
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(300)
        page.screenshot(path=str(ARTIFACTS / f"site12-{name}-{width}.png"))
    page.set_viewport_size({"width": 1366, "height": 900})


def three_versions() -> dict[str, Any]:
    """OrderPlaced v1 → v2 (a property added) → v3 (a new required property, a removed one)."""
    v1 = event_schema("orders.order_placed.v1")
    v2 = copy.deepcopy(v1)
    v2["x-eventcat"]["eventType"] = "orders.order_placed.v2"
    v2["properties"]["channel"] = {"type": "string", "enum": ["web", "store"]}
    v3 = copy.deepcopy(v2)
    v3["x-eventcat"]["eventType"] = "orders.order_placed.v3"
    v3["properties"]["customerId"] = {"type": "string"}
    v3["required"] = [*v3["required"], "customerId"]
    del v3["properties"]["note"]
    v3["additionalProperties"] = False
    v3["examples"][0]["customerId"] = "c-1"
    v1["x-eventcat"]["lifecycle"] = {
        "status": "deprecated",
        "sunset": "2099-01-01",
        "replacement": "orders.order_placed.v3",
    }
    return {
        "orders/OrderPlaced_v1.schema.json": v1,
        "orders/OrderPlaced_v2.schema.json": v2,
        "orders/OrderPlaced_v3.schema.json": v3,
    }
