"""Walk the sub-schemas of a JSON Schema document, keyword-aware, iteratively.

Only keywords whose values are schemas are descended into, so a property *named* ``$ref`` is never
mistaken for a reference. ``in_place`` tells whether a sub-schema applies to the same instance
(``allOf``, ``$ref`` targets, ``if``…) or to a part of it (``properties``, ``items``…): a ``$ref``
cycle made only of in-place steps never terminates in a validator.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from eventcat.jsonpointer import escape
from eventcat.subschemas import DEFINITIONS, IN_PLACE, INDEXED, NAMED, ONE

# keyword -> in_place, by the shape of its value
_SINGLE = {k: k in IN_PLACE for k in (*ONE, "contentSchema")}
_MAP = {k: None if k in DEFINITIONS else k in IN_PLACE for k in NAMED}
_LIST = {k: k in IN_PLACE for k in INDEXED}


@dataclass(frozen=True, slots=True)
class SubSchema:
    pointer: str
    schema: Any
    #: True: applies to the same instance; False: to a part of it; None: not applied (a $defs entry).
    in_place: bool | None


def children(schema: Any, pointer: str) -> Iterator[SubSchema]:
    """The direct sub-schemas of ``schema`` (a dict); booleans and non-schemas have none."""
    if not isinstance(schema, dict):
        return
    for keyword, value in schema.items():
        if keyword in _SINGLE and isinstance(value, dict | bool):
            yield SubSchema(f"{pointer}/{escape(keyword)}", value, _SINGLE[keyword])
        elif keyword in _LIST and isinstance(value, list):
            for index, item in enumerate(value):
                yield SubSchema(f"{pointer}/{keyword}/{index}", item, _LIST[keyword])
        elif keyword in _MAP and isinstance(value, dict):
            for name, item in value.items():
                yield SubSchema(f"{pointer}/{keyword}/{escape(name)}", item, _MAP[keyword])
        elif keyword == "dependencies" and isinstance(value, dict):
            for name, item in value.items():
                if isinstance(item, dict | bool):
                    yield SubSchema(f"{pointer}/dependencies/{escape(name)}", item, True)


def walk(schema: Any, pointer: str = "") -> Iterator[SubSchema]:
    """Every schema in the document, the root first, depth-first, without recursion."""
    stack = [SubSchema(pointer, schema, True)]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(list(children(node.schema, node.pointer))))
