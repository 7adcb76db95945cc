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

This module is the search; ``candidates`` generates the values, ``minimal`` builds the instances
they are embedded in, ``here`` holds the schema positions and the tolerant reader.
"""

from __future__ import annotations

from itertools import chain
from typing import Any

from eventcat.compat.candidates import MAX_GENERATED, candidates_at, hints
from eventcat.compat.context import Diff
from eventcat.compat.here import (
    Budget,
    Here,
    as_dict,
    as_list,
    only_declared,
    side_index,
    tolerant,
    tuple_of,
)
from eventcat.compat.minimal import NONE, embed
from eventcat.compat.schema import Side
from eventcat.compat.validating import NoVerdict
from eventcat.jsonpointer import split_pointer
from eventcat.subschemas import INDEXED, NAMED, ONE

# Per change: candidates checked against the writer (deterministic; the values generated are
# bounded by candidates.MAX_GENERATED).
MAX_CHECKED = 400
_LOCAL_KEPT = 3  # local witnesses memoised per pair of subschemas

Outcome = tuple[bool, Any, str]


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
    iw, root_w = side_index(side_w)
    ir, root_r = side_index(side_r)
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
    for example in as_list(side_w.root.get("examples") if isinstance(side_w.root, dict) else None):
        whole = _verified(w, r, [], example, lenient)
        if whole is not NONE:
            return True, whole, ""
    for candidate in local[1]:
        whole = _verified(w, r, w_path, candidate, lenient)
        if whole is not NONE:
            return True, whole, ""
    # Constraints that live beside the subschema (patternProperties, dependencies): any candidate
    # the writer accepts, judged on the whole document.
    budget, checked = Budget(MAX_GENERATED), 0
    names = hints(w_at.schema, r_at.schema)
    for candidate in candidates_at(w_at, 0, names, budget):
        checked += 1
        if checked > MAX_CHECKED // 4:
            break
        if not w_at.accepts(candidate):
            continue
        whole = _verified(w, r, w_path, candidate, lenient)
        if whole is not NONE:
            return True, whole, ""
    return (
        False,
        None,
        local[2]
        or (f"no counterexample was found within the search budget ({MAX_CHECKED} candidates)"),
    )


def _local(w: Here, r: Here, lenient: bool) -> tuple[bool, list[Any], str]:
    """Up to a few values the writer's subschema accepts and the reader's rejects."""
    budget, found = Budget(MAX_GENERATED), []
    names = hints(w.schema, r.schema)
    # Aimed at the writer's boundaries, then at the reader's (a bound the reader added).
    both = chain(candidates_at(w, 0, names, budget), candidates_at(r, 0, names, budget))
    for checked, candidate in enumerate(both, 1):
        if checked > MAX_CHECKED:
            break
        if w.accepts(candidate) and not r.accepts(tolerant(r, candidate) if lenient else candidate):
            found.append(candidate)
            if len(found) >= _LOCAL_KEPT:
                break
    return bool(found), found, ""


def _verified(w: Here, r: Here, path: list[Any], candidate: Any, lenient: bool) -> Any:
    whole = embed(w, path, candidate)
    if whole is NONE or not w.accepts(whole):
        return NONE
    if lenient:
        if not only_declared(w, whole):
            return NONE
        if r.accepts(tolerant(r, whole)):
            return NONE
    elif r.accepts(whole):
        return NONE
    return whole


# -- locating a schema position and its instance path ------------------------------------------

_NAMED = (*NAMED, "dependencies")


_OFF_PATH = (
    "not",
    "propertyNames",
    "if",
    "contains",
    "additionalItems",
    "additionalProperties",
    "unevaluatedProperties",
    "unevaluatedItems",
    "patternProperties",
    "$defs",
    "definitions",
)


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
            path.append(len(tuple_of(schema)))
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
            sub = as_dict(schema.get("properties")).get(step)
        else:
            prefix = tuple_of(schema)
            sub = (
                prefix[step]
                if step < len(prefix)
                else schema.get("items")
                if isinstance(schema.get("items"), dict | bool)
                else None
            )
        if sub is None:
            break
        here = here.at(sub)
        walked.append(step)
    return here, walked
