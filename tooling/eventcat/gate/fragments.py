"""Where a change that passes through shared fragments really is, and judging it once.

Two jobs over the ``$ref`` graph of one catalog side:

- :func:`locate` follows a JSON pointer in the compat engine's coordinates (the engine reads a
  ``$ref`` to another file as if the target were written in place, and restarts the pointer at a
  ``#/…`` reference) to the file and the pointer in that file where it lands, so that a finding
  names the file that holds the change.
- :class:`SiteFinder` lists the places (sites) where an unchanged event meets a changed file,
  provided every one of them sits at a *plain* position: reached from the root through
  ``properties``/``items`` of objects and arrays only, outside every combinator, ``not`` or
  conditional. There the engine compares the two targets of the ``$ref`` exactly as it would
  compare them on their own (its own memo re-uses such a comparison wherever the pair recurs), so
  one comparison of the fragment serves every event that uses it. Anything else (a site under
  ``anyOf``, a ``$ref`` with sibling keywords, an ``$id``, an anchor) returns None and the event
  is compared whole, as before: the fast path is only taken where it gives the same answer.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from eventcat.catalog.model import SchemaFile
from eventcat.jsonpointer import escape, join_pointer, node_at, split_pointer

# Keywords that never change what a schema accepts (the engine's own list) plus those that hold
# no subschema the engine walks from here ($defs are reached through $ref only).
_INERT = frozenset(
    {
        "title",
        "description",
        "default",
        "examples",
        "$comment",
        "$schema",
        "deprecated",
        "readOnly",
        "writeOnly",
        "$defs",
        "definitions",
        "x-eventcat",
    }
)
# Keywords that make the engine compare a node as something other than one plain object or array
# (a synthetic allOf, a strict context, a conditional): a site below them is not plain.
_NOT_PLAIN = frozenset(
    {
        "enum",
        "const",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "if",
        "then",
        "else",
        "patternProperties",
        "dependentSchemas",
        "dependencies",
        "unevaluatedProperties",
        "unevaluatedItems",
        "propertyNames",
        "$id",
        "$anchor",
        "$dynamicAnchor",
        "$recursiveAnchor",
        "$dynamicRef",
        "$recursiveRef",
        "prefixItems",
        "additionalItems",
        "contains",
    }
)


def resolve_ref(files: Mapping[str, SchemaFile], path: str, ref: str) -> tuple[str, str] | None:
    """``(file, pointer)`` that ``ref`` written in ``path`` points at, for the plain relative
    references of a catalog; None for what this module does not follow ($id bases, anchors)."""
    file = files.get(path)
    if file is None:
        return None
    if isinstance(file.schema, dict) and "$id" in file.schema:
        return None
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc or parts.query:
        return None
    target = path
    if parts.path:
        ref_path = unquote(parts.path)
        target = posixpath.normpath(
            ref_path.lstrip("/")
            if ref_path.startswith("/")
            else posixpath.join(posixpath.dirname(path), ref_path)
        )
    fragment = unquote(parts.fragment)
    if fragment and not fragment.startswith("/"):
        return None  # an anchor
    if target not in files:
        return None
    return target, join_pointer(split_pointer(fragment))


def walk_pointer(
    files: Mapping[str, SchemaFile], path: str, start: str, tokens: list[str]
) -> tuple[str, str] | None:
    """Follow ``tokens`` from ``start`` in ``path`` the way the engine reads them: a key present
    in the current object is taken; otherwise a ``$ref`` in it is followed and the token retried.
    """
    file, pointer = path, start
    found, node = node_at(files[path].schema, start)
    if not found:
        return None
    hops = 0
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if isinstance(node, dict) and token in node:
            node, pointer, index = node[token], f"{pointer}/{escape(token)}", index + 1
            continue
        if isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node, pointer, index = node[int(token)], f"{pointer}/{token}", index + 1
            continue
        ref = node.get("$ref") if isinstance(node, dict) else None
        hops += 1
        if not isinstance(ref, str) or hops > 64:
            return None
        target = resolve_ref(files, file, ref)
        if target is None:
            return None
        file, pointer = target
        found, node = node_at(files[file].schema, pointer)
        if not found:
            return None
    return file, pointer


def locate(
    files: Mapping[str, SchemaFile], path: str, engine_pointer: str, candidates: Iterable[str] = ()
) -> tuple[str, str] | None:
    """The file and the pointer in it where ``engine_pointer`` (compat's coordinates, starting at
    ``path``) lands. A pointer the engine restarted at a ``#/…`` reference is looked up from the
    root of ``path`` first, then of each of ``candidates`` (the files ``path`` uses)."""
    tokens = split_pointer(engine_pointer)
    for start_file in (path, *candidates):
        if start_file not in files:
            continue
        found = walk_pointer(files, start_file, "", tokens)
        if found is not None:
            return found
    return None


@dataclass(frozen=True)
class Site:
    """Where an event meets a changed file: the engine's pointer there, and the ``$ref``."""

    pointer: str
    base: str  # the file that holds the $ref
    ref: str
    target: tuple[str, str]  # (file, pointer) the $ref points at


class SiteFinder:
    """Finds the plain sites of one catalog side (see the module's docstring)."""

    def __init__(self, files: Mapping[str, SchemaFile], changed: set[str]) -> None:
        self.files = files
        self.changed = changed
        self._reaches: dict[tuple[str, str], bool] = {}

    def sites(self, path: str) -> list[Site] | None:
        """Every site of the event at ``path``, or None when one is not plain."""
        if path not in self.files or path in self.changed:
            return None
        found: list[Site] = []
        schema = self.files[path].schema
        if isinstance(schema, dict) and "$id" in schema:
            return None
        if not self._walk(schema, path, "", "", frozenset(), found):
            return None
        return found

    # -- reachability ---------------------------------------------------------------------------

    def _ref_reaches(self, path: str, ref: str) -> bool:
        target = resolve_ref(self.files, path, ref)
        if target is None:
            return True  # cannot tell: assume it does (the whole-event comparison answers)
        if target[0] in self.changed:
            return True
        if target in self._reaches:
            return self._reaches[target]
        self._reaches[target] = False  # a cycle back here adds nothing new
        found, node = node_at(self.files[target[0]].schema, target[1])
        result = not found or self._value_reaches(node, target[0])
        self._reaches[target] = result
        return result

    def _value_reaches(self, value: Any, path: str) -> bool:
        """Whether any ``$ref`` in ``value`` (a part of ``path``) leads to a changed file."""
        stack = [value]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                for key, item in node.items():
                    if key in ("$ref", "$dynamicRef", "$recursiveRef"):
                        if not isinstance(item, str) or self._ref_reaches(path, item):
                            return True
                    elif key not in ("examples", "default", "const", "enum", "x-eventcat"):
                        stack.append(item)
            elif isinstance(node, list):
                stack.extend(node)
        return False

    # -- the walk -------------------------------------------------------------------------------

    def _walk(
        self,
        node: Any,
        path: str,
        pointer: str,
        engine: str,
        stack: frozenset[tuple[str, str]],
        found: list[Site],
    ) -> bool:
        if not isinstance(node, dict):
            return True
        ref = node.get("$ref")
        if ref is not None:
            if not isinstance(ref, str):
                return False
            siblings = any(k != "$ref" and k not in _INERT for k in node)
            if siblings:
                return not self._value_reaches(node, path)
            target = resolve_ref(self.files, path, ref)
            if target is None:
                return False
            if target[0] in self.changed:
                found.append(Site(engine, path, ref, target))
                return True
            if not self._ref_reaches(path, ref):
                return True
            if target in stack or len(stack) > 64:
                return False  # a recursion through a changed part: the engine's fixpoint decides
            ok, child = node_at(self.files[target[0]].schema, target[1])
            if not ok:
                return False
            return self._walk(
                child,
                target[0],
                target[1],
                ref[1:] if ref.startswith("#/") else engine,
                stack | {target},
                found,
            )
        kind = node.get("type")
        plain = kind in ("object", "array") and _NOT_PLAIN.isdisjoint(node)
        for key, value in node.items():
            if key in _INERT:
                continue
            if plain and kind == "object" and key == "properties" and isinstance(value, dict):
                for name, sub in value.items():
                    part = f"/properties/{escape(name)}"
                    if not self._walk(sub, path, pointer + part, engine + part, stack, found):
                        return False
            elif plain and kind == "array" and key == "items" and isinstance(value, dict):
                if not self._walk(value, path, pointer + "/items", engine + "/items", stack, found):
                    return False
            elif self._value_reaches(value, path):
                return False
        return True
