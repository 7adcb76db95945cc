"""Counterexamples: instances the writer's schema accepts and the reader's rejects.

For a change the rules call breaking, candidates are generated from the writer's subschema at the
change, aimed at the boundaries a change moves (limits, enum members, formats, optional and extra
properties, tuple positions), and checked against both subschemas. A candidate that passes is
embedded in a minimal instance of the whole writer schema, and the whole instance is checked
again (under LENIENT, as the tolerant reader of CONTRACT §3 reads it): only a verified
whole-document instance is ever attached.

Validation is jsonschema-rs with formats asserted and linear-time patterns (``validating``).
Every search is bounded by a deterministic budget (candidates generated and checked, not wall
time), and the local witnesses of a pair of subschemas are memoised on the catalog side's shared
index, so events that share a fragment reuse them. A search that finds nothing within budget, or
meets a schema the validator cannot judge, answers with a reason: the change is then "unknown".
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from functools import lru_cache
from itertools import chain
from typing import Any

from eventcat.catalog.refs import resolver_base
from eventcat.compat.context import Diff
from eventcat.compat.schema import Node, Side
from eventcat.compat.validating import Index, NoVerdict, index_for
from eventcat.jsonpointer import split_pointer
from eventcat.subschemas import INDEXED, NAMED, ONE

# Per change: candidates checked against the writer, and values generated (both deterministic).
MAX_CHECKED = 400
MAX_GENERATED = 4_000
_LOCAL_KEPT = 3  # local witnesses memoised per pair of subschemas

Outcome = tuple[bool, Any, str]


class _Budget:
    __slots__ = ("left",)

    def __init__(self, steps: int) -> None:
        self.left = steps

    def take(self) -> bool:
        self.left -= 1
        return self.left >= 0


def _side_index(side: Side) -> tuple[Index, str]:
    return index_for(side.resolver())


def find(diff: Diff, side_w: Side, side_r: Side, lenient: bool = False) -> Outcome:
    """(found, instance, reason): a verified whole-document counterexample for ``diff`` (the
    writer's document ``side_w``, the reader's ``side_r``), or the reason none was found."""
    try:
        return _find(diff, side_w, side_r, lenient)
    except NoVerdict as err:
        return False, None, str(err)
    except RecursionError:
        return False, None, "the schemas nest too deeply to search for a counterexample"


def _find(diff: Diff, side_w: Side, side_r: Side, lenient: bool) -> Outcome:
    iw, root_w = _side_index(side_w)
    ir, root_r = _side_index(side_r)
    w = Here(iw, side_w.draft, side_w.root, root_w)
    r = Here(ir, side_r.draft, side_r.root, root_r)
    w_at, w_path = _locate(w, diff.old_ptr)
    r_at, r_path = _locate(r, diff.new_ptr)
    if w_path != r_path:  # compare like with like: both at the deepest shared instance place
        common = _common(w_path, r_path)
        w_at, w_path = _descend(w, common)
        r_at, _ = _descend(r, w_path)
        w_at, _ = _descend(w, w_path)
    key = (iw.pin(w_at.schema), w_at.base, id(ir), ir.pin(r_at.schema), r_at.base, lenient)
    local = iw.witnesses.get(key)
    if local is None:
        local = _local(w_at, r_at, lenient)
        iw.witnesses[key] = local
    # The writer's own examples first: real events, often exactly what the change rejects.
    for example in _list(side_w.root.get("examples") if isinstance(side_w.root, dict) else None):
        whole = _verified(w, r, [], example, lenient)
        if whole is not _NONE:
            return True, whole, ""
    for candidate in local[1]:
        whole = _verified(w, r, w_path, candidate, lenient)
        if whole is not _NONE:
            return True, whole, ""
    # Constraints that live beside the subschema (patternProperties, dependencies): any candidate
    # the writer accepts, judged on the whole document.
    budget, checked = _Budget(MAX_GENERATED), 0
    names = hints(w_at.schema, r_at.schema)
    for candidate in candidates_at(w_at, 0, names, budget):
        checked += 1
        if checked > MAX_CHECKED // 4:
            break
        if not w_at.accepts(candidate):
            continue
        whole = _verified(w, r, w_path, candidate, lenient)
        if whole is not _NONE:
            return True, whole, ""
    return False, None, local[2] or (
        f"no counterexample was found within the search budget ({MAX_CHECKED} candidates)")


def _local(w: Here, r: Here, lenient: bool) -> tuple[bool, list[Any], str]:
    """Up to a few values the writer's subschema accepts and the reader's rejects."""
    budget, found = _Budget(MAX_GENERATED), []
    names = hints(w.schema, r.schema)
    # Aimed at the writer's boundaries, then at the reader's (a bound the reader added).
    both = chain(candidates_at(w, 0, names, budget), candidates_at(r, 0, names, budget))
    for checked, candidate in enumerate(both, 1):
        if checked > MAX_CHECKED:
            break
        if w.accepts(candidate) and not r.accepts(_tolerant(r, candidate) if lenient
                                                  else candidate):
            found.append(candidate)
            if len(found) >= _LOCAL_KEPT:
                break
    return bool(found), found, ""


_NONE = object()


def _verified(w: Here, r: Here, path: list[Any], candidate: Any, lenient: bool) -> Any:
    whole = _embed(w, path, candidate)
    if whole is _NONE or not w.accepts(whole):
        return _NONE
    if lenient:
        if not _only_declared(w, whole):
            return _NONE
        if r.accepts(_tolerant(r, whole)):
            return _NONE
    elif r.accepts(whole):
        return _NONE
    return whole


def accepts(node: Node, value: Any) -> bool | None:
    """Whether the schema of ``node`` accepts ``value`` (None: the validator could not tell)."""
    try:
        index, base = _side_index(node.side)
        scope_base = resolver_base(node.scope) or base
        return Here(index, node.side.draft, node.raw, scope_base).accepts(value)
    except NoVerdict:
        return None


class Here:
    """A subschema with the base URI its relative ``$ref``s resolve against."""

    __slots__ = ("base", "draft", "index", "schema")

    def __init__(self, index: Index, draft: int, schema: Any, base: str) -> None:
        self.index, self.draft, self.schema, self.base = index, draft, schema, base

    def at(self, schema: Any) -> Here:
        return Here(self.index, self.draft, schema, self.base)

    def resolved(self) -> Here:
        """Follow ``$ref``s (a few) to a schema with structure."""
        here = self
        for _ in range(16):
            if not (isinstance(here.schema, dict) and isinstance(here.schema.get("$ref"), str)):
                return here
            found = here.index.deref(here.schema["$ref"], here.base)
            if found is None:
                return here.at({})
            here = Here(self.index, self.draft, found[0], found[1])
        return here.at({})

    def accepts(self, value: Any) -> bool:
        validator = self.index.validator(self.schema, self.base, self.draft)
        try:
            return bool(validator.is_valid(value))
        except Exception as err:  # a value the validator cannot take (a huge number, …)
            raise NoVerdict(f"the validator failed on a candidate ({type(err).__name__})") \
                from err


# -- locating a schema position and its instance path ------------------------------------------

_NAMED = (*NAMED, "dependencies")
_OFF_PATH = ("not", "propertyNames", "if", "contains", "additionalItems", "additionalProperties",
             "unevaluatedProperties", "unevaluatedItems", "patternProperties", "$defs",
             "definitions")


def _locate(root: Here, pointer: str) -> tuple[Here, list[Any]]:
    """The deepest schema on ``pointer`` (following ``$ref``s) and the instance path that leads
    to it; the walk stops where the instance path is not determined by the schema path."""
    segments = split_pointer(pointer)
    here, i = root, 0
    path: list[Any] = []
    while i < len(segments):
        schema = here.schema
        if not isinstance(schema, dict):
            break
        key = segments[i]
        if key not in schema and "$ref" in schema:
            nxt_here = here.resolved()
            if nxt_here.schema is schema:
                break
            here = nxt_here
            continue
        value = schema.get(key)
        if key in _OFF_PATH:
            break
        if key in _NAMED and i + 1 < len(segments) and isinstance(value, dict):
            nxt = value.get(segments[i + 1])
            if not isinstance(nxt, dict | bool):
                break  # an added or removed member (or a list of names): the enclosing schema
            if key == "properties":
                path.append(segments[i + 1])
            i += 2
        elif key in INDEXED and isinstance(value, list) and i + 1 < len(segments):
            index = int(segments[i + 1]) if segments[i + 1].isdigit() else -1
            if not 0 <= index < len(value):
                break
            nxt = value[index]
            if key in ("prefixItems", "items"):
                path.append(index)
            i += 2
        elif key == "items" and isinstance(value, dict | bool):
            nxt, i = value, i + 1
            path.append(len(_tuple_of(schema)))
        elif key in ONE and isinstance(value, dict | bool):
            nxt, i = value, i + 1
        else:
            break
        here = here.at(nxt)
    return here, path


def _common(a: list[Any], b: list[Any]) -> list[Any]:
    out = []
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        out.append(x)
    return out


def _descend(root: Here, path: list[Any]) -> tuple[Here, list[Any]]:
    """The schema at instance ``path`` through plain properties and items (following $refs),
    as deep as that determines it, and the part of ``path`` walked."""
    here, walked = root, []
    for step in path:
        here = here.resolved()
        schema = here.schema if isinstance(here.schema, dict) else {}
        if isinstance(step, str):
            sub = _as_dict(schema.get("properties")).get(step)
        else:
            prefix = _tuple_of(schema)
            sub = prefix[step] if step < len(prefix) else schema.get("items") \
                if isinstance(schema.get("items"), dict | bool) else None
        if sub is None:
            break
        here = here.at(sub)
        walked.append(step)
    return here, walked


# -- candidates ----------------------------------------------------------------------------------

# Plain values, with a few strings that fit common patterns (digits, decimals, codes).
_SCALARS: tuple[Any, ...] = ("", "a", "not-a-format", 0, 1, -1, 1.5, True, False, None, [], {},
                             "0", "1.5", "AAA", "A", "a1", "aaa")
# Values that satisfy each format the validator asserts (jsonschema-rs, formats on).
FORMAT_VALUES: dict[str, str] = {
    "uri": "https://example.com/a", "uri-reference": "https://example.com/a",
    "iri": "https://example.com/a", "iri-reference": "https://example.com/a",
    "url": "https://example.com/a", "uri-template": "https://example.com/{id}",
    "email": "a@example.com", "idn-email": "a@example.com", "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01", "time": "00:00:00Z", "duration": "P1D",
    "uuid": "00000000-0000-4000-8000-000000000000", "ipv4": "192.0.2.1", "ipv6": "2001:db8::1",
    "hostname": "example.com", "idn-hostname": "example.com", "json-pointer": "/a",
    "relative-json-pointer": "0", "regex": "a",
}


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
        for name, sub in _as_dict(schema.get("properties")).items():
            values = found.setdefault(name, [])
            if isinstance(sub, dict):
                values.extend([sub["const"]] if "const" in sub else [])
                values.extend(sub["enum"][:8] if isinstance(sub.get("enum"), list) else [])
        for keyword in ("if", "then", "else", "not"):
            stack.append(schema.get(keyword))
        for keyword in ("allOf", "anyOf", "oneOf"):
            branches = schema.get(keyword)
            stack.extend(branches if isinstance(branches, list) else [])
        stack.extend(_as_dict(schema.get("dependentSchemas")).values())
    return found


def candidates(side: Side, schema: Any, depth: int, names: dict[str, list[Any]] | None = None
               ) -> Iterator[Any]:
    """Values aimed at the boundaries of ``schema`` in ``side`` (not all valid: callers check)."""
    index, base = _side_index(side)
    yield from candidates_at(Here(index, side.draft, schema, base), depth, names or {},
                             _Budget(MAX_GENERATED))


def candidates_at(here: Here, depth: int, names: dict[str, list[Any]], budget: _Budget
                  ) -> Iterator[Any]:
    for value in _candidates(here, depth, names, budget):
        if not budget.take():
            return
        yield value


def _candidates(here: Here, depth: int, names: dict[str, list[Any]], budget: _Budget
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
        for branch in _list(schema.get(keyword)):
            if budget.left <= 0:
                return
            for value in _candidates(here.at(branch), depth + 1, {}, budget):
                # A member aimed at in one allOf branch still needs the others' members.
                yield {**around, **value} if isinstance(around, dict) and \
                    isinstance(value, dict) else value
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


def _finite(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and abs(v) < 1e300 and (
        v == 0 or abs(v) > 1e-300)


def _numbers(schema: dict[str, Any]) -> Iterator[Any]:
    v: Any
    m: Any
    for keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        v = schema.get(keyword)
        if _finite(v):
            yield from (v, v - 1, v + 1, v - 0.5, v + 0.5)
    m = schema.get("multipleOf")
    if _finite(m) and m > 0:
        yield from (m, 2 * m, 3 * m, 5 * m, 6 * m, 7 * m)


def _strings(schema: dict[str, Any]) -> Iterator[Any]:
    conforming = FORMAT_VALUES.get(schema.get("format", ""), "") \
        if isinstance(schema.get("format"), str) else ""
    for keyword in ("minLength", "maxLength"):
        v = schema.get(keyword)
        if isinstance(v, int) and not isinstance(v, bool) and v < 10_000:
            for n in (v, max(v - 1, 0), v + 1):
                yield _sized(conforming, n)
    if "format" in schema:
        yield from dict.fromkeys((conforming or "a", *FORMAT_VALUES.values(), "not a format"))
    if isinstance(schema.get("pattern"), str):
        yield from pattern_samples(schema["pattern"])


@lru_cache(maxsize=4096)
def pattern_samples(pattern: str) -> tuple[str, ...]:
    """A few strings matching ``pattern``, the same ones every run (seeded): rstr walks the
    regex's parse tree, which covers the classes, groups and repeats schemas use. ECMA syntax
    that Python's parser rejects (``\\p{L}``) yields nothing; the validator has the last word."""
    import rstr

    generator = rstr.Rstr(random.Random(len(pattern)))
    try:
        found = {generator.xeger(pattern) for _ in range(4)}
    except Exception:
        return ()
    return tuple(sorted(s for s in found if len(s) <= 1_000)[:3])


def _sized(conforming: str, n: int) -> str:
    """A string of ``n`` characters, in the format when one is given and it fits."""
    if conforming and len(conforming) <= n:
        if conforming.startswith("https://"):
            return conforming + "a" * (n - len(conforming))
        return conforming if len(conforming) == n else "a" * n
    return "a" * n


def _objects(here: Here, depth: int, names: dict[str, list[Any]], budget: _Budget
             ) -> Iterator[Any]:
    schema = here.schema
    props = _as_dict(schema.get("properties"))
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


def _arrays(here: Here, depth: int, budget: _Budget) -> Iterator[Any]:
    schema = here.schema
    items = schema.get("items")
    prefix = _tuple_of(schema)
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
            yield [*tuple_values[:i], value, *tuple_values[i + 1:]]
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


def minimal(here: Here, depth: int) -> Any:
    """A small value meant to satisfy the schema (best effort: callers verify), memoised."""
    key = (here.index.pin(here.schema), here.base, depth)
    memo = here.index.minimal
    if key not in memo:
        memo[key] = _minimal(here, depth)
    return memo[key]


def _minimal(here: Here, depth: int) -> Any:
    schema = here.schema
    if depth > 8 or not isinstance(schema, dict):
        return None if schema is not True else "x"
    if "$ref" in schema:
        return minimal(here.resolved(), depth + 1)
    if "const" in schema:
        return schema["const"]
    for keyword in ("enum", "examples"):
        if isinstance(schema.get(keyword), list) and schema[keyword]:
            return schema[keyword][0]
    if "default" in schema:
        return schema["default"]
    parts = [minimal(here.at(b), depth + 1) for b in _list(schema.get("allOf"))]
    for keyword in ("anyOf", "oneOf"):
        if _list(schema.get(keyword)):
            parts.append(minimal(here.at(schema[keyword][0]), depth + 1))
    if parts and "type" not in schema and "properties" not in schema:
        if all(isinstance(p, dict) for p in parts):
            return {k: v for p in parts for k, v in p.items()}  # allOf of objects: all members
        return parts[0]
    own = _typed_minimal(here, depth)
    if isinstance(own, dict) and parts:
        return {**{k: v for p in parts if isinstance(p, dict) for k, v in p.items()}, **own}
    return own


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _typed_minimal(here: Here, depth: int) -> Any:
    schema = here.schema
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = kind[0] if kind else None
    if kind == "object" or (kind is None and isinstance(schema.get("properties"), dict)):
        props = _as_dict(schema.get("properties"))
        required = schema.get("required")
        return {n: minimal(here.at(props.get(n, True)), depth + 1)
                for n in (required if isinstance(required, list) else []) if isinstance(n, str)}
    if kind == "array":
        n = schema.get("minItems", 0)
        return [minimal(here.at(schema.get("items", True)), depth + 1)] * (
            n if isinstance(n, int) and n < 50 else 0)
    if kind == "string":
        n = schema.get("minLength", 0)
        fmt = schema.get("format")
        conforming = FORMAT_VALUES.get(fmt, "") if isinstance(fmt, str) else ""
        pattern = schema.get("pattern")
        if isinstance(pattern, str) and not conforming:
            samples = pattern_samples(pattern)
            fitting = [s for s in samples if len(s) >= (n if isinstance(n, int) else 0)]
            if fitting:
                return fitting[0]
        return _sized(conforming, max(n if isinstance(n, int) and n < 10_000 else 0,
                                      len(conforming)))
    if kind in ("number", "integer"):
        low = schema.get("minimum", schema.get("exclusiveMinimum"))
        m = schema.get("multipleOf")
        value = low if _finite(low) else 0
        if _finite(m) and m > 0 and abs(value / m) < 1e15:
            value = m * (int(value / m) + 1)
        return value + 1 if "exclusiveMinimum" in schema and value == low else value
    if kind == "boolean":
        return False
    return None  # null, or a schema this helper does not try to satisfy


def _embed(here: Here, path: list[Any], value: Any) -> Any:
    """Put ``value`` at ``path`` inside a minimal instance of ``here``'s schema."""
    if not path:
        return value
    here = here.resolved()
    step, rest = path[0], path[1:]
    schema = here.schema if isinstance(here.schema, dict) else {}
    if isinstance(step, str):
        base = minimal(here, 0)
        base = dict(base) if isinstance(base, dict) else {}
        inner = _embed(here.at(_as_dict(schema.get("properties")).get(step, True)), rest, value)
        if inner is _NONE:
            return _NONE
        base[step] = inner
        return base
    prefix = _tuple_of(schema)
    sub = prefix[step] if step < len(prefix) else schema.get("items", True)
    items = [minimal(here.at(prefix[i] if i < len(prefix) else sub), 0) for i in range(step)]
    inner = _embed(here.at(sub), rest, value)
    if inner is _NONE:
        return _NONE
    return [*items, inner]


# -- the tolerant reader (CONTRACT §3), through $refs ----------------------------------------

def _in_place(here: Here) -> list[Here]:
    """The schema and the subschemas that apply at the same instance location."""
    out, stack, steps = [], [here], 0
    while stack and steps < 500:
        steps += 1
        h = stack.pop().resolved()
        if not isinstance(h.schema, dict):
            continue
        out.append(h)
        for keyword in ("allOf", "anyOf", "oneOf"):
            branches = h.schema.get(keyword)
            stack.extend(h.at(b) for b in (branches if isinstance(branches, list) else []))
    return out


def _declared(heres: list[Here]) -> dict[str, list[Here]]:
    found: dict[str, list[Here]] = {}
    for here in heres:
        for h in _in_place(here):
            for name, sub in _as_dict(h.schema.get("properties")).items():
                found.setdefault(name, []).append(h.at(sub))
    return found


def _items_at(heres: list[Here], index: int) -> list[Here]:
    out = []
    for here in heres:
        for h in _in_place(here):
            prefix = _tuple_of(h.schema)
            if index < len(prefix):
                out.append(h.at(prefix[index]))
            elif isinstance(h.schema.get("items"), dict | bool):
                out.append(h.at(h.schema["items"]))
    return out


def _only_declared(here: Here, instance: Any) -> bool:
    """Whether every object in ``instance`` carries only properties the schema declares."""
    def walk(value: Any, heres: list[Here]) -> bool:
        if isinstance(value, dict):
            props = _declared(heres)
            return all(k in props and walk(v, props[k]) for k, v in value.items())
        if isinstance(value, list):
            return all(walk(v, _items_at(heres, i)) for i, v in enumerate(value))
        return True
    return walk(instance, [here])


def _tolerant(here: Here, instance: Any) -> Any:
    """``instance`` with every property the schema does not declare dropped, at every depth."""
    def drop(value: Any, heres: list[Here]) -> Any:
        if isinstance(value, dict):
            props = _declared(heres)
            return {k: drop(v, props[k]) for k, v in value.items() if k in props}
        if isinstance(value, list):
            return [drop(v, _items_at(heres, i)) for i, v in enumerate(value)]
        return value
    return drop(instance, [here])


def _as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _tuple_of(schema: Any) -> list[Any]:
    if not isinstance(schema, dict):
        return []
    for keyword in ("prefixItems", "items"):
        value = schema.get(keyword)
        if isinstance(value, list):
            return value
    return []
