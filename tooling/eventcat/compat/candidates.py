"""Candidates: values aimed at the boundaries a change moves (limits, enum members, formats,
optional and extra properties, tuple positions), generated from the writer's subschema within a
budget, for the counterexample search to check.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from eventcat.compat.here import Budget, Here, as_dict, as_list, side_index, tuple_of
from eventcat.compat.minimal import FORMAT_VALUES, finite, minimal, pattern_samples, sized
from eventcat.compat.schema import Side

#: Values generated per change (deterministic), across every candidate generator.
MAX_GENERATED = 4_000

# Plain values, with a few strings that fit common patterns (digits, decimals, codes).
_SCALARS: tuple[Any, ...] = (
    "",
    "a",
    "not-a-format",
    0,
    1,
    -1,
    1.5,
    True,
    False,
    None,
    [],
    {},
    "0",
    "1.5",
    "AAA",
    "A",
    "a1",
    "aaa",
)


def hints(*schemas: Any) -> dict[str, list[Any]]:
    """Member names declared anywhere in place (branches, conditionals) with the values they are
    pinned to: worth trying as properties of candidate objects."""
    found: dict[str, list[Any]] = {}
    stack = list(schemas)
    seen = 0
    while stack and len(found) < 200 and seen < 2_000:
        schema = stack.pop()
        seen += 1
        if not isinstance(schema, dict):
            continue
        for name, sub in as_dict(schema.get("properties")).items():
            values = found.setdefault(name, [])
            if isinstance(sub, dict):
                values.extend([sub["const"]] if "const" in sub else [])
                values.extend(sub["enum"][:8] if isinstance(sub.get("enum"), list) else [])
        for keyword in ("if", "then", "else", "not"):
            stack.append(schema.get(keyword))
        for keyword in ("allOf", "anyOf", "oneOf"):
            branches = schema.get(keyword)
            stack.extend(branches if isinstance(branches, list) else [])
        stack.extend(as_dict(schema.get("dependentSchemas")).values())
    return found


def candidates(
    side: Side, schema: Any, depth: int, names: dict[str, list[Any]] | None = None
) -> Iterator[Any]:
    """Values aimed at the boundaries of ``schema`` in ``side`` (not all valid: callers check)."""
    index, base = side_index(side)
    yield from candidates_at(
        Here(index, side.draft, schema, base), depth, names or {}, Budget(MAX_GENERATED)
    )


def candidates_at(
    here: Here, depth: int, names: dict[str, list[Any]], budget: Budget
) -> Iterator[Any]:
    for value in _candidates(here, depth, names, budget):
        if not budget.take():
            return
        yield value


def _candidates(
    here: Here, depth: int, names: dict[str, list[Any]], budget: Budget
) -> Iterator[Any]:
    schema = here.schema
    if depth > 4 or not isinstance(schema, dict) or budget.left <= 0:
        yield from _SCALARS
        return
    if "$ref" in schema:
        yield from _candidates(here.resolved(), depth + 1, {}, budget)
    if "const" in schema:
        yield schema["const"]
    for keyword in ("enum", "examples"):
        values = schema.get(keyword)
        yield from (values if isinstance(values, list) else [])
    if "default" in schema:
        yield schema["default"]
    if names:  # values pinned by either side (enum members, consts) first: the usual break
        base = minimal(here, depth)
        if isinstance(base, dict):
            for name, pinned in names.items():
                for value in pinned:
                    yield {**base, name: value}
    around = minimal(here, depth) if "allOf" in schema else None
    for keyword in ("allOf", "anyOf", "oneOf"):
        for branch in as_list(schema.get(keyword)):
            if budget.left <= 0:
                return
            for value in _candidates(here.at(branch), depth + 1, {}, budget):
                # A member aimed at in one allOf branch still needs the others' members.
                yield (
                    {**around, **value}
                    if isinstance(around, dict) and isinstance(value, dict)
                    else value
                )
    kind = schema.get("type")
    arrays = _arrays(here, depth, budget)
    objects = _objects(here, depth, names, budget)
    scalars = iter(_SCALARS)
    if kind == "array" or "contains" in schema or "prefixItems" in schema:
        order = (arrays, objects, scalars)
    elif kind == "object" or "properties" in schema:
        order = (objects, arrays, scalars)
    else:  # scalars first: the boundaries of numbers and strings, then plain values
        order = (scalars, objects, arrays)
    yield from _numbers(schema)
    yield from _strings(schema)
    for values in order:
        for value in values:
            if budget.left <= 0:
                return
            yield value


def _numbers(schema: dict[str, Any]) -> Iterator[Any]:
    v: Any
    m: Any
    for keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        v = schema.get(keyword)
        if finite(v):
            yield from (v, v - 1, v + 1, v - 0.5, v + 0.5)
    m = schema.get("multipleOf")
    if finite(m) and m > 0:
        yield from (m, 2 * m, 3 * m, 5 * m, 6 * m, 7 * m)


def _strings(schema: dict[str, Any]) -> Iterator[Any]:
    conforming = (
        FORMAT_VALUES.get(schema.get("format", ""), "")
        if isinstance(schema.get("format"), str)
        else ""
    )
    for keyword in ("minLength", "maxLength"):
        v = schema.get(keyword)
        if isinstance(v, int) and not isinstance(v, bool) and v < 10_000:
            for n in (v, max(v - 1, 0), v + 1):
                yield sized(conforming, n)
    if "format" in schema:
        yield from dict.fromkeys((conforming or "a", *FORMAT_VALUES.values(), "not a format"))
    if isinstance(schema.get("pattern"), str):
        yield from pattern_samples(schema["pattern"])


def _objects(here: Here, depth: int, names: dict[str, list[Any]], budget: Budget) -> Iterator[Any]:
    schema = here.schema
    props = as_dict(schema.get("properties"))
    base = minimal(here, 0)
    if not isinstance(base, dict):
        base = {}
    yield dict(base)
    for name, sub in props.items():
        if budget.left <= 0:
            return
        for value in _few(_candidates(here.at(sub), depth + 1, {}, budget), 12):
            yield {**base, name: value}
    full = {**{n: minimal(here.at(sub), 0) for n, sub in props.items()}, **base}
    yield full  # every declared member present: what a tolerant reader's writer may send
    for name in props:  # … all but one (a dependency met one way and not the other)
        yield {k: v for k, v in full.items() if k != name}
    for name in [n for n in base if n in props]:
        yield {k: v for k, v in base.items() if k != name}
    for name, pinned in names.items():
        for value in pinned:
            yield {**base, name: value}
            yield {k: v for k, v in base.items() if k != name} | {name: value}
    for name in (*names, "extra", "S_1", "I_1", "x", "a", "aa", "A", "0"):
        for value in ("a", 1, 1.5, None, {}, []):
            yield {**base, name: value}
    for n in _counts(schema, "minProperties", "maxProperties"):
        grown = dict(base)
        for name, sub in props.items():
            if len(grown) >= n:
                break
            grown.setdefault(name, minimal(here.at(sub), 0))
        grown.update({f"x{i}": "a" for i in range(n - len(grown))})
        yield grown


def _arrays(here: Here, depth: int, budget: Budget) -> Iterator[Any]:
    schema = here.schema
    items = schema.get("items")
    prefix = tuple_of(schema)
    single = items if isinstance(items, dict) else None
    tuple_values = [minimal(here.at(p), 0) for p in prefix]
    yield list(tuple_values)
    extra: Any
    for extra in ("a", 1, None, True, {}):
        yield [*tuple_values, extra]
        yield [*tuple_values, extra, extra]
    if single is not None:
        for value in _few(_candidates(here.at(single), depth + 1, {}, budget), 12):
            yield [*tuple_values, value]
            yield [*tuple_values, value, value]
    for i, p in enumerate(prefix):
        for value in _few(_candidates(here.at(p), depth + 1, {}, budget), 8):
            yield [*tuple_values[:i], value, *tuple_values[i + 1 :]]
    if "contains" in schema:
        count = schema.get("maxContains", schema.get("minContains", 1))
        count = count if isinstance(count, int) and 0 <= count < 20 else 1
        for value in _few(_candidates(here.at(schema["contains"]), depth + 1, {}, budget), 6):
            for other in (1.5, "a", None, 0):
                yield [value] * count + [other]
    item = minimal(here.at(single), 0)
    for n in _counts(schema, "minItems", "maxItems"):
        yield [*tuple_values, *[item] * max(n - len(tuple_values), 0)][:n]


def _counts(schema: dict[str, Any], *keywords: str) -> Iterator[int]:
    """The sizes either side of a count bound."""
    for keyword in keywords:
        n = schema.get(keyword)
        if isinstance(n, int) and not isinstance(n, bool) and 0 <= n < 50:
            yield from (k for k in (n, n + 1, n - 1) if k >= 0)


def _few(values: Iterator[Any], n: int) -> Iterator[Any]:
    for i, v in enumerate(values):
        if i >= n:
            return
        yield v
