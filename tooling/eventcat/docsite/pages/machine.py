"""The machine-readable files: ``catalog.json``, ``llms.txt`` and the raw schemas."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from eventcat.docsite.page import one_line

if TYPE_CHECKING:
    from eventcat.docsite.build import Builder


def machine_files(b: Builder) -> None:
    catalog = b.catalog
    events = []
    for event in catalog.events:
        versions: list[dict[str, Any]] = []
        for version in event.versions:
            module, name = b.models.get(version.path, ("", ""))
            versions.append(
                {
                    "version": version.version,
                    "eventType": version.event_type,
                    "kind": version.kind,
                    "status": version.status,
                    "owner": version.owner,
                    "summary": version.summary,
                    "producers": list(version.producers),
                    "consumers": [
                        {
                            "service": c.service,
                            "handler": c.handler,
                            "queue": c.queue,
                            "deadLetterQueue": c.dead_letter_queue,
                            "fields": list(c.fields),
                        }
                        for c in version.consumers
                    ],
                    "channel": dict(version.channel),
                    "schema": b.raw_src(version.path),
                    "page": b.links.url(b.event_src(version)),
                    "model": f"{b.options.package}.{module}.{name}" if module else None,
                }
            )
        events.append({"name": event.name, "domain": event.domain, "versions": versions})
    index = {
        "name": catalog.name,
        "description": catalog.description,
        "generator": "eventcat",
        "domains": [
            {"id": d.id, "name": d.name, "owner": d.owner} for d in catalog.domains.values()
        ],
        "teams": [{"id": t.id, "name": t.name} for t in catalog.teams.values()],
        "services": [
            {"id": s.id, "name": s.name, "owner": s.owner, "domain": s.domain}
            for s in catalog.services.values()
        ],
        "envelope": b.raw_src(catalog.envelope.file.path) if catalog.envelope else None,
        "fragments": [b.raw_src(f.path) for f in catalog.fragments],
        "events": events,
    }
    b.files["catalog.json"] = (json.dumps(index, indent=1, ensure_ascii=False) + "\n").encode(
        "utf-8"
    )
    base = b.options.site_url.rstrip("/") + "/" if b.options.site_url else ""
    lines = [f"# {one_line(catalog.name or 'Event catalog')}", ""]
    if catalog.description:
        lines += [f"> {one_line(catalog.description)}", ""]
    lines += [
        "An event catalog: one JSON Schema per event and major version, with producers, consumers, "
        "channels and delivery guarantees. Each event page shows the payload's properties, examples, "
        "the envelope and the semantic changes between versions.",
        "",
        "## Events",
        "",
    ]
    for version in catalog.versions():
        summary = f": {one_line(version.summary)}" if version.summary else ""
        lines.append(
            f"- [{version.name} v{version.version}]({base}{b.links.url(b.event_src(version))})"
            f"{summary} (eventType `{one_line(version.event_type or '?')}`, schema: "
            f"{base}{b.raw_src(version.path)})"
        )
    lines += [
        "",
        "## Reference",
        "",
        f"- [catalog.json]({base}catalog.json): machine-readable index of every event version",
        f"- [Field index]({base}{b.links.url('fields.md')}): every payload property and its types",
        f"- [Rules]({base}{b.links.url('rules/index.md')}): lint and compatibility rules",
        "",
    ]
    b.files["llms.txt"] = "\n".join(lines).encode("utf-8")
    for path, file in catalog.files.items():
        b.files[b.raw_src(path)] = file.text.encode("utf-8")
