"""A position in a schema document for the counterexample search: the subschema, the base URI
its ``$ref``s resolve against and the side's shared index of validators; the search budget; and
the tolerant reader of CONTRACT §3 (which members of an instance a LENIENT reader declares).
"""

from __future__ import annotations

from typing import Any

from eventcat.catalog.refs import resolver_base
from eventcat.compat.schema import Node, Side
from eventcat.compat.validating import Index, NoVerdict, index_for


class Budget:
    __slots__ = ("left",)

    def __init__(self, steps: int) -> None:
        self.left = steps

    def take(self) -> bool:
        self.left -= 1
        return self.left >= 0


def side_index(side: Side) -> tuple[Index, str]:
    return index_for(side.resolver())


def accepts(node: Node, value: Any) -> bool | None:
    """Whether the schema of ``node`` accepts ``value`` (None: the validator could not tell)."""
    try:
        index, base = side_index(node.side)
        scope_base = resolver_base(node.scope) or base
        return Here(index, node.side.draft, node.raw, scope_base).accepts(value)
    except NoVerdict:
        return None


class Here:
    """A subschema with the base URI its relative ``$ref``s resolve against."""

    __slots__ = ("base", "draft", "index", "schema")

    def __init__(self, index: Index, draft: int, schema: Any, base: str) -> None:
        self.index, self.draft, self.schema, self.base = index, draft, schema, base

    def at(self, schema: Any) -> Here:
        return Here(self.index, self.draft, schema, self.base)

    def resolved(self) -> Here:
        """Follow ``$ref``s (a few) to a schema with structure."""
        here = self
        for _ in range(16):
            if not (isinstance(here.schema, dict) and isinstance(here.schema.get("$ref"), str)):
                return here
            found = here.index.deref(here.schema["$ref"], here.base)
            if found is None:
                return here.at({})
            here = Here(self.index, self.draft, found[0], found[1])
        return here.at({})

    def accepts(self, value: Any) -> bool:
        validator = self.index.validator(self.schema, self.base, self.draft)
        try:
            return bool(validator.is_valid(value))
        except Exception as err:  # a value the validator cannot take (a huge number, …)
            raise NoVerdict(f"the validator failed on a candidate ({type(err).__name__})") from err


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def tuple_of(schema: Any) -> list[Any]:
    if not isinstance(schema, dict):
        return []
    for keyword in ("prefixItems", "items"):
        value = schema.get(keyword)
        if isinstance(value, list):
            return value
    return []


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


# -- the tolerant reader (CONTRACT §3), through $refs ----------------------------------------


def _in_place(here: Here) -> list[Here]:
    """The schema and the subschemas that apply at the same instance location."""
    out, stack, steps = [], [here], 0
    while stack and steps < 500:
        steps += 1
        h = stack.pop().resolved()
        if not isinstance(h.schema, dict):
            continue
        out.append(h)
        for keyword in ("allOf", "anyOf", "oneOf"):
            branches = h.schema.get(keyword)
            stack.extend(h.at(b) for b in (branches if isinstance(branches, list) else []))
    return out


def _declared(heres: list[Here]) -> dict[str, list[Here]]:
    found: dict[str, list[Here]] = {}
    for here in heres:
        for h in _in_place(here):
            for name, sub in as_dict(h.schema.get("properties")).items():
                found.setdefault(name, []).append(h.at(sub))
    return found


def _items_at(heres: list[Here], index: int) -> list[Here]:
    out = []
    for here in heres:
        for h in _in_place(here):
            prefix = tuple_of(h.schema)
            if index < len(prefix):
                out.append(h.at(prefix[index]))
            elif isinstance(h.schema.get("items"), dict | bool):
                out.append(h.at(h.schema["items"]))
    return out


def only_declared(here: Here, instance: Any) -> bool:
    """Whether every object in ``instance`` carries only properties the schema declares."""

    def walk(value: Any, heres: list[Here]) -> bool:
        if isinstance(value, dict):
            props = _declared(heres)
            return all(k in props and walk(v, props[k]) for k, v in value.items())
        if isinstance(value, list):
            return all(walk(v, _items_at(heres, i)) for i, v in enumerate(value))
        return True

    return walk(instance, [here])


def tolerant(here: Here, instance: Any) -> Any:
    """``instance`` with every property the schema does not declare dropped, at every depth."""

    def drop(value: Any, heres: list[Here]) -> Any:
        if isinstance(value, dict):
            props = _declared(heres)
            return {k: drop(v, props[k]) for k, v in value.items() if k in props}
        if isinstance(value, list):
            return [drop(v, _items_at(heres, i)) for i, v in enumerate(value)]
        return value

    return drop(instance, [here])
