"""Witnesses for soundness checks: instances of the old schema that must pass the new one.

STRICT: an instance valid under the old schema must be valid under the new one. LENIENT (the
tolerant reader of CONTRACT §3): instances whose objects carry only properties the old schema
declares, after dropping every property the new schema does not declare, must be valid under the
new one. These helpers follow plain structure (properties, items, prefixItems) as the generated
schemas use it.
"""

from __future__ import annotations

from typing import Any

from jsonschema import Draft7Validator, Draft202012Validator, FormatChecker
from jsonschema.validators import validator_for

from eventcat.compat.candidates import candidates, hints
from eventcat.compat.schema import Side


def validator(schema: Any) -> Any:
    cls = validator_for(schema, default=Draft7Validator if _is7(schema) else Draft202012Validator)
    return cls(schema, format_checker=FormatChecker())


def _is7(schema: Any) -> bool:
    return not (isinstance(schema, dict) and "2020-12" in str(schema.get("$schema", "")))


# Declarations come from the schema and its combinator branches; a conditional's properties are
# conditions, not declarations (a reader does not learn a field from `if`).
_IN_PLACE = ("allOf", "anyOf", "oneOf")


def _in_place(schema: Any, root: Any) -> list[Any]:
    """``schema`` and the subschemas that apply at the same instance location (through in-place
    applicators and local ``$ref``s: a property declared behind a ``$ref`` is declared)."""
    out, stack, seen = [], [schema], set()
    while stack:
        s = stack.pop()
        if not isinstance(s, dict) or id(s) in seen:
            continue
        seen.add(id(s))
        out.append(s)
        for keyword in _IN_PLACE:
            stack.extend(s.get(keyword) or [])
        ref = s.get("$ref")
        if isinstance(ref, str) and ref.startswith("#"):
            stack.append(_pointer(root, ref[1:]))
    return out


def _pointer(root: Any, pointer: str) -> Any:
    for part in pointer.split("/")[1:]:
        part = part.replace("~1", "/").replace("~0", "~")
        root = root[int(part)] if isinstance(root, list) else root[part]
    return root


def _props(schemas: list[Any], root: Any) -> dict[str, list[Any]]:
    """The properties declared at this location (through in-place applicators too)."""
    found: dict[str, list[Any]] = {}
    for schema in schemas:
        for s in _in_place(schema, root):
            if isinstance(s.get("properties"), dict):
                for name, sub in s["properties"].items():
                    found.setdefault(name, []).append(sub)
    return found


def _items(schemas: list[Any], index: int, root: Any) -> list[Any]:
    out = []
    for schema in schemas:
        for s in _in_place(schema, root):
            prefix = s.get("prefixItems")
            if isinstance(prefix, list) and index < len(prefix):
                out.append(prefix[index])
            elif "items" in s:
                out.append(s["items"])
    return out


def only_declared(instance: Any, schema: Any) -> bool:
    """Whether every object in ``instance`` carries only properties ``schema`` declares."""
    return _only(instance, [schema], schema)


def _only(instance: Any, schemas: list[Any], root: Any) -> bool:
    if isinstance(instance, dict):
        props = _props(schemas, root)
        return all(k in props and _only(v, props[k], root) for k, v in instance.items())
    if isinstance(instance, list):
        return all(_only(v, _items(schemas, i, root), root) for i, v in enumerate(instance))
    return True


def tolerant(instance: Any, new: Any) -> Any:
    """Drop from ``instance`` every property ``new`` does not declare, at every depth."""
    return _drop(instance, [new], new)


def _drop(instance: Any, schemas: list[Any], root: Any) -> Any:
    if isinstance(instance, dict):
        props = _props(schemas, root)
        return {k: _drop(v, props[k], root) for k, v in instance.items() if k in props}
    if isinstance(instance, list):
        return [_drop(v, _items(schemas, i, root), root) for i, v in enumerate(instance)]
    return instance


def boundary_instances(schema: Any, *others: Any) -> list[Any]:
    """Candidates aimed at the boundaries of ``schema`` (see eventcat.compat.counterexamples)."""
    side = Side(schema, 7 if _is7(schema) else 2020, None, conditional_as_kind=False)
    out = []
    for i, value in enumerate(candidates(side, schema, 0, names=hints(schema, *others))):
        if i > 600:
            break
        out.append(value)
    return out


def violation(old: Any, new: Any, policy: str, instances: list[Any]) -> Any:
    """The first instance that disproves compatibility, or a sentinel ``NONE``."""
    vo, vn = validator(old), validator(new)
    for instance in instances:
        if not vo.is_valid(instance):
            continue
        if policy == "LENIENT":
            if not only_declared(instance, old):
                continue
            instance = tolerant(instance, new)
        if not vn.is_valid(instance):
            return instance
    return NONE


NONE = object()
