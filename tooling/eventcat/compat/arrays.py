"""Arrays: the all-items schema, tuples against open / closed / partially-open content models,
the rest-items schema, unevaluated items, counts, uniqueness and ``contains``.

Confluent reads draft-07's shape (``items`` as a list, ``additionalItems``) and names 2020-12's
``prefixItems``/``items`` after it (``#/items/<i>``, ``#/additionalItems``). Sound rules read the
shape a validator sees: ``additionalItems`` only counts beside a tuple, and a position beyond one
tuple is governed by the other side's rest-items schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from eventcat.compat import scalars
from eventcat.compat.context import Ctx, Diff
from eventcat.compat.objects import unevaluated
from eventcat.compat.schema import EMPTY, FALSE, TRUE, Node
from eventcat.errors import SchemaError


class Shape:
    """An array schema's items: ``all`` (one schema for every item, draft-07 ``items`` object),
    ``tuple`` (positional schemas) and ``rest`` (for items beyond the tuple), each with the
    keyword it was read from."""

    __slots__ = ("all", "rest", "rest_kw", "tuple", "tuple_kw")

    def __init__(self, node: Node) -> None:
        self.all: Any = None
        self.tuple: list[Any] = []
        self.tuple_kw = "items"
        self.rest: Any = None
        self.rest_kw = "additionalItems"
        items = node.get("items")
        if node.draft == 2020:
            prefix = node.get("prefixItems")
            if prefix is not None:
                self.tuple, self.tuple_kw = _list(node, prefix, "prefixItems"), "prefixItems"
            if items is not None and (prefix is not None or isinstance(items, bool)):
                self.rest, self.rest_kw = items, "items"
            else:
                self.all = items
        else:
            if isinstance(items, list):
                self.tuple = items
            else:
                self.all = items
            self.rest = node.get("additionalItems")

    def position(self, node: Node, index: int) -> Node:
        return node.child(self.tuple[index], self.tuple_kw, str(index))


def _list(node: Node, value: Any, keyword: str) -> list[Any]:
    if not isinstance(value, list):
        raise SchemaError.at(
            f"{keyword} must be an array of schemas", rule="schema", pointer=f"{node.ptr}/{keyword}"
        )
    return value


def _model(shape: Shape, node: Node) -> str:
    rest, unevaluated_items = shape.rest, node.get("unevaluatedItems")
    if rest in (None, True) and unevaluated_items in (None, True):
        return "open"
    if isinstance(rest, dict) or (rest is None and isinstance(unevaluated_items, dict)):
        return "partial"
    return "closed"


def _cover(shape: Shape, node: Node) -> Node:
    if isinstance(shape.rest, dict):
        return node.child(shape.rest, shape.rest_kw)
    return node.child(node.get("unevaluatedItems"), "unevaluatedItems")


def compare_arrays(ctx: Ctx, old: Node, new: Node) -> Iterator[Diff]:
    o, n = Shape(old), Shape(new)
    if ctx.sound:
        yield from _sound_items(ctx, old, new, o, n)
    else:
        yield from _confluent_items(ctx, old, new, o, n)
    if not ctx.sound:  # sound rules fold unevaluatedItems into the rest-items schema
        yield from unevaluated(ctx, old, new, "unevaluatedItems", "UNEVALUATED_ITEMS")
    yield from scalars.limit(ctx, old, new, "maxItems", "MAX_ITEMS")
    yield from scalars.limit(ctx, old, new, "minItems", "MIN_ITEMS")
    o_unique, n_unique = old.get("uniqueItems") is True, new.get("uniqueItems") is True
    if n_unique and not o_unique:
        yield ctx.diff("UNIQUE_ITEMS_ADDED", old, new, "uniqueItems")
    elif o_unique and not n_unique:
        yield ctx.diff("UNIQUE_ITEMS_REMOVED", old, new, "uniqueItems")
    yield from _contains(ctx, old, new)


def _confluent_items(ctx: Ctx, old: Node, new: Node, o: Shape, n: Shape) -> Iterator[Diff]:
    yield from ctx.at("items", "items", "items").compare(
        None if o.all is None else old.child(o.all, "items"),
        None if n.all is None else new.child(n.all, "items"),
    )
    for i in range(max(len(o.tuple), len(n.tuple))):
        sub = ctx.at(f"items/{i}", f"{o.tuple_kw}/{i}", f"{n.tuple_kw}/{i}")
        if i < len(o.tuple) and i < len(n.tuple):
            yield from sub.compare(o.position(old, i), n.position(new, i))
        elif i < len(o.tuple):
            yield from _removed(sub, o.position(old, i), new, n)
        else:
            yield from _added(sub, old, o, n.position(new, i))
    yield from _rest(ctx, old, new, o.rest, n.rest, o, n)


def _removed(ctx: Ctx, item: Node, new: Node, n: Shape) -> Iterator[Diff]:
    model = _model(n, new)
    if model == "open":
        yield ctx.diff("ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL", item, new)
    elif model == "partial":
        found = ctx.compare(item, _cover(n, new))
        yield from found
        ok = "IS" if ctx.ok(found) else "NOT"
        yield ctx.diff(f"ITEM_REMOVED_{ok}_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", item, new)
    elif item.kind == FALSE:
        yield ctx.diff("ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL", item, new)
    else:
        yield ctx.diff("ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL", item, new)


def _added(ctx: Ctx, old: Node, o: Shape, item: Node) -> Iterator[Diff]:
    model = _model(o, old)
    if model == "open":
        yield ctx.diff(
            "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL"
            if item.kind in (EMPTY, TRUE)
            else "ITEM_ADDED_TO_OPEN_CONTENT_MODEL",
            old,
            item,
        )
    elif model == "partial":
        found = ctx.compare(_cover(o, old), item)
        yield from found
        ok = "IS" if ctx.ok(found) else "NOT"
        yield ctx.diff(f"ITEM_ADDED_{ok}_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", old, item)
    else:
        yield ctx.diff("ITEM_ADDED_TO_CLOSED_CONTENT_MODEL", old, item)


def _rest(
    ctx: Ctx, old: Node, new: Node, o_rest: Any, n_rest: Any, o: Shape, n: Shape
) -> Iterator[Diff]:
    """The four-way comparison of the rest-items schemas (absent/true, false, schema)."""
    sub = ctx.at("additionalItems", o.rest_kw, n.rest_kw)
    if o_rest is False and n_rest is not False:
        yield sub.diff("ADDITIONAL_ITEMS_ADDED", old, new)
    elif n_rest is False and o_rest is not False:
        yield sub.diff("ADDITIONAL_ITEMS_REMOVED", old, new)
    elif isinstance(o_rest, dict) and isinstance(n_rest, dict):
        yield from sub.compare(old.child(o_rest, o.rest_kw), new.child(n_rest, n.rest_kw))
    elif isinstance(n_rest, dict) and o_rest is not False:
        yield sub.diff("ADDITIONAL_ITEMS_NARROWED", old, new)
    elif isinstance(o_rest, dict) and n_rest is not False:
        yield sub.diff("ADDITIONAL_ITEMS_EXTENDED", old, new)


class _Effective:
    """Sound rules: what a validator applies at each position (tuple, then rest)."""

    __slots__ = ("node", "rest", "rest_kw", "shape")

    def __init__(self, node: Node, shape: Shape) -> None:
        self.node, self.shape = node, shape
        if shape.tuple:
            self.rest, self.rest_kw = shape.rest, shape.rest_kw
        elif node.draft == 2020 and shape.all is None:
            self.rest, self.rest_kw = shape.rest, "items"  # `items: true|false` without a tuple
        else:  # without a tuple, additionalItems is ignored and items applies to every item
            self.rest, self.rest_kw = shape.all, "items"
        if self.rest in (None, True) and isinstance(node.get("unevaluatedItems"), bool | dict):
            # No in-place applicators here (else check_unmodelled flags it): unevaluatedItems
            # governs what items/prefixItems leave over.
            self.rest, self.rest_kw = node.get("unevaluatedItems"), "unevaluatedItems"

    def model(self) -> str:
        if self.rest in (None, True):
            return "open"
        return "partial" if isinstance(self.rest, dict) else "closed"

    def cover(self) -> Node:
        return self.node.child(self.rest, self.rest_kw)


def _sound_items(ctx: Ctx, old: Node, new: Node, o: Shape, n: Shape) -> Iterator[Diff]:
    oe, ne = _Effective(old, o), _Effective(new, n)
    for i in range(max(len(o.tuple), len(n.tuple))):
        sub = ctx.at(f"items/{i}", f"{o.tuple_kw}/{i}", f"{n.tuple_kw}/{i}")
        if i < len(o.tuple) and i < len(n.tuple):
            yield from sub.compare(o.position(old, i), n.position(new, i))
        elif i < len(o.tuple):
            yield from _judged(sub, o.position(old, i), ne, removed=True)
        else:
            yield from _judged(sub, n.position(new, i), oe, removed=False)
    o_rest, n_rest = oe.rest, ne.rest
    if not o.tuple and not n.tuple and (isinstance(o_rest, dict) or isinstance(n_rest, dict)):
        # Both are "every item" schemas: Confluent's items comparison is the right one.
        sub = ctx.at("items", oe.rest_kw, ne.rest_kw)
        yield from sub.compare(
            None if o_rest in (None, True) else oe.cover(),
            None if n_rest in (None, True) else ne.cover(),
        )
        if o_rest is False or n_rest is False:
            yield from _rest(ctx, old, new, o_rest, n_rest, o, n)
        return
    yield from _rest(ctx, old, new, o_rest, n_rest, o, n)


def _judged(ctx: Ctx, item: Node, other: _Effective, *, removed: bool) -> Iterator[Diff]:
    """A tuple position that only one side has, judged by the other side's rest schema."""
    model = other.model()
    what = "REMOVED" if removed else "ADDED"
    if model == "open":
        if removed:
            yield ctx.diff("ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL", item, other.node)
        else:
            yield ctx.diff(
                "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL"
                if item.kind in (EMPTY, TRUE)
                else "ITEM_ADDED_TO_OPEN_CONTENT_MODEL",
                other.node,
                item,
            )
    elif model == "partial":
        found = ctx.compare(item, other.cover()) if removed else ctx.compare(other.cover(), item)
        yield from found
        ok = "IS" if ctx.ok(found) else "NOT"
        yield ctx.diff(
            f"ITEM_{what}_{ok}_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", item, other.node
        )
    elif not removed:
        yield ctx.diff("ITEM_ADDED_TO_CLOSED_CONTENT_MODEL", other.node, item)
    elif item.kind == FALSE:
        yield ctx.diff("ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL", item, other.node)
    else:
        yield ctx.diff("ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL", item, other.node)


def _contains(ctx: Ctx, old: Node, new: Node) -> Iterator[Diff]:
    o, n = old.get("contains"), new.get("contains")
    if not ctx.sound:
        if old.draft >= 2019:  # everit (draft-07) has no min/maxContains
            yield from scalars.limit(ctx, old, new, "maxContains", "MAX_CONTAINS")
            yield from scalars.limit(
                ctx,
                old,
                new,
                "minContains",
                "MIN_CONTAINS",
                default=1 if o is not None and n is not None else None,
            )
        return
    if o is None and n is None:
        return
    if o is None:
        yield ctx.diff("CONTAINS_ADDED", old, new, "contains")
        return
    if n is None:
        yield ctx.diff("CONTAINS_REMOVED", old, new, "contains")
        return
    yield from (
        ctx.at("contains").strict().compare(old.child(o, "contains"), new.child(n, "contains"))
    )
    if old.draft >= 2019 or new.draft >= 2019:
        yield from scalars.limit(ctx, old, new, "minContains", "MIN_CONTAINS", default=1)
        yield from scalars.limit(ctx, old, new, "maxContains", "MAX_CONTAINS")
        if new.get("maxContains") is not None and scalars.json_differs(o, n):
            yield ctx.diff("CONTAINS_CHANGED", old, new, "contains")
