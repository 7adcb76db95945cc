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

from eventcat.catalog.model import path_for
from eventcat.docsite.html import code, esc, json_text, markdown_html

MAX_DEPTH = 12
MAX_ROWS = 400
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
    uri = str(getattr(resolved.resolver, "_base_uri", ""))
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
    return isinstance(schema, dict) and (schema.get("type") == "null" or schema.get("const", 0) is None)


class Walker:
    def __init__(self, file: str) -> None:
        self.file = file
        self.rows: list[Row] = []

    def add(self, row: Row) -> bool:
        if len(self.rows) >= MAX_ROWS:
            return False
        self.rows.append(row)
        return True

    def walk(self, schema: Any, resolver: Any, prefix: str, depth: int, chain: frozenset[int]) -> None:
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
            self.add(Row(depth, keyword, prefix, None, group=f"{_COMBINATORS[keyword]} these "
                         f"{len(branches)} {'schemas' if keyword == 'allOf' else 'alternatives'}"))
            for index, branch in enumerate(branches, 1):
                resolved, inner, uri, pointer = resolve(branch, resolver)
                title = resolved.get("title") if isinstance(resolved, dict) else None
                label = f"{'part' if keyword == 'allOf' else 'alternative'} {index}"
                if isinstance(title, str):
                    label += f": {title}"
                row = Row(depth + 1, label, prefix, resolved, group="branch", ref=self._ref(uri),
                          ref_pointer=pointer)
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
                    self.add(Row(depth, keyword, prefix, resolved, group=text, ref=self._ref(uri),
                                 ref_pointer=pointer))
                    self.children(resolved, inner, prefix, depth + 1, chain)

    @staticmethod
    def _nullable_pair(branches: list[Any]) -> bool:
        return len(branches) == 2 and sum(1 for b in branches if _null_branch(b)) == 1

    def _ref(self, uri: str | None) -> str | None:
        path = path_for(uri) if uri else None
        return path if path and path != self.file else None

    def property(self, name: str, sub: Any, resolver: Any, prefix: str, depth: int, required: bool,
                 chain: frozenset[int]) -> None:
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
        row = Row(depth, name, prefix, resolved, required=required, ref=self._ref(uri),
                  ref_pointer=pointer, nullable=nullable)
        if not self.add(row):
            return
        if id(resolved) in chain:
            row.recursive = True
            return
        self.children(resolved, inner, f"{prefix}{name}", depth + 1, chain | {id(resolved)}, dotted=True)

    def children(self, schema: Any, resolver: Any, path: str, depth: int, chain: frozenset[int],
                 dotted: bool = False) -> None:
        if not isinstance(schema, dict):
            return
        items = schema.get("items")
        if isinstance(items, dict):
            resolved, inner, _, _ = resolve(items, resolver)
            if id(resolved) in chain:
                if self.rows:
                    self.rows[-1].recursive = True
            elif _has_structure(resolved):
                self.walk(resolved, inner, f"{path}[]." if dotted else path, depth, chain | {id(resolved)})
        if _has_structure(schema, items=False):
            self.walk(schema, resolver, f"{path}." if dotted else path, depth, chain)


def _has_structure(schema: Any, items: bool = True) -> bool:
    if not isinstance(schema, dict):
        return False
    keys = ("properties", "allOf", "oneOf", "anyOf", "patternProperties", "if")
    if any(key in schema for key in keys):
        return True
    return isinstance(schema.get("additionalProperties"), dict) and bool(schema["additionalProperties"])


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
    types = [value] if isinstance(value, str) else [t for t in value if isinstance(t, str)] \
        if isinstance(value, list) else []
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
    ("minLength", "min length"), ("maxLength", "max length"), ("minimum", "≥"), ("maximum", "≤"),
    ("exclusiveMinimum", ">"), ("exclusiveMaximum", "<"), ("multipleOf", "multiple of"),
    ("minItems", "min items"), ("maxItems", "max items"), ("minProperties", "min properties"),
    ("maxProperties", "max properties"), ("contentMediaType", "media type"),
    ("contentEncoding", "encoding"),
]


def constraints(schema: Any) -> list[str]:
    if not isinstance(schema, dict):
        return []
    out = []
    for key, label in _CONSTRAINTS:
        if key in schema and not isinstance(schema[key], dict | list):
            out.append(f"{esc(label)} {code(schema[key])}")
    if isinstance(schema.get("pattern"), str):
        out.append(f"pattern {code(schema['pattern'])}")
    if schema.get("uniqueItems") is True:
        out.append("unique items")
    if schema.get("additionalProperties") is False or schema.get("unevaluatedProperties") is False:
        out.append("no other properties")
    if "const" in schema:
        out.append(f"always {code(json_text(schema['const']))}")
    for flag in ("deprecated", "readOnly", "writeOnly"):
        if schema.get(flag) is True:
            out.append(esc(flag))
    return out


def render(rows_: list[Row], link: Callable[[str, str], str]) -> str:
    """An HTML table; ``link(path, pointer)`` renders a link to a referenced file's page."""
    if not rows_:
        return '<p class="ec-muted">No properties declared.</p>'
    out = ['<div class="ec-table ec-props"><table><thead><tr><th>Property</th><th>Type</th>'
           "<th>Description and constraints</th></tr></thead><tbody>"]
    for row in rows_:
        out.append(_row(row, link))
    if len(rows_) >= MAX_ROWS:
        out.append(f'<tr><td colspan="3" class="ec-muted">… cut at {MAX_ROWS} rows; see the raw schema.</td></tr>')
    out.append("</tbody></table></div>")
    return "".join(out)


def _row(row: Row, link: Callable[[str, str], str]) -> str:
    depth = min(row.depth, 9)
    if row.group and row.group != "branch" and row.schema is None:
        return (f'<tr class="ec-group d{depth}"><td colspan="3"><span class="ec-alt">{esc(row.group)}'
                "</span></td></tr>")
    schema = row.schema
    if row.group == "branch" or row.group.startswith("when"):
        name = f'<span class="ec-alt">{esc(row.label)}</span>'
        if row.group.startswith("when"):
            name = f'<span class="ec-alt">{esc(row.label)}</span> <span class="ec-muted">{esc(row.group)}</span>'
    else:
        prefix = f'<span class="ec-pfx">{esc(row.prefix)}</span>' if row.prefix else ""
        name = f"<code>{prefix}{esc(row.label)}</code>"
        if row.required:
            name += ' <span class="ec-req" title="required">required</span>'
    kind = esc(type_text(schema))
    fmt = schema.get("format") if isinstance(schema, dict) else None
    type_cell = f"<code>{kind}</code>"
    if isinstance(fmt, str):
        type_cell += f' <span class="ec-fmt">{esc(fmt)}</span>'
    if row.nullable or is_nullable(schema):
        type_cell += ' <span class="ec-fmt">nullable</span>'
    if row.ref:
        type_cell += f"<br>{link(row.ref, row.ref_pointer)}"
    details = []
    if isinstance(schema, dict):
        text = schema.get("description")
        if isinstance(text, str):
            details.append(markdown_html(text))
        enum = schema.get("enum")
        if isinstance(enum, list):
            shown = " ".join(code(json_text(v) if not isinstance(v, str) else v) for v in enum[:MAX_ENUM])
            more = f" … {len(enum) - MAX_ENUM} more" if len(enum) > MAX_ENUM else ""
            details.append(f'<div class="ec-enum">one of: {shown}{esc(more)}</div>')
        if "default" in schema:
            details.append(f"<div>default {code(json_text(schema['default']))}</div>")
        found = constraints(schema)
        if found:
            details.append(f'<div class="ec-cons">{" · ".join(found)}</div>')
    if row.recursive:
        details.append('<div class="ec-muted">recursive: the same schema as above</div>')
    return f'<tr class="d{depth}"><td>{name}</td><td>{type_cell}</td><td>{"".join(details)}</td></tr>'


def iter_leaf_types(rows_: list[Row]) -> Iterator[tuple[str, str, str]]:
    """(dotted path, property name, type signature) for every property row."""
    for row in rows_:
        if row.group or row.schema is None:
            continue
        schema = row.schema
        fmt = schema.get("format") if isinstance(schema, dict) else None
        signature = type_text(schema) + (f" ({fmt})" if isinstance(fmt, str) else "")
        yield row.prefix + row.label, row.label, signature
