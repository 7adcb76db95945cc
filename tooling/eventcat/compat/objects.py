"""Objects: required, properties against open / closed / partially-open content models,
dependencies, additional and unevaluated properties, property counts.

Confluent's vocabulary: an object is *open* when an undeclared property may hold anything, *closed*
when undeclared properties are forbidden, and *partially open* for a name when a pattern property or
an ``additionalProperties`` schema gives that name a schema ("covers" it). A removed property is
judged by the new content model, an added one by the old.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from eventcat.compat import scalars
from eventcat.compat.context import Ctx, Diff
from eventcat.compat.schema import EMPTY, FALSE, TRUE, Node, identical
from eventcat.errors import SchemaError
from eventcat.jsonpointer import escape

_ABSENT = object()


def _dict(ctx: Ctx, node: Node, keyword: str) -> dict[str, Any]:
    value = node.get(keyword)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise SchemaError.at(
            f"{keyword} must be an object", rule="schema", pointer=f"{node.ptr}/{keyword}"
        )
    return value


def _required(node: Node) -> set[str]:
    value = node.get("required")
    if value is None:
        return set()
    if not isinstance(value, list) or not all(isinstance(n, str) for n in value):
        raise SchemaError.at(
            "required must be an array of strings", rule="schema", pointer=node.ptr + "/required"
        )
    return set(value)


def _has_default(node: Node) -> bool:
    return node.meta is not None and "default" in node.meta


def is_open(node: Node) -> bool:
    a, u = node.get("additionalProperties"), node.get("unevaluatedProperties")
    return a in (None, True) and not node.get("patternProperties") and u in (None, True)


def open_for(ctx: Ctx, node: Node, name: str) -> bool:
    """Whether an undeclared ``name`` may hold anything. Confluent asks only whether the whole
    model is open; with pattern properties beside ``additionalProperties: true``, a name no
    pattern matches is just as free, which sound rules must see."""
    if is_open(node):
        return True
    if not ctx.sound:
        return False
    a, u = node.get("additionalProperties"), node.get("unevaluatedProperties")
    return (
        a in (None, True)
        and u in (None, True)
        and not any(_search(p, name, node) for p in _dict(ctx, node, "patternProperties"))
    )


def covering(ctx: Ctx, node: Node, name: str) -> list[Node]:
    """The schemas the content model gives to an undeclared property ``name`` (empty: closed).

    Confluent takes the first matching pattern; a validator applies every matching pattern, so
    sound rules return all of them."""
    found = []
    for pattern, schema in _dict(ctx, node, "patternProperties").items():
        if _search(pattern, name, node):
            found.append(node.child(schema, "patternProperties", pattern))
            if not ctx.sound:
                return found
    if found:
        return found
    a, u = node.get("additionalProperties"), node.get("unevaluatedProperties")
    if isinstance(a, dict):
        return [node.child(a, "additionalProperties")]
    if a is None and isinstance(u, dict):
        return [node.child(u, "unevaluatedProperties")]
    return []


def _search(pattern: str, name: str, node: Node) -> bool:
    try:
        return re.search(pattern, name) is not None
    except re.error as err:
        raise SchemaError.at(
            f"invalid regular expression {pattern!r}: {err}",
            rule="schema",
            pointer=f"{node.ptr}/patternProperties",
        ) from err


def compare_objects(ctx: Ctx, old: Node, new: Node) -> Iterator[Diff]:
    if ctx.lenient and (_has_schema_dependencies(ctx, old) or _has_schema_dependencies(ctx, new)):
        ctx = ctx.strict()
    o_props, n_props = _dict(ctx, old, "properties"), _dict(ctx, new, "properties")
    o_req, n_req = _required(old), _required(new)
    # In the new schema's order: a set would make the order (and which change a grouped finding
    # shows first) depend on the process's hash seed.
    for name in [n for n in n_props if n in o_props] if o_req != n_req else ():
        was, now = name in o_req, name in n_req
        if was and not now:
            yield ctx.diff("REQUIRED_ATTRIBUTE_REMOVED", old, new, f"required/{name}")
        elif now and not was:
            prop = new.child(n_props[name], "properties", name)
            change = (
                "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED"
                if _has_default(prop)
                else "REQUIRED_ATTRIBUTE_ADDED"
            )
            yield ctx.diff(change, old, new, f"required/{name}")
    # Hoisted out of the loop over properties, which is long in a large schema.
    skip_identical = not (ctx.sound and new.get("patternProperties"))
    # Without pattern properties on either side, _patterns_on_property finds nothing.
    patterns = ctx.sound and (
        old.get("patternProperties") is not None or new.get("patternProperties") is not None
    )
    old_side, new_side = old.side, new.side
    for name, raw in o_props.items():
        now = n_props.get(name, _ABSENT)
        if now is not _ABSENT and identical(old_side, raw, new_side, now) and skip_identical:
            continue  # the common case in a large schema: nothing changed here
        sub = ctx.member("properties", name)
        prop = old.child(raw, "properties", name)
        if now is not _ABSENT:
            yield from sub.compare(prop, new.child(now, "properties", name))
            if patterns:
                yield from _patterns_on_property(sub, old, new, name, prop)
        else:
            yield from _removed(sub, prop, new, name)
    for name, raw in n_props.items():
        if name not in o_props:
            yield from _added(
                ctx.member("properties", name),
                old,
                new.child(raw, "properties", name),
                name,
                name in n_req,
            )
    if any(old.get(k) is not None or new.get(k) is not None for k in _DEPENDENCY_KEYWORDS):
        yield from _dependencies(ctx, old, new)
    yield from _additional(ctx, old, new, "additionalProperties", "ADDITIONAL_PROPERTIES")
    yield from _unevaluated(ctx, old, new)
    yield from scalars.limit(ctx, old, new, "maxProperties", "MAX_PROPERTIES")
    yield from scalars.limit(ctx, old, new, "minProperties", "MIN_PROPERTIES")
    if ctx.sound:
        yield from _sound_required(ctx, old, new, n_props, o_req, n_req)
        if patterns:
            yield from _sound_patterns(ctx, old, new)
        yield from _property_names(ctx, old, new)
        if ctx.eng.lenient:
            # The tolerant reader drops undeclared properties everywhere, inside branches too
            # (where the comparison itself is strict).
            yield from _tolerant_reader(ctx, old, new, o_props, n_props)


def _removed(ctx: Ctx, prop: Node, new: Node, name: str) -> Iterator[Diff]:
    if open_for(ctx, new, name):
        yield ctx.diff("PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL", prop, new)
        return
    cover = covering(ctx, new, name)
    if cover:
        found = [d for c in cover for d in ctx.compare(prop, c)]
        yield from found
        ok = "IS" if ctx.ok(found) else "NOT"
        yield ctx.diff(f"PROPERTY_REMOVED_{ok}_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", prop, new)
    elif prop.kind == FALSE:
        yield ctx.diff("PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL", prop, new)
    else:
        yield ctx.diff("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", prop, new)


def _added(ctx: Ctx, old: Node, prop: Node, name: str, required: bool) -> Iterator[Diff]:
    default = _has_default(prop)
    if open_for(ctx, old, name):
        if prop.kind in (EMPTY, TRUE) and not (required and ctx.sound):
            yield ctx.diff("PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL", old, prop)
        elif required:
            yield ctx.diff(
                "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL"
                if default
                else "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
                old,
                prop,
            )
        else:
            yield ctx.diff("OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", old, prop)
        return
    cover = covering(ctx, old, name)
    if cover:
        found = [d for c in cover for d in ctx.compare(c, prop)]
        yield from found
        ok = "IS" if ctx.ok(found) else "NOT"
        yield ctx.diff(f"PROPERTY_ADDED_{ok}_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", old, prop)
    if required:
        yield ctx.diff(
            "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL"
            if default
            else "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL",
            old,
            prop,
        )
    else:
        yield ctx.diff("OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", old, prop)


# The keywords _dependencies reads (per draft): without any of them it finds nothing.
_DEPENDENCY_KEYWORDS = ("dependencies", "dependentRequired", "dependentSchemas")


def _dependency_maps(ctx: Ctx, node: Node) -> tuple[dict[str, Any], dict[str, Any], str, str]:
    """(arrays, schemas, array keyword, schema keyword) of a node, per draft."""
    if node.draft == 7:
        deps = _dict(ctx, node, "dependencies")
        arrays = {k: v for k, v in deps.items() if isinstance(v, list)}
        schemas = {k: v for k, v in deps.items() if not isinstance(v, list)}
        return arrays, schemas, "dependencies", "dependencies"
    return (
        _dict(ctx, node, "dependentRequired"),
        _dict(ctx, node, "dependentSchemas"),
        "dependentRequired",
        "dependentSchemas",
    )


def _has_schema_dependencies(ctx: Ctx, node: Node) -> bool:
    return bool(node.get("dependentSchemas")) or any(
        not isinstance(v, list) for v in _dict(ctx, node, "dependencies").values()
    )


def _dependencies(ctx: Ctx, old: Node, new: Node) -> Iterator[Diff]:
    o_arr, o_sch, o_akw, o_skw = _dependency_maps(ctx, old)
    n_arr, n_sch, n_akw, n_skw = _dependency_maps(ctx, new)
    for name, names in o_arr.items():
        sub = _dep_ctx(ctx, name, o_akw, n_akw)
        if name not in n_arr:
            yield sub.diff("DEPENDENCY_ARRAY_REMOVED", old, new)
            continue
        before, after = set(names), set(n_arr[name])
        if before == after:
            continue
        change = "EXTENDED" if after > before else "NARROWED" if after < before else "CHANGED"
        yield sub.diff(f"DEPENDENCY_ARRAY_{change}", old, new)
    for name in [n for n in n_arr if n not in o_arr]:  # document order, not hash order
        yield _dep_ctx(ctx, name, o_akw, n_akw).diff("DEPENDENCY_ARRAY_ADDED", old, new)
    for name, raw in o_sch.items():
        sub = _dep_ctx(ctx, name, o_skw, n_skw)
        if name in n_sch:
            yield from sub.strict().compare(
                old.child(raw, o_skw, name), new.child(n_sch[name], n_skw, name)
            )
        else:
            yield sub.diff("DEPENDENCY_SCHEMA_REMOVED", old, new)
    for name in [n for n in n_sch if n not in o_sch]:
        yield _dep_ctx(ctx, name, o_skw, n_skw).diff("DEPENDENCY_SCHEMA_ADDED", old, new)


def _dep_ctx(ctx: Ctx, name: str, old_kw: str, new_kw: str) -> Ctx:
    # Confluent names every dependency `dependencies/<name>`, whatever the draft's keyword.
    escaped = escape(name)
    return ctx.at(f"dependencies/{name}", f"{old_kw}/{escaped}", f"{new_kw}/{escaped}")


def _additional(ctx: Ctx, old: Node, new: Node, keyword: str, name: str) -> Iterator[Diff]:
    """The four-way comparison of an "additional members" keyword (absent/true, false, schema)."""
    o, n = old.get(keyword), new.get(keyword)
    o_forbids, n_forbids = o is False, n is False
    o_schema, n_schema = isinstance(o, dict), isinstance(n, dict)
    if o_forbids and not n_forbids:
        yield ctx.diff(f"{name}_ADDED", old, new, keyword)
    elif n_forbids and not o_forbids:
        yield ctx.diff(f"{name}_REMOVED", old, new, keyword)
    elif o_schema and n_schema:
        yield from ctx.at(keyword).compare(old.child(o, keyword), new.child(n, keyword))
    elif n_schema and not o_forbids:
        yield ctx.diff(f"{name}_NARROWED", old, new, keyword)
    elif o_schema and not n_forbids:
        yield ctx.diff(f"{name}_EXTENDED", old, new, keyword)


def _unevaluated(ctx: Ctx, old: Node, new: Node) -> Iterator[Diff]:
    o, n = old.get("unevaluatedProperties"), new.get("unevaluatedProperties")
    if o is None and n is None:
        return
    yield from unevaluated(ctx, old, new, "unevaluatedProperties", "UNEVALUATED_PROPERTIES")


def unevaluated(ctx: Ctx, old: Node, new: Node, keyword: str, name: str) -> Iterator[Diff]:
    """Confluent's table for unevaluated*: absent→true counts as narrowed, true→absent as
    extended (it treats `true` as a schema here)."""
    o, n = old.get(keyword), new.get(keyword)
    if o is False and n is not False:
        yield ctx.diff(f"{name}_ADDED", old, new, keyword)
    elif n is False and o is not False:
        yield ctx.diff(f"{name}_REMOVED", old, new, keyword)
    elif isinstance(o, dict) and isinstance(n, dict):
        yield from ctx.at(keyword).compare(old.child(o, keyword), new.child(n, keyword))
    elif o is None and n is not None:
        if not (ctx.sound and n is True):
            yield ctx.diff(f"{name}_NARROWED", old, new, keyword)
    elif o is True and isinstance(n, dict):
        yield ctx.diff(f"{name}_NARROWED", old, new, keyword)
    elif o is not None and (n is None or n is True) and o is not True:
        yield ctx.diff(f"{name}_EXTENDED", old, new, keyword)


# -- sound rules only ----------------------------------------------------------------------------


def _patterns_on_property(ctx: Ctx, old: Node, new: Node, name: str, prop: Node) -> Iterator[Diff]:
    """A validator applies every matching pattern property to a declared property too."""
    o_pat = _dict(ctx, old, "patternProperties")
    for pattern, raw in _dict(ctx, new, "patternProperties").items():
        if not _search(pattern, name, new):
            continue
        if pattern in o_pat and not scalars.json_differs(o_pat[pattern], raw):
            continue  # the old schema applied the same constraint
        found = ctx.compare(prop, new.child(raw, "patternProperties", pattern))
        if not ctx.ok(found):
            yield from found
            yield ctx.diff("PATTERN_PROPERTY_CONSTRAINS_PROPERTY", prop, new)


def _sound_patterns(ctx: Ctx, old: Node, new: Node) -> Iterator[Diff]:
    """Confluent compares pattern properties only through the content model; a changed pattern
    schema constrains undeclared members directly."""
    o_pat, n_pat = _dict(ctx, old, "patternProperties"), _dict(ctx, new, "patternProperties")
    for pattern, raw in n_pat.items():
        sub = ctx.member("patternProperties", pattern)
        if pattern in o_pat:
            yield from sub.compare(
                old.child(o_pat[pattern], "patternProperties", pattern),
                new.child(raw, "patternProperties", pattern),
            )
        elif raw is not True and raw != {} and old.get("additionalProperties") is not False:
            yield sub.diff("ADDITIONAL_PROPERTIES_NARROWED", old, new)
    for pattern, raw in o_pat.items():
        if pattern in n_pat or is_open(new):
            continue
        sub = ctx.member("patternProperties", pattern)
        a = new.get("additionalProperties")
        if isinstance(a, dict) and not n_pat:
            yield from sub.compare(
                old.child(raw, "patternProperties", pattern), new.child(a, "additionalProperties")
            )
        elif raw is not False:
            yield sub.diff("ADDITIONAL_PROPERTIES_REMOVED", old, new)


def _sound_required(
    ctx: Ctx, old: Node, new: Node, n_props: dict[str, Any], o_req: set[str], n_req: set[str]
) -> Iterator[Diff]:
    """Names in ``required`` that Confluent skips because the new schema does not declare them."""
    for name in sorted(n_req - o_req):
        if name not in n_props:
            yield ctx.diff("REQUIRED_NAME_ADDED", old, new, f"required/{name}")


def _property_names(ctx: Ctx, old: Node, new: Node) -> Iterator[Diff]:
    o, n = old.get("propertyNames"), new.get("propertyNames")
    if o is None and n is None:
        return
    if o is None:
        if n is not True and n != {}:
            yield ctx.diff("PROPERTY_NAMES_ADDED", old, new, "propertyNames")
    elif n is None:
        yield ctx.diff("PROPERTY_NAMES_REMOVED", old, new, "propertyNames")
    else:
        yield from (
            ctx.at("propertyNames")
            .strict()
            .compare(old.child(o, "propertyNames"), new.child(n, "propertyNames"))
        )


def _tolerant_reader(
    ctx: Ctx, old: Node, new: Node, o_props: dict[str, Any], n_props: dict[str, Any]
) -> Iterator[Diff]:
    """What dropping the properties the new schema does not declare can break (LENIENT)."""
    dropped = o_props.keys() - n_props.keys()
    for name in sorted(_required(new) - n_props.keys()):
        if name in o_props:
            yield ctx.diff("REQUIRED_PROPERTY_DROPPED", old, new, f"required/{name}")
    if not dropped:
        return
    if new.get("minProperties"):
        yield ctx.diff("MIN_PROPERTIES_WITH_DROPPED_PROPERTY", old, new, "minProperties")
    arrays, _, keyword, _ = _dependency_maps(ctx, new)
    for name, names in arrays.items():
        if dropped & set(names):
            yield _dep_ctx(ctx, name, keyword, keyword).diff(
                "DEPENDENCY_ON_DROPPED_PROPERTY", old, new
            )
