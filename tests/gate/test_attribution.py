"""Every finding names the file that holds the change, a pointer that exists in it and that
pointer's line (issue 17 item 3), also when the change passes through several fragments, one of
them added in the same commit, and when the event is judged whole (a fragment under anyOf)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from eventcat.catalog.jsonfile import line_of
from eventcat.gate.fragments import node_at
from eventcat.reporters import render
from tests.conftest import MONEY, event_schema
from tests.gate.conftest import GateRepo, seeded_repo

ORDER = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["lines"],
    "properties": {
        "lines": {"type": "array", "items": {"$ref": "#/$defs/line"}},
        "subtotal": {"$ref": "Money_v1.schema.json"},
        "coupon": {"type": "string"},
    },
    "$defs": {
        "line": {
            "type": "object",
            "properties": {"sku": {"type": "string"}, "price": {"$ref": "Money_v1.schema.json"}},
        }
    },
}


def _repo(tmp_path: Path) -> GateRepo:
    plain = event_schema()
    plain["properties"]["order"] = {"$ref": "../_shared/Order_v1.schema.json"}
    repo = seeded_repo(tmp_path / "repo", plain)
    repo.git("checkout", "-q", "main")
    repo.write("_shared/Order_v1.schema.json", ORDER)
    # Money under anyOf: not a plain site, so this event is compared whole.
    mixed = event_schema("orders.order_quoted.v1")
    mixed["properties"]["total"] = {
        "anyOf": [{"$ref": "../_shared/Money_v1.schema.json"}, {"type": "null"}]
    }
    mixed["properties"]["order"] = {"$ref": "../_shared/Order_v1.schema.json"}
    repo.write("orders/OrderQuoted_v1.schema.json", mixed)
    repo.commit("order fragment")
    repo.git("checkout", "-q", "-b", "work")
    # One commit: Money gains a required tax, in a fragment added now; Order loses coupon and
    # its line's sku becomes an integer.
    repo.write(
        "_shared/Tax_v1.schema.json",
        {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "required": ["rate"],
            "properties": {"rate": {"type": "number"}},
        },
    )
    money: dict[str, Any] = json.loads(json.dumps(MONEY))
    money["properties"]["tax"] = {"$ref": "Tax_v1.schema.json"}
    money["required"].append("tax")
    money["properties"]["amount"] = {"type": "number"}
    repo.write("_shared/Money_v1.schema.json", money)
    order: dict[str, Any] = json.loads(json.dumps(ORDER))
    del order["properties"]["coupon"]
    order["$defs"]["line"]["properties"]["sku"] = {"type": "integer"}
    repo.write("_shared/Order_v1.schema.json", order)
    return repo


def _baseline(repo: GateRepo, path: str) -> str:
    return repo.git("show", f"main:catalog/{path}")


def test_every_finding_is_where_its_change_is(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    result = repo.check()
    changes = [f for f in result.findings if "change" in dict(f.details)]
    assert len(changes) >= 4
    seen = set()
    for finding in changes:
        places = [(loc.file, loc.pointer, loc.line) for loc in finding.locations] or [
            (finding.file, finding.pointer, finding.line)
        ]
        side = dict(finding.details)["side"]
        for file, pointer, line in places:
            assert file is not None
            text = (
                (repo.catalog / file).read_text("utf-8") if side == "new" else _baseline(repo, file)
            )
            found, _ = node_at(json.loads(text), pointer)
            assert found, f"{finding.rule}: {pointer} is not in the {side} {file}"
            assert line == line_of(text, pointer), finding.rule
            seen.add((finding.rule, file, pointer))
    # The changes are filed against the fragments that hold them, not against a fragment that
    # merely lies on the way (Tax, added in this commit, holds none of them).
    assert ("TYPE_CHANGED", "_shared/Money_v1.schema.json", "/properties/amount") in seen
    assert ("TYPE_CHANGED", "_shared/Order_v1.schema.json", "/$defs/line/properties/sku") in seen
    assert not any(file == "_shared/Tax_v1.schema.json" for _, file, _ in seen)
    assert any(
        rule.startswith("PROPERTY_REMOVED") and file == "_shared/Order_v1.schema.json"
        for rule, file, _ in seen
    )
    # GitHub annotations land on those lines, never on line 1 of an unrelated file.
    for line in render(result, "github").splitlines():
        if line.startswith("::error") and "Tax_v1" in line.split("::")[1]:
            raise AssertionError(line)


def test_the_event_judged_whole_is_located_the_same_way(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    result = repo.check()
    amount = [
        f
        for f in result.findings
        if f.rule == "TYPE_CHANGED" and f.file == "_shared/Money_v1.schema.json"
    ]
    [finding] = amount
    # OrderQuoted reaches Money under anyOf (compared whole) and through Order (a plain site):
    # every way in lands on the same place, so it is one finding with one blast radius.
    assert set(dict(finding.details)["blast_radius"]) == {"OrderPlaced_v1", "OrderQuoted_v1"}
    assert finding.line == repo.line_of("_shared/Money_v1.schema.json", '"amount": {')
