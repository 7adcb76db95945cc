"""Infer a draft payload schema from sample payloads (genson), then refine it.

genson gives the structure: types, ``properties``, ``items`` and ``required`` (the keys present in
every sample). This module adds what genson does not know:

- ``format`` (uuid, date-time, date, email, uri) where every sample's value agrees;
- nullable fields as ``"type": [T, "null"]`` instead of genson's ``anyOf`` with ``null``;
- enum *candidates* for low-cardinality strings (proposed as notes, applied only on request,
  because three samples rarely show every allowed value);
- ``$schema`` draft 2020-12 and notes on optional fields and mixed types.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventcat.catalog.jsonfile import read_json
from eventcat.catalog.safefile import read_regular
from eventcat.errors import InputError, UsageError
from eventcat.jsonpointer import escape
from eventcat.report.findings import Finding, Severity

DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"

#: Strings with at most this many distinct values (and some repetition) are enum candidates.
MAX_ENUM_VALUES = 6
_ENUM_TOKEN = re.compile(r"^[A-Za-z0-9_.:-]{1,40}$")

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_EMAIL = re.compile(r"^[^@\s\"'<>]+@[^@\s\"'<>]+\.[A-Za-z]{2,}$")
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^\s\"'<>]+$")


def _is_date(value: str) -> bool:
    if not _DATE.match(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_date_time(value: str) -> bool:
    from rfc3339_validator import validate_rfc3339

    return bool(validate_rfc3339(value))


#: Detectors in precedence order: the first one every value satisfies wins.
FORMATS: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("uuid", lambda v: bool(_UUID.match(v))),
    ("date-time", _is_date_time),
    ("date", _is_date),
    ("email", lambda v: bool(_EMAIL.match(v))),
    ("uri", lambda v: bool(_URI.match(v))),
)


def detect_format(values: Sequence[str]) -> str | None:
    """The format every value has, or None (also None for no values)."""
    if not values:
        return None
    for name, test in FORMATS:
        if all(test(v) for v in values):
            return name
    return None


@dataclass(frozen=True)
class Note:
    """Something inference noticed at one place of the schema (a JSON pointer)."""

    pointer: str
    kind: str  # format | enum-candidate | optional | nullable | mixed-types | empty-array
    message: str
    values: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Inference:
    """A draft schema inferred from samples, with what was noticed on the way.

    ``schema`` is the draft (a fresh dict you may edit); ``notes`` explain it;
    ``enum_candidates`` maps JSON pointers of low-cardinality string fields to the values seen.
    """

    schema: dict[str, Any]
    samples: tuple[Any, ...]
    notes: tuple[Note, ...] = ()
    enum_candidates: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def with_enums(self, *pointers: str) -> dict[str, Any]:
        """A copy of the schema with the enum candidates at ``pointers`` (all when none) applied."""
        chosen = pointers or tuple(self.enum_candidates)
        schema = copy.deepcopy(self.schema)
        for pointer in chosen:
            if pointer not in self.enum_candidates:
                raise InputError.at(
                    f"no enum candidate at {pointer!r}; candidates: "
                    f"{', '.join(self.enum_candidates) or 'none'}",
                    rule="usage",
                    pointer=pointer,
                )
            node = _at(schema, pointer)
            nullable = isinstance(node.get("type"), list)
            values: list[Any] = list(self.enum_candidates[pointer])
            node["enum"] = [*values, None] if nullable else values
        return schema

    def __repr__(self) -> str:
        lines = [f"Inference({len(self.samples)} samples, {len(self.notes)} notes)"]
        lines += [f"  {n.pointer or '/'}: {n.kind}: {n.message}" for n in self.notes]
        return "\n".join(lines)


def _at(schema: dict[str, Any], pointer: str) -> dict[str, Any]:
    from eventcat.jsonpointer import split_pointer

    node: Any = schema
    for token in split_pointer(pointer):
        node = node[int(token)] if isinstance(node, list) else node[token]
    assert isinstance(node, dict)
    return node


# -- reading samples ---------------------------------------------------------------------------


def read_samples(samples: Iterable[Any]) -> tuple[Any, ...]:
    """Parse samples: dicts are taken as they are, ``str``/``bytes`` are JSON text, a ``Path`` is
    a JSON file. Every sample must be a JSON object. Raises one :class:`InputError` listing every
    bad sample (``sample 2``, or the file name)."""
    parsed: list[Any] = []
    problems: list[Finding] = []
    for index, sample in enumerate(samples, start=1):
        label = f"sample {index}"
        try:
            if isinstance(sample, Path):
                label = str(sample)
                value, _ = read_json(read_regular(sample, file=label), label)
            elif isinstance(sample, bytes):
                value, _ = read_json(sample, label)
            elif isinstance(sample, str):
                value, _ = read_json(sample.encode("utf-8"), label)
            else:
                value = sample
        except InputError as err:
            problems.extend(err.problems)
            continue
        if not isinstance(value, dict):
            problems.append(
                Finding(
                    file=label,
                    rule="sample-invalid",
                    severity=Severity.ERROR,
                    message=f"a payload sample must be a JSON object, not {_json_type(value)}",
                    unreadable=True,
                )
            )
            continue
        parsed.append(value)
    if problems:
        raise InputError(problems)
    return tuple(parsed)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return type(value).__name__


# -- inference ---------------------------------------------------------------------------------


def infer_schema(samples: Iterable[Any], *, title: str | None = None) -> Inference:
    """Infer a draft 2020-12 payload schema from sample payloads (see :func:`read_samples`)."""
    try:
        from genson import SchemaBuilder
    except ImportError:  # an optional extra
        raise UsageError.at(
            "inferring a schema from samples needs genson: pip install 'eventcat[notebooks]'",
            rule="usage",
        ) from None

    values = read_samples(samples)
    builder = SchemaBuilder(schema_uri=DRAFT_2020_12)
    for value in values:
        builder.add_object(value)
    raw = builder.to_schema()
    if not values:
        raw = {"type": "object", "properties": {}}
    refiner = _Refiner()
    body = refiner.refine({k: v for k, v in raw.items() if k != "$schema"}, list(values), "")
    schema: dict[str, Any] = {"$schema": DRAFT_2020_12}
    if title:
        schema["title"] = title
    schema.update(body)
    return Inference(
        schema=schema,
        samples=values,
        notes=tuple(refiner.notes),
        enum_candidates=dict(refiner.enums),
    )


class _Refiner:
    def __init__(self) -> None:
        self.notes: list[Note] = []
        self.enums: dict[str, tuple[str, ...]] = {}

    def note(self, pointer: str, kind: str, message: str, values: Iterable[Any] = ()) -> None:
        self.notes.append(Note(pointer, kind, message, tuple(values)))

    def refine(self, node: dict[str, Any], values: list[Any], pointer: str) -> dict[str, Any]:
        node = self._nullable(node, values, pointer)
        types = node.get("type")
        type_list = types if isinstance(types, list) else [types]
        present = [v for v in values if v is not None]
        if "object" in type_list:
            self._object(node, [v for v in present if isinstance(v, dict)], pointer)
        if "array" in type_list:
            self._array(node, [v for v in present if isinstance(v, list)], pointer)
        if "string" in type_list:
            self._string(node, [v for v in present if isinstance(v, str)], pointer)
        if (
            "number" in type_list
            and any(isinstance(v, float) for v in present)
            and any(isinstance(v, int) and not isinstance(v, bool) for v in present)
        ):
            self.note(pointer, "mixed-types", "integers and decimals seen: typed as number")
        if "anyOf" in node:
            kinds = ", ".join(sorted(_kind(branch) for branch in node["anyOf"]))
            self.note(pointer, "mixed-types", f"values of several kinds ({kinds}): kept as anyOf")
            node["anyOf"] = [
                self.refine(branch, _matching(branch, present), pointer) for branch in node["anyOf"]
            ]
        return node

    def _nullable(self, node: dict[str, Any], values: list[Any], pointer: str) -> dict[str, Any]:
        types = node.get("type")
        if isinstance(types, list) and "null" in types:
            others = [t for t in types if t != "null"]
            node = {**node, "type": [*others, "null"] if others else "null"}
            self.note(pointer, "nullable", "null in some samples: nullable")
            return node
        branches = node.get("anyOf")
        if isinstance(branches, list):
            rest = [b for b in branches if b != {"type": "null"}]
            if (
                len(rest) == 1
                and len(rest) < len(branches)
                and isinstance(rest[0].get("type"), str)
            ):
                merged = dict(rest[0])
                merged["type"] = [rest[0]["type"], "null"]
                self.note(pointer, "nullable", "null in some samples: nullable")
                return merged
        return node

    def _object(self, node: dict[str, Any], values: list[dict[str, Any]], pointer: str) -> None:
        properties = node.get("properties")
        if not isinstance(properties, dict):
            return
        for name, sub in list(properties.items()):
            seen = [v[name] for v in values if name in v]
            sub_pointer = f"{pointer}/properties/{escape(name)}"
            properties[name] = self.refine(sub, seen, sub_pointer)
            if values and len(seen) < len(values):
                self.note(
                    sub_pointer,
                    "optional",
                    f"present in {len(seen)} of {len(values)} samples: optional",
                )
        required = node.get("required")
        if isinstance(required, list):
            node["required"] = [name for name in properties if name in required]
        # Keep the usual keyword order: type, required, properties.
        ordered: dict[str, Any] = {
            k: node.pop(k) for k in ("type", "required", "properties") if k in node
        }
        rest = dict(node)
        node.clear()
        node.update(ordered)
        node.update(rest)

    def _array(self, node: dict[str, Any], values: list[list[Any]], pointer: str) -> None:
        items = node.get("items")
        flat = [item for value in values for item in value]
        if isinstance(items, dict):
            node["items"] = self.refine(items, flat, f"{pointer}/items")
        elif not flat:
            self.note(pointer, "empty-array", "only empty arrays seen: the item type is unknown")

    def _string(self, node: dict[str, Any], values: list[str], pointer: str) -> None:
        found = detect_format(values)
        if found is not None:
            node["format"] = found
            self.note(pointer, "format", f"every value has format {found}", values[:3])
            return
        distinct = sorted(set(values))
        if (
            len(values) >= 2
            and 1 <= len(distinct) <= MAX_ENUM_VALUES
            and len(distinct) < len(values)
            and all(_ENUM_TOKEN.match(v) for v in distinct)
        ):
            self.enums[pointer] = tuple(distinct)
            self.note(
                pointer,
                "enum-candidate",
                f"{len(distinct)} distinct value(s) in {len(values)} samples: maybe an enum",
                distinct,
            )


def _kind(branch: Any) -> str:
    if isinstance(branch, dict):
        t = branch.get("type")
        if isinstance(t, str):
            return t
        if isinstance(t, list):
            return "|".join(str(x) for x in t)
    return "schema"


_PY_TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "null": lambda v: v is None,
}


def _matching(branch: Any, values: list[Any]) -> list[Any]:
    if not isinstance(branch, dict):
        return []
    t = branch.get("type")
    names = t if isinstance(t, list) else [t]
    tests = [_PY_TYPES[n] for n in names if isinstance(n, str) and n in _PY_TYPES]
    return [v for v in values if any(test(v) for test in tests)]
