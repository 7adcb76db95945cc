"""The payload fields a schema declares, as dotted paths (``items[].sku``), $refs followed.

Used by lint (consumers' declared fields), the gate (which consumers a change touches) and the
docs site (property tables and the field index).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from eventcat.catalog.model import path_for
from eventcat.catalog.refs import resolver_base
from eventcat.jsonpointer import escape

MAX_FIELD_DEPTH = 32


@dataclass(frozen=True)
class Field:
    path: str  # dotted, "[]" for array items
    schema: Any  # the property's schema, $ref resolved
    required: bool
    #: the file (catalog path) and pointer where the property is declared
    file: str
    pointer: str
    #: the catalog path of a shared fragment the property's schema came from, if any
    ref: str | None = None


def _lookup(resolver: Any, ref: str) -> tuple[Any, Any, str] | None:
    try:
        resolved = resolver.lookup(ref)
    except Exception:  # unresolvable refs are reported by the loader
        return None
    uri = resolver_base(resolved.resolver)
    return resolved.contents, resolved.resolver, uri


def _branches(
    schema: Any, resolver: Any, seen: frozenset[int]
) -> Iterator[tuple[Any, Any, str | None]]:
    """The schema itself and every in-place part of it that can declare properties."""
    if not isinstance(schema, dict) or id(schema) in seen:
        return
    seen = seen | {id(schema)}
    yield schema, resolver, None
    ref = schema.get("$ref")
    if isinstance(ref, str):
        found = _lookup(resolver, ref)
        if found is not None:
            contents, inner, uri = found
            for node, res, via in _branches(contents, inner, seen):
                yield node, res, via or uri
    for keyword in ("allOf", "anyOf", "oneOf"):
        for item in schema.get(keyword, []) if isinstance(schema.get(keyword), list) else []:
            yield from _branches(item, resolver, seen)
    for keyword in ("then", "else"):
        yield from _branches(schema.get(keyword), resolver, seen)


def iter_fields(
    schema: Any,
    resolver: Any,
    file: str,
    prefix: str = "",
    pointer: str = "",
    depth: int = 0,
    seen: frozenset[int] = frozenset(),
) -> Iterator[Field]:
    """Every property path of ``schema`` (depth-first), following ``$ref``s through ``resolver``."""
    if depth > MAX_FIELD_DEPTH or not isinstance(schema, dict) or id(schema) in seen:
        return
    seen = seen | {id(schema)}
    for node, node_resolver, via in _branches(schema, resolver, frozenset()):
        required = node.get("required") if isinstance(node.get("required"), list) else []
        properties = node.get("properties")
        if isinstance(properties, dict):
            for name, sub in properties.items():
                path = f"{prefix}.{name}" if prefix else name
                sub_pointer = f"{pointer}/properties/{escape(name)}"
                resolved, sub_resolver, ref = _resolve(sub, node_resolver)
                source = path_for(ref or via or "")
                yield Field(
                    path,
                    resolved,
                    name in required,
                    file,
                    sub_pointer,
                    source if source != file else None,
                )
                yield from iter_fields(
                    resolved, sub_resolver, file, path, sub_pointer, depth + 1, seen
                )
        items = node.get("items")
        if isinstance(items, dict):
            resolved, sub_resolver, _ = _resolve(items, node_resolver)
            yield from iter_fields(
                resolved, sub_resolver, file, f"{prefix}[]", f"{pointer}/items", depth + 1, seen
            )


def _resolve(schema: Any, resolver: Any) -> tuple[Any, Any, str | None]:
    hops = 0
    ref_uri: str | None = None
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and hops < 16:
        found = _lookup(resolver, schema["$ref"])
        if found is None:
            break
        schema, resolver, ref_uri = found
        hops += 1
    return schema, resolver, ref_uri


def field_paths(schema: Any, resolver: Any, file: str) -> set[str]:
    return {field.path for field in iter_fields(schema, resolver, file)}
