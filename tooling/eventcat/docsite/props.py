"""The payload as a property table: one row per property, nested objects expanded.

The walk follows ``$ref``s like :mod:`eventcat.catalog.fields` does (through the catalog's
``referencing`` resolver), but keeps ``allOf`` / ``oneOf`` / ``anyOf`` as explicit groups of
alternatives instead of flattening them, and remembers which shared fragment a schema came from so
the table can link to the fragment's own page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from eventcat.catalog.model import path_for
from eventcat.catalog.refs import resolver_base
from eventcat.docsite.html import code, json_text, markdown_html
from eventcat.docsite.templating import render as render_template

MAX_DEPTH = 12
# A bound on the walk's work, not on what a page shows (explorer.payload_table decides that): the
# field index reads every row, and GitHub's largest webhook payloads have some 1,600.
MAX_ROWS = 5_000
MAX_ENUM = 40

_COMBINATORS = {"oneOf": "exactly one of", "anyOf": "at least one of", "allOf": "all of"}


@dataclass
class Row:
    depth: int
    label: str  # the property name, or "alternative 1"
    prefix: str  # dotted path of the parent ("items[]."), shown muted
    schema: Any  # resolved
    required: bool = False
    group: str = ""  # for group rows: "exactly one of" …
    ref: str | None = None  # catalog path of the file a $ref led to
    ref_pointer: str = ""
    recursive: bool = False
    nullable: bool = False


def _lookup(resolver: Any, ref: str) -> tuple[Any, Any, str] | None:
    try:
        resolved = resolver.lookup(ref)
    except Exception:  # unresolvable: lint reports it, the table shows the raw $ref
        return None
    uri = resolver_base(resolved.resolver)
    return resolved.contents, resolved.resolver, uri


def resolve(schema: Any, resolver: Any) -> tuple[Any, Any, str | None, str]:
    """Follow a chain of ``$ref`` → (schema, resolver, uri of the last target file, pointer)."""
    uri: str | None = None
    pointer = ""
    hops = 0
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and hops < 16:
        ref = schema["$ref"]
        found = _lookup(resolver, ref)
        if found is None:
            break
        schema, resolver, uri = found
        pointer = ref.split("#", 1)[1] if "#" in ref else ""
        hops += 1
    return schema, resolver, uri, pointer


def _null_branch(schema: Any) -> bool:
    return isinstance(schema, dict) and (
        schema.get("type") == "null" or schema.get("const", 0) is None
    )


class Walker:
    def __init__(self, file: str) -> None:
        self.file = file
        self.rows: list[Row] = []

    def add(self, row: Row) -> bool:
        if len(self.rows) >= MAX_ROWS:
            return False
        self.rows.append(row)
        return True

    def walk(
        self, schema: Any, resolver: Any, prefix: str, depth: int, chain: frozenset[int]
    ) -> None:
        """Rows for what ``schema`` (an object-ish schema) contains."""
        if depth > MAX_DEPTH or not isinstance(schema, dict):
            return
        properties = schema.get("properties")
        declared = schema.get("required")
        required: list[Any] = declared if isinstance(declared, list) else []
        if isinstance(properties, dict):
            for name, sub in properties.items():
                self.property(str(name), sub, resolver, prefix, depth, name in required, chain)
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict) and extra:
            self.property("*", extra, resolver, prefix, depth, False, chain)
        patterns = schema.get("patternProperties")
        if isinstance(patterns, dict):
            for pattern, sub in patterns.items():
                self.property(f"/{pattern}/", sub, resolver, prefix, depth, False, chain)
        for keyword in ("allOf", "oneOf", "anyOf"):
            branches = schema.get(keyword)
            if not isinstance(branches, list) or not branches:
                continue
            if keyword != "allOf" and self._nullable_pair(branches):
                continue
            self.add(
                Row(
                    depth,
                    keyword,
                    prefix,
                    None,
                    group=f"{_COMBINATORS[keyword]} these "
                    f"{len(branches)} {'schemas' if keyword == 'allOf' else 'alternatives'}",
                )
            )
            for index, branch in enumerate(branches, 1):
                resolved, inner, uri, pointer = resolve(branch, resolver)
                title = resolved.get("title") if isinstance(resolved, dict) else None
                label = f"{'part' if keyword == 'allOf' else 'alternative'} {index}"
                if isinstance(title, str):
                    label += f": {title}"
                row = Row(
                    depth + 1,
                    label,
                    prefix,
                    resolved,
                    group="branch",
                    ref=self._ref(uri),
                    ref_pointer=pointer,
                )
                if not self.add(row):
                    return
                if id(resolved) in chain:
                    row.recursive = True
                    continue
                self.children(resolved, inner, prefix, depth + 2, chain | {id(resolved)})
        condition = schema.get("if")
        if isinstance(condition, dict):
            for keyword in ("then", "else"):
                branch = schema.get(keyword)
                if isinstance(branch, dict):
                    resolved, inner, uri, pointer = resolve(branch, resolver)
                    text = "when `if` matches" if keyword == "then" else "when `if` does not match"
                    self.add(
                        Row(
                            depth,
                            keyword,
                            prefix,
                            resolved,
                            group=text,
                            ref=self._ref(uri),
                            ref_pointer=pointer,
                        )
                    )
                    self.children(resolved, inner, prefix, depth + 1, chain)

    @staticmethod
    def _nullable_pair(branches: list[Any]) -> bool:
        return len(branches) == 2 and sum(1 for b in branches if _null_branch(b)) == 1

    def _ref(self, uri: str | None) -> str | None:
        path = path_for(uri) if uri else None
        return path if path and path != self.file else None

    def property(
        self,
        name: str,
        sub: Any,
        resolver: Any,
        prefix: str,
        depth: int,
        required: bool,
        chain: frozenset[int],
    ) -> None:
        resolved, inner, uri, pointer = resolve(sub, resolver)
        nullable = False
        if isinstance(resolved, dict):
            for keyword in ("oneOf", "anyOf"):
                branches = resolved.get(keyword)
                if isinstance(branches, list) and self._nullable_pair(branches):
                    nullable = True
                    other = next(b for b in branches if not _null_branch(b))
                    merged, inner2, uri2, pointer2 = resolve(other, inner)
                    if isinstance(merged, dict):
                        merged = {**{k: v for k, v in resolved.items() if k != keyword}, **merged}
                        resolved, inner = merged, inner2
                        uri, pointer = uri2 or uri, pointer2 or pointer
        row = Row(
            depth,
            name,
            prefix,
            resolved,
            required=required,
            ref=self._ref(uri),
            ref_pointer=pointer,
            nullable=nullable,
        )
        if not self.add(row):
            return
        if id(resolved) in chain:
            row.recursive = True
            return
        self.children(
            resolved, inner, f"{prefix}{name}", depth + 1, chain | {id(resolved)}, dotted=True
        )

    def children(
        self,
        schema: Any,
        resolver: Any,
        path: str,
        depth: int,
        chain: frozenset[int],
        dotted: bool = False,
    ) -> None:
        if not isinstance(schema, dict):
            return
        items = schema.get("items")
        if isinstance(items, dict):
            resolved, inner, _, _ = resolve(items, resolver)
            if id(resolved) in chain:
                if self.rows:
                    self.rows[-1].recursive = True
            elif _has_structure(resolved):
                self.walk(
                    resolved, inner, f"{path}[]." if dotted else path, depth, chain | {id(resolved)}
                )
        if _has_structure(schema, items=False):
            self.walk(schema, resolver, f"{path}." if dotted else path, depth, chain)


def _has_structure(schema: Any, items: bool = True) -> bool:
    if not isinstance(schema, dict):
        return False
    keys = ("properties", "allOf", "oneOf", "anyOf", "patternProperties", "if")
    if any(key in schema for key in keys):
        return True
    return isinstance(schema.get("additionalProperties"), dict) and bool(
        schema["additionalProperties"]
    )


def rows(schema: Any, resolver: Any, file: str) -> list[Row]:
    walker = Walker(file)
    walker.walk(schema, resolver, "", 0, frozenset({id(schema)}))
    return walker.rows


# -- rendering -----------------------------------------------------------------------------------


def type_text(schema: Any) -> str:
    if schema is True or schema == {}:
        return "any"
    if schema is False:
        return "nothing"
    if not isinstance(schema, dict):
        return "?"
    if "const" in schema:
        return "const"
    value = schema.get("type")
    types = (
        [value]
        if isinstance(value, str)
        else [t for t in value if isinstance(t, str)]
        if isinstance(value, list)
        else []
    )
    types = [t for t in types if t != "null"] or types
    if not types:
        if isinstance(schema.get("enum"), list):
            kinds = sorted({_json_type(v) for v in schema["enum"] if v is not None})
            types = kinds or ["null"]
        elif "properties" in schema:
            types = ["object"]
        elif "items" in schema:
            types = ["array"]
        elif "$ref" in schema:
            return "$ref"
        else:
            for keyword in ("oneOf", "anyOf", "allOf"):
                if keyword in schema:
                    return _COMBINATORS[keyword].split()[0] + " of"
            return "any"
    parts = []
    for kind in types:
        if kind == "array" and isinstance(schema.get("items"), dict):
            parts.append(f"array of {type_text(schema['items'])}")
        else:
            parts.append(kind)
    return " | ".join(parts)


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object" if isinstance(value, dict) else "null"


def is_nullable(schema: Any) -> bool:
    if not isinstance(schema, dict):
        return False
    value = schema.get("type")
    if value == "null" or (isinstance(value, list) and "null" in value):
        return True
    enum = schema.get("enum")
    return isinstance(enum, list) and None in enum


_CONSTRAINTS = [
    ("minLength", "min length"),
    ("maxLength", "max length"),
    ("minimum", "≥"),
    ("maximum", "≤"),
    ("exclusiveMinimum", ">"),
    ("exclusiveMaximum", "<"),
    ("multipleOf", "multiple of"),
    ("minItems", "min items"),
    ("maxItems", "max items"),
    ("minProperties", "min properties"),
    ("maxProperties", "max properties"),
    ("contentMediaType", "media type"),
    ("contentEncoding", "encoding"),
]


def constraints(schema: Any) -> list[Markup]:
    if not isinstance(schema, dict):
        return []
    out = []
    for key, label in _CONSTRAINTS:
        if key in schema and not isinstance(schema[key], dict | list):
            out.append(Markup("{} {}").format(label, code(schema[key])))
    if isinstance(schema.get("pattern"), str):
        out.append(Markup("pattern {}").format(code(schema["pattern"])))
    if schema.get("uniqueItems") is True:
        out.append(Markup("unique items"))
    if schema.get("additionalProperties") is False or schema.get("unevaluatedProperties") is False:
        out.append(Markup("no other properties"))
    if "const" in schema:
        out.append(Markup("always {}").format(code(json_text(schema["const"]))))
    for flag in ("deprecated", "readOnly", "writeOnly"):
        if schema.get(flag) is True:
            out.append(Markup("{}").format(flag))
    return out


def render(rows_: list[Row], link: Callable[[str, str], str]) -> Markup:
    """An HTML table; ``link(path, pointer)`` renders a link to a referenced file's page."""
    return render_template(
        "props.html.j2",
        rows=[_cells(row, link) for row in rows_],
        cut=MAX_ROWS if len(rows_) >= MAX_ROWS else 0,
    )


def _cells(row: Row, link: Callable[[str, str], str]) -> dict[str, Any]:
    """What the template shows of one row."""
    schema = row.schema
    cells: dict[str, Any] = {"row": row, "depth": min(row.depth, 9)}
    if row.group and row.group != "branch" and schema is None:
        cells["kind"] = "group"
        return cells
    cells["kind"] = (
        "alternative" if row.group == "branch" or row.group.startswith("when") else "property"
    )
    fmt = schema.get("format") if isinstance(schema, dict) else None
    cells["type"] = type_text(schema)
    cells["format"] = fmt if isinstance(fmt, str) else None
    cells["nullable"] = row.nullable or is_nullable(schema)
    cells["ref"] = Markup(link(row.ref, row.ref_pointer)) if row.ref else None
    cells["description"] = cells["enum"] = cells["default"] = None
    cells["constraints"] = []
    if isinstance(schema, dict):
        text = schema.get("description")
        if isinstance(text, str):
            cells["description"] = markdown_html(text)
        enum = schema.get("enum")
        if isinstance(enum, list):
            cells["enum"] = [json_text(v) if not isinstance(v, str) else v for v in enum[:MAX_ENUM]]
            cells["more"] = len(enum) - MAX_ENUM if len(enum) > MAX_ENUM else 0
        if "default" in schema:
            cells["default"] = json_text(schema["default"])
        cells["constraints"] = constraints(schema)
    return cells


def iter_leaf_types(rows_: list[Row]) -> Iterator[tuple[str, str, str]]:
    """(dotted path, property name, type signature) for every property row."""
    for row in rows_:
        if row.group or row.schema is None:
            continue
        schema = row.schema
        fmt = schema.get("format") if isinstance(schema, dict) else None
        signature = type_text(schema) + (f" ({fmt})" if isinstance(fmt, str) else "")
        yield row.prefix + row.label, row.label, signature
