"""Comparisons between the same two catalog sides share the walk of each ``$ref`` target pair.

A gate run compares every event that embeds a changed fragment; when the fragment sits where the
gate cannot judge it once (under ``allOf``, as GitHub's webhook schemas override shared objects),
each event is compared whole. The engine then walks the changed fragment pair once and re-uses the
result, re-located, in the other events. These tests check that the shared answer is exactly the
fresh one and that the second event does not walk the fragment again.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from eventcat.catalog.loader import read_catalog
from eventcat.compat import compare, walker
from tests.conftest import ROOT, event_schema

FRAGMENT = "../_shared/Money_v1.schema.json"


def _event(event_type: str, where: str) -> dict[str, Any]:
    """An event embedding the money fragment under ``allOf`` (with an override beside it), at the
    property ``where``."""
    schema = event_schema(event_type)
    schema["properties"] = {
        "orderId": {"type": "string"},
        where: {"allOf": [{"$ref": FRAGMENT}, {"properties": {"amount": {"minLength": 1}}}]},
    }
    schema["required"] = ["orderId", where]
    schema["examples"] = []
    return schema


def _sides(make_catalog: Callable[..., Path], tmp_path: Path) -> tuple[Any, Any]:
    events = {
        "orders/OrderPlaced_v1.schema.json": _event("orders.order_placed.v1", "total"),
        "orders/OrderRefunded_v1.schema.json": _event("orders.order_refunded.v1", "refund"),
    }
    old_root = make_catalog(events)
    new_root = tmp_path / "new"
    subprocess.run(["cp", "-r", str(old_root), str(new_root)], check=True)
    money_path = new_root / "_shared" / "Money_v1.schema.json"
    money = json.loads(money_path.read_text())
    money["required"] = ["amount", "currency", "scale"]  # a closed break: scale now required
    money["properties"]["scale"] = {"type": "integer"}
    money["properties"]["currency"] = {"type": "string", "pattern": "^[A-Z]{3}$", "maxLength": 3}
    money_path.write_text(json.dumps(money))
    return read_catalog(old_root), read_catalog(new_root)


def _report(old: Any, new: Any, path: str) -> list[tuple[Any, ...]]:
    report = compare(
        old.files[path].schema,
        new.files[path].schema,
        old_resolver=old.resolver(path),
        new_resolver=new.resolver(path),
    )
    return [
        (c.type, c.pointer, c.old_pointer, c.new_pointer, c.breaking, c.counterexample)
        for c in report.changes
    ] + [("verdict", report.verdict)]


def test_a_shared_fragment_pair_is_walked_once_and_reported_in_each_event(
    make_catalog: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = _sides(make_catalog, tmp_path)
    placed, refunded = "orders/OrderPlaced_v1.schema.json", "orders/OrderRefunded_v1.schema.json"

    walked: list[str] = []
    handler = walker.HANDLERS[walker.OBJECT]

    def counting(ctx: Any, a: Any, b: Any) -> Any:
        if all(isinstance(n.raw, dict) and n.raw.get("title") == "Money" for n in (a, b)):
            walked.append(ctx.new_ptr)
        return handler(ctx, a, b)

    monkeypatch.setitem(walker.HANDLERS, walker.OBJECT, counting)
    shared = [_report(old, new, placed), _report(old, new, refunded)]
    assert len(walked) == 1, walked  # the second event re-used the first one's walk

    # The same answers as two comparisons that share nothing (fresh catalogs each time).
    fresh = []
    for path in (placed, refunded):
        old_alone, new_alone = _sides_again(old, new)
        fresh.append(_report(old_alone, new_alone, path))
    assert shared == fresh
    # ... re-located into each event: the change sits under that event's own property.
    assert shared[1][:-1] and all(
        str(row[3]).startswith("/properties/refund") for row in shared[1][:-1]
    )
    assert all("refund" in row[5] for row in shared[1][:-1] if row[4])  # its own instance
    assert shared[0][-1] == ("verdict", "breaking")


def _sides_again(old: Any, new: Any) -> tuple[Any, Any]:
    """Fresh copies of both loaded catalogs (new objects: nothing shared with earlier runs)."""
    return read_catalog(old.root), read_catalog(new.root)


def test_the_order_of_changes_does_not_depend_on_the_hash_seed() -> None:
    """Several required properties become optional at once: the order of the changes (and so
    which one a grouped finding shows first) follows the schema, not Python's string hashing."""
    names = [f"field_{i}" for i in range(12)]
    old: dict[str, Any] = {
        "type": "object",
        "properties": {n: {"type": "string"} for n in names},
        "required": names,
    }
    new = copy.deepcopy(old)
    new["required"] = []
    program = (
        "import json, sys\n"
        "from eventcat.compat import compare\n"
        "old, new = json.load(sys.stdin)\n"
        "print([c.new_pointer for c in compare(old, new, policy='LENIENT').changes])\n"
    )
    outputs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT / "tooling")}
        done = subprocess.run(
            [sys.executable, "-c", program],
            input=json.dumps([old, new]),
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1, outputs
    assert "field_0" in outputs.pop()
