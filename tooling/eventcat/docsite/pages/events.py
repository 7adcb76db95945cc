"""Event version pages (``events/<Name>/v<N>.md``) and the events index."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from eventcat.catalog.model import EventVersion, SchemaFile
from eventcat.docsite import event_pages, explorer, props
from eventcat.docsite.html import code, highlight, safe_title
from eventcat.docsite.page import Page
from eventcat.docsite.pages import changes
from eventcat.docsite.pages.listing import event_list
from eventcat.docsite.pages.text import channel_text, delivery_text, muted, retry_text
from eventcat.report.findings import Severity

if TYPE_CHECKING:
    from eventcat.docsite.build import Builder


def version_pages(b: Builder) -> None:
    versions = [v for e in b.catalog.events for v in e.versions if v.path not in b.broken]
    if b.memo is not None:  # mkdocs serve: unchanged versions come from the last build
        b.memo.build(b, versions, event_page)
        return
    for version in versions:
        event_page(b, version)


def event_page(b: Builder, version: EventVersion) -> None:
    src = b.event_src(version)
    page = b.add(Page(src, safe_title(f"{version.name} v{version.version}")))
    event = b.catalog.event(version.name)
    latest = event.latest if event else version
    # the version switcher (docsite/event_pages.py, HTML of its own templates) above the header
    page.html(
        Markup(event_pages.switcher(b, src, version))
        + b.render(
            "event/header.html.j2",
            src=src,
            version=version,
            latest=latest,
            banner=changes.lifecycle_banner(b, src, version),
            rows=_facts(b, src, version),
        )
    )
    if version.file.description:
        page.h2("Description").html(b.render("markdown.html.j2", text=version.file.description))
    page.h2("Flow").html(b.render("event/flow.html.j2", text=flow_diagram(b, version)))
    page.h2("Payload")
    resolver = b.catalog.resolver(version.path)
    rows = props.rows(version.schema, resolver, version.path)
    for path, name, signature in props.iter_leaf_types(rows):
        if not name.startswith(("*", "/")):
            b.fields[name].setdefault((version.name, path, signature), []).append(version.version)
    # the schema explorer (docsite/explorer.py) with the flat table below it
    page.html(
        explorer.payload_block(
            b,
            src,
            version.schema,
            version.path,
            f"{version.name} v{version.version}",
            rows,
            lambda path, pointer: b.file_link(src, path, pointer),
        )
    )
    page.h2("Envelope").html(envelope_section(b, src, version))
    page.h2("Examples").html(b.render("event/examples.html.j2", examples=_examples(b, version)))
    versions = event.versions if event else ()
    page.h2("Changes").html(changes.changes_section(b, src, version, versions))
    page.h2("Metadata changes").html(changes.metadata_section(b, src, version, versions))
    page.h2("Code").html(
        b.render(
            "event/code.html.j2",
            package=b.options.package,
            snippet=highlight(_snippet(b, version), "python"),
        )
    )
    page.h2("Schema").html(
        b.render(
            "download.html.j2",
            href=b.links.rel(src, b.raw_src(version.path)),
            path=version.path,
            show_path=True,
        )
    )
    problems = [f for f in b.by_file.get(version.path, []) if f.severity is not Severity.INFO]
    if problems:
        page.h2("Lint").html(b.findings_list(src, problems))


def _snippet(b: Builder, version: EventVersion) -> str:
    """Python that uses the version's generated model."""
    module, name = b.models.get(version.path, ("", ""))
    package = b.options.package
    return (
        f"from {package}.{module} import {name}\n"
        f"from {package} import EVENT_TYPES, parse_event\n\n"
        f"payload = {name}.model_validate(data)\n"
        f"assert EVENT_TYPES[{json.dumps(version.event_type or '')}] is {name}\n"
        "event = parse_event(message)  # envelope -> typed model of the right version\n"
    )


def _facts(b: Builder, src: str, version: EventVersion) -> list[tuple[str, Markup]]:
    """The rows of the facts table under the title: (label, value)."""
    rows: list[tuple[str, Markup]] = [("eventType", code(version.event_type or "—"))]
    event = b.catalog.event(version.name)
    if event and len(event.versions) > 1:
        rows.append(
            (
                "Versions",
                Markup(" ").join(
                    Markup("<strong>v{}</strong>").format(v.version)
                    if v.version == version.version
                    else b.version_link(src, v, f"v{v.version}")
                    for v in event.versions
                ),
            )
        )
    rows.append(("Owner", b.team_link(src, version.owner)))
    rows.append(("Domain", b.domain_link(src, version.domain)))
    rows.append(
        (
            "Producers",
            Markup(", ").join(b.service_link(src, p) for p in version.producers) or Markup("—"),
        )
    )
    consumers = [
        b.service_link(src, c.service)
        + (Markup(" ") + muted(f"({c.handler})") if c.handler else "")
        for c in version.consumers
    ]
    rows.append(("Consumers", Markup(", ").join(consumers) or muted("none declared")))
    channel = version.channel
    if channel:
        rows.append(("Channel", channel_text(channel)))
    delivery = version.delivery
    if delivery:
        rows.append(("Delivery", delivery_text(delivery)))
        retry = delivery.get("retry")
        if isinstance(retry, dict) and retry:
            rows.append(("Retry", retry_text(retry)))
    dlqs = (
        [code(channel["deadLetterQueue"])]
        if isinstance(channel.get("deadLetterQueue"), str)
        else []
    )
    dlqs += [
        code(c.dead_letter_queue) + Markup(" ") + muted(f"({c.service})")
        for c in version.consumers
        if c.dead_letter_queue
    ]
    if dlqs:
        rows.append(("Dead-letter queue", Markup(", ").join(dlqs)))
    meta = version.meta
    for key, label in (
        ("criticality", "Criticality"),
        ("frequency", "Frequency"),
        ("category", "Category"),
        ("trigger", "Trigger"),
    ):
        value = meta.get(key)
        if isinstance(value, str):
            text = Markup("{}").format(value)
            if key == "frequency" and isinstance(meta.get("frequencyNote"), str):
                text += Markup(" ") + muted(f"({meta['frequencyNote']})")
            rows.append((label, text))
    source = meta.get("dataSource")
    if isinstance(source, dict) and source:
        parts: list[Any] = [
            source[k] for k in ("database", "operation") if isinstance(source.get(k), str)
        ]
        tables = source.get("tables")
        if isinstance(tables, list):
            parts.append(
                Markup("tables ") + Markup(", ").join(code(t) for t in tables if isinstance(t, str))
            )
        rows.append(("Data source", Markup(" · ").join(parts)))
    for key, label in (("requirements", "Requirements"), ("tags", "Tags"), ("pii", "PII fields")):
        value = meta.get(key)
        if isinstance(value, list) and value:
            rows.append(
                (label, Markup(" ").join(code(v) for v in value if isinstance(v, str | int)))
            )
    lifecycle = version.lifecycle
    if version.status == "deprecated" or lifecycle.get("replacement"):
        replacement = lifecycle.get("replacement")
        target = b.catalog.by_event_type(replacement) if isinstance(replacement, str) else None
        text = b.version_link(src, target) if target else code(replacement or "—")
        if isinstance(lifecycle.get("reason"), str):
            text += Markup(" — {}").format(lifecycle["reason"])
        rows.append(("Replaced by", text))
    if isinstance(lifecycle.get("since"), str):
        rows.append(("Since", Markup("{}").format(lifecycle["since"])))
    s = version.compatibility
    rows.append(
        (
            "Compatibility",
            Markup("{} {} rules {} evolution {}").format(
                code(s.mode), code(s.policy), code(s.rules), code(s.evolution)
            ),
        )
    )
    return rows


def flow_diagram(b: Builder, version: EventVersion) -> str:
    """The Mermaid source of the event's flow: producers → event → consumers (and its DLQ)."""
    lines = ["flowchart LR"]
    lines.append(f'  ev(["{_mermaid(version.event_type or version.id)}"]):::event')
    channel = version.channel
    via = channel.get("routingKey") or channel.get("topic") or channel.get("exchange")
    edge = f'-- "{_mermaid(str(via))}" -->' if isinstance(via, str) else "-->"
    producers = version.producers or ()
    for index, producer in enumerate(producers):
        service = b.catalog.services.get(producer)
        lines.append(f'  p{index}["{_mermaid(service.name if service else producer)}"] {edge} ev')
    if not producers:
        lines.append('  p0["(no producer declared)"] --> ev')
    for index, consumer in enumerate(version.consumers):
        service = b.catalog.services.get(consumer.service)
        label = service.name if service else consumer.service
        queue = consumer.queue or consumer.handler
        arrow = f'-- "{_mermaid(queue)}" -->' if queue else "-->"
        lines.append(f'  ev {arrow} c{index}["{_mermaid(label)}"]')
    if not version.consumers:
        lines.append('  ev --> c0["(no consumer declared)"]:::none')
    dlq = channel.get("deadLetterQueue")
    if isinstance(dlq, str):
        lines.append(f'  ev -. "failed" .-> dlq[("{_mermaid(dlq)}")]:::dlq')
    lines.append("  classDef event fill:#ede7f6,stroke:#5e35b1,stroke-width:2px")
    lines.append("  classDef dlq fill:#ffebee,stroke:#c62828")
    lines.append("  classDef none fill:#fafafa,stroke:#bdbdbd,stroke-dasharray:4")
    return "\n".join(lines)


def _mermaid(text: str) -> str:
    """Label text for a quoted Mermaid label: anything but plain characters as ``#NN;`` codes."""
    out = []
    for char in text[:80]:
        if (char.isalnum() and char.isascii()) or char in " .-_/,:":
            out.append(char)
        else:
            out.append(f"#{ord(char)};")
    return "".join(out)


def envelope_section(b: Builder, src: str, version: EventVersion) -> Markup:
    envelope = b.catalog.envelope
    if envelope is None or envelope.file.path in b.broken:
        return b.render("event/envelope.html.j2", envelope=None, src=src)
    examples = version.file.examples
    message = _envelope_example(
        envelope.file,
        envelope.payload_property,
        envelope.type_property,
        version,
        examples[0] if examples else {},
    )
    return b.render(
        "event/envelope.html.j2",
        envelope=envelope,
        src=src,
        message=message,
        event_type=version.event_type or "?",
    )


def _examples(b: Builder, version: EventVersion) -> list[tuple[Any, list[str]]]:
    """(example, problems lint found in it) for every example of the version's schema."""
    bad: dict[int, list[str]] = defaultdict(list)
    for finding in b.by_file.get(version.path, []):
        if finding.rule == "example-invalid":
            parts = finding.pointer.split("/")
            if len(parts) > 2 and parts[2].isdigit():
                bad[int(parts[2])].append(finding.message)
            else:
                bad[-1].append(finding.message)
    return [
        (example, bad.get(index, []) + bad.get(-1, []))
        for index, example in enumerate(version.file.examples)
    ]


def _envelope_example(
    envelope: SchemaFile,
    payload_property: str,
    type_property: str,
    version: EventVersion,
    payload: Any,
) -> dict[str, Any]:
    examples = envelope.examples
    base = dict(examples[0]) if examples and isinstance(examples[0], dict) else {}
    if not base:
        properties = (
            envelope.schema.get("properties", {}) if isinstance(envelope.schema, dict) else {}
        )
        required = envelope.schema.get("required", []) if isinstance(envelope.schema, dict) else []
        for name in required if isinstance(required, list) else []:
            sub = properties.get(name, {}) if isinstance(properties, dict) else {}
            base[name] = _placeholder(sub)
    base[type_property] = version.event_type
    if "source" in base and version.producers:
        base["source"] = version.producers[0]
    base[payload_property] = payload
    return base


def _placeholder(schema: Any) -> Any:
    if not isinstance(schema, dict):
        return None
    fmt = schema.get("format")
    if fmt == "uuid":
        return "00000000-0000-4000-8000-000000000000"
    if fmt == "date-time":
        return "2026-01-01T00:00:00Z"
    kind = schema.get("type")
    return {
        "string": "…",
        "integer": 0,
        "number": 0,
        "boolean": False,
        "object": {},
        "array": [],
    }.get(kind if isinstance(kind, str) else "")


def events_index(b: Builder) -> None:
    src = "events/index.md"
    page = b.add(Page(src, "Events"))
    versions = list(b.catalog.versions())
    page.html(
        b.render(
            "events_index.html.j2",
            events=len(b.catalog.events),
            versions=len(versions),
            listing=event_list(
                b, src, versions, base="events", slug="by-domain", title="Events by domain"
            ),
        )
    )
