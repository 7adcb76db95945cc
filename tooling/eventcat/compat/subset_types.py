"""The per-kind half of the inclusion prover (see ``subset``): whether an atom is empty and
whether it lies within the keyword groups of a new-side schema, dispatched to numbers and strings
(``subset_numbers``) or arrays and objects (``subset_shapes``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eventcat.compat import subset_shapes as shapes
from eventcat.compat.subset_atoms import Atom, Sch, declared_types, lengths
from eventcat.compat.subset_numbers import NUMBER_KW, numbers_of, strings_in

if TYPE_CHECKING:
    from eventcat.compat.subset import Prover

_STRING_KW = frozenset({"minLength", "maxLength", "pattern", "format"})
_ARRAY_KW = frozenset(
    {
        "items",
        "prefixItems",
        "additionalItems",
        "minItems",
        "maxItems",
        "uniqueItems",
        "contains",
        "minContains",
        "maxContains",
    }
)
_OBJECT_KW = frozenset(
    {
        "properties",
        "patternProperties",
        "additionalProperties",
        "required",
        "minProperties",
        "maxProperties",
        "dependentRequired",
        "dependencies",
        "propertyNames",
    }
)


# -- emptiness -----------------------------------------------------------------------------------


def empty(prover: Prover, a: Atom) -> bool:
    """Whether atom ``a`` provably holds no instance (False when in doubt)."""
    if a.values is not None:
        return not a.values
    if a.kind in ("integer", "number"):
        return numbers_of(a).empty()
    if a.kind == "string":
        lo, hi = lengths(a.parts, "minLength", "maxLength")
        return hi is not None and lo > hi
    if a.kind == "array":
        lo, hi = shapes.Items(a.parts).counts()
        return hi is not None and lo > hi
    if a.kind == "object":
        return shapes.Props(prover, a.parts).empty()
    return False


# -- the new side's keyword groups ---------------------------------------------------------------


def type_in(a: Atom, raw: dict[str, Any]) -> bool:
    allowed = declared_types(raw)
    if a.kind in allowed:
        return True
    return a.kind == "number" and "integer" in allowed and numbers_of(a).integral()


def group_in(prover: Prover, a: Atom, new: Sch, keys: set[str]) -> bool:
    raw = new.raw
    if a.kind in ("integer", "number") and keys & NUMBER_KW:
        return numbers_of(a).within(raw, new.side.draft)
    if a.kind == "string" and keys & _STRING_KW:
        return strings_in(a, raw)
    if a.kind == "array" and keys & _ARRAY_KW:
        return shapes.arrays_in(prover, a, new)
    if a.kind == "object" and keys & _OBJECT_KW:
        return shapes.Props(prover, a.parts).within(new)
    return True
