"""Minimal instances: the smallest value a schema position accepts (required members only, the
lower bounds, a format's example), and a local value embedded in one for the whole document.
"""

from __future__ import annotations

import random
from functools import lru_cache
from typing import Any

from eventcat.compat.here import Here, as_dict, as_list, tuple_of

# Values that satisfy each format the validator asserts (jsonschema-rs, formats on).
FORMAT_VALUES: dict[str, str] = {
    "uri": "https://example.com/a",
    "uri-reference": "https://example.com/a",
    "iri": "https://example.com/a",
    "iri-reference": "https://example.com/a",
    "url": "https://example.com/a",
    "uri-template": "https://example.com/{id}",
    "email": "a@example.com",
    "idn-email": "a@example.com",
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "time": "00:00:00Z",
    "duration": "P1D",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "hostname": "example.com",
    "idn-hostname": "example.com",
    "json-pointer": "/a",
    "relative-json-pointer": "0",
    "regex": "a",
}


def finite(v: Any) -> bool:
    return (
        isinstance(v, int | float)
        and not isinstance(v, bool)
        and abs(v) < 1e300
        and (v == 0 or abs(v) > 1e-300)
    )


def sized(conforming: str, n: int) -> str:
    """A string of ``n`` characters, in the format when one is given and it fits."""
    if conforming and len(conforming) <= n:
        if conforming.startswith("https://"):
            return conforming + "a" * (n - len(conforming))
        return conforming if len(conforming) == n else "a" * n
    return "a" * n


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


NONE = object()


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
    parts = [minimal(here.at(b), depth + 1) for b in as_list(schema.get("allOf"))]
    for keyword in ("anyOf", "oneOf"):
        if as_list(schema.get(keyword)):
            parts.append(minimal(here.at(schema[keyword][0]), depth + 1))
    if parts and "type" not in schema and "properties" not in schema:
        if all(isinstance(p, dict) for p in parts):
            return {k: v for p in parts for k, v in p.items()}  # allOf of objects: all members
        return parts[0]
    own = _typed_minimal(here, depth)
    if isinstance(own, dict) and parts:
        return {**{k: v for p in parts if isinstance(p, dict) for k, v in p.items()}, **own}
    return own


def _typed_minimal(here: Here, depth: int) -> Any:
    schema = here.schema
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = kind[0] if kind else None
    if kind == "object" or (kind is None and isinstance(schema.get("properties"), dict)):
        props = as_dict(schema.get("properties"))
        required = schema.get("required")
        return {
            n: minimal(here.at(props.get(n, True)), depth + 1)
            for n in (required if isinstance(required, list) else [])
            if isinstance(n, str)
        }
    if kind == "array":
        n = schema.get("minItems", 0)
        return [minimal(here.at(schema.get("items", True)), depth + 1)] * (
            n if isinstance(n, int) and n < 50 else 0
        )
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
        return sized(
            conforming, max(n if isinstance(n, int) and n < 10_000 else 0, len(conforming))
        )
    if kind in ("number", "integer"):
        low = schema.get("minimum", schema.get("exclusiveMinimum"))
        m = schema.get("multipleOf")
        value = low if finite(low) else 0
        if finite(m) and m > 0 and abs(value / m) < 1e15:
            value = m * (int(value / m) + 1)
        return value + 1 if "exclusiveMinimum" in schema and value == low else value
    if kind == "boolean":
        return False
    return None  # null, or a schema this helper does not try to satisfy


def embed(here: Here, path: list[Any], value: Any) -> Any:
    """Put ``value`` at ``path`` inside a minimal instance of ``here``'s schema."""
    if not path:
        return value
    here = here.resolved()
    step, rest = path[0], path[1:]
    schema = here.schema if isinstance(here.schema, dict) else {}
    if isinstance(step, str):
        base = minimal(here, 0)
        base = dict(base) if isinstance(base, dict) else {}
        inner = embed(here.at(as_dict(schema.get("properties")).get(step, True)), rest, value)
        if inner is NONE:
            return NONE
        base[step] = inner
        return base
    prefix = tuple_of(schema)
    sub = prefix[step] if step < len(prefix) else schema.get("items", True)
    items = [minimal(here.at(prefix[i] if i < len(prefix) else sub), 0) for i in range(step)]
    inner = embed(here.at(sub), rest, value)
    if inner is NONE:
        return NONE
    return [*items, inner]
