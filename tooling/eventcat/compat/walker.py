"""The recursive comparison: Confluent's order of checks, the per-kind handler table, and the
memo that makes recursive ``$ref``s compare to a greatest fixed point.

A pair of nodes reached through a ``$ref`` is compared once; re-entering a pair that is still being
compared (a recursive schema) optimistically assumes it compatible. After a full pass, every
assumption that turned out wrong is recorded and the pass is repeated, until no assumption fails.
The set of pairs known to be incompatible only grows, so this terminates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from eventcat.catalog.refs import resolver_base
from eventcat.compat import arrays, combinators, keywords, objects, scalars, subset
from eventcat.compat.context import Ctx, Diff, Engine, Key, SharedKey, rebase
from eventcat.compat.schema import (
    ALL_OF,
    ANY_OF,
    ARRAY,
    BOOLEAN,
    COMBINED,
    CONDITIONAL,
    CONST,
    EMPTY,
    ENUM,
    FALSE,
    NOT,
    NULL,
    NUMBER,
    OBJECT,
    ONE_OF,
    STRING,
    TRUE,
    Node,
    identical,
)
from eventcat.errors import SchemaError
from eventcat.jsonpointer import unescape

Handler = Callable[[Ctx, Node, Node], Iterator[Diff]]


def _nothing(ctx: Ctx, old: Node, new: Node) -> Iterator[Diff]:
    return iter(())


# One handler per kind; a pair reaches its handler only when both nodes are of that kind.
HANDLERS: dict[str, Handler] = {
    OBJECT: objects.compare_objects,
    ARRAY: arrays.compare_arrays,
    STRING: scalars.compare_strings,
    NUMBER: scalars.compare_numbers,
    ENUM: scalars.compare_enums,
    CONST: scalars.compare_consts,
    COMBINED: combinators.compare_combined,
    NOT: combinators.compare_not,
    BOOLEAN: _nothing,
    NULL: _nothing,
    EMPTY: _nothing,
    TRUE: _nothing,
    FALSE: _nothing,
    CONDITIONAL: _nothing,  # Confluent: two conditionals always compare equal
}

# Keyword checks that sound rules run on every pair of schema objects, whatever their kind.
SOUND_CHECKS: tuple[Handler, ...] = (keywords.check_unmodelled, keywords.check_conditional)


def compare_nodes(ctx: Ctx, old: Node | None, new: Node | None) -> list[Diff]:
    if old is None:
        return [] if new is None else [ctx.diff("SCHEMA_ADDED", None, new)]
    if new is None:
        return [ctx.diff("SCHEMA_REMOVED", old, None)]
    if _identical(old, new):
        return []
    if not (old.via_ref or new.via_ref):
        return _compare_types(ctx, old, new)
    eng = ctx.eng
    key: Key = (id(old), id(new), ctx.lenient)
    hit = eng.memo.get(key)
    if hit is not None:
        return list(rebase(hit[1], ctx, hit[0]))
    shared = eng.shared
    skey: SharedKey | None = None
    if shared is not None:
        skey = (
            id(old.raw),
            resolver_base(old.scope),
            id(new.raw),
            resolver_base(new.scope),
            ctx.lenient,
        )
        hit = shared.memo.get(skey)
        if hit is not None:
            return list(rebase(hit[1], ctx, hit[0]))
    if key in eng.running:
        eng.assumptions += 1
        bad = eng.known_bad.get(key)
        if bad is None:
            eng.assumed.add(key)
            return []
        # One breaking change is enough to make the enclosing comparison fail.
        first = [d for d in bad[1] if d.type not in _allowed(eng, key)][:1]
        return list(rebase(first, ctx, bad[0]))
    eng.running.add(key)
    assumptions = eng.assumptions
    try:
        diffs = _compare_types(ctx, old, new)
    finally:
        eng.running.discard(key)
    eng.memo[key] = (ctx, diffs)
    if (
        shared is not None
        and skey is not None
        and eng.assumptions == assumptions
        and _relocatable(ctx, diffs)
    ):
        shared.memo[skey] = (ctx, diffs)
        shared.pinned += (old.raw, new.raw)
    return diffs


def _relocatable(ctx: Ctx, diffs: list[Diff]) -> bool:
    """Whether every change lies below the pair's own place, so that ``rebase`` moves all of
    them to wherever the pair recurs (a pointer that restarted at a ``#/`` reference would be
    indistinguishable from one below a root pair: those stay in the per-comparison memo)."""
    if not (ctx.old_ptr and ctx.new_ptr):
        return not diffs
    return all(_below(d.old_ptr, ctx.old_ptr) and _below(d.new_ptr, ctx.new_ptr) for d in diffs)


def _below(pointer: str, base: str) -> bool:
    return pointer == base or pointer.startswith(base + "/")


def _identical(old: Node, new: Node) -> bool:
    return (
        old.meta is not None
        and new.meta is not None
        and identical(old.side, old.raw, new.side, new.raw)
    )


def run(eng: Engine, ctx: Ctx, old: Node, new: Node) -> list[Diff]:
    """Compare two root nodes to a greatest fixed point."""
    for _ in range(64):
        eng.memo.clear()
        eng.assumed.clear()
        diffs = compare_nodes(ctx, old, new)
        wrong = {
            k: eng.memo[k]
            for k in eng.assumed
            if k in eng.memo
            and k not in eng.known_bad
            and any(d.type not in _allowed(eng, k) for d in eng.memo[k][1])
        }
        if not wrong:
            return diffs
        eng.known_bad.update(wrong)
    raise SchemaError.at(
        "the recursive $refs of these schemas do not settle to a verdict", rule="schema"
    )


def _allowed(eng: Engine, key: Key) -> frozenset[str]:
    return eng.compatible if key[2] == eng.lenient else eng.strict_compatible


def _compare_types(ctx: Ctx, old: Node, new: Node) -> list[Diff]:
    out = _structural(ctx, old, new)
    if out and ctx.eng.sound:
        return _judged_by_sets(ctx, old, new, out)
    return out


# Removals that an allOf branch of the new schema may contradict (the property is still declared).
_REMOVALS = frozenset(
    {
        "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL",
        "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
    }
)


def _judged_by_sets(ctx: Ctx, old: Node, new: Node, out: list[Diff]) -> list[Diff]:
    """Sound rules: where the syntax-directed comparison sees a break (or a removal), ask whether
    the sets of instances say otherwise (issue: rewrites of the same set are not breaking)."""
    if new.kind == COMBINED and new.criterion == ALL_OF and any(d.type in _REMOVALS for d in out):
        out = _still_declared(ctx, new, out)
    if ctx.ok(out):
        return out
    prover = subset.prover_for(old.side, new.side, ctx.eng.shared)
    if _disjoint_kinds(old, new) or _exact_leaves(ctx, old, new, out):
        prover.failed.add(ctx.old_ptr)
        return out
    if old.kind == new.kind and old.kind in (OBJECT, ARRAY) and _inherited(ctx, out, prover):
        return out  # every break comes from a member the prover already failed on
    if not prover.node_included(old, new):
        prover.failed.add(ctx.old_ptr)
        return out
    if ctx.lenient and not subset.declarations_kept(old, new):
        return out  # the tolerant reader would drop something: strict inclusion is not enough
    kept = [d for d in out if ctx.ok((d,))]
    kept.append(ctx.diff("SCHEMA_PROVEN_COMPATIBLE", old, new))
    return kept


# Breaks between two plain leaves that the syntax-directed rules already decide exactly (no proof
# can overturn them), so that a document with thousands of such changes stays fast.
_LEAF_BREAKS = {
    STRING: frozenset(
        {
            "MAX_LENGTH_DECREASED",
            "MAX_LENGTH_ADDED",
            "MIN_LENGTH_INCREASED",
            "MIN_LENGTH_ADDED",
            "FORMAT_ADDED",
            "FORMAT_CHANGED",
            "PATTERN_ADDED",
            "PATTERN_CHANGED",
        }
    ),
    NUMBER: frozenset(
        {
            "MAXIMUM_DECREASED",
            "MAXIMUM_ADDED",
            "MINIMUM_INCREASED",
            "MINIMUM_ADDED",
            "TYPE_NARROWED",
        }
    ),
}
_LEAF_KEYS = {
    STRING: frozenset({"type", "minLength", "maxLength", "format", "pattern"}),
    NUMBER: frozenset({"type", "minimum", "maximum"}),
}
_NOTES = frozenset(
    {
        "title",
        "description",
        "default",
        "examples",
        "$comment",
        "deprecated",
        "readOnly",
        "writeOnly",
    }
)


_TYPED = frozenset({STRING, NUMBER, BOOLEAN, NULL, OBJECT, ARRAY})


def _disjoint_kinds(old: Node, new: Node) -> bool:
    """Two schemas that each require one different JSON type: only an empty old schema could be
    included, and the proof is not worth its cost on every type change."""
    return (
        old.kind != new.kind
        and old.typed
        and new.typed
        and old.kind in _TYPED
        and new.kind in _TYPED
    )


def _exact_leaves(ctx: Ctx, old: Node, new: Node, out: list[Diff]) -> bool:
    kind = old.kind
    if kind != new.kind or kind not in _LEAF_BREAKS or old.meta is None or new.meta is None:
        return False
    keys, breaks = _LEAF_KEYS[kind], _LEAF_BREAKS[kind]
    for node in (old, new):
        raw = node.raw
        if not (
            isinstance(raw, dict)
            and raw.keys() - _NOTES <= keys
            and raw.get("type") in (kind, "integer")
            and all(isinstance(raw.get(k, 0), int) for k in keys - {"type", "format", "pattern"})
        ):
            return False
    o = old.raw
    if (
        "pattern" in o
        or o.get("minLength", 0) > o.get("maxLength", o.get("minLength", 0))
        or o.get("minimum", 0) > o.get("maximum", o.get("minimum", 0))
    ):
        return False  # a pattern can imply a length; an empty old schema is included anywhere
    return all(
        ctx.ok((d,)) or (d.type in breaks and d.old_ptr.startswith(ctx.old_ptr)) for d in out
    )


def _inherited(ctx: Ctx, out: list[Diff], prover: subset.Prover) -> bool:
    """Whether every breaking change lies below a pair the prover could not prove. Skipping the
    proof then only costs completeness (a plain object or array rarely makes up for a member),
    and keeps a document with many breaking members linear."""
    base = len(ctx.old_ptr)
    for d in out:
        if ctx.ok((d,)):
            continue
        ptr, end = d.old_ptr, len(d.old_ptr)
        while end > base and ptr[:end] not in prover.failed:
            end = ptr.rfind("/", 0, end)
        if end <= base:
            return False
    return True


def _still_declared(ctx: Ctx, new: Node, out: list[Diff]) -> list[Diff]:
    """A property removed from one allOf branch but declared by another is not removed: only a
    constraint on it is gone, a relaxation."""
    names = subset.declared_in_all_of(new)
    prefix = ctx.old_ptr + "/allOf/"
    result = []
    for d in out:
        if d.type in _REMOVALS and d.old_ptr.startswith(prefix):
            index, _, rest = d.old_ptr[len(prefix) :].partition("/")
            keyword, _, name = rest.partition("/")
            name = unescape(name)
            if index.isdigit() and keyword == "properties" and name in names:
                d = d._replace(type="SCHEMA_PROVEN_COMPATIBLE")
        result.append(d)
    return result


def _structural(ctx: Ctx, old: Node, new: Node) -> list[Diff]:
    # Builds the list directly (it runs for every pair of nodes compared): the same changes, in
    # the same order, as chaining the handlers' generators.
    out: list[Diff] = []
    sound = ctx.eng.sound
    if sound and old.meta is not None and new.meta is not None:
        for check in SOUND_CHECKS:
            out.extend(check(ctx, old, new))
    old_kind, new_kind = old.kind, new.kind
    # A non-combined schema against a combined one (Confluent's steps 3 and 4): look for a branch
    # that works on its own.
    if new_kind == COMBINED and old_kind != COMBINED:
        found = _into_combined(ctx, old, new)
        if found is not None:
            out.extend(found)
            return out
    if old_kind == COMBINED and new_kind != COMBINED:
        found = _out_of_combined(ctx, old, new)
        if found is not None:
            out.extend(found)
            return out
    if old_kind != new_kind:
        if old_kind == FALSE or new_kind in (EMPTY, TRUE):
            return out  # anything can change to the empty schema; nothing was valid under false
        if old.get("connect.type") == "bytes" and new.get("connect.type") == "bytes":
            return out
        if sound and old_kind in (ENUM, CONST):
            out.append(scalars.enum_values_against(ctx, old, new))
            return out
        out.append(ctx.diff("TYPE_CHANGED", old, new))
        return out
    out.extend(_metadata(ctx, old, new))
    if sound and old_kind != COMBINED:
        if new.typed and not old.typed:
            out.append(ctx.diff("TYPE_KEYWORD_ADDED", old, new))
        elif old.typed and not new.typed:
            out.append(ctx.diff("TYPE_KEYWORD_REMOVED", old, new))
    out.extend(HANDLERS[old_kind](ctx, old, new))
    return out


def _seg(node: Node, index: int) -> str:
    return "" if node.synthetic else f"{node.criterion}/{index}"


def _into_combined(ctx: Ctx, old: Node, new: Node) -> list[Diff] | None:
    inner = ctx.strict() if ctx.sound else ctx
    if len(new.parts) == 1:
        found = inner.at(None, "", _seg(new, 0)).compare(old, new.parts[0])
        if inner.ok(found):
            return found
    if new.criterion in (ANY_OF, ONE_OF):
        for i, part in enumerate(new.parts):
            found = inner.at(None, "", _seg(new, i)).compare(old, part)
            if inner.ok(found):
                found.append(ctx.diff("SUM_TYPE_EXTENDED", old, new))
                if ctx.sound and new.criterion == ONE_OF:
                    found.extend(combinators.one_of_overlap(ctx, old, new))
                return found
    return None


def _out_of_combined(ctx: Ctx, old: Node, new: Node) -> list[Diff] | None:
    inner = ctx.strict() if ctx.sound else ctx
    if len(old.parts) == 1:
        found = inner.at(None, _seg(old, 0), "").compare(old.parts[0], new)
        if inner.ok(found):
            return found
    if old.criterion == ALL_OF:
        for i, part in enumerate(old.parts):
            found = inner.at(None, _seg(old, i), "").compare(part, new)
            if inner.ok(found):
                found.append(ctx.diff("PRODUCT_TYPE_NARROWED", old, new))
                return found
    return None


_META = (
    ("title", "TITLE_CHANGED"),
    ("description", "DESCRIPTION_CHANGED"),
    ("default", "DEFAULT_CHANGED"),
)


# Every keyword _metadata reads: without any of them on either side, it finds nothing.
_META_KEYS = frozenset(("$id", "id", *(keyword for keyword, _ in _META)))


def _metadata(ctx: Ctx, old: Node, new: Node) -> Iterator[Diff]:
    om, nm = old.meta or {}, new.meta or {}
    if _META_KEYS.isdisjoint(om) and _META_KEYS.isdisjoint(nm):
        return iter(())  # the common case, without a generator
    return _changed_metadata(ctx, old, new, om, nm)


def _changed_metadata(
    ctx: Ctx, old: Node, new: Node, om: dict[str, object], nm: dict[str, object]
) -> Iterator[Diff]:
    # Confluent's 2019-09/2020-12 translator drops $id; everit (draft-07) keeps it.
    if (old.draft == 7 or ctx.sound) and scalars.json_differs(_id(om), _id(nm)):
        yield ctx.diff("ID_CHANGED", old, new)
    for keyword, change in _META:
        if scalars.json_differs(om.get(keyword, _MISSING), nm.get(keyword, _MISSING)):
            yield ctx.diff(change, old, new)


_MISSING = object()


def _id(meta: dict[str, object]) -> object:
    return meta.get("$id", meta.get("id", _MISSING))
