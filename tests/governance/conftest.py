"""A git repository whose ``main`` holds one fully described event (channel, delivery, criticality,
two consumers with queues and handlers, lifecycle), then a branch ``change`` to edit it on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.conftest import event_schema
from tests.gate.conftest import TODAY, GateRepo, seeded_repo

EVENT = "orders/OrderPlaced_v1.schema.json"

SETTINGS = """\
name: Governance test catalog
envelope:
  schema: _envelope/Envelope_v1.schema.json
  payloadProperty: payload
  typeProperty: type
teams:
  team-a:
    name: Team A
  team-b:
    name: Team B
  team-unused:
    name: Nobody's team
domains:
  orders:
    name: Orders
    owner: team-a
  archive:
    name: Archive (no events)
services:
  order-service:
    name: Order service
    owner: team-a
  legacy-order-service:
    name: Legacy order service
    owner: team-a
  billing-service:
    name: Billing service
    owner: team-a
  shipping-service:
    name: Shipping service
    owner: team-b
  audit-service:
    name: Audit service
  unused-service:
    name: Nothing names it
"""


def described_event(status: str = "active", **lifecycle: Any) -> dict[str, Any]:
    schema = event_schema()
    meta = schema["x-eventcat"]
    meta["producers"] = ["order-service", "legacy-order-service"]
    meta["consumers"] = [
        {
            "service": "billing-service",
            "handler": "OnOrderPlaced",
            "queue": "billing.orders",
            "fields": ["total.amount"],
        },
        {
            "service": "shipping-service",
            "handler": "ScheduleShipment",
            "queue": "shipping.orders",
            "deadLetterQueue": "shipping.orders.dlq",
        },
    ]
    meta["channel"] = {
        "broker": "rabbitmq",
        "exchange": "orders.topic",
        "exchangeType": "topic",
        "routingKey": "order.placed",
        "queues": ["billing.orders", "shipping.orders"],
        "deadLetterQueue": "orders.dlq",
    }
    meta["delivery"] = {"guarantee": "at-least-once", "ordering": "per-key"}
    meta["criticality"] = "important"
    meta["lifecycle"] = {"status": status, **lifecycle}
    return schema


def deprecated(sunset: str = "2026-12-31") -> dict[str, Any]:
    return described_event("deprecated", sunset=sunset, replacement="orders.order_placed.v2")


@pytest.fixture
def gov(tmp_path: Path) -> GateRepo:
    return seeded_repo(tmp_path / "repo", described_event(), SETTINGS)


def start_as(repo: GateRepo, schema: dict[str, Any], rel: str = EVENT) -> None:
    """Replace the file on ``main`` (baseline) and come back to the branch."""
    repo.git("checkout", "-q", "main")
    repo.write(rel, schema)
    repo.git("add", "-A")
    repo.git("commit", "-q", "--allow-empty", "-m", "baseline")
    repo.git("checkout", "-q", "-B", "change")


__all__ = ["EVENT", "TODAY", "GateRepo", "deprecated", "described_event", "start_as"]
