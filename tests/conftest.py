"""Shared fixtures: small catalogs written into tmp folders, and a guard against the network."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_CATALOG = ROOT / "catalog"

SETTINGS = """\
name: Test catalog
envelope:
  schema: _envelope/Envelope_v1.schema.json
  payloadProperty: payload
  typeProperty: type
teams:
  team-a:
    name: Team A
domains:
  orders:
    name: Orders
    owner: team-a
services:
  order-service:
    name: Order service
    owner: team-a
  billing-service:
    name: Billing service
    owner: team-a
"""

ENVELOPE = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["id", "type", "payload"],
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "type": {"type": "string"},
        "payload": {"type": "object"},
    },
}

MONEY = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Money",
    "type": "object",
    "required": ["amount", "currency"],
    "properties": {
        "amount": {"type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$"},
        "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
    },
}


def event_schema(event_type: str = "orders.order_placed.v1", **extra: Any) -> dict[str, Any]:
    """A valid event schema; keyword arguments replace top-level keys."""
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Order placed",
        "description": "An order was placed.",
        "type": "object",
        "required": ["orderId", "total"],
        "properties": {
            "orderId": {"type": "string", "format": "uuid"},
            "total": {"$ref": "../_shared/Money_v1.schema.json"},
            "note": {"type": "string"},
        },
        "examples": [
            {
                "orderId": "3f1c1c9e-6a43-4c58-9a3f-2b1b8f0f6d11",
                "total": {"amount": "12.50", "currency": "EUR"},
            }
        ],
        "x-eventcat": {
            "eventType": event_type,
            "kind": "domain",
            "owner": "team-a",
            "producers": ["order-service"],
            "consumers": [
                {
                    "service": "billing-service",
                    "handler": "OnOrderPlaced",
                    "fields": ["total.amount"],
                }
            ],
        },
    }
    schema.update(extra)
    return schema


def write_json(path: Path, value: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, indent=2) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def make_catalog(tmp_path: Path) -> Callable[..., Path]:
    """Write a small valid catalog into tmp_path/catalog and return its folder."""

    def make(events: dict[str, Any] | None = None, settings: str = SETTINGS) -> Path:
        root = tmp_path / "catalog"
        root.mkdir(exist_ok=True)
        (root / "catalog.yaml").write_text(settings, encoding="utf-8")
        write_json(root / "_envelope" / "Envelope_v1.schema.json", ENVELOPE)
        write_json(root / "_shared" / "Money_v1.schema.json", MONEY)
        for rel, value in (
            events if events is not None else {"orders/OrderPlaced_v1.schema.json": event_schema()}
        ).items():
            target = root / rel
            if isinstance(value, bytes):
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(value)
            elif isinstance(value, str):
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(value, encoding="utf-8")
            else:
                write_json(target, value)
        return root

    return make


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail any test that opens a connection to anything but this machine."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (
            host.startswith("127.") or host in ("localhost", "::1") or self.family == socket.AF_UNIX
        ):
            raise AssertionError(f"test tried to reach the network: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    yield
