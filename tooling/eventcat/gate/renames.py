"""A post-pass over the engine's change list: a property removed and one of the same shape added
in the same object read as one rename ("looks like `maxSamples` → `sampleCount`").

The engine's verdicts stay as they are (a removal and an addition); only the gate's findings
merge them, so the user reads one cause with its fix (keep both, or publish ``_v<N+1>``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from eventcat.jsonpointer import join_pointer as pointer_of
from eventcat.jsonpointer import split_pointer

# Keywords that do not change what a property accepts: a renamed property may say them anew.
ANNOTATIONS = frozenset(
    {
        "title",
        "description",
        "examples",
        "$comment",
        "deprecated",
        "readOnly",
        "writeOnly",
        "x-eventcat",
    }
)

#: looks up a subschema by pointer in one side's document: (found, node)
Lookup = Callable[[str], tuple[bool, Any]]


@dataclass(frozen=True)
class Rename:
    object_pointer: str  # the enclosing object's schema pointer ("" for the root)
    old_name: str
    new_name: str
    members: tuple[Any, ...]  # every change the rename explains, in the engine's order


def _is_removal(change_type: str) -> bool:
    return change_type.startswith("PROPERTY_REMOVED")


def _is_addition(change_type: str) -> bool:
    return (
        "PROPERTY_ADDED" in change_type
        or change_type == "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL"
    )


def _property(pointer: str) -> tuple[str, str] | None:
    """(enclosing object's pointer, name) of ``…/properties/<name>``."""
    tokens = split_pointer(pointer)
    if len(tokens) < 2 or tokens[-2] != "properties":
        return None
    return pointer_of(tokens[:-2]), tokens[-1]


def _shape(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _shape(v) for k, v in node.items() if k not in ANNOTATIONS}
    if isinstance(node, list):
        return [_shape(v) for v in node]
    return node


def _side(change: Any) -> tuple[str, str, str] | None:
    """("removed" | "added", object pointer, name) in the user's old → new terms. The engine
    reports FORWARD with the schemas swapped, so there a "removal" is what the user added."""
    kind = "removed" if _is_removal(change.type) else "added" if _is_addition(change.type) else None
    if kind is None:
        return None
    if getattr(change, "direction", "backward") != "backward":
        kind = "added" if kind == "removed" else "removed"
    pointer = change.old_pointer if kind == "removed" else change.new_pointer
    found = _property(str(pointer or ""))
    return None if found is None else (kind, *found)


def find_renames(changes: Iterable[Any], old: Lookup, new: Lookup) -> list[Rename]:
    """Every unambiguous rename among ``changes``: in one object, exactly one property removed
    and exactly one added whose subschemas are equal (annotations aside)."""
    listed = list(changes)
    sides: dict[str, dict[str, dict[str, list[Any]]]] = {}  # object -> kind -> name -> changes
    for change in listed:
        side = _side(change)
        if side is not None:
            kind, obj, name = side
            sides.setdefault(obj, {}).setdefault(kind, {}).setdefault(name, []).append(change)
    renames: list[Rename] = []
    for obj, kinds in sides.items():
        removed, added = kinds.get("removed", {}), kinds.get("added", {})
        if not removed or not added:
            continue
        shapes_old = {n: _lookup(old, obj, n) for n in removed}
        shapes_new = {n: _lookup(new, obj, n) for n in added}
        for old_name, shape in shapes_old.items():
            if shape is _MISSING:
                continue
            same = [n for n, s in shapes_new.items() if s == shape]
            twins = [n for n, s in shapes_old.items() if s == shape]
            if len(same) != 1 or len(twins) != 1:
                continue  # ambiguous: two candidates cannot be told apart by shape
            new_name = same[0]
            names = {old_name, new_name}
            own = {id(c) for c in (*removed[old_name], *added[new_name])}
            members = tuple(c for c in listed if id(c) in own or _requires(c, obj, names))
            renames.append(Rename(obj, old_name, new_name, members))
    return renames


_MISSING = object()


def _lookup(lookup: Lookup, obj: str, name: str) -> Any:
    found, node = lookup(obj + pointer_of(["properties", name]))
    return _shape(node) if found else _MISSING


def _requires(change: Any, obj: str, names: set[str]) -> bool:
    """A change to ``required`` about one of the renamed names, in the same object."""
    for pointer in (change.old_pointer, change.new_pointer):
        tokens = split_pointer(str(pointer or ""))
        if (
            len(tokens) >= 2
            and tokens[-2] == "required"
            and tokens[-1] in names
            and pointer_of(tokens[:-2]) == obj
        ):
            return True
    return False
