"""Synthetic catalogs for benchmarks: N events x V versions, with shared fragments and refs."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

DOMAINS = [
    "orders",
    "billing",
    "shipping",
    "identity",
    "catalog-items",
    "marketing",
    "support",
    "analytics",
]


def settings(services: int = 12) -> str:
    lines = [
        "name: Synthetic catalog",
        "envelope:",
        "  schema: _envelope/Envelope_v1.schema.json",
        "teams:",
        "  team-a:",
        "    name: Team A",
        "domains:",
    ]
    for domain in DOMAINS:
        lines += [f"  {domain}:", f"    name: {domain.title()}", "    owner: team-a"]
    lines.append("services:")
    for index in range(services):
        lines += [f"  service-{index}:", f"    name: Service {index}", "    owner: team-a"]
    return "\n".join(lines) + "\n"


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

ADDRESS = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["street", "city", "country"],
    "properties": {
        "street": {"type": "string"},
        "city": {"type": "string"},
        "country": {"type": "string", "pattern": "^[A-Z]{2}$"},
    },
}


def event(name: str, domain: str, version: int, index: int, properties: int = 12) -> dict[str, Any]:
    props: dict[str, Any] = {
        "id": {"type": "string", "format": "uuid", "description": "Identifier."},
        "occurredAt": {"type": "string", "format": "date-time"},
        "address": {"$ref": "../_shared/Address_v1.schema.json"},
        "status": {"enum": ["new", "active", "closed"]},
        "lines": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["sku", "quantity"],
                "properties": {
                    "sku": {"type": "string"},
                    "quantity": {"type": "integer", "minimum": 1},
                },
            },
        },
    }
    for extra in range(properties - len(props)):
        props[f"field{extra}"] = {"type": "string", "maxLength": 64 + extra}
    for added in range(version - 1):
        props[f"addedInV{added + 2}"] = {"type": "integer"}
    example = {
        "id": str(uuid.UUID(int=index * 100 + version)),
        "occurredAt": "2026-01-01T00:00:00Z",
        "address": {"street": "1 Main St", "city": "Springfield", "country": "US"},
        "status": "new",
        "lines": [{"sku": "A-1", "quantity": 2}],
    }
    snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": name,
        "description": f"Synthetic event {name}, version {version}.",
        "type": "object",
        "required": ["id", "occurredAt", "status"],
        "properties": props,
        "examples": [example],
        "x-eventcat": {
            "eventType": f"{domain.replace('-', '_')}.{snake}.v{version}",
            "kind": "domain",
            "owner": "team-a",
            "producers": [f"service-{index % 12}"],
            "consumers": [
                {"service": f"service-{(index + 1) % 12}", "handler": "Handle", "fields": ["id"]}
            ],
            "channel": {
                "broker": "rabbitmq",
                "exchange": "events",
                "routingKey": f"{domain}.{snake}",
            },
        },
    }


def write_catalog(root: Path, events: int, versions: int) -> Path:
    """Write a catalog of ``events`` x ``versions`` files (+ envelope and a fragment)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "catalog.yaml").write_text(settings(), encoding="utf-8")
    for rel, value in (
        ("_envelope/Envelope_v1.schema.json", ENVELOPE),
        ("_shared/Address_v1.schema.json", ADDRESS),
    ):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(json.dumps(value, indent=2), encoding="utf-8")
    for index in range(events):
        domain = DOMAINS[index % len(DOMAINS)]
        name = f"Thing{index}Happened"
        folder = root / domain
        folder.mkdir(exist_ok=True)
        for version in range(1, versions + 1):
            (folder / f"{name}_v{version}.schema.json").write_text(
                json.dumps(event(name, domain, version, index), indent=2), encoding="utf-8"
            )
    return root
