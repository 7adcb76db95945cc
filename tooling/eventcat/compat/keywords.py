"""Keyword checks of sound rules that apply to a schema object whatever its kind: conditionals and
keywords the engine does not model (which make the verdict "unknown", never "compatible").

Keywords outside the JSON Schema vocabularies (``x-eventcat``, ``connect.type``, …) are annotations:
validators ignore them, so they cannot break a reader and are not reported.
"""

from __future__ import annotations

from collections.abc import Iterator

from eventcat.compat.context import Ctx, Diff
from eventcat.compat.schema import Node, canon

# Keywords a validator applies whose effect the engine does not model.
_UNMODELLED = ("$dynamicRef", "$recursiveRef")
# In-place applicators: beside them, unevaluated* depends on what the branches evaluate.
_APPLICATORS = ("allOf", "anyOf", "oneOf", "if", "dependentSchemas", "$ref")


# Keywords without which check_unmodelled has nothing to say about a schema object.
_FLAGGED = frozenset((*_UNMODELLED, "unevaluatedProperties", "unevaluatedItems"))


def check_unmodelled(ctx: Ctx, old: Node, new: Node) -> Iterator[Diff]:
    om, nm = old.meta, new.meta
    if (om is None or _FLAGGED.isdisjoint(om)) and (nm is None or _FLAGGED.isdisjoint(nm)):
        return iter(())  # the common case, without a generator
    return _unmodelled(ctx, old, new)


def _unmodelled(ctx: Ctx, old: Node, new: Node) -> Iterator[Diff]:
    for node, base in ((old, ctx.old_ptr), (new, ctx.new_ptr)):
        raw = node.meta
        if raw is None:
            continue
        for keyword in _UNMODELLED:
            if keyword in raw:
                yield ctx.unknown(f"{base}/{keyword}")
        if node.draft >= 2019 and any(k in raw for k in _APPLICATORS):
            for keyword in ("unevaluatedProperties", "unevaluatedItems"):
                if keyword in raw:
                    yield ctx.unknown(f"{base}/{keyword}")


def _conditional(node: Node) -> dict[str, object] | None:
    raw = node.meta or {}
    if "if" not in raw or not ({"then", "else"} & raw.keys()):
        return None  # `if` alone asserts nothing
    return {k: raw[k] for k in ("if", "then", "else") if k in raw}


def check_conditional(ctx: Ctx, old: Node, new: Node) -> Iterator[Diff]:
    om, nm = old.meta, new.meta
    if (om is None or "if" not in om) and (nm is None or "if" not in nm):
        return iter(())  # neither has a conditional (see _conditional)
    return _check_conditional(ctx, old, new)


def _check_conditional(ctx: Ctx, old: Node, new: Node) -> Iterator[Diff]:
    o, n = _conditional(old), _conditional(new)
    if o is None and n is None:
        return
    if o is None:
        yield ctx.diff("CONDITIONAL_ADDED", old, new, "if")
        return
    if n is None:
        yield ctx.diff("CONDITIONAL_REMOVED", old, new, "if")
        return
    if canon(o) == canon(n):
        return
    if canon(o["if"]) != canon(n["if"]):
        yield ctx.diff("CONDITIONAL_CHANGED", old, new, "if")
        return
    # Same condition: each branch may only relax (an absent branch accepts everything).
    strict = ctx.strict()
    for keyword in ("then", "else"):
        ob = old.child(o[keyword], keyword) if keyword in o else None
        nb = new.child(n[keyword], keyword) if keyword in n else None
        yield from strict.at(keyword).compare(ob, nb)
