"""The public interface: options, errors with pointers, $ref handling, modes, rendering."""

from __future__ import annotations

import copy
import json
import urllib.parse
from typing import Any

import pytest
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from eventcat.compat import CHANGE_TYPES, Change, CompatibilityReport, compare
from eventcat.errors import SchemaError, UsageError
from tests.compat.corpus import corpus_dir, missing_reason

D20 = "https://json-schema.org/draft/2020-12/schema"


def kinds(report: CompatibilityReport) -> list[str]:
    return sorted(f"{c.type} {c.pointer}" for c in report.changes)


@pytest.mark.parametrize(
    "option", [{"mode": "SIDEWAYS"}, {"policy": "LOOSE"}, {"rules": "x"}, {"mode": 3}]
)
def test_bad_options_raise_usage_error(option: dict[str, Any]) -> None:
    with pytest.raises(UsageError):
        compare({}, {}, **option)


def test_options_are_case_insensitive_and_transitive_modes_behave_like_their_base() -> None:
    old, new = {"type": "string", "maxLength": 3}, {"type": "string", "maxLength": 5}
    for mode in ("backward", "BACKWARD_TRANSITIVE"):
        assert compare(old, new, mode=mode).compatible
    for mode in ("FORWARD", "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE"):
        assert compare(old, new, mode=mode).verdict == "breaking"
    none = compare({"type": "string"}, {"type": "number"}, mode="NONE")
    assert none.compatible and none.changes and not any(c.breaking for c in none.changes)


def test_forward_explains_the_other_reader() -> None:
    report = compare(
        {"type": "string", "maxLength": 3}, {"type": "string", "maxLength": 5}, mode="FORWARD"
    )
    (change,) = report.changes
    assert change.direction == "forward" and change.breaking
    assert "consumer on the old schema reading new events" in change.explanation


@pytest.mark.parametrize(
    "old,pointer",
    [
        ({"properties": {"a": 5}}, "/properties/a"),
        ({"type": "strin"}, "/type"),
        ({"$ref": "#/definitions/nope"}, "/$ref"),
        ({"$ref": "https://example.com/remote.json"}, "/$ref"),
        ({"properties": {"a": {"$ref": "other.json"}}}, "/properties/a/$ref"),
        ({"type": "number", "multipleOf": 0}, "/multipleOf"),
        ({"type": "string", "maxLength": "3"}, "/maxLength"),
        ({"allOf": []}, "/allOf"),
    ],
)
def test_bad_schemas_raise_located_schema_errors(old: Any, pointer: str) -> None:
    for rules in ("sound", "confluent"):
        with pytest.raises(SchemaError) as caught:
            compare(old, old, rules=rules)
        assert caught.value.problems[0].pointer == pointer


def test_values_that_are_not_schemas() -> None:
    with pytest.raises(SchemaError):
        compare([], {})
    with pytest.raises(SchemaError):
        compare({}, "string")


@pytest.mark.parametrize(
    "schema",
    [
        {"$ref": "#"},
        {"$ref": "#/$defs/a", "$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}},
    ],
)
def test_ref_cycles_without_structure_are_errors(schema: Any) -> None:
    with pytest.raises(SchemaError, match="cycle"):
        compare(schema, schema)


def test_absurd_depth_is_an_error_not_a_recursion_error() -> None:
    def nested() -> Any:
        deep: Any = {"type": "string"}
        for _ in range(2000):
            deep = {"type": "object", "properties": {"a": deep}}
        return deep

    with pytest.raises(SchemaError, match="deep"):
        compare(nested(), nested())


RECURSIVE = {
    "$schema": D20,
    "$defs": {
        "node": {
            "type": "object",
            "properties": {"value": {"type": "string"}, "next": {"$ref": "#/$defs/node"}},
        }
    },
    "$ref": "#/$defs/node",
}


def test_recursive_schemas_compare_to_a_fixed_point() -> None:
    assert compare(RECURSIVE, RECURSIVE).changes == ()
    narrower = copy.deepcopy(RECURSIVE)
    narrower["$defs"]["node"]["properties"]["value"]["maxLength"] = 3
    report = compare(RECURSIVE, narrower, policy="STRICT")
    assert report.verdict == "breaking"
    assert "MAX_LENGTH_ADDED #/properties/next/properties/value/maxLength" in kinds(report)
    wider = copy.deepcopy(RECURSIVE)
    wider["$defs"]["node"]["properties"]["value"] = {"type": ["string", "null"]}
    assert compare(RECURSIVE, wider, policy="STRICT").compatible


def test_confluent_recursive_schema_equals_itself() -> None:
    path = corpus_dir() / "other" / "recursive-schema.json"
    if not path.exists():
        pytest.skip(missing_reason())
    schema = json.loads(path.read_text())
    for rules in ("confluent", "sound"):
        assert compare(schema, schema, rules=rules).changes == ()


def test_cross_file_refs_use_the_given_resolvers(monkeypatch: pytest.MonkeyPatch) -> None:
    # The catalog loader teaches urljoin the eventcat: scheme; do the same here.
    monkeypatch.setattr(urllib.parse, "uses_relative", [*urllib.parse.uses_relative, "eventcat"])
    monkeypatch.setattr(urllib.parse, "uses_netloc", [*urllib.parse.uses_netloc, "eventcat"])
    money_v1 = {
        "$schema": D20,
        "type": "object",
        "required": ["amount"],
        "properties": {"amount": {"type": "string"}},
    }
    money_v2 = {**money_v1, "properties": {"amount": {"type": "string", "maxLength": 3}}}
    event = {
        "$schema": D20,
        "type": "object",
        "properties": {"total": {"$ref": "../_shared/Money_v1.schema.json"}},
    }
    base = "eventcat:///billing/Paid_v1.schema.json"

    def resolver(money: Any) -> Any:
        registry: Registry[Any] = Registry().with_resources(
            [
                (base, DRAFT202012.create_resource(event)),
                ("eventcat:///_shared/Money_v1.schema.json", DRAFT202012.create_resource(money)),
            ]
        )
        return registry.resolver(base_uri=base)

    same = compare(event, event, old_resolver=resolver(money_v1), new_resolver=resolver(money_v1))
    assert same.changes == ()
    report = compare(
        event,
        event,
        old_resolver=resolver(money_v1),
        new_resolver=resolver(money_v2),
        policy="STRICT",
    )
    assert kinds(report) == ["MAX_LENGTH_ADDED #/properties/total/properties/amount/maxLength"]
    with pytest.raises(SchemaError):
        compare(event, event)  # without a resolver the file cannot be found (never fetched)


def test_ref_to_identical_inline_schema_and_type_lists_against_anyof_are_no_change() -> None:
    inline = {"type": "string"}
    by_ref = {"$ref": "#/$defs/s", "$defs": {"s": {"type": "string"}}}
    assert compare(inline, by_ref).changes == () and compare(by_ref, inline).changes == ()
    listed = {"type": ["string", "null"]}
    any_of = {"anyOf": [{"type": "string"}, {"type": "null"}]}
    assert compare(listed, any_of).compatible and compare(any_of, listed).compatible


def test_unmodelled_keyword_is_unknown_never_compatible() -> None:
    old = {"$schema": D20, "type": "object"}
    new = {"$schema": D20, "type": "object", "$dynamicRef": "#meta"}
    report = compare(old, new)
    assert report.verdict == "unknown" and not report.compatible
    assert report.unknown_keywords == ("/$dynamicRef",)
    beside = {"$schema": D20, "allOf": [{"properties": {"a": {}}}], "unevaluatedProperties": False}
    assert compare(beside, beside).verdict == "unknown"
    assert compare(old, {**old, "x-eventcat": {"owner": "a"}}).compatible  # annotations are fine


def test_report_renders_and_serialises() -> None:
    old = {
        "type": "object",
        "properties": {"<b>": {"type": "string"}},
        "additionalProperties": False,
    }
    new = {"type": "object", "properties": {}, "additionalProperties": False}
    report = compare(old, new, policy="STRICT")
    page = report._repr_html_()
    assert "<b>" not in page and "&lt;b&gt;" in page
    assert "<table>" in page and report.changes[0]._repr_html_().startswith("<table>")
    assert "BREAKING PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL" in repr(report)
    data = report.as_json()
    json.dumps(data)
    assert data["verdict"] == "breaking" and data["changes"][0]["breaking"] is True


def test_findings_point_at_the_new_file_unless_something_was_removed() -> None:
    old = {"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": False}
    new = {
        "type": "object",
        "properties": {"b": {"type": "string"}},
        "required": ["b"],
        "additionalProperties": False,
    }
    findings = compare(old, new, policy="STRICT").findings(
        "orders/A_v1.schema.json", "orders/A_v1.schema.json (new)"
    )
    by_rule = {f.rule: f for f in findings}
    removed = by_rule["PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL"]
    added = by_rule["REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL"]
    assert removed.file == "orders/A_v1.schema.json" and removed.pointer == "/properties/a"
    assert added.file == "orders/A_v1.schema.json (new)" and added.pointer == "/properties/b"
    assert all(f.severity == "error" and "Fix:" in f.message for f in findings)


def test_counterexamples_are_verified_whole_instances() -> None:
    from jsonschema import Draft202012Validator

    old = {
        "$schema": D20,
        "type": "object",
        "properties": {"n": {"type": "integer", "maximum": 10}},
    }
    new = {"$schema": D20, "type": "object", "properties": {"n": {"type": "integer", "maximum": 5}}}
    (change,) = compare(old, new).changes
    assert change.type == "MAXIMUM_DECREASED" and change.has_counterexample
    assert Draft202012Validator(old).is_valid(change.counterexample)
    assert not Draft202012Validator(new).is_valid(change.counterexample)
    assert compare(old, new, rules="confluent").changes[0].has_counterexample is False


def test_additive_flags() -> None:
    assert CHANGE_TYPES["OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL"].additive
    for name in (
        "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL",
        "REQUIRED_ATTRIBUTE_REMOVED",
        "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL",
    ):
        assert not CHANGE_TYPES[name].additive
    change = compare(
        {"type": "object", "properties": {"a": {}}, "required": ["a"]},
        {"type": "object", "properties": {"a": {}}},
    ).changes[0]
    assert isinstance(change, Change) and not change.breaking and not change.additive


def test_change_types_are_good_data() -> None:
    confluent = [t for t in CHANGE_TYPES.values() if t.confluent]
    assert len(confluent) == 132
    assert sum(t.compatible[("confluent", "STRICT")] for t in confluent) == 65
    assert sum(t.compatible[("confluent", "LENIENT")] for t in confluent) == 74
    for t in CHANGE_TYPES.values():
        assert t.summary and t.explanation.endswith(".") and t.fix and t.family
        assert t.id == t.id.upper()
