"""Strings, numbers, enums and consts."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from eventcat.compat.context import Ctx, Diff
from eventcat.compat.schema import Node, canon
from eventcat.errors import SchemaError

_JSON = (dict, list, str, int, float, bool, type(None))


def json_differs(a: Any, b: Any) -> bool:
    """JSON inequality: ``1`` equals ``1.0``, ``true`` does not equal ``1`` (Python says it does)."""
    if a is b:
        return False
    if not isinstance(a, _JSON) or not isinstance(b, _JSON):
        return True  # one side is absent
    if type(a) is type(b) and isinstance(a, str):
        return a != b
    return canon(a) != canon(b)


def _number(ctx: Ctx, node: Node, keyword: str, *, side: str) -> Any:
    return _checked(ctx, node.get(keyword), keyword, side)


def _checked(ctx: Ctx, value: Any, keyword: str, side: str) -> Any:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        pointer = (ctx.old_ptr if side == "old" else ctx.new_ptr) + "/" + keyword
        raise SchemaError.at(f"{keyword} must be a number", rule="schema", pointer=pointer)
    return value


def limit(
    ctx: Ctx, old: Node, new: Node, keyword: str, name: str, default: Any = None
) -> tuple[Diff, ...]:
    """The added/removed/increased/decreased family of one numeric keyword (none or one change;
    eager, not a generator: it runs several times for every schema pair)."""
    o, n = old.get(keyword), new.get(keyword)
    if o is None and n is None and default is None:
        return ()
    o = _checked(ctx, o, keyword, "old")
    n = _checked(ctx, n, keyword, "new")
    if o is None:
        o = default
    if n is None:
        n = default
    if o is None and n is None:
        return ()
    if o is None:
        return (ctx.diff(f"{name}_ADDED", old, new, keyword),)
    if n is None:
        return (ctx.diff(f"{name}_REMOVED", old, new, keyword),)
    if n > o:
        return (ctx.diff(f"{name}_INCREASED", old, new, keyword),)
    if n < o:
        return (ctx.diff(f"{name}_DECREASED", old, new, keyword),)
    return ()


def compare_strings(ctx: Ctx, old: Node, new: Node) -> Iterator[Diff]:
    yield from limit(ctx, old, new, "maxLength", "MAX_LENGTH")
    yield from limit(ctx, old, new, "minLength", "MIN_LENGTH")
    yield from _presence(ctx, old, new, "pattern", "PATTERN")
    if ctx.sound:
        yield from _presence(ctx, old, new, "format", "FORMAT")


def _presence(ctx: Ctx, old: Node, new: Node, keyword: str, name: str) -> tuple[Diff, ...]:
    o, n = old.get(keyword), new.get(keyword)
    if o is None and n is None:
        return ()
    if o is None:
        return (ctx.diff(f"{name}_ADDED", old, new, keyword),)
    if n is None:
        return (ctx.diff(f"{name}_REMOVED", old, new, keyword),)
    if json_differs(o, n):
        return (ctx.diff(f"{name}_CHANGED", old, new, keyword),)
    return ()


def compare_numbers(ctx: Ctx, old: Node, new: Node) -> Iterator[Diff]:
    yield from limit(ctx, old, new, "maximum", "MAXIMUM")
    yield from limit(ctx, old, new, "minimum", "MINIMUM")
    for keyword, name in (
        ("exclusiveMaximum", "EXCLUSIVE_MAXIMUM"),
        ("exclusiveMinimum", "EXCLUSIVE_MINIMUM"),
    ):
        if isinstance(old.get(keyword), bool) or isinstance(new.get(keyword), bool):
            # draft-04's boolean form modifies maximum/minimum; not modelled.
            if ctx.sound:
                yield ctx.unknown(ctx.new_ptr + "/" + keyword)
            continue
        yield from limit(ctx, old, new, keyword, name)
    yield from _multiple_of(ctx, old, new)
    if old.integer and not new.integer:
        yield ctx.diff("TYPE_EXTENDED", old, new)
    elif new.integer and not old.integer:
        yield ctx.diff("TYPE_NARROWED", old, new)


def _multiple_of(ctx: Ctx, old: Node, new: Node) -> Iterator[Diff]:
    o = _number(ctx, old, "multipleOf", side="old")
    n = _number(ctx, new, "multipleOf", side="new")
    if o is None and n is None:
        return
    if o is None:
        yield ctx.diff("MULTIPLE_OF_ADDED", old, new, "multipleOf")
        return
    if n is None:
        yield ctx.diff("MULTIPLE_OF_REMOVED", old, new, "multipleOf")
        return
    try:
        # Exact decimal arithmetic, scale-insensitive (2 == 2.0), as Confluent's BigDecimal.
        do, dn = Decimal(str(o)), Decimal(str(n))
        if do <= 0 or dn <= 0:
            raise InvalidOperation
    except InvalidOperation as err:
        raise SchemaError.at(
            "multipleOf must be a number greater than 0",
            rule="schema",
            pointer=ctx.new_ptr + "/multipleOf",
        ) from err
    if do == dn:
        return
    if dn % do == 0:
        yield ctx.diff("MULTIPLE_OF_EXPANDED", old, new, "multipleOf")
    elif do % dn == 0 and (not ctx.sound or _multiple_of_implies(o, n)):
        yield ctx.diff("MULTIPLE_OF_REDUCED", old, new, "multipleOf")
    else:
        yield ctx.diff("MULTIPLE_OF_CHANGED", old, new, "multipleOf")


def _multiple_of_implies(o: Any, n: Any) -> bool:
    """Sound rules: a validator's arithmetic decides (3 / 0.3 is 10.000000000000002, so 3 fails
    ``multipleOf: 0.3`` although 3 is a multiple of 0.3): see subset_types.multiple_implies."""
    from eventcat.compat.subset_numbers import multiple_implies

    return multiple_implies(o, n)


def compare_enums(ctx: Ctx, old: Node, new: Node) -> Iterator[Diff]:
    o = {canon(v) for v in old.get("enum")}
    n = {canon(v) for v in new.get("enum")}
    if o == n:
        return
    if n >= o:
        yield ctx.diff("ENUM_ARRAY_EXTENDED", old, new, "enum")
    elif n <= o:
        yield ctx.diff("ENUM_ARRAY_NARROWED", old, new, "enum")
    else:
        yield ctx.diff("ENUM_ARRAY_CHANGED", old, new, "enum")


def compare_consts(ctx: Ctx, old: Node, new: Node) -> Iterator[Diff]:
    if json_differs(old.get("const"), new.get("const")):
        yield ctx.diff("ENUM_ARRAY_CHANGED", old, new, "const")


def enum_values_against(ctx: Ctx, old: Node, new: Node) -> Diff:
    """Sound rules: an enum or const replaced by another kind of schema is compatible exactly when
    the new schema accepts every old value, which a validator can check."""
    from eventcat.compat.here import accepts

    values = old.get("enum") if old.kind == "enum" else [old.get("const")]
    verdicts = [accepts(new, v) for v in values]
    if all(v is True for v in verdicts):
        return ctx.diff("ENUM_VALUES_ACCEPTED", old, new)
    if any(v is False for v in verdicts):
        return ctx.diff("ENUM_VALUES_REJECTED", old, new)
    return ctx.diff("TYPE_CHANGED", old, new)
