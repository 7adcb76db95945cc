"""Numbers and strings for the inclusion prover (see ``subset``): exact bounds, ``multipleOf``,
lengths and the few patterns it understands.

Numbers are compared exactly (``Fraction`` of the JSON values, as Python compares them when it
validates). ``multipleOf`` inclusion is proved only where jsonschema's arithmetic is exact (integer
divisors, or powers of two): with other floats a value can pass ``multipleOf: 1.5`` by rounding and
fail ``0.5``, so no proof is claimed there.
"""

from __future__ import annotations

from fractions import Fraction
from math import ceil, floor, lcm
from typing import Any, NamedTuple

from eventcat.compat.subset_atoms import Atom, Sch, declared_types, lengths

NUMBER_KW = frozenset({"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"})


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
            # draft-04 and the product's draft-07 validator accept (see Numbers.within).
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


def numbers_of(a: Atom) -> Numbers:
    if a.numbers is None:
        a.numbers = Numbers(a)
    found: Numbers = a.numbers
    return found


class Numbers:
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


def strings_in(a: Atom, raw: dict[str, Any]) -> bool:
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
    mine = numbers_of(a)
    if mine.multiples:
        return False
    spans: list[tuple[Fraction | None, Fraction | None]] = []
    for b in branches:
        raw = b.raw
        if not isinstance(raw, dict) or set(raw) - {"type", *NUMBER_KW} or "multipleOf" in raw:
            continue
        if "type" in raw and not declared_types(raw) & {"integer", "number"}:
            continue
        span = Numbers(Atom("integer", [b]))
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
