"""Tables of plain values: what a notebook shows as an HTML table and a terminal as text."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from eventcat.display._templates import render

if TYPE_CHECKING:
    from eventcat.catalog.model import Catalog


@dataclass(frozen=True)
class Table:
    """Rows of plain values that render as an HTML table in Jupyter and as text elsewhere."""

    headers: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    title: str = ""

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, name: str) -> list[Any]:
        index = self.headers.index(name)
        return [row[index] for row in self.rows]

    def _repr_html_(self) -> str:
        rows = [[plain(cell) for cell in row] for row in self.rows]
        return str(render("table.html.j2", title=self.title, headers=self.headers, rows=rows))

    def __repr__(self) -> str:
        cells = [list(self.headers), *([plain(c) for c in row] for row in self.rows)]
        widths = [min(40, max(len(row[i]) for row in cells)) for i in range(len(self.headers))]
        lines = [self.title] if self.title else []
        for row in cells:
            lines.append("  ".join(c[:40].ljust(w) for c, w in zip(row, widths, strict=True)))
        return "\n".join(lines).rstrip()


def plain(value: Any) -> str:
    """One cell as text: lists joined, booleans as "yes"/"", None as ""."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(plain(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else ""
    return str(value)


# -- schemas ---------------------------------------------------------------------------------


def type_of(schema: Any) -> str:
    """A schema's type in a few words (``array of string``, ``$ref ../_shared/X``, ``oneOf``)."""
    if not isinstance(schema, dict):
        return "any" if schema is True else "never" if schema is False else "?"
    if isinstance(schema.get("$ref"), str):
        return f"$ref {schema['$ref']}"
    if "const" in schema:
        return f"const {json.dumps(schema['const'])}"
    if "enum" in schema:
        return "enum"
    t = schema.get("type")
    if isinstance(t, list):
        return " | ".join(str(x) for x in t)
    if isinstance(t, str):
        if t == "array" and isinstance(schema.get("items"), dict):
            return f"array of {type_of(schema['items'])}"
        return t
    for keyword in ("oneOf", "anyOf", "allOf"):
        if keyword in schema:
            return keyword
    return "any"


_CONSTRAINTS = (
    "format", "enum", "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
    "minLength", "maxLength", "minItems", "maxItems", "uniqueItems", "default",
)  # fmt: skip


def _constraints(schema: Any) -> str:
    if not isinstance(schema, dict):
        return ""
    parts = []
    for key in _CONSTRAINTS:
        if key in schema:
            value = schema[key]
            shown = ", ".join(json.dumps(v) for v in value) if key == "enum" else json.dumps(value)
            parts.append(f"{key}: {shown}")
    return "; ".join(parts)


def _resolver_for(schema: Any, path: str, catalog: Catalog | None) -> Any:
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    from eventcat.catalog.model import uri_for

    uri = uri_for(path or "draft.schema.json")
    registry: Any = catalog.registry if catalog is not None else Registry()
    resource = Resource.from_contents(schema, default_specification=DRAFT202012)
    return registry.with_resource(uri, resource).resolver(base_uri=uri)


def schema_table(
    schema: Any, *, path: str = "", catalog: Catalog | None = None, title: str = ""
) -> Table:
    """A schema as a property table: field path, type, required, constraints, description,
    and the shared fragment a field comes from. ``$ref``s resolve inside ``catalog``."""
    from eventcat.catalog.fields import iter_fields

    resolver = _resolver_for(schema, path, catalog)
    rows = []
    for found in iter_fields(schema, resolver, path):
        sub = found.schema if isinstance(found.schema, dict) else {}
        rows.append(
            (
                found.path,
                type_of(found.schema),
                found.required,
                _constraints(found.schema),
                sub.get("description", ""),
                found.ref or "",
            )
        )
    headers = ("field", "type", "required", "constraints", "description", "from")
    return Table(headers, tuple(rows), title)


# -- a whole catalog -------------------------------------------------------------------------


def catalog_overview(catalog: Catalog) -> Table:
    """One row per event: domain, name, versions, latest eventType, kind, status, who uses it."""
    rows = []
    for event in catalog.events:
        latest = event.latest
        consumers = sorted({c.service for v in event.versions for c in v.consumers})
        rows.append(
            (
                event.domain,
                event.name,
                ", ".join(f"v{v.version}" for v in event.versions),
                latest.event_type or "",
                latest.kind or "",
                latest.status,
                list(latest.producers),
                consumers,
            )
        )
    headers = ("domain", "event", "versions", "eventType (latest)", "kind", "status", "producers",
               "consumers")  # fmt: skip
    return Table(headers, tuple(rows))


def field_index(catalog: Catalog) -> Table:
    """Every payload field name and the event versions that carry it (most shared first)."""
    from eventcat.catalog.fields import iter_fields

    where: dict[str, list[str]] = {}
    types: dict[str, set[str]] = {}
    for version in catalog.versions():
        for found in iter_fields(version.schema, catalog.resolver(version.path), version.path):
            name = found.path.rsplit(".", 1)[-1].removesuffix("[]")
            where.setdefault(name, []).append(f"{version.id}:{found.path}")
            types.setdefault(name, set()).add(type_of(found.schema))
    rows = sorted(
        ((name, len(uses), " / ".join(sorted(types[name])), uses) for name, uses in where.items()),
        key=lambda row: (-row[1], row[0]),
    )
    return Table(("field", "uses", "types", "where (version:path)"), tuple(rows))


def schema_sizes(catalog: Catalog) -> Table:
    """Per event version: bytes of its file, payload fields, required fields, nesting depth,
    shared fragments used, examples."""
    from eventcat.catalog.fields import iter_fields

    rows = []
    for version in catalog.versions():
        fields = list(iter_fields(version.schema, catalog.resolver(version.path), version.path))
        depth = max((f.path.count(".") + f.path.count("[]") + 1 for f in fields), default=0)
        rows.append(
            (
                version.id,
                len(version.file.text.encode("utf-8")),
                len(fields),
                sum(1 for f in fields if f.required),
                depth,
                len([d for d in catalog.dependencies(version.path) if d.startswith("_")]),
                len(version.file.examples),
            )
        )
    rows.sort(key=lambda row: -int(row[1]))
    return Table(
        ("version", "bytes", "fields", "required", "depth", "fragments", "examples"), tuple(rows)
    )


def versions_over_time(catalog: Catalog) -> Table:
    """Versions per month of ``lifecycle.since`` (versions without a date are counted apart)."""
    months: dict[str, list[str]] = {}
    for version in catalog.versions():
        since = version.lifecycle.get("since")
        key = str(since)[:7] if isinstance(since, str) else "(no date)"
        months.setdefault(key, []).append(f"{version.id} ({version.status})")
    rows = []
    total = 0
    for month in sorted(months, key=lambda m: (m == "(no date)", m)):
        total += len(months[month])
        rows.append((month, len(months[month]), total, "█" * len(months[month]), months[month]))
    return Table(("month", "new versions", "total", "", "versions"), tuple(rows))
