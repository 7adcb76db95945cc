"""The per-type half of the inclusion prover (see ``subset``): atoms, emptiness, and the keyword
groups of numbers, strings, arrays and objects.

Numbers are compared exactly (``Fraction`` of the JSON values, as Python compares them when it
validates). ``multipleOf`` inclusion is proved only where jsonschema's arithmetic is exact (integer
divisors, or powers of two): with other floats a value can pass ``multipleOf: 1.5`` by rounding and
fail ``0.5``, so no proof is claimed there.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import ceil, floor, lcm
from typing import TYPE_CHECKING, Any, NamedTuple

from jsonschema import Draft7Validator, Draft201909Validator, Draft202012Validator
from referencing import Registry

from eventcat.catalog.refs import resolver_registry
from eventcat.compat import subset_shapes as shapes

if TYPE_CHECKING:
    from eventcat.compat.schema import Side
    from eventcat.compat.subset import Prover

ALL_TYPES = ("null", "boolean", "integer", "number", "string", "array", "object")
_NUMBER_KW = frozenset({"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"})
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
_APPLICATORS = frozenset(
    {"type", "enum", "const", "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "$ref"}
)
_VALIDATORS: dict[int, Any] = {
    7: Draft7Validator,
    2019: Draft201909Validator,
    2020: Draft202012Validator,
}


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
        cls = _VALIDATORS[side.draft]
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


# -- emptiness -----------------------------------------------------------------------------------


def empty(prover: Prover, a: Atom) -> bool:
    """Whether atom ``a`` provably holds no instance (False when in doubt)."""
    if a.values is not None:
        return not a.values
    if a.kind in ("integer", "number"):
        return _numbers(a).empty()
    if a.kind == "string":
        lo, hi = lengths(a.parts, "minLength", "maxLength")
        return hi is not None and lo > hi
    if a.kind == "array":
        lo, hi = shapes.Items(a.parts).counts()
        return hi is not None and lo > hi
    if a.kind == "object":
        return shapes.Props(prover, a.parts).empty()
    return False


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


# -- the new side's keyword groups ---------------------------------------------------------------


def type_in(a: Atom, raw: dict[str, Any]) -> bool:
    allowed = declared_types(raw)
    if a.kind in allowed:
        return True
    return a.kind == "number" and "integer" in allowed and _numbers(a).integral()


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


def group_in(prover: Prover, a: Atom, new: Sch, keys: set[str]) -> bool:
    raw = new.raw
    if a.kind in ("integer", "number") and keys & _NUMBER_KW:
        return _numbers(a).within(raw, new.side.draft)
    if a.kind == "string" and keys & _STRING_KW:
        return _strings_in(a, raw)
    if a.kind == "array" and keys & _ARRAY_KW:
        return shapes.arrays_in(prover, a, new)
    if a.kind == "object" and keys & _OBJECT_KW:
        return shapes.Props(prover, a.parts).within(new)
    return True


# -- numbers -------------------------------------------------------------------------------------


def _exact(value: Any) -> Fraction | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return Fraction(value)
    except (OverflowError, ValueError):
        return None


def multiple_implies(m: Any, k: Any) -> bool:
    """Whether every value that passes a validator's ``multipleOf: m`` passes ``multipleOf: k``,
    in jsonschema's own arithmetic (integer divisors: exact remainder; float divisors: a rounded
    quotient that must be integral)."""
    fm, fk = _exact(m), _exact(k)
    if fm is None or fk is None or fm <= 0 or fk <= 0:
        return False
    ratio = fm / fk
    if ratio.denominator != 1:
        return False
    if _is_int(m) and _is_int(k):
        return True
    if (
        isinstance(m, float)
        and isinstance(k, float)
        and ratio.numerator & (ratio.numerator - 1) == 0
    ):
        return True  # rounding commutes with scaling by a power of two
    # Values of an exact test are exact multiples of m, so their quotient by k is an integer.
    return _dyadic(m)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _dyadic(value: Any) -> bool:
    """Divisions by this value are exact in jsonschema's arithmetic."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value > 0
    f = _exact(value)
    return (
        f is not None
        and f > 0
        and (f.numerator == 1 or f.denominator == 1)
        and (f.numerator & (f.numerator - 1) == 0)
    )


class _Bound(NamedTuple):
    value: Any  # an int or a float: Python compares the two exactly, as validators do
    exclusive: bool


def _num(value: Any) -> Any:
    if value.__class__ is int or value.__class__ is float:
        return value
    return None


def _bounds(raw: dict[str, Any], draft: int) -> tuple[_Bound | None, _Bound | None]:
    lo = hi = None
    for keyword, ex_keyword, is_low in (
        ("minimum", "exclusiveMinimum", True),
        ("maximum", "exclusiveMaximum", False),
    ):
        plain, ex = _num(raw.get(keyword)), raw.get(ex_keyword)
        found = []
        if plain is not None:
            # draft-04's boolean exclusive form is read as inclusive: a superset of what both
            # draft-04 and the product's draft-07 validator accept (see _Numbers.within).
            found.append(_Bound(plain, False))
        if _num(ex) is not None:
            found.append(_Bound(ex, True))
        for bound in found:
            if is_low:
                lo = bound if lo is None or _tighter_low(bound, lo) else lo
            else:
                hi = bound if hi is None or _tighter_high(bound, hi) else hi
    return lo, hi


def _tighter_low(a: _Bound, b: _Bound) -> bool:
    return a.value > b.value or (a.value == b.value and a.exclusive and not b.exclusive)


def _tighter_high(a: _Bound, b: _Bound) -> bool:
    return a.value < b.value or (a.value == b.value and a.exclusive and not b.exclusive)


def _numbers(a: Atom) -> _Numbers:
    if a.numbers is None:
        a.numbers = _Numbers(a)
    found: _Numbers = a.numbers
    return found


class _Numbers:
    def __init__(self, a: Atom) -> None:
        self.integer = a.kind == "integer"
        self.lo: _Bound | None = None
        self.hi: _Bound | None = None
        self.multiples: list[Any] = []
        for s in a.parts:
            lo, hi = _bounds(s.raw, s.side.draft)
            if lo is not None and (self.lo is None or _tighter_low(lo, self.lo)):
                self.lo = lo
            if hi is not None and (self.hi is None or _tighter_high(hi, self.hi)):
                self.hi = hi
            m = _num(s.raw.get("multipleOf"))
            if m is not None and m > 0:
                self.multiples.append(m)
        step = self._step() if self.integer or self.multiples else None
        if step is not None:  # integers or multiples of an integer: tighten the bounds
            if self.lo is not None:
                v = ceil(Fraction(self.lo.value) / step) * step
                if self.lo.exclusive and v == self.lo.value:
                    v += step
                self.lo = _Bound(v, False)
            if self.hi is not None:
                v = floor(Fraction(self.hi.value) / step) * step
                if self.hi.exclusive and v == self.hi.value:
                    v -= step
                self.hi = _Bound(v, False)

    def _step(self) -> int | None:
        # Integer divisors, or floats that are powers of two (an exact test) and whole.
        ints = [int(m) for m in self.multiples if isinstance(m, int) or (_dyadic(m) and m >= 1)]
        if ints:
            return lcm(*ints)
        return 1 if self.integer else None

    def integral(self) -> bool:
        return self._step() is not None

    def empty(self) -> bool:
        if self.lo is None or self.hi is None:
            return False
        if self.lo.value > self.hi.value:
            return True
        return self.lo.value == self.hi.value and (self.lo.exclusive or self.hi.exclusive)

    def within(self, raw: dict[str, Any], draft: int) -> bool:
        if isinstance(raw.get("exclusiveMinimum"), bool) or isinstance(
            raw.get("exclusiveMaximum"), bool
        ):
            return False  # draft-04's form: the product validates it as draft-07, which differs
        lo, hi = _bounds(raw, draft)
        if lo is not None and (
            self.lo is None
            or not (
                self.lo.value > lo.value
                or (self.lo.value == lo.value and (not lo.exclusive or self.lo.exclusive))
            )
        ):
            return False
        if hi is not None and (
            self.hi is None
            or not (
                self.hi.value < hi.value
                or (self.hi.value == hi.value and (not hi.exclusive or self.hi.exclusive))
            )
        ):
            return False
        k = raw.get("multipleOf")
        if k is None:
            return True
        fk = _exact(k)
        if fk is None or fk <= 0:
            return False
        step = self._step()
        if step is not None and (Fraction(step) / fk).denominator == 1:
            return True  # every value is an exact multiple of `step`, and `k` divides it
        return any(multiple_implies(m, k) for m in self.multiples)


# -- strings -------------------------------------------------------------------------------------

_UNIVERSAL = frozenset({"", ".*", "^.*"})
# Patterns that match exactly the strings with at least one character other than a newline: they
# imply minLength 1 (the converse does not hold: "\n" has length 1).
_NON_EMPTY = frozenset({".", ".+", "^.+", ".+$"})


def _pattern_text(pattern: Any) -> Any:
    """Spellings of one regular expression that are the same expression."""
    return (
        pattern.replace("{1,}", "+").replace("{0,}", "*") if isinstance(pattern, str) else pattern
    )


def _strings_in(a: Atom, raw: dict[str, Any]) -> bool:
    lo, hi = lengths(a.parts, "minLength", "maxLength")
    if any(_pattern_text(s.raw.get("pattern")) in _NON_EMPTY for s in a.parts):
        lo = max(lo, 1)
    want_lo, want_hi = raw.get("minLength"), raw.get("maxLength")
    if isinstance(want_lo, int | float) and lo < want_lo:
        return False
    if isinstance(want_hi, int | float) and (hi is None or hi > want_hi):
        return False
    pattern = raw.get("pattern")
    if (
        isinstance(pattern, str)
        and pattern not in _UNIVERSAL
        and not any(_pattern_text(s.raw.get("pattern")) == _pattern_text(pattern) for s in a.parts)
    ):
        return False
    fmt = raw.get("format")
    return fmt is None or any(s.raw.get("format") == fmt for s in a.parts)


def ranges_cover(a: Atom, branches: list[Sch]) -> bool:
    """An integer atom inside the union of the integer ranges of several branches (each branch
    only a type and bounds): the union of intervals covers the atom's interval."""
    if a.kind != "integer" or a.values is not None:
        return False
    mine = _numbers(a)
    if mine.multiples:
        return False
    spans: list[tuple[Fraction | None, Fraction | None]] = []
    for b in branches:
        raw = b.raw
        if not isinstance(raw, dict) or set(raw) - {"type", *_NUMBER_KW} or "multipleOf" in raw:
            continue
        if "type" in raw and not declared_types(raw) & {"integer", "number"}:
            continue
        span = _Numbers(Atom("integer", [b]))
        spans.append((span.lo.value if span.lo else None, span.hi.value if span.hi else None))
    at = mine.lo.value if mine.lo else None
    end = mine.hi.value if mine.hi else None
    while True:  # sweep from the atom's lowest integer upwards
        reach = [
            hi
            for lo, hi in spans
            if (lo is None or (at is not None and lo <= at))
            and (hi is None or at is None or hi >= at)
        ]
        if not reach:
            return False
        if any(hi is None for hi in reach):
            return True
        top = max(h for h in reach if h is not None)
        if end is not None and top >= end:
            return True
        at = top + 1
