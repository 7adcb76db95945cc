"""One cause, one finding: a change in a shared fragment, or the same edit in many files, is
reported once with every place and every event it reaches (issue 11 item 4)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from eventcat.reporters import render
from tests.conftest import MONEY, event_schema
from tests.gate.conftest import GateRepo, seeded_repo

MONEY_PATH = "_shared/Money_v1.schema.json"
NAMES = ("OrderPlaced", "OrderPaid", "OrderShipped")


@pytest.fixture
def three(tmp_path: Path) -> GateRepo:
    """Three events on main, each using Money at /properties/total."""
    repo = seeded_repo(tmp_path / "repo", event_schema())
    repo.git("checkout", "-q", "main")
    for name in NAMES[1:]:
        snake = "order_paid" if name == "OrderPaid" else "order_shipped"
        repo.write(f"orders/{name}_v1.schema.json", event_schema(f"orders.{snake}.v1"))
    repo.commit("more events")
    repo.git("checkout", "-q", "-b", "work")
    return repo


def _document(result: Any) -> dict[str, Any]:
    document = json.loads(render(result, "json"))
    schema = json.loads(
        resources.files("eventcat.schemas").joinpath("check-report.schema.json").read_text("utf-8")
    )
    assert list(Draft202012Validator(schema).iter_errors(document)) == []
    return document


def test_a_fragment_change_is_one_finding_with_its_blast_radius(three: GateRepo) -> None:
    money = json.loads(json.dumps(MONEY))
    money["properties"]["amount"] = {"type": "number"}
    three.write(MONEY_PATH, money)
    result = three.check()
    assert result.exit_code == 1
    [finding] = result.failing
    assert (finding.file, finding.pointer) == (MONEY_PATH, "/properties/amount")
    assert dict(finding.details)["blast_radius"] == [f"{n}_v1" for n in sorted(NAMES)]
    assert finding.locations == ()  # one place: the fragment
    for name in NAMES:
        assert f"{name}_v1" in finding.message
    github = [line for line in render(result, "github").splitlines() if line.startswith("::error")]
    assert len(github) == 1 and f"file=catalog/{MONEY_PATH}" in github[0]
    sarif = json.loads(render(result, "sarif"))["runs"][0]["results"]
    assert [r["ruleId"] for r in sarif if r["level"] == "error"] == [finding.rule]
    document = _document(result)
    assert document["summary"]["error"] == 1


def test_the_same_edit_in_several_files_is_one_finding_with_every_place(three: GateRepo) -> None:
    paths = [f"orders/{name}_v1.schema.json" for name in NAMES]
    for path in paths:
        three.edit(path, lambda s: s["properties"].update(note={"type": "integer"}))
    result = three.check()
    [finding] = result.failing
    assert finding.rule == "TYPE_CHANGED"
    places = {(loc.file, loc.pointer, loc.line) for loc in finding.locations}
    assert places == {(p, "/properties/note", three.line_of(p, '"note"')) for p in paths}
    assert "The same change is in 3 files" in finding.message
    text = render(result, "text")
    assert text.count("[TYPE_CHANGED]") == 1
    markdown = render(result, "markdown")
    assert markdown.count("| `TYPE_CHANGED` |") == 1  # one row; its places in the detail block
    for path in paths:
        line = three.line_of(path, '"note"')
        assert f"catalog/{path}:{line}" in markdown
    # Annotation formats keep one place per result.
    github = [line for line in render(result, "github").splitlines() if line.startswith("::error")]
    assert sorted(line.split(",")[0] for line in github) == sorted(
        f"::error file=catalog/{p}" for p in paths
    )
    sarif = [
        r
        for r in json.loads(render(result, "sarif"))["runs"][0]["results"]
        if r["ruleId"] == "TYPE_CHANGED"
    ]
    assert len(sarif) == 3
    for entry in sarif:
        assert len(entry["locations"]) == 1 and len(entry["relatedLocations"]) == 2
    junit = render(result, "junit")
    assert junit.count('<failure type="TYPE_CHANGED"') == 3
    document = _document(result)
    [grouped] = [f for f in document["findings"] if f["rule"] == "TYPE_CHANGED"]
    assert len(grouped["locations"]) == 3
    assert sorted(loc["file"].rsplit("/catalog/", 1)[1] for loc in grouped["locations"]) == sorted(
        paths
    )


def test_different_edits_at_the_same_pointer_stay_apart(three: GateRepo) -> None:
    three.edit(
        "orders/OrderPlaced_v1.schema.json",
        lambda s: s["properties"].update(note={"type": "integer"}),
    )
    three.edit(
        "orders/OrderPaid_v1.schema.json",
        lambda s: s["properties"].update(note={"type": "boolean"}),
    )
    result = three.check()
    assert len(result.failing) == 2
    assert all(not f.locations for f in result.failing)


def test_a_waiver_for_one_event_leaves_the_others_failing(three: GateRepo) -> None:
    money = json.loads(json.dumps(MONEY))
    money["properties"]["amount"] = {"type": "number"}
    three.write(MONEY_PATH, money)
    three.write(
        "waivers.yaml",
        "waivers:\n  - event: OrderPaid\n    version: 1\n"
        "    change: TYPE_CHANGED\n    reason: migrating\n    owner: team-a\n"
        "    expires: '2026-12-31'\n",
    )
    result = three.check()
    [failing] = result.failing
    assert dict(failing.details)["blast_radius"] == ["OrderPlaced_v1", "OrderShipped_v1"]
    [waived] = [f for f in result.findings if f.rule == "TYPE_CHANGED" and f not in result.failing]
    assert dict(waived.details)["blast_radius"] == ["OrderPaid_v1"]


def test_a_fragment_under_allof_overrides_is_still_one_finding_at_the_fragment(
    tmp_path: Path,
) -> None:
    """GitHub's webhooks embed shared objects as ``allOf: [{$ref: shared}, {overrides}]``; a
    required property added to the (closed) shared object is one proved finding at the
    fragment's file, reaching every event, not a "combinator branches changed" per event."""
    money = json.loads(json.dumps(MONEY))
    money["additionalProperties"] = False
    repo = seeded_repo(tmp_path / "repo", event_schema())
    repo.git("checkout", "-q", "main")
    repo.write(MONEY_PATH, money)
    for name, snake in zip(NAMES, ("order_placed", "order_paid", "order_shipped"), strict=True):
        schema = event_schema(f"orders.{snake}.v1")
        schema["properties"]["total"] = {
            "allOf": [
                {"$ref": "../" + MONEY_PATH},
                {"properties": {"amount": {"maxLength": 20}}},
            ]
        }
        repo.write(f"orders/{name}_v1.schema.json", schema)
    repo.commit("closed money, used with overrides")
    repo.git("checkout", "-q", "-b", "work")
    money["required"] = [*money["required"], "scale"]
    money["properties"]["scale"] = {"type": "integer"}
    repo.write(MONEY_PATH, money)
    result = repo.check()
    assert result.exit_code == 1, [f.render() for f in result.findings]
    [finding] = result.failing
    assert finding.rule == "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL"
    assert (finding.file, finding.pointer) == (MONEY_PATH, "/properties/scale")
    details = dict(finding.details)
    assert details["blast_radius"] == [f"{n}_v1" for n in sorted(NAMES)]
    assert details["basis"] == "proof"
    assert "scale" not in json.dumps(details["counterexample"])  # an old event: no scale
