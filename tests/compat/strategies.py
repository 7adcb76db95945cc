"""Hypothesis strategies: random schemas and random mutations of them (draft 2020-12).

The space is what event schemas use: typed scalars with limits, formats and enums, objects with
open / closed / partially open content models, tuples and lists, combinators, conditionals.
Numbers stay integers where float arithmetic would make a validator disagree with exact maths
(``multipleOf: 0.1`` is not a question of compatibility).
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import strategies as st

D20 = "https://json-schema.org/draft/2020-12/schema"
NAMES = ("a", "b", "c", "x_1")
SCALARS = st.sampled_from(["a", "b", "", 0, 1, 2, -1, 1.5, True, False, None])


@st.composite
def leaves(draw: st.DrawFn) -> Any:
    kind = draw(
        st.sampled_from(
            [
                "string",
                "integer",
                "number",
                "boolean",
                "null",
                "enum",
                "const",
                "nullable",
                "true",
                "empty",
            ]
        )
    )
    if kind == "true":
        return True
    if kind == "empty":
        return {}
    if kind == "enum":
        return {"enum": draw(st.lists(SCALARS, min_size=1, max_size=3, unique_by=repr))}
    if kind == "const":
        return {"const": draw(SCALARS)}
    schema: dict[str, Any] = {"type": ["string", "null"] if kind == "nullable" else kind}
    if kind in ("string", "nullable"):
        for keyword in ("minLength", "maxLength"):
            if draw(st.booleans()):
                schema[keyword] = draw(st.integers(0, 4))
        if draw(st.integers(0, 4)) == 0:
            schema["pattern"] = draw(st.sampled_from(["^a", "b$", "^[ab]*$"]))
        if draw(st.integers(0, 5)) == 0:
            schema["format"] = draw(st.sampled_from(["date", "email"]))
    if kind in ("integer", "number"):
        for keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            if draw(st.integers(0, 2)) == 0:
                schema[keyword] = draw(st.integers(-3, 3))
        if draw(st.integers(0, 4)) == 0:
            # Integers, and floats whose tests are exact (powers of two) or not (1.5, 0.1): the
            # rules must follow a validator's arithmetic, rounding included.
            schema["multipleOf"] = draw(st.sampled_from([1, 2, 3, 4, 0.5, 0.25, 1.5, 0.1]))
    return schema


def schemas(depth: int = 2) -> st.SearchStrategy[Any]:
    if depth <= 0:
        return leaves()
    return st.one_of(leaves(), objects(depth), arrays(depth), combined(depth))


@st.composite
def objects(draw: st.DrawFn, depth: int) -> Any:
    names = draw(st.lists(st.sampled_from(NAMES), max_size=3, unique=True))
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {n: draw(schemas(depth - 1)) for n in names},
    }
    required = [n for n in names if draw(st.booleans())]
    if required:
        schema["required"] = required
    model = draw(st.sampled_from(["open", "closed", "schema", "pattern", "true"]))
    if model == "closed":
        schema["additionalProperties"] = False
    elif model == "schema":
        schema["additionalProperties"] = draw(leaves())
    elif model == "pattern":
        schema["patternProperties"] = {"^x_": draw(leaves())}
        schema["additionalProperties"] = draw(st.sampled_from([False, True]))
    elif model == "true":
        schema["additionalProperties"] = True
    if draw(st.integers(0, 4)) == 0:
        schema["minProperties"] = draw(st.integers(0, 2))
    if draw(st.integers(0, 4)) == 0:
        schema["maxProperties"] = draw(st.integers(1, 3))
    if len(names) > 1 and draw(st.integers(0, 4)) == 0:
        schema["dependentRequired"] = {names[0]: [names[1]]}
    if draw(st.integers(0, 6)) == 0:
        schema["propertyNames"] = {"maxLength": draw(st.integers(1, 3))}
    if names and draw(st.integers(0, 6)) == 0:
        schema["if"] = {"properties": {names[0]: {"const": draw(SCALARS)}}, "required": [names[0]]}
        schema["then"] = {"required": [draw(st.sampled_from(NAMES))]}
    return schema


@st.composite
def arrays(draw: st.DrawFn, depth: int) -> Any:
    schema: dict[str, Any] = {"type": "array"}
    if draw(st.booleans()):
        schema["prefixItems"] = draw(st.lists(schemas(depth - 1), min_size=1, max_size=2))
        rest = draw(st.sampled_from(["absent", "false", "schema", "true"]))
        if rest != "absent":
            schema["items"] = (
                {"false": False, "true": True}.get(rest) if rest != "schema" else draw(leaves())
            )
    elif draw(st.booleans()):
        schema["items"] = draw(schemas(depth - 1))
    for keyword in ("minItems", "maxItems"):
        if draw(st.integers(0, 3)) == 0:
            schema[keyword] = draw(st.integers(0, 3))
    if draw(st.integers(0, 4)) == 0:
        schema["uniqueItems"] = True
    if draw(st.integers(0, 4)) == 0:
        schema["contains"] = draw(leaves())
        if draw(st.booleans()):
            schema["minContains"] = draw(st.integers(0, 2))
        if draw(st.booleans()):
            schema["maxContains"] = draw(st.integers(1, 3))
    return schema


@st.composite
def combined(draw: st.DrawFn, depth: int) -> Any:
    keyword = draw(st.sampled_from(["anyOf", "oneOf", "allOf", "not"]))
    if keyword == "not":
        return {"not": draw(leaves())}
    return {keyword: draw(st.lists(schemas(depth - 1), min_size=1, max_size=3))}


def _nodes(schema: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths of every schema object inside ``schema``."""
    out = [path] if isinstance(schema, dict) else []
    if not isinstance(schema, dict):
        return out
    for keyword, value in schema.items():
        if keyword in ("properties", "patternProperties"):
            for name, sub in value.items():
                out += _nodes(sub, (*path, keyword, name))
        elif keyword in ("prefixItems", "anyOf", "oneOf", "allOf") and isinstance(value, list):
            for i, sub in enumerate(value):
                out += _nodes(sub, (*path, keyword, i))
        elif keyword in ("items", "additionalProperties", "not", "contains", "then"):
            out += _nodes(value, (*path, keyword))
    return out


def _at(schema: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        schema = schema[step]
    return schema


_BOUNDS = (
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
    "minContains",
    "maxContains",
)


@st.composite
def mutations(draw: st.DrawFn, schema: Any) -> Any:
    """One random edit of ``schema``: aimed at what compatibility rules are about."""
    new = copy.deepcopy(schema)
    if not isinstance(new, dict):
        return draw(schemas(1))
    paths = _nodes(new)
    target = _at(new, draw(st.sampled_from(paths)))
    op = draw(
        st.sampled_from(
            [
                "bound",
                "drop",
                "add_prop",
                "drop_prop",
                "required",
                "model",
                "enum",
                "type",
                "replace",
                "format",
                "wrap",
            ]
        )
    )
    bounds = [k for k in _BOUNDS if k in target]
    if op == "bound" and bounds:
        key = draw(st.sampled_from(bounds))
        if key == "multipleOf":
            target[key] = draw(st.sampled_from([1, 2, 3, 4, 6, 0.5, 0.25, 1.5, 0.1, 0.2]))
        else:
            target[key] = max(0, target[key] + draw(st.sampled_from([-2, -1, 1, 2])))
    elif op == "drop" and target:
        del target[draw(st.sampled_from(sorted(target)))]
    elif op == "add_prop":
        target.setdefault("properties", {})[draw(st.sampled_from(NAMES))] = draw(leaves())
        if draw(st.booleans()):
            target.setdefault("required", [])
            target["required"] = sorted(set(target["required"]) | {draw(st.sampled_from(NAMES))})
        if "type" not in target and draw(st.booleans()):
            target["type"] = "object"
    elif op == "drop_prop" and target.get("properties"):
        del target["properties"][draw(st.sampled_from(sorted(target["properties"])))]
    elif op == "required" and target.get("properties"):
        name = draw(st.sampled_from(sorted(target["properties"])))
        required = set(target.get("required", []))
        required ^= {name}
        target["required"] = sorted(required)
    elif op == "model":
        target["additionalProperties"] = draw(st.one_of(st.booleans(), leaves()))
    elif op == "enum":
        values = [*list(target.get("enum", [])), draw(SCALARS)]
        target["enum"] = list({repr(v): v for v in values}.values())[-3:]
    elif op == "type":
        target["type"] = draw(
            st.sampled_from(
                ["string", "integer", "number", "object", ["string", "null"], ["integer", "string"]]
            )
        )
    elif op == "format":
        target["format"] = draw(st.sampled_from(["date", "email"]))
    elif op == "wrap":
        return {draw(st.sampled_from(["anyOf", "oneOf"])): [new, draw(leaves())]}
    else:
        replacement = draw(schemas(1))
        if not paths[0] and target is new:
            return replacement
        target.clear()
        if isinstance(replacement, dict):
            target.update(replacement)
    return new


def with_draft(schema: Any) -> Any:
    return {"$schema": D20, **schema} if isinstance(schema, dict) else schema


# -- rewrites: other spellings of (mostly) the same set, for the inclusion prover --------------


def _extract(root: dict[str, Any], path: tuple[Any, ...], counter: list[int]) -> None:
    """Move the subschema at ``path`` into ``$defs`` and refer to it."""
    parent = _at(root, path[:-1])
    name = f"d{counter[0]}"
    counter[0] += 1
    root.setdefault("$defs", {})[name] = parent[path[-1]]
    parent[path[-1]] = {"$ref": f"#/$defs/{name}"}


def _respelled(node: dict[str, Any], how: str) -> dict[str, Any]:
    types = node.get("type")
    if how == "type-list" and isinstance(types, list):
        return {"oneOf": [{**node, "type": t} for t in types]}
    if how == "split-required" and "required" in node:
        rest = {k: v for k, v in node.items() if k != "required"}
        return {"allOf": [rest, {"required": node["required"]}]}
    if how == "not-not":
        return {"not": {"not": node}}
    if how == "any-of-one":
        return {"anyOf": [node]}
    if how == "all-of-one":
        return {"allOf": [node]}
    return node


@st.composite
def rewrites(draw: st.DrawFn, schema: Any) -> Any:
    """Up to two rewrites of ``schema``: a subschema moved behind a ``$ref``, a ``type`` list
    spelled as ``oneOf``, ``required`` split into an ``allOf`` branch, ``not not``, one-branch
    combinators."""
    if not isinstance(schema, dict):
        return schema
    root = copy.deepcopy(schema)
    counter = [0]
    for _ in range(draw(st.integers(0, 2))):
        paths = [p for p in _nodes(root) if p]
        how = draw(
            st.sampled_from(
                ["ref", "type-list", "split-required", "not-not", "any-of-one", "all-of-one"]
            )
        )
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        if how == "ref":
            _extract(root, path, counter)
        else:
            parent = _at(root, path[:-1])
            parent[path[-1]] = _respelled(parent[path[-1]], how)
    return root


@st.composite
def recursive(draw: st.DrawFn) -> Any:
    """A recursive schema (a tree of nodes through ``$ref``) with a random leaf value."""
    return {
        "$schema": D20,
        "$ref": "#/$defs/node",
        "$defs": {
            "node": {
                "type": "object",
                "properties": {
                    "value": draw(leaves()),
                    "children": {"type": "array", "items": {"$ref": "#/$defs/node"}},
                },
                "required": ["value"],
            }
        },
    }
