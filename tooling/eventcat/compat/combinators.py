"""allOf / anyOf / oneOf (matched as a maximum bipartite matching) and ``not``."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from eventcat.catalog.refs import resolver_base
from eventcat.compat.context import Ctx, Diff
from eventcat.compat.schema import (
    ALL_OF,
    ANY_OF,
    ARRAY,
    BOOLEAN,
    COMBINED,
    CONST,
    ENUM,
    NULL,
    NUMBER,
    OBJECT,
    ONE_OF,
    STRING,
    Node,
    canon,
)


def _distinct(node: Node) -> list[tuple[int, Node]]:
    """Subschemas without duplicates (Confluent compares them as a set), with their index."""
    seen: set[str] = set()
    out = []
    for i, part in enumerate(node.parts):
        key = part.key()
        if key not in seen:
            seen.add(key)
            out.append((i, part))
    return out


def _seg(node: Node, index: int) -> str:
    return "" if node.synthetic else f"{node.criterion}/{index}"


def compare_combined(ctx: Ctx, old: Node, new: Node) -> Iterator[Diff]:
    oc, nc = old.criterion, new.criterion
    o, n = _distinct(old), _distinct(new)
    if oc != nc:
        if (
            nc == ANY_OF
            or (len(o) == 1 and len(n) == 1)
            or (len(o) == 1 and nc == ONE_OF)
            or (len(n) == 1 and oc == ALL_OF)
        ):
            yield ctx.diff("COMBINED_TYPE_EXTENDED", old, new)
        else:
            yield ctx.diff("COMBINED_TYPE_CHANGED", old, new)
            return
    if len(n) > len(o):
        yield ctx.diff("PRODUCT_TYPE_EXTENDED" if nc == ALL_OF else "SUM_TYPE_EXTENDED", old, new)
    elif len(n) < len(o):
        yield ctx.diff(
            "SUM_TYPE_NARROWED" if oc in (ANY_OF, ONE_OF) else "PRODUCT_TYPE_NARROWED", old, new
        )
    # Under sound rules the tolerant reader does not reach into branches: compare them strictly.
    inner = ctx.strict() if ctx.sound else ctx
    compared: dict[tuple[int, int], list[Diff]] = {}

    def changes(i: int, j: int) -> list[Diff]:
        if (i, j) not in compared:
            (oi, op), (nj, np_) = o[i], n[j]
            compared[i, j] = inner.at(f"{oc}/{oi}", _seg(old, oi), _seg(new, nj)).compare(op, np_)
        return compared[i, j]

    def edge(i: int, j: int) -> list[Diff] | None:
        """The changes of old branch ``i`` against new branch ``j`` when compatible, else None;
        compared when the matching first asks (a branch that already found its partner never
        meets the others: GitHub's ``allOf: [$ref, overrides]`` compares 2 pairs, not 4)."""
        found = changes(i, j)
        return found if inner.ok(found) else None

    matched = _max_matching(edge, len(o), len(n))
    for j, i in sorted(matched.items(), key=lambda kv: kv[1]):
        yield from compared[i, j]
    if len(matched) < min(len(o), len(n)):
        same = _same_references(ctx, old, new, o, n, matched)
        if same is None:
            yield ctx.diff("COMBINED_TYPE_SUBSCHEMAS_CHANGED", old, new)
        else:
            for i in same:
                yield from changes(i, i)
    if (
        ctx.sound
        and nc == ONE_OF
        and not (oc == ONE_OF and [p.key() for p in old.parts] == [p.key() for p in new.parts])
    ):
        yield from one_of_overlap(ctx, old, new)


def _same_references(
    ctx: Ctx,
    old: Node,
    new: Node,
    o: list[tuple[int, Node]],
    n: list[tuple[int, Node]],
    matched: dict[int, int],
) -> list[int] | None:
    """Sound rules, ``allOf`` on both sides with its branches in place: the unmatched old branches
    when each is a ``$ref`` to the same document as the new branch at its index (GitHub's
    ``allOf: [{$ref: shared}, {overrides}]``). Their own changes say what changed, where it is
    (inside the shared file, so the gate files it there, once) better than "the branches
    changed"; each is still only a break once a whole-document counterexample proves it, as
    every suspected change is. None when the unmatched branches are anything else."""
    if not (ctx.sound and old.criterion == new.criterion == ALL_OF and len(o) == len(n)):
        return None
    unmatched = [i for i in range(len(o)) if i not in matched.values()]
    for i in unmatched:
        (_, op), (_, np_) = o[i], n[i]
        if i in matched or not (op.via_ref and np_.via_ref):
            return None
        if resolver_base(op.scope) != resolver_base(np_.scope) or op.ptr != np_.ptr:
            return None
    return unmatched


def _max_matching(
    edge: Callable[[int, int], list[Diff] | None], left: int, right: int
) -> dict[int, int]:
    """Maximum-cardinality bipartite matching (Kuhn's augmenting paths): right index → left.
    ``edge(i, j)`` is None where there is no edge; it is asked in the order an eager table would
    be read, so the matching is the same."""
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in range(right):
            if j in seen or edge(i, j) is None:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(left):
        augment(i, set())
    return owner


def compare_not(ctx: Ctx, old: Node, new: Node) -> Iterator[Diff]:
    # `not A` → `not B` is compatible when B accepts no more than A: compare them reversed.
    sub = ctx.at("not").strict()
    o, n = old.child(old.get("not"), "not"), new.child(new.get("not"), "not")
    found = sub.compare(n, o)
    yield ctx.diff("NOT_TYPE_NARROWED" if sub.ok(found) else "NOT_TYPE_EXTENDED", old, new, "not")


# -- oneOf disjointness (sound rules) ----------------------------------------------------------

_ALL_TYPES = frozenset({OBJECT, ARRAY, STRING, "integer", "fraction", BOOLEAN, NULL})


def _json_type(value: object) -> str:
    if value is None:
        return NULL
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return "integer"
    if isinstance(value, float):
        return "fraction"
    if isinstance(value, str):
        return STRING
    return ARRAY if isinstance(value, list) else OBJECT


def types_of(node: Node) -> frozenset[str]:
    """A superset of the JSON types a schema accepts ("integer"/"fraction" split numbers)."""
    if node.kind in (ENUM, CONST):
        values = node.get("enum") if node.kind == ENUM else [node.get("const")]
        return frozenset(_json_type(v) for v in values)
    if node.kind == COMBINED:
        sets = [types_of(p) for p in node.parts]
        if node.criterion == ALL_OF:
            return frozenset.intersection(*sets)
        return frozenset.union(*sets)
    if node.kind == "false":
        return frozenset()
    if not node.typed:
        return _ALL_TYPES
    if node.kind == NUMBER:
        return frozenset({"integer"} if node.integer else {"integer", "fraction"})
    return frozenset({node.kind})


def _consts(node: Node, name: str) -> set[str] | None:
    """Values a required property is pinned to (a discriminator), if it is pinned."""
    raw = node.raw
    if not isinstance(raw, dict) or name not in (raw.get("required") or []):
        return None
    prop = (raw.get("properties") or {}).get(name)
    if isinstance(prop, dict) and "const" in prop:
        return {canon(prop["const"])}
    if isinstance(prop, dict) and isinstance(prop.get("enum"), list):
        return {canon(v) for v in prop["enum"]}
    return None


def disjoint(a: Node, b: Node) -> bool:
    if not types_of(a) & types_of(b):
        return True
    if a.kind in (ENUM, CONST) and b.kind in (ENUM, CONST):
        av = a.get("enum") if a.kind == ENUM else [a.get("const")]
        bv = b.get("enum") if b.kind == ENUM else [b.get("const")]
        return not {canon(v) for v in av} & {canon(v) for v in bv}
    if a.kind == OBJECT and b.kind == OBJECT and a.typed and b.typed:
        for name in a.raw.get("properties") or {}:
            ca, cb = _consts(a, name), _consts(b, name)
            if ca is not None and cb is not None and not ca & cb:
                return True
    return False


def one_of_overlap(ctx: Ctx, old: Node, new: Node) -> Iterator[Diff]:
    """A value matching two branches of a oneOf fails it: flag new branches not provably disjoint."""
    # Every branch counts, duplicates too: a value matching two equal branches fails oneOf.
    parts = list(new.parts) if new.kind == COMBINED else []
    for i, a in enumerate(parts):
        for b in parts[i + 1 :]:
            if not disjoint(a, b) and (types_of(old) & types_of(a) & types_of(b)):
                yield ctx.diff("ONE_OF_BRANCHES_OVERLAP", old, new)
                return
