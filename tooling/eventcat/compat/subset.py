"""A prover of inclusion between the instance sets of two schemas (sound rules only).

The structural comparison (walker and handlers) follows Confluent's syntax-directed rules; where it
finds a change it cannot call compatible, sound rules ask this prover whether every instance the
old schema accepts is still accepted by the new one, judged by the sets of instances rather than by
their spelling (``type`` lists normalised, ``allOf`` flattened, ``$ref`` resolved, ``oneOf`` checked
for disjointness, ranges, lengths, counts, enums and closed content models compared by meaning).

The prover answers True only with a proof. The old schema is over-approximated where it cannot be
represented exactly (a ``not`` it cannot complement, ``oneOf`` read as ``anyOf``, a conditional
read as its branches), which keeps the proof sound; the new schema is never approximated: a
keyword it does not understand there makes the answer False. Finite sets of values (enum, const,
null, booleans) are decided by the product's validator itself. Recursive ``$ref``s are handled
co-inductively: a pair met again while being proved is assumed included, which is sound because
every recursive step descends into a strictly smaller part of the instance.

Hand-written on purpose: no maintained Python library decides JSON Schema inclusion for the drafts
and the validator semantics eventcat uses (jsonsubschema targets draft-04 and is unmaintained).
"""

from __future__ import annotations

from typing import Any

from eventcat.compat import subset_atoms as atoms_
from eventcat.compat import subset_types as types_
from eventcat.compat.context import Shared
from eventcat.compat.schema import Node, Side, identical
from eventcat.compat.subset_atoms import ALL_TYPES, Atom, Sch
from eventcat.compat.subset_numbers import ranges_cover

_MAX_ATOMS = 64
_BUDGET = 20_000
# Keywords that never constrain an instance (annotations, containers of definitions).
_IGNORED = frozenset(
    {
        "$schema",
        "$id",
        "id",
        "$anchor",
        "$comment",
        "$defs",
        "definitions",
        "title",
        "description",
        "default",
        "examples",
        "deprecated",
        "readOnly",
        "writeOnly",
        "$vocabulary",
        "$dynamicAnchor",
        "contentEncoding",
        "contentMediaType",
        "contentSchema",
        "discriminator",
    }
)
# Keywords of the new schema the prover does not decide.
# Keywords normalise has already taken apart (the rest of a schema object stays in its atom).
_EXPANDED = frozenset({"$ref", "allOf", "anyOf", "oneOf", "not", "if", "then", "else"})
_UNDECIDED = frozenset(
    {
        "$dynamicRef",
        "$recursiveRef",
        "unevaluatedProperties",
        "unevaluatedItems",
        "dependentSchemas",
        "$recursiveAnchor",
    }
)


class Prover:
    """Inclusion proofs between the nodes of one old and one new schema document."""

    def __init__(
        self, memo: dict[tuple[Any, ...], bool] | None = None, alive: list[Any] | None = None
    ) -> None:
        self.steps = 0
        # Settled answers hold in any comparison of the same two catalog sides (they rest on no
        # hypothesis about an outer pair): ``memo``/``alive`` may be shared by all of them.
        self.memo: dict[tuple[Any, ...], bool] = {} if memo is None else memo
        self.stack: dict[tuple[Any, ...], int] = {}
        self.lowest = 1 << 30  # the outermost in-progress pair some result relied on
        # Memo keys are object ids: keep every keyed schema alive so that no id is reused.
        self.alive: list[Any] = [] if alive is None else alive
        self.failed: set[str] = set()  # old pointers of node pairs the walker could not prove

    # -- entry points ---------------------------------------------------------------------------

    def node_included(self, old: Node, new: Node) -> bool:
        try:
            return self.included(
                [Sch(old.raw, old.side, old.scope)], Sch(new.raw, new.side, new.scope)
            )
        except _OutOfBudget:
            return False

    def included(self, conj: list[Sch], new: Sch) -> bool:
        """Every instance valid under all of ``conj`` is valid under ``new``."""
        key = (frozenset(id(s.raw) for s in conj), id(new.raw))
        found = self.memo.get(key)
        if found is not None:
            return found
        if len(conj) == 1 and identical(conj[0].side, conj[0].raw, new.side, new.raw):
            return True  # the same text, with no $ref or other context-dependent keyword
        depth = self.stack.get(key)
        if depth is not None:  # co-inductive hypothesis (see the module's docstring)
            self.lowest = min(self.lowest, depth)
            return True
        self._tick()
        mine = len(self.stack)
        self.stack[key] = mine
        outer, self.lowest = self.lowest, 1 << 30
        try:
            atoms = self.normalise(conj)
            result = atoms is not None and all(
                self.atom_in(a, new) for a in atoms if not types_.empty(self, a)
            )
        finally:
            del self.stack[key]
        if not result or self.lowest >= mine:
            self.memo[key] = result
            self.alive.append((conj, new))  # does not rest on a hypothesis about an outer pair
        self.lowest = min(outer, self.lowest if self.lowest < mine else 1 << 30)
        return result

    def _tick(self) -> None:
        self.steps += 1
        if self.steps > _BUDGET:
            raise _OutOfBudget

    # -- the old side: a union of typed atoms ---------------------------------------------------

    def normalise(
        self, conj: list[Sch], pending: tuple[list[Sch], ...] = (), origin: list[Sch] | None = None
    ) -> list[Atom] | None:
        """The atoms (one JSON type each) whose union contains every instance of ``conj`` and of
        one branch of each union in ``pending``. ``origin``: the schemas as first given, which
        decide exactly which finite values (enum, const, null, booleans) remain."""
        origin = conj if origin is None else origin
        self._tick()
        flat: list[Sch] = []
        unions: list[list[Sch]] = list(pending)
        kinds = set(ALL_TYPES)
        seen: set[int] = set()
        stack = list(conj)
        while stack:
            s = stack.pop()
            if s.raw is True:
                continue
            if s.raw is False:
                return []
            if not isinstance(s.raw, dict) or id(s.raw) in seen:
                continue
            seen.add(id(s.raw))
            own = self.deref(s, stack)
            if own is None:
                continue
            s, raw = own, own.raw
            kinds &= atoms_.declared_types(raw)
            stack.extend(s.sub(x) for x in raw.get("allOf") or [])
            for keyword in ("anyOf", "oneOf"):  # oneOf read as anyOf: an over-approximation
                if isinstance(raw.get(keyword), list):
                    unions.append([s.sub(x) for x in raw[keyword]])
            if "if" in raw and ("then" in raw or "else" in raw):
                # (if and then) or else: the second branch drops "not if", an over-approximation.
                unions.append(
                    [
                        s.sub({"allOf": [raw["if"], raw.get("then", True)]}),
                        s.sub(raw.get("else", True)),
                    ]
                )
            if "not" in raw:
                negated = self._negate(s.sub(raw["not"]), kinds, stack, unions)
                if negated is None:
                    return []
                kinds = negated
            flat.append(s.sub({k: v for k, v in raw.items() if k not in _EXPANDED}))
        if not kinds:
            return []
        if flat and kinds != set(ALL_TYPES):
            flat.append(
                flat[0].sub({"type": sorted(kinds - {"integer"} if "number" in kinds else kinds)})
            )
        if not unions:
            return atoms_.atoms(self, flat, kinds, origin)
        out: list[Atom] = []
        for branch in unions[0]:
            got = self.normalise([*flat, branch], tuple(unions[1:]), origin)
            if got is None:
                return None
            out.extend(got)
            if len(out) > _MAX_ATOMS:
                return None
        return out

    def deref(self, s: Sch, stack: list[Sch]) -> Sch | None:
        """``s`` without its ``$ref`` (the target is pushed on ``stack`` as another conjunct)."""
        raw = s.raw
        if "$ref" not in raw:
            return s
        target = s.side.follow(raw, s.scope)
        if s.side.draft < 2019:
            stack.append(Sch(target[0], s.side, target[1]))  # draft-07: siblings of $ref ignored
            return None
        stack.append(Sch(target[0], s.side, target[1]))
        return Sch({k: v for k, v in raw.items() if k != "$ref"}, s.side, s.scope)

    def _negate(
        self, x: Sch, kinds: set[str], stack: list[Sch], unions: list[list[Sch]]
    ) -> set[str] | None:
        """Fold ``not x`` into the conjunction where it can be represented exactly; otherwise
        leave it out (an over-approximation). Returns the remaining types (None: nothing left)."""
        raw = x.raw
        if raw is True or raw == {}:
            return None
        if not isinstance(raw, dict):
            return kinds  # not false: no constraint
        if "$ref" in raw and len(raw) == 1:
            target = x.side.follow(raw, x.scope)
            return self._negate(Sch(target[0], x.side, target[1]), kinds, stack, unions)
        keys = set(raw) - _IGNORED
        if keys == {"not"}:
            stack.append(x.sub(raw["not"]))  # not not y = y
            return kinds
        if keys == {"anyOf"} and isinstance(raw["anyOf"], list):
            stack.extend(Sch({"not": y}, x.side, x.scope) for y in raw["anyOf"])
            return kinds
        if keys == {"allOf"} and isinstance(raw["allOf"], list):
            unions.append([Sch({"not": y}, x.side, x.scope) for y in raw["allOf"]])
            return kinds
        if keys == {"type"}:
            return kinds - atoms_.declared_types(raw)
        if (keys == {"enum"} and raw["enum"] == [""]) or (keys == {"const"} and raw["const"] == ""):
            # Other excluded values only matter to finite atoms, which the validator decides.
            stack.append(x.sub({"anyOf": [{"not": {"type": "string"}}, {"minLength": 1}]}))
            return kinds
        complement = atoms_.complement(raw)
        if complement is not None:
            kind, part = complement
            # not x = (every type x does not constrain away) or (the complement within `kind`).
            others = atoms_.declared_types(raw) - {kind}
            kinds = kinds - others
            stack.append(Sch({"anyOf": [{"not": {"type": kind}}, part]}, x.side, x.scope))
        return kinds

    # -- the new side: one keyword group at a time ----------------------------------------------

    def atom_in(self, a: Atom, new: Sch) -> bool:
        raw = new.raw
        if raw is True:
            return True
        if raw is False or not isinstance(raw, dict):
            return False
        if a.values is not None:
            return all(atoms_.valid(new, v) is True for v in a.values)
        self._tick()
        if "$ref" in raw:
            target = new.side.follow(raw, new.scope)
            if not self.included(a.parts, Sch(target[0], new.side, target[1])):
                return False
            if new.side.draft < 2019:
                return True
            raw = {k: v for k, v in raw.items() if k != "$ref"}
            new = Sch(raw, new.side, new.scope)
        keys = raw.keys() - _IGNORED
        if keys & _UNDECIDED and not atoms_.vacuous_for(a.kind, keys & _UNDECIDED):
            return False
        if "type" in raw and not types_.type_in(a, raw):
            return False
        if ("enum" in raw or "const" in raw) and not atoms_.finite_in(self, a, new):
            return False
        for sub in raw.get("allOf") or []:
            if not self.included(a.parts, new.sub(sub)):
                return False
        if (
            "anyOf" in raw
            and not any(self.included(a.parts, new.sub(b)) for b in raw["anyOf"])
            and not ranges_cover(a, [new.sub(b) for b in raw["anyOf"]])
        ):
            return False
        if "oneOf" in raw and not self._one_of(a, new, raw["oneOf"]):
            return False
        if "not" in raw and not self.disjoint(a, new.sub(raw["not"])):
            return False
        if "if" in raw and not self._conditional(a, new, raw):
            return False
        return types_.group_in(self, a, new, keys)

    def _one_of(self, a: Atom, new: Sch, branches: list[Any]) -> bool:
        for i, b in enumerate(branches):
            if self.included(a.parts, new.sub(b)):
                return all(self.disjoint(a, new.sub(c)) for j, c in enumerate(branches) if j != i)
        return False

    def _conditional(self, a: Atom, new: Sch, raw: dict[str, Any]) -> bool:
        then, other = new.sub(raw.get("then", True)), new.sub(raw.get("else", True))
        condition = new.sub(raw["if"])
        if self.included(a.parts, condition):
            return self.included(a.parts, then)
        if self.disjoint(a, condition):
            return self.included(a.parts, other)
        return self.included(a.parts, then) and self.included(a.parts, other)

    def empty(self, a: Atom) -> bool:
        """Whether atom ``a`` provably holds no instance (subset_shapes asks it for nested atoms)."""
        return types_.empty(self, a)

    def disjoint(self, a: Atom, x: Sch) -> bool:
        """No instance of atom ``a`` is valid under ``x``."""
        if a.values is not None:
            return all(atoms_.valid(x, v) is False for v in a.values)
        atoms = self.normalise([*a.parts, x])
        if atoms is None:
            return False
        return all(types_.empty(self, b) for b in atoms if atoms_.overlaps(a.kind, b.kind))


class _OutOfBudget(Exception):
    """The proof took more steps than one comparison allows: answer "not proven"."""


def prover_for(old: Side, new: Side, shared: Shared | None = None) -> Prover:
    """The prover of a pair of documents (one per comparison direction), kept on the old side;
    its settled answers go to ``shared`` when the documents are read in catalog sides."""
    found: Prover | None = old.provers.get(id(new))
    if found is None:
        found = old.provers[id(new)] = (
            Prover() if shared is None else Prover(shared.proofs, shared.pinned)
        )
    return found


_STRUCTURED = frozenset(
    {"properties", "items", "prefixItems", "additionalItems", "allOf", "anyOf", "oneOf", "$ref"}
)


def _in_place(conj: list[Sch], every_branch: bool) -> list[Sch]:
    """The schema objects that apply at the same instance location as ``conj`` (through allOf and
    $ref; with ``every_branch`` also anyOf/oneOf)."""
    out: list[Sch] = []
    seen: set[int] = set()
    stack = list(conj)
    keywords = ("allOf", "anyOf", "oneOf") if every_branch else ("allOf",)
    while stack and len(out) < 10_000:
        s = stack.pop()
        if not isinstance(s.raw, dict) or id(s.raw) in seen:
            continue
        seen.add(id(s.raw))
        out.append(s)
        if "$ref" in s.raw:
            target, scope = s.side.follow(s.raw, s.scope)
            stack.append(Sch(target, s.side, scope))
        for keyword in keywords:
            if isinstance(s.raw.get(keyword), list):
                stack.extend(s.sub(x) for x in s.raw[keyword])
    return out


def declared_in_all_of(node: Node) -> set[str]:
    """The property names a schema declares through itself, its allOf branches and $refs."""
    names: set[str] = set()
    for s in _in_place([Sch(node.raw, node.side, node.scope)], every_branch=False):
        props = s.raw.get("properties")
        if isinstance(props, dict):
            names |= set(props)
    return names


def declarations_kept(old: Node, new: Node) -> bool:
    """Whether the new schema declares, at every location, every property the old one declares:
    then the tolerant reader (LENIENT) drops nothing from old instances and strict inclusion is
    enough."""
    if not (_STRUCTURED.intersection(old.raw) if isinstance(old.raw, dict) else False):
        return True  # a leaf declares nothing
    seen: set[tuple[Any, ...]] = set()
    return _kept([Sch(old.raw, old.side, old.scope)], [Sch(new.raw, new.side, new.scope)], seen)


def _kept(old: list[Sch], new: list[Sch], seen: set[tuple[Any, ...]]) -> bool:
    key = (tuple(id(s.raw) for s in old), tuple(id(s.raw) for s in new))
    if key in seen:
        return True
    if len(seen) > 2_000:
        return False
    seen.add(key)
    o_props, n_props = _declared(old), _declared(new)
    if not o_props.keys() <= n_props.keys():
        return False
    if not all(_kept(o_props[k], n_props[k], seen) for k in o_props):
        return False
    o_items = _items(old)
    return not o_items or _kept(o_items, _items(new), seen)


def _declared(conj: list[Sch]) -> dict[str, list[Sch]]:
    out: dict[str, list[Sch]] = {}
    for s in _in_place(conj, every_branch=True):
        props = s.raw.get("properties")
        if isinstance(props, dict):
            for name, sub in props.items():
                out.setdefault(name, []).append(s.sub(sub))
    return out


def _items(conj: list[Sch]) -> list[Sch]:
    out: list[Sch] = []
    for s in _in_place(conj, every_branch=True):
        for keyword in ("items", "prefixItems", "additionalItems"):
            value = s.raw.get(keyword)
            for sub in value if isinstance(value, list) else [value]:
                if isinstance(sub, dict):
                    out.append(s.sub(sub))
    return out
