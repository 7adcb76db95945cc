"""The engine's shortcuts for large schemas give the answers of the general code paths."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from eventcat.compat import Change, compare
from eventcat.compat.report import make_change
from eventcat.errors import SchemaError

D20 = "https://json-schema.org/draft/2020-12/schema"


def _search() -> tuple[bool, Any, str]:
    return True, {"a": 1}, ""


def test_make_change_sets_every_field_the_constructor_sets() -> None:
    args: dict[str, Any] = {
        "type": "MAX_LENGTH_DECREASED",
        "pointer": "#/properties/a/maxLength",
        "old_pointer": "/properties/a/maxLength",
        "new_pointer": "/properties/a/maxLength",
        "suspected": True,
        "additive": False,
        "rule_explanation": "why",
        "fix": "how",
        "direction": "forward",
        "not_modelled": False,
        "proof_required": True,
    }
    built = Change(**args, _search=_search)
    fast = make_change(*args.values(), _search)
    assert {f.name for f in dataclasses.fields(Change)} == set(vars(fast))
    for f in dataclasses.fields(Change):
        if f.name != "_found":  # the memo of the lazy search: a fresh list in each
            assert getattr(fast, f.name) == getattr(built, f.name), f.name
    assert fast == built and hash(fast) == hash(built) and repr(fast) == repr(built)
    assert fast.counterexample == {"a": 1} and fast.has_counterexample
    assert fast.breaking and fast.basis == "proof" and not fast.unknown
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.type = "X"  # type: ignore[misc]


def test_many_changed_properties_each_get_their_change() -> None:
    names = ["p0", "a/b", "t~x", "sp ace"]
    old = {
        "$schema": D20,
        "type": "object",
        "required": ["p0"],
        "properties": {n: {"type": "string", "maxLength": 5} for n in names},
    }
    new = {
        "$schema": D20,
        "type": "object",
        "required": ["p0"],
        "properties": {n: {"type": "string", "maxLength": 4} for n in names},
    }
    report = compare(old, new)
    assert [(c.type, c.pointer, c.old_pointer, c.new_pointer) for c in report.changes] == [
        (
            "MAX_LENGTH_DECREASED",
            "#/properties/p0/maxLength",
            "/properties/p0/maxLength",
            "/properties/p0/maxLength",
        ),
        (
            "MAX_LENGTH_DECREASED",
            "#/properties/a/b/maxLength",
            "/properties/a~1b/maxLength",
            "/properties/a~1b/maxLength",
        ),
        (
            "MAX_LENGTH_DECREASED",
            "#/properties/t~x/maxLength",
            "/properties/t~0x/maxLength",
            "/properties/t~0x/maxLength",
        ),
        (
            "MAX_LENGTH_DECREASED",
            "#/properties/sp ace/maxLength",
            "/properties/sp ace/maxLength",
            "/properties/sp ace/maxLength",
        ),
    ]
    assert all(c.breaking and c.has_counterexample for c in report.changes)
    assert report.changes[1].explanation.startswith("At #/properties/a/b/maxLength: breaks ")


@pytest.mark.parametrize(
    ("schema", "pointer"),
    [
        # Two bad numbers: the first in the engine's keyword order is reported.
        ({"maximum": "9", "minLength": True}, "/minLength"),
        # Subschemas are checked last-keyword-first: properties before not, in reverse order.
        ({"not": {"type": "bogus"}, "properties": {"a": {"type": "bogus"}}}, "/properties/a/type"),
        (
            {"properties": {"a": {"type": "bogus"}, "b/c": {"maxLength": "x"}}},
            "/properties/b~1c/maxLength",
        ),
        ({"items": [{"type": "string"}, {"minimum": "0"}], "allOf": []}, "/allOf"),
        ({"type": ["string", "nope"]}, "/type"),
        # A keyword that is not a map of schemas is refused before any subschema is looked at.
        ({"dependencies": {"a": {"required": "x"}}, "patternProperties": []}, "/patternProperties"),
    ],
)
def test_the_first_problem_of_a_bad_schema_is_reported(
    schema: dict[str, Any], pointer: str
) -> None:
    with pytest.raises(SchemaError) as caught:
        compare({"$schema": D20, **schema}, {})
    assert [p.pointer for p in caught.value.problems] == [pointer]


@pytest.mark.parametrize("patterns", [{"^a": {"type": "string", "maxLength": 1}}, None])
def test_pattern_properties_still_constrain_unchanged_declared_properties(
    patterns: dict[str, Any] | None,
) -> None:
    old = {"type": "object", "properties": {"ab": {"type": "string"}}}
    new = {"type": "object", "properties": {"ab": {"type": "string"}}}
    if patterns is not None:
        new["patternProperties"] = patterns
    types = [c.type for c in compare(old, new).changes]
    if patterns is None:
        assert types == []
    else:
        assert "PATTERN_PROPERTY_CONSTRAINS_PROPERTY" in types


def test_dependencies_that_are_not_an_object_raise_a_located_error() -> None:
    import pytest

    from eventcat.compat import compare
    from eventcat.errors import SchemaError

    with pytest.raises(SchemaError) as caught:
        compare({"dependencies": True, "title": "a"}, {"dependencies": True})
    assert caught.value.problems[0].pointer.endswith("dependencies")
