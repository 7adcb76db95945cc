"""The shape check: a schema the engine can walk (every subschema where a subschema belongs,
every numeric keyword a number), refused up front with a located error otherwise."""

from __future__ import annotations

from typing import Any

from eventcat.compat.schema import TYPE_NAMES, escaped
from eventcat.errors import SchemaError
from eventcat.jsonpointer import escape
from eventcat.subschemas import INDEXED, NAMED, ONE

__all__ = ["check_shape"]


_SUB_LIST = tuple(k for k in INDEXED if k != "items")  # an items array: see _push_subschemas
_NUMERIC = (
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
    "minContains",
    "maxContains",
    "multipleOf",
)
# The order in which check_shape visits the subschema keywords of one schema (it decides which of
# several problems is reported): the position of each keyword in that order.
_SUB_ORDER = {k: i for i, k in enumerate((*ONE, *NAMED, *_SUB_LIST, "dependencies"))}
_NUMERIC_KEYS = frozenset(_NUMERIC)


def check_shape(root: Any) -> None:
    """Refuse what is not a schema, with a pointer, before any comparison: the engine skips
    identical subtrees, so it must not rely on meeting every problem on its way."""
    stack: list[tuple[Any, str]] = [(root, "")]
    order = _SUB_ORDER
    while stack:
        schema, ptr = stack.pop()
        if isinstance(schema, bool):
            continue
        if not isinstance(schema, dict):
            raise SchemaError.at(
                f"expected a schema (a JSON object or a boolean), found {type(schema).__name__}",
                rule="schema",
                pointer=ptr,
            )
        if len(ptr) > 20_000:
            raise SchemaError.at(
                "the schema nests deeper than eventcat compares",
                rule="schema",
                pointer=ptr[:200] + "…",
            )
        _check_keywords(schema, ptr)
        if order.keys().isdisjoint(schema):
            continue  # a leaf: most schemas in a large document
        present = [k for k in schema if k in order]
        present.sort(key=order.__getitem__)
        for keyword in present:
            _push_subschemas(stack, keyword, schema[keyword], ptr)


def _push_subschemas(stack: list[tuple[Any, str]], keyword: str, value: Any, ptr: str) -> None:
    """Push the subschemas under ``keyword`` (whose value is ``value``) for check_shape."""
    if value is None:
        return
    if keyword in NAMED:
        if not isinstance(value, dict):
            raise SchemaError.at(
                f"{keyword} must be an object", rule="schema", pointer=f"{ptr}/{keyword}"
            )
        base = f"{ptr}/{keyword}/"
        stack.extend((v, base + escaped(k)) for k, v in value.items())
    elif keyword in _SUB_LIST:
        if not isinstance(value, list) or (not value and keyword != "prefixItems"):
            raise SchemaError.at(
                f"{keyword} must be a non-empty array of schemas",
                rule="schema",
                pointer=f"{ptr}/{keyword}",
            )
        stack.extend((v, f"{ptr}/{keyword}/{i}") for i, v in enumerate(value))
    elif keyword == "dependencies":
        if isinstance(value, dict):
            stack.extend(
                (v, f"{ptr}/dependencies/{escape(k)}")
                for k, v in value.items()
                if not isinstance(v, list)
            )
    elif isinstance(value, list) and keyword == "items":
        stack.extend((v, f"{ptr}/items/{i}") for i, v in enumerate(value))
    else:
        stack.append((value, f"{ptr}/{keyword}"))


def _check_keywords(schema: dict[str, Any], ptr: str) -> None:
    declared = schema.get("type")
    if declared is not None and not (declared.__class__ is str and declared in TYPE_NAMES):
        names = declared if isinstance(declared, list) else [declared]
        if not names or any(not isinstance(n, str) or n not in TYPE_NAMES for n in names):
            raise SchemaError.at(
                f"type must be one of {sorted(TYPE_NAMES)} or a non-empty list of them",
                rule="schema",
                pointer=ptr + "/type",
            )
    if not _NUMERIC_KEYS.isdisjoint(schema):
        for keyword, value in schema.items():
            if (
                keyword in _NUMERIC_KEYS
                and value.__class__ is not int
                and value.__class__ is not float
                and value is not None
            ):
                _numeric_problem(schema, ptr)
    multiple = schema.get("multipleOf")
    if multiple is not None and multiple <= 0:
        raise SchemaError.at(
            "multipleOf must be a number greater than 0", rule="schema", pointer=ptr + "/multipleOf"
        )
    required = schema.get("required")
    if required is not None and (
        not isinstance(required, list) or not all(isinstance(n, str) for n in required)
    ):
        raise SchemaError.at(
            "required must be an array of strings", rule="schema", pointer=ptr + "/required"
        )
    if "enum" in schema and not isinstance(schema["enum"], list):
        raise SchemaError.at("enum must be an array", rule="schema", pointer=ptr + "/enum")
    if "$ref" in schema and not isinstance(schema["$ref"], str):
        raise SchemaError.at("$ref must be a string", rule="schema", pointer=ptr + "/$ref")


def _numeric_problem(schema: dict[str, Any], ptr: str) -> None:
    """Raise for the first numeric keyword (in ``_NUMERIC`` order) whose value is not a number."""
    for keyword in _NUMERIC:
        value = schema.get(keyword)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise SchemaError.at(
                f"{keyword} must be a number", rule="schema", pointer=f"{ptr}/{keyword}"
            )
