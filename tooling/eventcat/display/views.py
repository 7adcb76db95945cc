"""HTML renderings of catalog, design and result objects for Jupyter (templates, autoescaped).

The objects themselves carry no HTML: :mod:`eventcat.display.formatters` registers these
functions as IPython formatters, and :func:`show` wraps anything else in an object that renders
itself. Nothing here loads anything from the network.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from eventcat.display._templates import render
from eventcat.display.tables import Table, catalog_overview, schema_table
from eventcat.report.findings import Finding, Severity

if TYPE_CHECKING:
    from eventcat.catalog.model import Catalog, Event, EventVersion
    from eventcat.design.api import Review
    from eventcat.design.infer import Inference
    from eventcat.design.preview import Preview
    from eventcat.design.scaffold import EventDraft
    from eventcat.design.write import Validation
    from eventcat.report.render import Result


def catalog_html(catalog: Catalog) -> str:
    overview = catalog_overview(catalog)
    versions = sum(len(e.versions) for e in catalog.events)
    rows = [[_joined(cell) for cell in row] for row in overview.rows]
    return str(render("catalog.html.j2", catalog=catalog, versions=versions,
                      headers=overview.headers, rows=rows))  # fmt: skip


def _joined(value: Any) -> Any:
    return ", ".join(map(str, value)) if isinstance(value, list | tuple) else value


def version_html(
    version: EventVersion, catalog: Catalog | None = None, heading: bool = True
) -> str:
    payload = schema_table(version.schema, path=version.path, catalog=catalog)._repr_html_()
    examples = version.file.examples
    first = json.dumps(examples[0], indent=2, ensure_ascii=False) if examples else ""
    return str(render("version.html.j2", version=version, heading=heading, payload=_safe(payload),
                      examples=examples, first_example=first))  # fmt: skip


def event_html(event: Event, catalog: Catalog | None = None) -> str:
    latest = version_html(event.latest, catalog, heading=False)
    return str(render("event.html.j2", event=event, latest=_safe(latest)))


def findings_html(findings: Iterable[Finding], title: str | None = None) -> str:
    items = list(findings)
    errors = sum(1 for f in items if f.severity == Severity.ERROR)
    warnings = sum(1 for f in items if f.severity == Severity.WARNING)
    if title is None:
        title = "clean" if not items else f"{errors} error(s), {warnings} warning(s)"
    return str(render("findings.html.j2", findings=items, title=title, errors=errors,
                      warnings=warnings))  # fmt: skip


def result_html(result: Result) -> str:
    title = result.summary or (
        f"{result.command}: {'ok' if result.ok else 'failed'} (exit {result.exit_code})"
    )
    return findings_html(result.findings, title=title)


def review_html(review: Review) -> str:
    report = review.report
    shown = report._repr_html_() if report is not None and hasattr(report, "_repr_html_") else ""
    findings = findings_html(review.findings, title="" if not review.findings else None)
    return str(render("review.html.j2", review=review, report=_safe(shown),
                      findings=_safe(findings)))  # fmt: skip


def validation_html(validation: Validation) -> str:
    title = "ok: the change passes every check" if validation.ok else "refused"
    return findings_html(validation.findings, title=title)


def inference_html(inference: Inference) -> str:
    # A draft inferred from samples has no $ref, so the property table's "from" (the shared
    # fragment a field comes from) would always be empty; here it says which samples it came from.
    table = schema_table(inference.schema)
    total = len(inference.samples)
    rows = tuple(
        (
            *row[:-1],
            f"{sum(_present(s, str(row[0]).split('.')) for s in inference.samples)} of {total}",
        )
        for row in table.rows
    )
    fields = Table((*table.headers[:-1], "seen in (samples)"), rows)._repr_html_()
    return str(render("inference.html.j2", inference=inference, fields=_safe(fields)))


def draft_html(draft: EventDraft, catalog: Catalog | None = None) -> str:
    meta = draft.schema.get("x-eventcat", {})
    fields = schema_table(draft.schema, path=draft.path, catalog=catalog)._repr_html_()
    return str(render("draft.html.j2", draft=draft, meta=meta, fields=_safe(fields),
                      meta_json=json.dumps(meta, indent=2, ensure_ascii=False)))  # fmt: skip


def _present(value: Any, parts: list[str]) -> bool:
    """Whether a sample has the field at a dotted path (``items[].sku``: in some item)."""
    if not parts:
        return True
    key, rest = parts[0], parts[1:]
    array = key.endswith("[]")
    key = key.removesuffix("[]")
    if not isinstance(value, dict) or key not in value:
        return False
    found = value[key]
    if array:
        return isinstance(found, list) and any(_present(item, rest) for item in found)
    return _present(found, rest) if rest else True


def preview_html(preview: Preview) -> str:
    # The docs site's own stylesheet (scoped to .md-typeset) styles its blocks here too.
    site = any(kind == "site-html" for kind, _ in preview.parts)
    css = _site_css() if site else ""
    return str(render("preview.html.j2", preview=preview, site_css=_safe(css)))


def _site_css() -> str:
    from importlib.resources import files

    return files("eventcat.docsite").joinpath("assets/eventcat.css").read_text(encoding="utf-8")


def _safe(html: str) -> Any:
    from markupsafe import Markup

    return Markup(html)  # produced by a template above (or the site's sanitiser), not author text


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
    from eventcat.report.render import Result, render_text

    if isinstance(obj, Catalog):
        return Shown(catalog_html(obj), repr(catalog_overview(obj)))
    if isinstance(obj, Event):
        return Shown(event_html(obj, catalog), f"Event({obj.name}, {len(obj.versions)} versions)")
    if isinstance(obj, EventVersion):
        return Shown(version_html(obj, catalog), f"EventVersion({obj.path})")
    if isinstance(obj, Result):
        return Shown(result_html(obj), render_text(obj))
    if isinstance(obj, EventcatError):
        from eventcat.design.notebook import error_lines

        html = findings_html(obj.problems, title=f"{type(obj).__name__}: input refused")
        return Shown(html, error_lines(obj))
    if isinstance(obj, Finding):
        obj = [obj]
    if isinstance(obj, list | tuple) and all(isinstance(f, Finding) for f in obj):
        return Shown(findings_html(obj), "\n".join(f.render() for f in obj) or "clean")
    if isinstance(obj, Mapping):
        table = schema_table(dict(obj), catalog=catalog)
        return Shown(table._repr_html_(), repr(table))
    return obj
