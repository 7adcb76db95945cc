"""Issue 17 item 2: rewrites that keep the set of valid instances are not breaking.

Each case is a minimal reproduction of a step of GitHub's webhook schema history that eventcat
called breaking (or mislabelled as a removal) although every old instance still validates. The
verdicts are judged by the sets of instances: each test also checks, with instances generated from
the old schema, that they validate under the new one.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from eventcat.compat import compare
from tests.compat.witness import validator

D20 = "https://json-schema.org/draft/2020-12/schema"
POLICIES = ("STRICT", "LENIENT")


def _doc(schema: dict[str, Any]) -> dict[str, Any]:
    return {"$schema": D20, **schema}


def _instances_hold(old: dict[str, Any], new: dict[str, Any]) -> None:
    """Generated old instances validate under the new schema (the claim the verdict makes)."""
    check = validator(new)

    @settings(
        max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(from_schema(old))
    def run(instance: Any) -> None:
        assert check.is_valid(instance), instance

    run()


COMMON = {
    "type": "object",
    "properties": {"id": {"type": "integer"}, "name": {"type": ["string", "null"]}},
    "required": ["id"],
}


def test_nullable_type_list_rewritten_as_one_of_is_compatible() -> None:
    as_list = _doc({"type": "object", "properties": {"x": {"type": ["string", "null"]}}})
    as_one_of = _doc(
        {"type": "object", "properties": {"x": {"oneOf": [{"type": "string"}, {"type": "null"}]}}}
    )
    for old, new in ((as_list, as_one_of), (as_one_of, as_list)):
        for policy in POLICIES:
            report = compare(old, new, policy=policy)
            assert report.verdict == "compatible", report
            assert "COMBINED_TYPE_CHANGED" not in {c.type for c in report.changes}
        _instances_hold(old, new)


def test_nullable_rewrite_that_narrows_is_still_breaking() -> None:
    old = _doc({"type": ["string", "null"]})
    new = _doc({"oneOf": [{"type": "string"}, {"type": "integer"}]})
    assert compare(old, new, policy="STRICT").verdict != "compatible"


def test_inline_object_rewritten_as_all_of_ref_and_override_is_compatible() -> None:
    inline = {
        "type": "object",
        "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
        "required": ["id"],
        "additionalProperties": False,
    }
    common = {
        "type": "object",
        "properties": {"id": {"type": "integer"}, "name": {"type": ["string", "null"]}},
        "required": ["id"],
        "additionalProperties": False,
    }
    old = _doc({"type": "object", "properties": {"u": inline}, "required": ["u"]})
    new = _doc(
        {
            "$defs": {"common": common},
            "type": "object",
            "required": ["u"],
            "properties": {
                "u": {
                    "allOf": [
                        {"$ref": "#/$defs/common"},
                        {"properties": {"name": {"type": "string"}}},
                    ]
                }
            },
        }
    )
    for policy in POLICIES:
        report = compare(old, new, policy=policy)
        assert report.verdict == "compatible", report
        assert "TYPE_CHANGED" not in {c.type for c in report.changes}
    _instances_hold(old, new)
    # The same rewrite with a stricter override is a real break.
    stricter = _doc(
        {
            "$defs": {"common": common},
            "type": "object",
            "properties": {
                "u": {
                    "allOf": [
                        {"$ref": "#/$defs/common"},
                        {"properties": {"name": {"type": "string", "maxLength": 2}}},
                    ]
                }
            },
        }
    )
    assert compare(old, stricter, policy="STRICT").verdict != "compatible"


def test_removing_an_all_of_override_of_a_still_declared_property_is_a_relaxation() -> None:
    old = _doc(
        {
            "$defs": {"c": COMMON},
            "allOf": [
                {"$ref": "#/$defs/c"},
                {
                    "type": "object",
                    "properties": {"name": {"type": "string"}, "extra": {"type": "integer"}},
                },
            ],
        }
    )
    new = _doc(
        {
            "$defs": {"c": COMMON},
            "allOf": [
                {"$ref": "#/$defs/c"},
                {"type": "object", "properties": {"extra": {"type": "integer"}}},
            ],
        }
    )
    for policy in POLICIES:
        report = compare(old, new, policy=policy)
        assert report.verdict == "compatible", report
        types = {c.type for c in report.changes}
        assert not any(t.startswith("PROPERTY_REMOVED") for t in types), report
        assert all(c.additive for c in report.changes), report
    _instances_hold(old, new)


def test_removing_a_property_declared_nowhere_else_is_still_a_removal() -> None:
    old = _doc(
        {
            "allOf": [
                {"type": "object", "properties": {"id": {"type": "integer"}}},
                {"properties": {"name": {"type": "string"}, "x": {"type": "integer"}}},
            ]
        }
    )
    new = _doc(
        {
            "allOf": [
                {"type": "object", "properties": {"id": {"type": "integer"}}},
                {"properties": {"x": {"type": "integer"}}},
            ]
        }
    )
    types = {c.type for c in compare(old, new).changes}
    assert "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL" in types


_A = {
    "type": "object",
    "properties": {"kind": {"enum": ["a", "b"]}, "a": {"type": "string"}},
    "required": ["a"],
    "additionalProperties": False,
}
_B = {
    "type": "object",
    "properties": {"kind": {"enum": ["c"]}, "b": {"type": "string"}},
    "required": ["b"],
    "additionalProperties": False,
}


@pytest.mark.parametrize("grown", [False, True], ids=["same", "enum-gained-a-value"])
def test_one_of_branches_disjoint_through_required_and_closed_models(grown: bool) -> None:
    a2 = {
        **_A,
        "properties": {
            "kind": {"enum": ["a", "b", "d"] if grown else ["a", "b"]},
            "a": {"type": "string"},
        },
    }
    old = _doc(
        {"$defs": {"A": _A, "B": _B}, "oneOf": [{"$ref": "#/$defs/A"}, {"$ref": "#/$defs/B"}]}
    )
    new = _doc(
        {
            "$defs": {"A": a2, "B": _B},
            "oneOf": [{"$ref": "#/$defs/A"}, {"$ref": "#/$defs/B"}],
            "title": "changed",
        }
    )
    for policy in POLICIES:
        report = compare(old, new, policy=policy)
        assert report.verdict == "compatible", report
        assert "ONE_OF_BRANCHES_OVERLAP" not in {c.type for c in report.changes}
    _instances_hold(old, new)


def test_one_of_branches_that_really_overlap_are_still_reported() -> None:
    open_a = {k: v for k, v in _A.items() if k != "additionalProperties"}
    open_b = {k: v for k, v in _B.items() if k != "additionalProperties"}
    old = _doc({"anyOf": [open_a, open_b]})
    new = _doc({"oneOf": [open_a, open_b]})
    report = compare(old, new, policy="STRICT")
    assert report.verdict != "compatible"
    both = {"a": "x", "b": "y"}
    assert validator(old).is_valid(both) and not validator(new).is_valid(both)


@given(st.sampled_from(["string", "integer", "boolean", "array", "object"]))
@settings(max_examples=5, deadline=None, database=None)
def test_type_list_and_any_of_are_the_same_set(kind: str) -> None:
    as_list = _doc({"type": [kind, "null"]})
    as_any = _doc({"anyOf": [{"type": "null"}, {"type": kind}]})
    assert compare(as_list, as_any, policy="STRICT").verdict == "compatible"
    assert compare(as_any, as_list, policy="STRICT").verdict == "compatible"
