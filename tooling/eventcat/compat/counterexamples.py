"""Counterexamples: instances the writer's schema accepts and the reader's rejects.

For a breaking change, candidates are generated from the writer's subschema at the change, aimed
at the boundaries a change moves (limits, enum members, optional and extra properties, tuple
positions), then checked with jsonschema against both subschemas. A candidate that passes is
embedded in a minimal instance of the whole writer schema, and the whole instance is checked
again: only a verified whole-document instance is ever attached.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jsonschema import Draft7Validator, Draft201909Validator, Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT7, DRAFT201909, DRAFT202012

from eventcat.compat.context import Diff
from eventcat.compat.schema import Node, Side

_VALIDATORS: dict[int, Any] = {7: Draft7Validator, 2019: Draft201909Validator,
                               2020: Draft202012Validator}
_SPECS = {7: DRAFT7, 2019: DRAFT201909, 2020: DRAFT202012}
_MAX_CANDIDATES = 400


def _validator(side: Side) -> Any:
    if side.validator is not None:
        return side.validator
    cls = _VALIDATORS[side.draft]
    resolver = side.resolver()
    registry = getattr(resolver, "_registry", None) or Registry()
    validator = cls(side.root, registry=registry, format_checker=cls.FORMAT_CHECKER,
                    _resolver=resolver)
    side.validator = validator
    return validator


def accepts(node: Node, value: Any) -> bool | None:
    """Whether the schema of ``node`` accepts ``value`` (None: the validator could not tell)."""
    return _accepts(node.side, node.raw, value)


def _accepts(side: Side, schema: Any, value: Any) -> bool | None:
    try:
        return bool(_validator(side).evolve(schema=schema).is_valid(value))
    except Exception:  # an unresolvable or unusual schema: no verdict, no counterexample
        return None


def find(diff: Diff) -> tuple[bool, Any]:
    """A verified whole-document counterexample for a breaking change, if one is found."""
    writer, reader = diff.old, diff.new
    side_w = writer.side if writer is not None else reader.side if reader is not None else None
    side_r = reader.side if reader is not None else writer.side if writer is not None else None
    if side_w is None or side_r is None:
        return False, None
    w_loc = _locate(side_w.root, diff.old_ptr)
    r_loc = _locate(side_r.root, diff.new_ptr)
    if w_loc is None or r_loc is None:
        return False, None
    (w_schema, w_path), (r_schema, _) = w_loc, r_loc
    names = hints(w_schema, r_schema)
    # First candidates the reader's subschema rejects on its own (cheap and usually enough); then,
    # for constraints that live beside the subschema (patternProperties, dependencies), any
    # candidate the writer accepts, judged on the whole document.
    for local in (True, False):
        for candidate in _limited(candidates(side_w, w_schema, depth=0, names=names)):
            if not _accepts(side_w, w_schema, candidate):
                continue
            if local and _accepts(side_r, r_schema, candidate) is not False:
                continue
            whole = _embed(side_w, side_w.root, w_path, candidate)
            if whole is _NONE:
                continue
            if _accepts(side_w, side_w.root, whole) and \
                    _accepts(side_r, side_r.root, whole) is False:
                return True, whole
    return False, None


def _limited(values: Iterator[Any]) -> Iterator[Any]:
    for i, v in enumerate(values):
        if i >= _MAX_CANDIDATES:
            return
        yield v


# -- locating a schema position and its instance path ------------------------------------------

_NAMED = ("properties", "patternProperties", "dependentSchemas", "dependencies")
_INDEXED = ("allOf", "anyOf", "oneOf", "prefixItems")
_SINGLE = ("not", "if", "then", "else", "additionalProperties", "unevaluatedProperties",
           "propertyNames", "contains", "additionalItems", "unevaluatedItems")


def _locate(root: Any, pointer: str) -> tuple[Any, list[Any]] | None:
    """The deepest schema on ``pointer`` and the instance path that leads to it (None where the
    path leaves the instance, as under $defs or not)."""
    segments = [s.replace("~1", "/").replace("~0", "~") for s in pointer.split("/")[1:]]
    schema: Any = root
    path: list[Any] = []
    i = 0
    best = (root, list(path))
    while i < len(segments) and isinstance(schema, dict):
        key = segments[i]
        if key in _NAMED and i + 1 < len(segments) and isinstance(schema.get(key), dict):
            name = segments[i + 1]
            nxt = schema[key].get(name)
            if nxt is None:
                return best  # an added or removed member: the enclosing schema is the place
            if key == "properties":
                path.append(name)
            elif key == "patternProperties":
                return best  # which name matches is not determined by the schema path
            i += 2
        elif key in _INDEXED and i + 1 < len(segments) and isinstance(schema.get(key), list):
            index = int(segments[i + 1]) if segments[i + 1].isdigit() else -1
            if not 0 <= index < len(schema[key]):
                return best
            nxt = schema[key][index]
            if key == "prefixItems":
                path.append(index)
            i += 2
        elif key == "items" and isinstance(schema.get("items"), list) and i + 1 < len(segments):
            index = int(segments[i + 1]) if segments[i + 1].isdigit() else -1
            if not 0 <= index < len(schema["items"]):
                return best
            nxt, i = schema["items"][index], i + 2
            path.append(index)
        elif key == "items" and isinstance(schema.get("items"), dict | bool):
            nxt, i = schema["items"], i + 1
            path.append(len(schema.get("prefixItems", [])))
        elif key in _SINGLE and isinstance(schema.get(key), dict | bool):
            if key in ("not", "propertyNames", "if", "contains", "additionalItems",
                       "additionalProperties", "unevaluatedProperties", "unevaluatedItems"):
                return best  # the instance path is not determined by the schema path
            nxt, i = schema[key], i + 1
        else:
            break
        schema = nxt
        best = (schema, list(path))
    return best


# -- candidates ----------------------------------------------------------------------------------

_SCALARS: tuple[Any, ...] = ("", "a", "not-a-format", 0, 1, -1, 1.5, True, False, None, [], {})


def hints(*schemas: Any) -> dict[str, list[Any]]:
    """Member names declared anywhere in place (branches, conditionals) with the values they are
    pinned to: worth trying as properties of candidate objects."""
    found: dict[str, list[Any]] = {}
    stack = list(schemas)
    while stack and len(found) < 200:
        schema = stack.pop()
        if not isinstance(schema, dict):
            continue
        for name, sub in _as_dict(schema.get("properties")).items():
            values = found.setdefault(name, [])
            if isinstance(sub, dict):
                values.extend([sub["const"]] if "const" in sub else [])
                values.extend(sub.get("enum") or [] if isinstance(sub.get("enum"), list) else [])
        for keyword in ("if", "then", "else", "not"):
            stack.append(schema.get(keyword))
        for keyword in ("allOf", "anyOf", "oneOf"):
            stack.extend(schema.get(keyword) or [])
        stack.extend(_as_dict(schema.get("dependentSchemas")).values())
    return found


def candidates(side: Side, schema: Any, depth: int, names: dict[str, list[Any]] | None = None
               ) -> Iterator[Any]:
    """Values aimed at the boundaries of ``schema`` (not all valid: callers check); ``names``
    maps member names worth trying as properties to values worth trying for them."""
    if depth > 4 or not isinstance(schema, dict):
        yield from _SCALARS
        return
    if "$ref" in schema:
        target = _deref(side, schema)
        if target is not None:
            yield from candidates(side, target, depth + 1)
    for keyword in ("const",):
        if keyword in schema:
            yield schema[keyword]
    for value in schema.get("enum") or []:
        yield value
    for value in schema.get("examples") or []:
        yield value
    if "default" in schema:
        yield schema["default"]
    for keyword in ("allOf", "anyOf", "oneOf"):
        for branch in schema.get(keyword) or []:
            yield from candidates(side, branch, depth + 1)
    kind = schema.get("type")
    arrays = _arrays(side, schema, depth)
    objects = _objects(side, schema, depth, names or {})
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
        yield from values


def _numbers(schema: dict[str, Any]) -> Iterator[Any]:
    for keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        v = schema.get(keyword)
        if isinstance(v, int | float) and not isinstance(v, bool):
            yield from (v, v - 1, v + 1, v - 0.5, v + 0.5)
    m = schema.get("multipleOf")
    if isinstance(m, int | float) and not isinstance(m, bool) and m > 0:
        yield from (m, 2 * m, 3 * m, 5 * m, 6 * m, 7 * m)


def _strings(schema: dict[str, Any]) -> Iterator[Any]:
    for keyword in ("minLength", "maxLength"):
        v = schema.get(keyword)
        if isinstance(v, int) and not isinstance(v, bool) and v < 10_000:
            yield from ("a" * v, "a" * max(v - 1, 0), "a" * (v + 1))
    if "format" in schema:
        yield from ("2024-01-01T00:00:00Z", "a@example.com", "00000000-0000-0000-0000-000000000000",
                    "2024-01-01", "https://example.com", "not a format")


def _objects(side: Side, schema: dict[str, Any], depth: int,
             names: dict[str, list[Any]]) -> Iterator[Any]:
    props = _as_dict(schema.get("properties"))
    base = minimal(side, schema, 0)
    if not isinstance(base, dict):
        base = {}
    yield dict(base)
    for name, sub in props.items():
        for value in _limited_few(candidates(side, sub, depth + 1), 12):
            yield {**base, name: value}
    without = [n for n in base if n in props]
    for name in without:
        yield {k: v for k, v in base.items() if k != name}
    for name, pinned in names.items():
        for value in pinned:
            yield {**base, name: value}
            yield {k: v for k, v in base.items() if k != name} | {name: value}
    for name in (*names, "extra", "S_1", "I_1", "x"):
        for value in ("a", 1, 1.5, None, {}, []):
            yield {**base, name: value}


def _arrays(side: Side, schema: dict[str, Any], depth: int) -> Iterator[Any]:
    items = schema.get("items")
    prefix = _tuple_of(schema)
    single = items if isinstance(items, dict) else None
    tuple_values = [minimal(side, p, 0) for p in prefix]
    yield list(tuple_values)
    extra: Any
    for extra in ("a", 1, None, True, {}):
        yield [*tuple_values, extra]
        yield [*tuple_values, extra, extra]
    if single is not None:
        for value in _limited_few(candidates(side, single, depth + 1), 12):
            yield [*tuple_values, value]
            yield [*tuple_values, value, value]
    for i, p in enumerate(prefix):
        for value in _limited_few(candidates(side, p, depth + 1), 8):
            yield [*tuple_values[:i], value, *tuple_values[i + 1:]]
    if "contains" in schema:
        count = schema.get("maxContains", schema.get("minContains", 1))
        count = count if isinstance(count, int) and 0 <= count < 20 else 1
        for value in _limited_few(candidates(side, schema["contains"], depth + 1), 6):
            for other in (1.5, "a", None, 0):
                yield [value] * count + [other]
    n = schema.get("minItems")
    if isinstance(n, int) and 0 < n < 50:
        yield [minimal(side, single, 0)] * n


def _limited_few(values: Iterator[Any], n: int) -> Iterator[Any]:
    for i, v in enumerate(values):
        if i >= n:
            return
        yield v


def _deref(side: Side, schema: dict[str, Any]) -> Any:
    try:
        return side.resolver().lookup(schema["$ref"]).contents
    except Exception:
        return None


def minimal(side: Side, schema: Any, depth: int) -> Any:
    """A small value meant to satisfy ``schema`` (best effort: callers verify)."""
    if depth > 8 or not isinstance(schema, dict):
        return None if schema is not True else "x"
    if "$ref" in schema:
        return minimal(side, _deref(side, schema), depth + 1)
    if "const" in schema:
        return schema["const"]
    for keyword in ("enum", "examples"):
        if isinstance(schema.get(keyword), list) and schema[keyword]:
            return schema[keyword][0]
    if "default" in schema:
        return schema["default"]
    for keyword in ("allOf", "anyOf", "oneOf"):
        if isinstance(schema.get(keyword), list) and schema[keyword] and "type" not in schema:
            return minimal(side, schema[keyword][0], depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = kind[0] if kind else None
    if kind == "object" or (kind is None and isinstance(schema.get("properties"), dict)):
        props = schema.get("properties") or {}
        return {n: minimal(side, props.get(n, True), depth + 1)
                for n in schema.get("required") or [] if isinstance(n, str)}
    if kind == "array":
        n = schema.get("minItems", 0)
        return [minimal(side, schema.get("items", True), depth + 1)] * (n if isinstance(n, int)
                                                                          and n < 50 else 0)
    if kind == "string":
        n = schema.get("minLength", 0)
        return "a" * (n if isinstance(n, int) and n < 10_000 else 0)
    if kind in ("number", "integer"):
        low = schema.get("minimum", schema.get("exclusiveMinimum"))
        m = schema.get("multipleOf")
        value = low if isinstance(low, int | float) and not isinstance(low, bool) else 0
        if isinstance(m, int | float) and not isinstance(m, bool) and m > 0:
            value = m * (int(value / m) + 1)
        return value + 1 if "exclusiveMinimum" in schema and value == low else value
    if kind == "boolean":
        return False
    return None  # null, or a schema this helper does not try to satisfy


_NONE = object()


def _embed(side: Side, root: Any, path: list[Any], value: Any) -> Any:
    """Put ``value`` at ``path`` inside a minimal instance of ``root``."""
    if not path:
        return value
    step, rest = path[0], path[1:]
    schema = root if isinstance(root, dict) else {}
    if "$ref" in schema:
        schema = _deref(side, schema) or {}
    if isinstance(step, str):
        base = minimal(side, schema, 0)
        base = dict(base) if isinstance(base, dict) else {}
        sub = (schema.get("properties") or {}).get(step, True)
        inner = _embed(side, sub, rest, value)
        if inner is _NONE:
            return _NONE
        base[step] = inner
        return base
    prefix = _tuple_of(schema)
    sub = prefix[step] if step < len(prefix) else schema.get("items", True)
    items = [minimal(side, prefix[i] if i < len(prefix) else sub, 0) for i in range(step)]
    inner = _embed(side, sub, rest, value)
    if inner is _NONE:
        return _NONE
    return [*items, inner]


def _as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _tuple_of(schema: dict[str, Any]) -> list[Any]:
    for keyword in ("prefixItems", "items"):
        value = schema.get(keyword)
        if isinstance(value, list):
            return value
    return []
