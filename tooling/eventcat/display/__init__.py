"""HTML (and plain-text) renderings of eventcat objects for Jupyter.

The model classes call these lazily from their ``_repr_html_``; :func:`show` wraps anything else
(lint results, findings, schemas) in an object that renders itself. Everything a catalog author
wrote is HTML-escaped; nothing here loads anything from the network.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from eventcat.report.findings import Finding, Severity

if TYPE_CHECKING:
    from eventcat.catalog.model import Catalog, Event, EventVersion
    from eventcat.design.api import Review
    from eventcat.design.infer import Inference
    from eventcat.design.scaffold import EventDraft
    from eventcat.report.render import Result

__all__ = [
    "ResultView",
    "Table",
    "catalog_html",
    "draft_html",
    "event_html",
    "field_index",
    "findings_html",
    "flow_graph",
    "inference_html",
    "result_html",
    "review_html",
    "schema_sizes",
    "schema_table",
    "show",
    "version_html",
    "versions_over_time",
]

_STYLE = (
    "<style>.ecd-t{border-collapse:collapse;font-size:13px;margin:4px 0 12px}"
    ".ecd-t th,.ecd-t td{border:1px solid #d0d7de;padding:3px 8px;text-align:left;"
    "vertical-align:top}.ecd-t th{background:#f6f8fa}.ecd-ok{color:#1a7f37;font-weight:600}"
    ".ecd-bad{color:#cf222e;font-weight:600}.ecd-warn{color:#9a6700;font-weight:600}"
    ".ecd-muted{color:#57606a}</style>"
)


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _code(value: Any) -> str:
    return f"<code>{esc(value)}</code>"


def _html_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"{_STYLE}<table class='ecd-t'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


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
        title = f"<p><strong>{esc(self.title)}</strong></p>" if self.title else ""
        rows = ([esc(_plain(cell)) for cell in row] for row in self.rows)
        return title + _html_table(self.headers, rows)

    def __repr__(self) -> str:
        cells = [list(self.headers), *([_plain(c) for c in row] for row in self.rows)]
        widths = [min(40, max(len(row[i]) for row in cells)) for i in range(len(self.headers))]
        lines = [self.title] if self.title else []
        for row in cells:
            lines.append("  ".join(c[:40].ljust(w) for c, w in zip(row, widths, strict=True)))
        return "\n".join(lines).rstrip()


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(_plain(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else ""
    return str(value)


# -- schemas ---------------------------------------------------------------------------------


def _type_of(schema: Any) -> str:
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
            return f"array of {_type_of(schema['items'])}"
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
                _type_of(found.schema),
                found.required,
                _constraints(found.schema),
                sub.get("description", ""),
                found.ref or "",
            )
        )
    headers = ("field", "type", "required", "constraints", "description", "from")
    return Table(headers, tuple(rows), title)


# -- catalog, events, versions ---------------------------------------------------------------


def _status(status: str) -> str:
    cls = {"active": "ecd-ok", "deprecated": "ecd-warn", "retired": "ecd-muted"}.get(status, "")
    return f"<span class='{cls}'>{esc(status)}</span>"


def catalog_overview(catalog: Catalog) -> Table:
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


def catalog_html(catalog: Catalog) -> str:
    versions = sum(len(e.versions) for e in catalog.events)
    head = (
        f"<h3>{esc(catalog.name or 'Catalog')}</h3><p class='ecd-muted'>{esc(catalog.root)}: "
        f"{len(catalog.events)} events, {versions} versions, {len(catalog.domains)} domains, "
        f"{len(catalog.services)} services, {len(catalog.fragments)} shared fragments</p>"
    )
    overview = catalog_overview(catalog)
    rows = []
    for row in overview.rows:
        cells = [esc(_plain(c)) for c in row]
        cells[1] = f"<strong>{cells[1]}</strong>"
        cells[3] = _code(row[3])
        cells[5] = _status(str(row[5]))
        rows.append(cells)
    return head + _html_table(overview.headers, rows)


def event_html(event: Event, catalog: Catalog | None = None) -> str:
    rows = []
    for v in event.versions:
        lifecycle = v.lifecycle
        rows.append(
            [
                f"v{v.version}",
                _code(v.event_type),
                _status(v.status),
                esc(lifecycle.get("since", "")),
                esc(lifecycle.get("sunset", "")),
                _code(lifecycle["replacement"]) if "replacement" in lifecycle else "",
                esc(v.path),
            ]
        )
    head = f"<h3>{esc(event.name)} <span class='ecd-muted'>({esc(event.domain)})</span></h3>"
    table = _html_table(
        ("version", "eventType", "status", "since", "sunset", "replacement", "file"), rows
    )
    return head + table + version_html(event.latest, catalog, heading=False)


def version_html(version: EventVersion, catalog: Catalog | None = None, heading: bool = True) -> str:
    parts = []
    if heading:
        parts.append(
            f"<h3>{esc(version.file.title or version.name)} "
            f"<span class='ecd-muted'>v{version.version}</span></h3>"
        )
    parts.append(
        f"<p>{_code(version.event_type)} · {esc(version.kind)} · {_status(version.status)} · "
        f"owner {esc(version.owner or '—')} · produced by "
        f"{', '.join(_code(p) for p in version.producers) or '—'}</p>"
    )
    if version.summary:
        parts.append(f"<p>{esc(version.summary)}</p>")
    if version.consumers:
        rows = [
            [_code(c.service), esc(c.handler or ""), esc(c.processing or ""), esc(", ".join(c.fields))]
            for c in version.consumers
        ]
        parts.append("<p><strong>Consumers</strong></p>")
        parts.append(_html_table(("service", "handler", "processing", "reads fields"), rows))
    parts.append("<p><strong>Payload</strong></p>")
    parts.append(schema_table(version.schema, path=version.path, catalog=catalog)._repr_html_())
    examples = version.file.examples
    if examples:
        parts.append(
            f"<details><summary>{len(examples)} example(s)</summary><pre>"
            f"{esc(json.dumps(examples[0], indent=2, ensure_ascii=False))}</pre></details>"
        )
    return "".join(parts)


# -- findings, results, reviews ----------------------------------------------------------------


def findings_html(findings: Iterable[Finding], title: str | None = None) -> str:
    items = list(findings)
    errors = sum(1 for f in items if f.severity == Severity.ERROR)
    warnings = sum(1 for f in items if f.severity == Severity.WARNING)
    if title is None:
        title = "clean" if not items else f"{errors} error(s), {warnings} warning(s)"
    cls = "ecd-bad" if errors else "ecd-warn" if warnings else "ecd-ok"
    head = f"<p class='{cls}'>{esc(title)}</p>"
    if not items:
        return head
    rows = []
    for f in items:
        level = {"error": "ecd-bad", "warning": "ecd-warn"}.get(f.severity.value, "ecd-muted")
        where = esc(f.file or "") + (f":{f.line}" if f.line else "")
        rows.append(
            [
                f"<span class='{level}'>{esc(f.severity)}</span>",
                _code(f.rule),
                where,
                _code(f.pointer) if f.pointer else "",
                esc(f.message),
            ]
        )
    return head + _html_table(("severity", "rule", "file", "pointer", "message"), rows)


def result_html(result: Result) -> str:
    title = result.summary or (
        f"{result.command}: {'ok' if result.ok else 'failed'} (exit {result.exit_code})"
    )
    return findings_html(result.findings, title=title)


@dataclass(frozen=True)
class ResultView:
    """A lint or gate result that renders itself: ``ok``, ``exit_code`` and ``findings`` as the
    CLI would report them."""

    result: Result

    @property
    def ok(self) -> bool:
        return self.result.ok

    @property
    def exit_code(self) -> int:
        return self.result.exit_code

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.result.findings

    def __repr__(self) -> str:
        from eventcat.report.render import render_text

        return render_text(self.result)

    def _repr_html_(self) -> str:
        return result_html(self.result)


def review_html(review: Review) -> str:
    parts = [
        f"<p><strong>{esc(review.path)}</strong>: "
        + ("<span class='ecd-ok'>can be written in place</span>" if review.ok
           else "<span class='ecd-bad'>refused</span>")
        + "</p>"
    ]  # fmt: skip
    if review.report is not None and hasattr(review.report, "_repr_html_"):
        parts.append(review.report._repr_html_())
    parts.append(findings_html(review.findings, title="" if not review.findings else None))
    return "".join(parts)


def inference_html(inference: Inference) -> str:
    parts = [
        f"<p>Inferred from {len(inference.samples)} sample(s).</p>",
        schema_table(inference.schema)._repr_html_(),
    ]
    if inference.notes:
        rows = [
            [_code(n.pointer or "/"), esc(n.kind), esc(n.message),
             esc(", ".join(json.dumps(v) for v in n.values))]
            for n in inference.notes
        ]  # fmt: skip
        parts.append("<p><strong>Notes</strong></p>")
        parts.append(_html_table(("where", "what", "why", "values"), rows))
    return "".join(parts)


def draft_html(draft: EventDraft, catalog: Catalog | None = None) -> str:
    meta = draft.schema.get("x-eventcat", {})
    return (
        f"<h3>{esc(draft.schema.get('title', draft.name))} "
        f"<span class='ecd-muted'>(draft: {esc(draft.path)})</span></h3>"
        f"<p>{_code(meta.get('eventType'))} · {esc(meta.get('kind'))} · owner "
        f"{esc(meta.get('owner', '—'))} · produced by "
        f"{', '.join(_code(p) for p in meta.get('producers', [])) or '—'}</p>"
        + schema_table(draft.schema, path=draft.path, catalog=catalog)._repr_html_()
        + f"<details><summary>x-eventcat</summary><pre>"
        f"{esc(json.dumps(meta, indent=2, ensure_ascii=False))}</pre></details>"
    )


# -- exploring a catalog -----------------------------------------------------------------------


def field_index(catalog: Catalog) -> Table:
    """Every payload field name and the event versions that carry it (most shared first)."""
    from eventcat.catalog.fields import iter_fields

    where: dict[str, list[str]] = {}
    types: dict[str, set[str]] = {}
    for version in catalog.versions():
        for found in iter_fields(version.schema, catalog.resolver(version.path), version.path):
            name = found.path.rsplit(".", 1)[-1].removesuffix("[]")
            where.setdefault(name, []).append(f"{version.id}:{found.path}")
            types.setdefault(name, set()).add(_type_of(found.schema))
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


@dataclass(frozen=True)
class FlowGraph:
    """Producers → events → consumers as an SVG (three columns, one line per edge)."""

    producers: tuple[str, ...]
    events: tuple[str, ...]
    consumers: tuple[str, ...]
    edges: tuple[tuple[str, str, str], ...]  # (kind "produces"/"consumes", service, event)

    def _repr_svg_(self) -> str:
        row, width, col = 22, 980, (10, 360, 700)
        height = row * max(len(self.producers), len(self.events), len(self.consumers), 1) + 40
        y = {}
        for column, names in (("p", self.producers), ("e", self.events), ("c", self.consumers)):
            for i, name in enumerate(names):
                y[column, name] = 40 + i * row
        out = [
            f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
            f"font-family='sans-serif' font-size='12'>",
            f"<text x='{col[0]}' y='18' font-weight='bold'>producers</text>",
            f"<text x='{col[1]}' y='18' font-weight='bold'>events</text>",
            f"<text x='{col[2]}' y='18' font-weight='bold'>consumers</text>",
        ]
        for kind, service, event in self.edges:
            if kind == "produces":
                x1, y1, x2, y2 = col[1] - 90, y["p", service] - 4, col[1] - 4, y["e", event] - 4
                colour = "#0969da"
            else:
                x1, y1, x2, y2 = col[1] + 290, y["e", event] - 4, col[2] - 4, y["c", service] - 4
                colour = "#8250df"
            out.append(
                f"<line x1='{x1}' y1='{y1}' x2='{x2}' y2='{y2}' stroke='{colour}' "
                "stroke-opacity='0.45'/>"
            )
        for column, names, x in (
            ("p", self.producers, col[0]),
            ("e", self.events, col[1]),
            ("c", self.consumers, col[2]),
        ):
            for name in names:
                out.append(f"<text x='{x}' y='{y[column, name]}'>{esc(name[:44])}</text>")
        out.append("</svg>")
        return "".join(out)

    def _repr_html_(self) -> str:
        return self._repr_svg_()

    def __repr__(self) -> str:
        lines = [f"FlowGraph({len(self.events)} events)"]
        for event in self.events:
            sources = [s for k, s, e in self.edges if e == event and k == "produces"]
            targets = [s for k, s, e in self.edges if e == event and k == "consumes"]
            lines.append(f"  {', '.join(sources)} -> {event} -> {', '.join(targets) or '-'}")
        return "\n".join(lines)


def flow_graph(
    catalog: Catalog, *, domain: str | None = None, service: str | None = None
) -> FlowGraph:
    """Who produces and consumes what: the latest version of every event (or of one domain's
    events, or of the events one service touches)."""
    edges: list[tuple[str, str, str]] = []
    for event in catalog.events:
        latest = event.latest
        touched = {*latest.producers, *(c.service for c in latest.consumers)}
        if domain is not None and event.domain != domain:
            continue
        if service is not None and service not in touched:
            continue
        edges += [("produces", p, event.name) for p in latest.producers]
        edges += [("consumes", c.service, event.name) for c in latest.consumers]
    events = tuple(dict.fromkeys(e for _, _, e in edges))
    producers = tuple(sorted({s for k, s, _ in edges if k == "produces"}))
    consumers = tuple(sorted({s for k, s, _ in edges if k == "consumes"}))
    return FlowGraph(producers, events, consumers, tuple(edges))


# -- show ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """Any eventcat object wrapped so that Jupyter renders it."""

    html: str
    text: str

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text


def show(obj: Any, catalog: Catalog | None = None) -> Any:
    """Something that renders ``obj`` in a notebook: a catalog, event, version, schema (dict),
    lint or gate result, findings, an eventcat error, or anything with ``_repr_html_``."""
    from eventcat.catalog.model import Catalog, Event, EventVersion
    from eventcat.errors import EventcatError
    from eventcat.report.render import Result

    if isinstance(obj, Catalog):
        return Shown(catalog_html(obj), repr(catalog_overview(obj)))
    if isinstance(obj, Event):
        return Shown(event_html(obj, catalog), f"Event({obj.name}, {len(obj.versions)} versions)")
    if isinstance(obj, EventVersion):
        return Shown(version_html(obj, catalog), f"EventVersion({obj.path})")
    if isinstance(obj, Result):
        return ResultView(obj)
    if isinstance(obj, EventcatError):
        from eventcat.design.notebook import error_lines

        return Shown(
            findings_html(obj.problems, title=f"{type(obj).__name__}: input refused"),
            error_lines(obj),
        )
    if isinstance(obj, Finding):
        obj = [obj]
    if isinstance(obj, list | tuple) and all(isinstance(f, Finding) for f in obj):
        return Shown(findings_html(obj), "\n".join(f.render() for f in obj) or "clean")
    if isinstance(obj, Mapping):
        table = schema_table(dict(obj), catalog=catalog)
        return Shown(table._repr_html_(), repr(table))
    return obj
