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

from eventcat.compat.counterexamples import candidates, hints
from eventcat.compat.schema import Side


def validator(schema: Any) -> Any:
    cls = validator_for(schema, default=Draft7Validator if _is7(schema) else Draft202012Validator)
    return cls(schema, format_checker=FormatChecker())


def _is7(schema: Any) -> bool:
    return not (isinstance(schema, dict) and "2020-12" in str(schema.get("$schema", "")))


def _props(schema: Any) -> dict[str, Any]:
    if isinstance(schema, dict) and isinstance(schema.get("properties"), dict):
        return schema["properties"]
    return {}


def _items(schema: Any, index: int) -> Any:
    if not isinstance(schema, dict):
        return schema
    for keyword in ("prefixItems", "items"):
        value = schema.get(keyword)
        if isinstance(value, list):
            if index < len(value):
                return value[index]
            return schema.get("items" if keyword == "prefixItems" else "additionalItems", True)
    return schema.get("items", True)


def only_declared(instance: Any, schema: Any) -> bool:
    """Whether every object in ``instance`` carries only properties ``schema`` declares."""
    if isinstance(instance, dict):
        props = _props(schema)
        return all(k in props and only_declared(v, props[k]) for k, v in instance.items())
    if isinstance(instance, list):
        return all(only_declared(v, _items(schema, i)) for i, v in enumerate(instance))
    return True


def tolerant(instance: Any, new: Any) -> Any:
    """Drop from ``instance`` every property ``new`` does not declare, at every depth."""
    if isinstance(instance, dict):
        props = _props(new)
        return {k: tolerant(v, props[k]) for k, v in instance.items() if k in props}
    if isinstance(instance, list):
        return [tolerant(v, _items(new, i)) for i, v in enumerate(instance)]
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
