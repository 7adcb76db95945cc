"""The atoms of the inclusion prover (see ``subset``): a conjunction of subschemas split by JSON
kind, with the finite values it may hold, and the validator that decides single values.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil, floor
from typing import TYPE_CHECKING, Any, NamedTuple

from referencing import Registry

from eventcat.catalog.refs import resolver_registry

if TYPE_CHECKING:
    from eventcat.compat.schema import Side
    from eventcat.compat.subset import Prover

ALL_TYPES = ("null", "boolean", "integer", "number", "string", "array", "object")


class Sch(NamedTuple):
    """A raw subschema with the document (side) and resolver scope it is read in."""

    raw: Any
    side: Side
    scope: Any

    def sub(self, raw: Any) -> Sch:
        return Sch(raw, self.side, self.scope)


@dataclass(eq=False)
class Atom:
    """Instances of one JSON kind that satisfy every schema of ``parts`` (a conjunction);
    ``values``: the complete finite list of them, when it is known."""

    kind: str
    parts: list[Sch]
    values: list[Any] | None = None
    numbers: Any = None  # the atom's _Numbers, computed once


def declared_types(raw: dict[str, Any]) -> set[str]:
    declared = raw.get("type")
    if declared is None:
        return set(ALL_TYPES)
    names = declared if isinstance(declared, list) else [declared]
    out: set[str] = set()
    for name in names:
        out |= {"integer", "number"} if name == "number" else {name}
    return out


def overlaps(a: str, b: str) -> bool:
    return a == b or {a, b} == {"integer", "number"}


def _kind_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _validator(side: Side) -> Any:
    # The same configuration as the counterexample search (formats asserted), shared on the side.
    if side.validator is None:
        # Imported here: most gate runs never need it, and it is a third of the import time.
        from jsonschema import Draft7Validator, Draft201909Validator, Draft202012Validator

        cls = {7: Draft7Validator, 2019: Draft201909Validator, 2020: Draft202012Validator}[
            side.draft
        ]
        resolver = side.resolver()
        registry = resolver_registry(resolver) or Registry()
        side.validator = cls(
            side.root, registry=registry, format_checker=cls.FORMAT_CHECKER, _resolver=resolver
        )
    return side.validator


def valid(s: Sch, value: Any) -> bool | None:
    """Whether ``s`` accepts ``value`` (None: the validator could not tell)."""
    try:
        return bool(_validator(s.side).evolve(schema=s.raw).is_valid(value))
    except Exception:  # an unresolvable or unusual schema: no verdict
        return None


def atoms(prover: Prover, flat: list[Sch], kinds: set[str], origin: list[Sch]) -> list[Atom]:
    values: list[Any] | None = None
    for s in flat:
        raw = s.raw
        found = (
            raw["enum"]
            if isinstance(raw.get("enum"), list)
            else [raw["const"]]
            if "const" in raw
            else None
        )
        if found is not None:
            values = found if values is None else [v for v in values if _member(v, found)]
    if values is None:
        finite = [k for k in ("null", "boolean") if k in kinds]
        out = [
            Atom(k, _only(flat, k))
            for k in kinds
            if k not in ("null", "boolean", "integer") or (k == "integer" and "number" not in kinds)
        ]
        if finite:
            seeds = ([None] if "null" in kinds else []) + (
                [True, False] if "boolean" in kinds else []
            )
            # The stripped conjunction constrains null and booleans by `type` alone (kinds).
            out.extend(_finite([], seeds, kinds, origin, flat))
        return out
    return _finite(flat, values, kinds, origin, flat)


def _finite(
    check: list[Sch], values: list[Any], kinds: set[str], origin: list[Sch], flat: list[Sch]
) -> list[Atom]:
    kept = [
        v
        for v in values
        if _kind_of(v) in kinds or (_kind_of(v) == "integer" and "number" in kinds)
    ]
    # Only what normalise approximated (oneOf as anyOf, a `not` left out, a conditional) needs
    # the validator on the schemas as given; plain `anyOf` branches are already exact.
    check = check + [s for s in origin if _approximated(s)]
    # Keep what the old side may accept (a validator in doubt keeps it: over-approximation).
    kept = [v for v in kept if all(valid(s, v) is not False for s in check)]
    return [Atom(_kind_of(v), _only(flat, _kind_of(v)), [v]) for v in kept]


_APPROXIMATED = ('"oneOf"', '"not"', '"if"')


def _approximated(s: Sch) -> bool:
    """Whether a schema (its own text; a $ref target counts as approximated) uses a keyword that
    normalise reads approximately."""
    if not isinstance(s.raw, dict):
        return False
    text = s.side.text(s.raw)
    return '"$ref"' in text or any(k in text for k in _APPROXIMATED)


def _only(flat: list[Sch], kind: str) -> list[Sch]:
    """The conjunction restricted to one kind (so that it re-normalises to this atom alone)."""
    if not flat:
        return flat
    return [*flat, flat[0].sub(_KIND_SCHEMAS[kind])]


_KIND_SCHEMAS = {k: {"type": k} for k in ALL_TYPES}


def _member(value: Any, among: list[Any]) -> bool:
    return any(
        (type(value) is type(x) and value == x)
        or (
            _kind_of(value) in ("integer", "number")
            and _kind_of(x) in ("integer", "number")
            and value == x
        )
        for x in among
    )


def lengths(parts: list[Sch], low: str, high: str) -> tuple[int, int | None]:
    lo, hi = 0, None
    for s in parts:
        value = s.raw.get(low)
        if isinstance(value, int | float) and not isinstance(value, bool):
            lo = max(lo, ceil(value))
        value = s.raw.get(high)
        if isinstance(value, int | float) and not isinstance(value, bool):
            hi = floor(value) if hi is None else min(hi, floor(value))
    return lo, hi


def finite_in(prover: Prover, a: Atom, new: Sch) -> bool:
    return False  # a finite atom is decided by the validator before this is asked


def vacuous_for(kind: str, keys: set[str]) -> bool:
    if keys & {"$dynamicRef", "$recursiveRef", "$recursiveAnchor"}:
        return False
    if keys & {"unevaluatedItems"} and kind == "array":
        return False
    return not (keys & {"unevaluatedProperties", "dependentSchemas"} and kind == "object")


def complement(raw: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """For ``not raw`` where ``raw`` is one bound on one kind: (kind, the complementary bound)."""
    keys = set(raw) - {"type", "title", "description", "$comment"}
    if len(keys) != 1:
        return None
    (keyword,) = keys
    value = raw[keyword]
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    flips = {
        "minLength": ("string", "maxLength", -1),
        "maxLength": ("string", "minLength", 1),
        "minItems": ("array", "maxItems", -1),
        "maxItems": ("array", "minItems", 1),
        "minProperties": ("object", "maxProperties", -1),
        "maxProperties": ("object", "minProperties", 1),
        "minimum": ("number", "exclusiveMaximum", 0),
        "maximum": ("number", "exclusiveMinimum", 0),
        "exclusiveMinimum": ("number", "maximum", 0),
        "exclusiveMaximum": ("number", "minimum", 0),
    }
    if keyword not in flips:
        return None
    kind, other, step = flips[keyword]
    declared = declared_types(raw)
    if kind == "number" and "number" not in declared:
        return None  # `not {type: integer, minimum: …}` also admits fractions: not a bound
    if kind not in declared and not (kind == "number" and "integer" in declared):
        return None
    if step and value + step < 0:
        return None
    return kind, {"type": kind, other: value + step}
