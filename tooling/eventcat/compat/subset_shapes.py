"""The arrays and objects half of the inclusion prover (see ``subset``): the schemas that apply
at each array position and under each property name, read across the schemas of an atom's
conjunction, compared with the keyword groups of the new schema."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from eventcat.compat.subset_atoms import lengths, valid

if TYPE_CHECKING:
    from eventcat.compat.subset import Prover
    from eventcat.compat.subset_atoms import Atom, Sch


# -- arrays --------------------------------------------------------------------------------------


class Items:
    """An array atom's items: the schemas at each position (a conjunction per position)."""

    def __init__(self, parts: list[Sch]) -> None:
        self.shapes = [(s, *_shape(s)) for s in parts]

    def at(self, index: int) -> list[Sch]:
        out = []
        for s, tuple_, rest in self.shapes:
            if index < len(tuple_):
                out.append(s.sub(tuple_[index]))
            elif rest is not None:
                out.append(s.sub(rest))
        return out

    def longest(self) -> int:
        return max((len(t) for _, t, _ in self.shapes), default=0)

    def counts(self) -> tuple[int, int | None]:
        lo, hi = lengths([s for s, _, _ in self.shapes], "minItems", "maxItems")
        for _, tuple_, rest in self.shapes:
            if rest is False:
                hi = len(tuple_) if hi is None else min(hi, len(tuple_))
        return lo, hi


def _shape(s: Sch) -> tuple[list[Any], Any]:
    raw = s.raw
    items = raw.get("items")
    if s.side.draft >= 2020:
        prefix = raw.get("prefixItems")
        return (prefix if isinstance(prefix, list) else []), items
    if isinstance(items, list):
        return items, raw.get("additionalItems")
    return [], items


def arrays_in(prover: Prover, a: Atom, new: Sch) -> bool:
    mine = Items(a.parts)
    lo, hi = mine.counts()
    raw = new.raw
    want_lo, want_hi = raw.get("minItems"), raw.get("maxItems")
    if isinstance(want_lo, int | float) and lo < want_lo:
        return False
    if isinstance(want_hi, int | float) and (hi is None or hi > want_hi):
        return False
    if raw.get("uniqueItems") is True and not (
        (hi is not None and hi <= 1) or any(s.raw.get("uniqueItems") is True for s in a.parts)
    ):
        return False
    tuple_, rest = _shape(new)
    reach = max(len(tuple_), mine.longest()) + 1
    for i in range(reach):
        if hi is not None and i >= hi:
            break
        theirs = tuple_[i] if i < len(tuple_) else rest
        if theirs is None or theirs is True:
            continue
        if not prover.included(mine.at(i), new.sub(theirs)):
            return False
    return _contains_in(prover, a, mine, lo, new)


def _contains_in(prover: Prover, a: Atom, mine: Items, lo: int, new: Sch) -> bool:
    raw = new.raw
    if "contains" not in raw:
        return True
    minimum = raw.get("minContains", 1) if new.side.draft >= 2019 else 1
    if new.side.draft >= 2019 and raw.get("maxContains") is not None:
        return False
    if minimum == 0:
        return True
    want = new.sub(raw["contains"])
    for s in a.parts:
        own = s.raw.get("contains")
        own_min = s.raw.get("minContains", 1) if s.side.draft >= 2019 else 1
        if own is not None and own_min >= minimum and prover.included([s.sub(own)], want):
            return True
    return lo >= minimum and all(prover.included(mine.at(i), want) for i in range(minimum))


# -- objects -------------------------------------------------------------------------------------


def _dict(raw: dict[str, Any], keyword: str) -> dict[str, Any]:
    value = raw.get(keyword)
    return value if isinstance(value, dict) else {}


def _matches(pattern: str, name: str) -> bool:
    try:
        return re.search(pattern, name) is not None
    except re.error:
        return False


class Props:
    """An object atom's content model, read across the schemas of its conjunction."""

    def __init__(self, prover: Prover, parts: list[Sch]) -> None:
        self.prover = prover
        self.parts = parts
        self.required: set[str] = set()
        for s in parts:
            req = s.raw.get("required")
            if isinstance(req, list):
                self.required |= {n for n in req if isinstance(n, str)}
        # The names an instance may carry, when some schema closes the model to a finite set.
        self.names: set[str] | None = None
        for s in parts:
            if s.raw.get("additionalProperties") is False and not _dict(s.raw, "patternProperties"):
                own = set(_dict(s.raw, "properties"))
                self.names = own if self.names is None else self.names & own
        if self.names is not None:
            self.names = {n for n in self.names if not any(x.raw is False for x in self.at(n))}

    def at(self, name: str) -> list[Sch]:
        """The schemas a value under ``name`` must satisfy."""
        out = []
        for s in self.parts:
            props, patterns = _dict(s.raw, "properties"), _dict(s.raw, "patternProperties")
            hit = False
            if name in props:
                out.append(s.sub(props[name]))
                hit = True
            for pattern, schema in patterns.items():
                if _matches(pattern, name):
                    out.append(s.sub(schema))
                    hit = True
            extra = s.raw.get("additionalProperties")
            if not hit and extra is not None:
                out.append(s.sub(extra))
        return out

    def unknown(self) -> list[Sch]:
        """A superset of what a name no schema declares may hold (patterns left out)."""
        return [
            s.sub(s.raw["additionalProperties"])
            for s in self.parts
            if "additionalProperties" in s.raw and not _dict(s.raw, "patternProperties")
        ]

    def declared(self) -> set[str]:
        out: set[str] = set()
        for s in self.parts:
            out |= set(_dict(s.raw, "properties"))
        return out

    def counts(self) -> tuple[int, int | None]:
        lo, hi = lengths(self.parts, "minProperties", "maxProperties")
        lo = max(lo, len(self.required))
        if self.names is not None:
            hi = len(self.names) if hi is None else min(hi, len(self.names))
        return lo, hi

    def empty(self) -> bool:
        lo, hi = self.counts()
        if hi is not None and lo > hi:
            return True
        if self.names is not None and not self.required <= self.names:
            return True
        for name in self.required:
            conj = self.at(name)
            if any(x.raw is False for x in conj):
                return True
            if conj and self._empty_conj(conj):
                return True
        return False

    def _empty_conj(self, conj: list[Sch]) -> bool:
        # Memoised with the prover's answers: large objects require the same nested objects
        # (a user, a repository) over and over. Doubt answers False, which is safe to keep.
        prover = self.prover
        key = ("empty-conj", frozenset(id(s.raw) for s in conj))
        found = prover.memo.get(key)
        if found is None:
            atoms = prover.normalise(conj)
            found = atoms is not None and all(prover.empty(b) for b in atoms)
            prover.memo[key] = found
            prover.alive.append(conj)
        return found

    def within(self, new: Sch) -> bool:
        raw, prover = new.raw, self.prover
        required = raw.get("required")
        if isinstance(required, list) and not set(required) <= self.required:
            return False
        lo, hi = self.counts()
        want_lo, want_hi = raw.get("minProperties"), raw.get("maxProperties")
        if isinstance(want_lo, int | float) and lo < want_lo:
            return False
        if isinstance(want_hi, int | float) and (hi is None or hi > want_hi):
            return False
        props, patterns = _dict(raw, "properties"), _dict(raw, "patternProperties")
        candidates = self.names if self.names is not None else self.declared() | set(props)
        for name in sorted(candidates):
            conj = self.at(name)
            if any(x.raw is False for x in conj):
                continue  # the old schema forbids the name
            theirs = [new.sub(props[name])] if name in props else []
            theirs += [new.sub(v) for p, v in patterns.items() if _matches(p, name)]
            if not theirs and "additionalProperties" in raw:
                theirs = [new.sub(raw["additionalProperties"])]
            if not all(prover.included(conj, t) for t in theirs):
                return False
        if self.names is None and not self._unknown_within(new, patterns):
            return False
        return self._dependencies_within(raw) and self._names_within(new)

    def _unknown_within(self, new: Sch, patterns: dict[str, Any]) -> bool:
        """Names the old model leaves open (not declared by it) also pass the new model."""
        raw = new.raw
        extra = raw.get("additionalProperties")
        if extra in (None, True) and not patterns:
            return True
        unknown = self.unknown()
        for pattern, schema in patterns.items():
            same = [
                s.sub(_dict(s.raw, "patternProperties")[pattern])
                for s in self.parts
                if pattern in _dict(s.raw, "patternProperties")
            ]
            if not self.prover.included(same or unknown, new.sub(schema)):
                return False
        if extra in (None, True):
            return True
        if any(_dict(s.raw, "patternProperties") for s in self.parts):
            return False  # names matching the old patterns may fall outside the new ones
        return self.prover.included(unknown, new.sub(extra))

    def _dependencies_within(self, raw: dict[str, Any]) -> bool:
        deps = dict(_dict(raw, "dependentRequired"))
        deps.update({k: v for k, v in _dict(raw, "dependencies").items() if isinstance(v, list)})
        if any(not isinstance(v, list) for v in _dict(raw, "dependencies").values()):
            return False
        for name, needed in deps.items():
            if self.names is not None and name not in self.names:
                continue
            if set(needed) <= self.required:
                continue
            if not any(
                set(needed)
                <= set(_dict(s.raw, "dependentRequired").get(name) or [])
                | set(_dict(s.raw, "dependencies").get(name) or [])
                for s in self.parts
            ):
                return False
        return True

    def _names_within(self, new: Sch) -> bool:
        if "propertyNames" not in new.raw:
            return True
        want = new.sub(new.raw["propertyNames"])
        if self.names is not None:
            return all(valid(want, n) is True for n in self.names)
        own = [s.sub(s.raw["propertyNames"]) for s in self.parts if "propertyNames" in s.raw]
        return bool(own) and self.prover.included([*own, want.sub({"type": "string"})], want)
