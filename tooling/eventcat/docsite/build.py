"""Every generated page and file of the catalog site, built from the loaded catalog.

:func:`build_site` is plain Python (the MkDocs plugin is a thin shell around it): it returns the
pages as Markdown with placeholders plus the HTML blocks that replace them after MkDocs has
converted the Markdown. Everything derived from catalog content is written as HTML here, escaped
or sanitised (see :mod:`eventcat.docsite.html`), so no catalog text is ever interpreted as Markdown
by MkDocs and none can smuggle markup into a page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventcat.catalog.model import Catalog, EventVersion, SchemaFile
from eventcat.docsite import props
from eventcat.docsite.changes import Comparer, Comparison
from eventcat.docsite.history import History, read_history
from eventcat.docsite.html import (
    Links,
    badge,
    code,
    esc,
    json_block,
    json_text,
    markdown_html,
    safe_title,
    safe_url,
)
from eventcat.governance.lifecycle import draft_exempt, lifecycle_state, lifecycle_transition
from eventcat.governance.metadata import metadata_changes
from eventcat.governance.rules import GOVERNANCE_RULES, Notice
from eventcat.report.findings import Finding, Severity

BLOCK = "ECBLOCK{}X"
COMPAT_DISAGREEMENTS = "rules/compat-disagreements.md"


@dataclass
class Options:
    catalog: Path
    package: str = "eventcat_events"
    history: bool = True
    history_commits: int = 200
    history_depth: int = 10
    directory_urls: bool = True
    site_url: str = ""
    #: hand-written pages that exist in docs/ (src paths), so links to them can be made safely
    docs_pages: frozenset[str] = frozenset()
    #: the day lifecycle banners are computed for (days to a sunset); None: the build's day
    today: dt.date | None = None


@dataclass
class Page:
    src: str
    title: str
    parts: list[str] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)

    def html(self, text: str) -> Page:
        self.parts.append(BLOCK.format(len(self.blocks)))
        self.blocks.append(text)
        return self

    def h2(self, text: str) -> Page:
        self.parts.append(f"## {text}")
        return self

    def h3(self, text: str) -> Page:
        self.parts.append(f"### {text}")
        return self

    @property
    def markdown(self) -> str:
        # JSON strings are valid YAML; the title holds no markup (safe_title).
        return f"---\ntitle: {json.dumps(self.title)}\n---\n\n" + "\n\n".join(self.parts) + "\n"


@dataclass
class Site:
    pages: dict[str, Page]
    files: dict[str, bytes]
    findings: list[Finding]
    seconds: dict[str, float]


def build_site(options: Options) -> Site:
    from eventcat.catalog.loader import read_catalog
    from eventcat.lint import lint_catalog

    timings: dict[str, float] = {}
    started = time.perf_counter()
    catalog = read_catalog(options.catalog)
    timings["load"] = time.perf_counter() - started
    started = time.perf_counter()
    findings = lint_catalog(catalog)
    timings["lint"] = time.perf_counter() - started
    started = time.perf_counter()
    history = read_history(catalog.root, options.history_commits) if options.history else History(
        reason="history is turned off (plugin option `history: false`)")
    timings["git"] = time.perf_counter() - started
    try:
        builder = Builder(catalog, findings, history, options)
        started = time.perf_counter()
        builder.build()
        timings["pages"] = time.perf_counter() - started - builder.comparer.seconds
        timings["compare"] = builder.comparer.seconds
    finally:
        history.close()
    return Site(builder.pages, builder.files, findings, timings)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class Builder:
    def __init__(self, catalog: Catalog, findings: list[Finding], history: History, options: Options) -> None:
        self.catalog = catalog
        self.findings = findings
        self.history = history
        self.options = options
        self.links = Links(options.directory_urls)
        self.pages: dict[str, Page] = {}
        self.files: dict[str, bytes] = {}
        self.comparer = Comparer(catalog)
        self.by_file: dict[str, list[Finding]] = defaultdict(list)
        for finding in findings:
            self.by_file[finding.file or ""].append(finding)
        self.broken = {f.file for f in findings if f.unreadable}
        self.fields: dict[str, dict[tuple[str, str, str], list[int]]] = defaultdict(dict)
        self.models = _model_names(catalog, options.package)
        self.today = options.today or dt.date.today()
        #: parsed file revisions read from git, (commit, path) -> schema (None: unreadable)
        self.revisions: dict[tuple[str, str], Any] = {}
        #: governance rule -> [(page src, label)] where a metadata change of that rule occurs
        self.meta_seen: dict[str, list[tuple[str, str]]] = {}

    # -- paths -----------------------------------------------------------------------------------

    @staticmethod
    def event_src(version: EventVersion) -> str:
        return f"events/{version.name}/v{version.version}.md"

    def file_src(self, path: str) -> str | None:
        """The page of a catalog file: an event version, a fragment or the envelope."""
        version = self.catalog.by_path(path)
        if version is not None:
            return self.event_src(version)
        if self.catalog.envelope is not None and path == self.catalog.envelope.file.path:
            return "envelope.md"
        if path in self.catalog.files:
            return f"fragments/{_stem(path)}.md"
        return None

    @staticmethod
    def raw_src(path: str) -> str:
        return f"schemas/{path}"

    def service_link(self, src: str, service: str) -> str:
        known = self.catalog.services.get(service)
        if known is None:
            return f'{code(service)} <span class="ec-warn">undeclared</span>'
        return self.links.a(src, f"services/{service}.md", known.name)

    def team_link(self, src: str, team: str | None) -> str:
        if not team:
            return '<span class="ec-muted">—</span>'
        known = self.catalog.teams.get(team)
        if known is None:
            return f'{code(team)} <span class="ec-warn">undeclared</span>'
        return self.links.a(src, f"teams/{team}.md", known.name)

    def domain_link(self, src: str, domain: str | None) -> str:
        if not domain:
            return '<span class="ec-muted">—</span>'
        known = self.catalog.domains.get(domain)
        if known is None:
            return code(domain)
        return self.links.a(src, f"domains/{domain}.md", known.name)

    def version_link(self, src: str, version: EventVersion, text: str | None = None) -> str:
        return self.links.a(src, self.event_src(version), text or f"{version.name} v{version.version}")

    def file_link(self, src: str, path: str, pointer: str = "") -> str:
        target = self.file_src(path)
        label = _stem(path) + (f" #{pointer}" if pointer else "")
        if target is None:
            return code(label)
        return f'→ {self.links.a(src, target, label)}'

    def rule_link(self, src: str, rule: str) -> str:
        if f"rules/{rule}.md" in self.pages or self._rule_ids().__contains__(rule):
            return self.links.a(src, f"rules/{rule}.md", rule, html_text=False)
        return code(rule)

    def _rule_ids(self) -> set[str]:
        if not hasattr(self, "_rules_cache"):
            from eventcat.rules.registry import all_rules

            self._rules_cache = {r.id: r for r in all_rules()}
        return set(self._rules_cache)

    def add(self, page: Page) -> Page:
        self.pages[page.src] = page
        return page

    # -- the whole site --------------------------------------------------------------------------

    def build(self) -> None:
        self._rule_ids()
        for event in self.catalog.events:
            for version in event.versions:
                if version.path not in self.broken:
                    self.event_page(version)
        self.events_index()
        self.fragment_pages()
        for domain in self.catalog.domains:
            self.domain_page(domain)
        self.index_page("domains/index.md", "Domains", self.domains_table)
        for service in self.catalog.services:
            self.service_page(service)
        self.index_page("services/index.md", "Services", self.services_table)
        for team in self.catalog.teams:
            self.team_page(team)
        self.index_page("teams/index.md", "Teams", self.teams_table)
        self.changelog_page()
        self.fields_page()
        self.rule_pages()
        self.home_page()
        self.machine_files()
        # issue 12: the shared graph with a map on service and domain pages and map/ (graph.py),
        # one landing page per event with the compare data (event_pages.py)
        from eventcat.docsite import event_pages, graph

        graph.add_maps(self)
        event_pages.add_event_pages(self)

    # -- event version ---------------------------------------------------------------------------

    def event_page(self, version: EventVersion) -> None:
        src = self.event_src(version)
        page = self.add(Page(src, safe_title(f"{version.name} v{version.version}")))
        event = self.catalog.event(version.name)
        latest = event.latest if event else version
        from eventcat.docsite import event_pages, explorer  # issue 12: switcher and explorer

        page.html(event_pages.switcher(self, src, version) + self.event_header(src, version, latest))
        description = version.file.description
        if description:
            page.h2("Description").html(f'<div class="ec-md">{markdown_html(description)}</div>')
        page.h2("Flow").html(self.flow_diagram(version))
        page.h2("Payload")
        resolver = self.catalog.resolver(version.path)
        rows = props.rows(version.schema, resolver, version.path)
        for path, name, signature in props.iter_leaf_types(rows):
            if not name.startswith(("*", "/")):
                self.fields[name].setdefault((version.name, path, signature), []).append(version.version)
        page.html(explorer.explorer_block(self, src, version) + explorer.with_table(
            props.render(rows, lambda path, pointer: self.file_link(src, path, pointer))))
        page.h2("Envelope").html(self.envelope_section(src, version))
        page.h2("Examples").html(self.examples_section(version))
        versions = event.versions if event else ()
        page.h2("Changes").html(self.changes_section(src, version, versions))
        page.h2("Metadata changes").html(self.metadata_section(src, version, versions))
        page.h2("Code").html(self.code_section(version))
        page.h2("Schema").html(
            f'<p><a class="md-button" href="{esc(self.links.rel(src, self.raw_src(version.path)))}" '
            f'download>Download {esc(version.path.rsplit("/", 1)[-1])}</a> '
            f'<span class="ec-muted">catalog/{esc(version.path)}</span></p>')
        problems = [f for f in self.by_file.get(version.path, []) if f.severity is not Severity.INFO]
        if problems:
            page.h2("Lint").html(self.findings_list(src, problems))

    def event_header(self, src: str, version: EventVersion, latest: EventVersion) -> str:
        out = [f'<h1>{esc(version.name)} <span class="ec-vnum">v{version.version}</span></h1>']
        badges = []
        if version is latest or version.version == latest.version:
            badges.append(badge("latest", "latest"))
        else:
            badges.append(f'<a href="{esc(self.links.rel(src, self.event_src(latest)))}">'
                          f'{badge(f"superseded by v{latest.version}", "old")}</a>')
        status = version.status
        lifecycle = version.lifecycle
        if status == "deprecated":
            sunset = lifecycle.get("sunset")
            badges.append(badge(f"deprecated · sunset {sunset}" if sunset else "deprecated", "deprecated"))
        elif status in ("draft", "retired"):
            badges.append(badge(status, status))
        if version.kind:
            badges.append(badge(version.kind, "kind"))
        criticality = version.meta.get("criticality")
        if isinstance(criticality, str):
            badges.append(badge(f"criticality {criticality}", "crit-" + criticality))
        out.append(f'<p class="ec-badges">{" ".join(badges)}</p>')
        out.append(self.lifecycle_banner(src, version))
        if version.summary:
            out.append(f'<p class="ec-summary">{markdown_html(version.summary, inline=True)}</p>')
        rows: list[tuple[str, str]] = []
        rows.append(("eventType", code(version.event_type or "—")))
        event = self.catalog.event(version.name)
        if event and len(event.versions) > 1:
            rows.append(("Versions", " ".join(
                f"<strong>v{v.version}</strong>" if v.version == version.version
                else self.version_link(src, v, f"v{v.version}") for v in event.versions)))
        rows.append(("Owner", self.team_link(src, version.owner)))
        rows.append(("Domain", self.domain_link(src, version.domain)))
        rows.append(("Producers", ", ".join(self.service_link(src, p) for p in version.producers) or "—"))
        consumers = []
        for consumer in version.consumers:
            item = self.service_link(src, consumer.service)
            if consumer.handler:
                item += f" <span class=\"ec-muted\">({esc(consumer.handler)})</span>"
            consumers.append(item)
        rows.append(("Consumers", ", ".join(consumers) or '<span class="ec-muted">none declared</span>'))
        channel = version.channel
        if channel:
            rows.append(("Channel", _channel_text(channel)))
        delivery = version.delivery
        if delivery:
            rows.append(("Delivery", _delivery_text(delivery)))
            retry = delivery.get("retry")
            if isinstance(retry, dict) and retry:
                rows.append(("Retry", _retry_text(retry)))
        dlqs = []
        if isinstance(channel.get("deadLetterQueue"), str):
            dlqs.append(code(channel["deadLetterQueue"]))
        for consumer in version.consumers:
            if consumer.dead_letter_queue:
                dlqs.append(f"{code(consumer.dead_letter_queue)} <span class=\"ec-muted\">({esc(consumer.service)})</span>")
        if dlqs:
            rows.append(("Dead-letter queue", ", ".join(dlqs)))
        for key, label in (("criticality", "Criticality"), ("frequency", "Frequency"),
                           ("category", "Category"), ("trigger", "Trigger")):
            value = version.meta.get(key)
            if isinstance(value, str):
                text = esc(value)
                if key == "frequency" and isinstance(version.meta.get("frequencyNote"), str):
                    text += f' <span class="ec-muted">({esc(version.meta["frequencyNote"])})</span>'
                rows.append((label, text))
        source = version.meta.get("dataSource")
        if isinstance(source, dict) and source:
            parts = [esc(source[k]) for k in ("database", "operation") if isinstance(source.get(k), str)]
            tables = source.get("tables")
            if isinstance(tables, list):
                parts.append("tables " + ", ".join(code(t) for t in tables if isinstance(t, str)))
            rows.append(("Data source", " · ".join(parts)))
        for key, label in (("requirements", "Requirements"), ("tags", "Tags"), ("pii", "PII fields")):
            value = version.meta.get(key)
            if isinstance(value, list) and value:
                rows.append((label, " ".join(code(v) for v in value if isinstance(v, str | int))))
        if status == "deprecated" or lifecycle.get("replacement"):
            replacement = lifecycle.get("replacement")
            target = self.catalog.by_event_type(replacement) if isinstance(replacement, str) else None
            text = self.version_link(src, target) if target else code(replacement or "—")
            if isinstance(lifecycle.get("reason"), str):
                text += f" — {esc(lifecycle['reason'])}"
            rows.append(("Replaced by", text))
        if isinstance(lifecycle.get("since"), str):
            rows.append(("Since", esc(lifecycle["since"])))
        settings = version.compatibility
        rows.append(("Compatibility", f"{code(settings.mode)} {code(settings.policy)} "
                     f"rules {code(settings.rules)} evolution {code(settings.evolution)}"))
        table = "".join(f"<tr><th>{esc(k)}</th><td>{v}</td></tr>" for k, v in rows)
        out.append(f'<div class="ec-meta"><table><tbody>{table}</tbody></table></div>')
        return "".join(out)

    def flow_diagram(self, version: EventVersion) -> str:
        lines = ["flowchart LR"]
        event_label = version.event_type or version.id
        lines.append(f'  ev(["{_mermaid(event_label)}"]):::event')
        channel = version.channel
        via = channel.get("routingKey") or channel.get("topic") or channel.get("exchange")
        edge = f'-- "{_mermaid(str(via))}" -->' if isinstance(via, str) else "-->"
        producers = version.producers or ()
        for index, producer in enumerate(producers):
            service = self.catalog.services.get(producer)
            lines.append(f'  p{index}["{_mermaid(service.name if service else producer)}"] {edge} ev')
        if not producers:
            lines.append('  p0["(no producer declared)"] --> ev')
        for index, consumer in enumerate(version.consumers):
            service = self.catalog.services.get(consumer.service)
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
        text = "\n".join(lines)
        return f'<div class="ec-flow"><pre class="mermaid"><code>{esc(text)}</code></pre></div>'

    def envelope_section(self, src: str, version: EventVersion) -> str:
        envelope = self.catalog.envelope
        if envelope is None or envelope.file.path in self.broken:
            return '<p class="ec-muted">The catalog declares no message envelope: the payload travels as is.</p>'
        intro = (f'<p>On the wire the payload travels in the {self.links.a(src, "envelope.md", "message envelope")}'
                 f" as {code(envelope.payload_property)}, with {code(envelope.type_property)} = "
                 f"{code(version.event_type or '?')}. A whole message:</p>")
        examples = version.file.examples
        message = _envelope_example(envelope.file, envelope.payload_property, envelope.type_property,
                                    version, examples[0] if examples else {})
        return intro + json_block(message, "message")

    def examples_section(self, version: EventVersion) -> str:
        examples = version.file.examples
        if not examples:
            return '<p class="ec-muted">No examples. Add an <code>examples</code> array to the schema; lint validates each one.</p>'
        bad: dict[int, list[str]] = defaultdict(list)
        for finding in self.by_file.get(version.path, []):
            if finding.rule == "example-invalid":
                parts = finding.pointer.split("/")
                if len(parts) > 2 and parts[2].isdigit():
                    bad[int(parts[2])].append(finding.message)
                else:
                    bad[-1].append(finding.message)
        out = []
        for index, example in enumerate(examples):
            problems = bad.get(index, []) + bad.get(-1, [])
            if problems:
                status = ('<p class="ec-invalid">✗ does not validate: '
                          + "; ".join(esc(p) for p in problems[:5]) + "</p>")
            else:
                status = '<p class="ec-valid">✓ validates against this schema</p>'
            out.append(status + json_block(example, f"example {index + 1}"))
        return "".join(out)

    def changes_section(self, src: str, version: EventVersion, versions: Iterable[EventVersion]) -> str:
        out = []
        previous = _previous(version, versions)
        if previous is not None and previous.path not in self.broken:
            comparison = self.comparer.compare(
                (version.path, previous.path, "versions"), previous.schema, version.schema,
                self.catalog.resolver(previous.path), self.catalog.resolver(version.path),
                version.compatibility)
            self.comparer.note(comparison.changes, src, f"{version.name} v{version.version} vs v{previous.version}")
            out.append(f"<h3>From {self.version_link(src, previous, f'v{previous.version}')}</h3>")
            out.append(self.comparison_html(src, comparison, new_major=True))
        elif version.version == 1:
            out.append('<p class="ec-muted">The first version of this event.</p>')
        out.append("<h3>Along the file's git history</h3>")
        out.append(self.file_history(src, version))
        return "".join(out)

    def file_history(self, src: str, version: EventVersion) -> str:
        if not self.history.available:
            return f'<p class="ec-muted">No history: {esc(self.history.reason)}.</p>'
        touches = self.history.files.get(version.path, [])[: self.options.history_depth + 1]
        entries = []
        current = version.file.text.encode("utf-8")
        if touches:
            committed = self.history.read(touches[0].commit.sha, version.path)
            if committed is not None and committed != current:
                old = self.revision(touches[0].commit.sha, version.path, committed)
                if old is not None:
                    comparison = self.comparer.compare(
                        (version.path, touches[0].commit.sha, "work tree"), old, version.schema,
                        self.comparer.resolver_for(version.path, old), self.catalog.resolver(version.path),
                        version.compatibility)
                    entries.append(f"<li><strong>Uncommitted changes</strong>{self.comparison_html(src, comparison)}</li>")
        for index, touch in enumerate(touches[: self.options.history_depth]):
            commit = touch.commit
            head = (f'<span class="ec-muted">{esc(commit.day)} <code>{esc(commit.short)}</code></span> '
                    f"{esc(commit.subject)} <span class=\"ec-muted\">— {esc(commit.author)}</span>")
            older = touches[index + 1] if index + 1 < len(touches) else None
            if touch.status == "A" or older is None:
                label = "added" if touch.status == "A" else "earliest revision shown"
                entries.append(f"<li>{head} {badge(label, 'kind')}</li>")
                continue
            comparison = self.compare_revisions(version, older.commit.sha, commit.sha)
            entries.append(f"<li>{head}{self.comparison_html(src, comparison)}</li>")
        if not entries:
            return '<p class="ec-muted">This file is not committed yet.</p>'
        return f'<ul class="ec-history">{"".join(entries)}</ul>'

    def compare_revisions(self, version: EventVersion, old_sha: str, new_sha: str) -> Comparison:
        key = (version.path, old_sha, new_sha)
        if key in self.comparer.cache:
            return self.comparer.cache[key]
        old, new = self.revision(old_sha, version.path), self.revision(new_sha, version.path)
        if old is None or new is None:
            result = Comparison(verdict="error", message="a revision is not valid JSON")
            self.comparer.cache[key] = result
            return result
        return self.comparer.compare(key, old, new, self.comparer.resolver_for(version.path, old),
                                     self.comparer.resolver_for(version.path, new), version.compatibility)

    def revision(self, sha: str, path: str, data: bytes | None = None) -> Any:
        """A file's parsed content at a commit, read once through the history's cat-file process."""
        key = (sha, path)
        if key not in self.revisions:
            self.revisions[key] = _parse(data if data is not None else self.history.read(sha, path))
        return self.revisions[key]

    # -- lifecycle and metadata (issue 8: eventcat.governance.lifecycle / eventcat.governance.metadata) ------

    def lifecycle_banner(self, src: str, version: EventVersion) -> str:
        """A Material admonition for a draft, deprecated or retired version; nothing when active."""
        state = lifecycle_state(version, self.today)
        text = state.banner
        if not text:
            return ""
        title = esc(text)
        target = self.catalog.by_event_type(state.replacement) if state.replacement else None
        if target is not None and state.replacement:
            head, found, tail = title.rpartition(esc(state.replacement))
            if found:
                title = head + self.version_link(src, target, state.replacement) + tail
        days = state.days_to_sunset
        kind = {"draft": "info", "retired": "danger"}.get(state.status, "warning")
        if state.status == "deprecated" and days is not None and days < 0:
            kind = "danger"
        body = f"<p>{esc(state.reason)}</p>" if state.reason else ""
        if state.notices:
            body += self.notices_html(src, list(state.notices))
        return (f'<div class="admonition {kind} ec-lifecycle ec-lifecycle-{esc(state.status)}">'
                f'<p class="admonition-title">{title}</p>{body}</div>')

    def metadata_section(self, src: str, version: EventVersion, versions: Iterable[EventVersion]) -> str:
        """What changed in x-eventcat (channel, producers, consumers, owner, lifecycle …): from the
        previous version file, and along this file's git history (the revisions the schema change
        list reads)."""
        out = []
        previous = _previous(version, versions)
        label = f"{version.name} v{version.version}"
        if previous is not None and previous.path not in self.broken:
            # eventType and lifecycle belong to each version file: they differ by design
            notes = [n for n in metadata_changes(previous.schema, version.schema, everything=True)
                     if n.pointer != "/x-eventcat/eventType"
                     and not n.pointer.startswith("/x-eventcat/lifecycle")]
            self._note_meta(notes, src, f"{label} vs v{previous.version}")
            out.append(f"<h3>From {self.version_link(src, previous, f'v{previous.version}')}</h3>")
            out.append('<p class="ec-muted">What producers and consumers moving from '
                       f"v{previous.version} change besides the payload.</p>"
                       + self.notices_html(src, notes, between_versions=True) if notes else
                       '<p class="ec-muted">Same metadata (apart from eventType and lifecycle).</p>')
        out.append("<h3>Along the file's git history</h3>")
        out.append(self.metadata_history(src, version, label))
        return "".join(out)

    def metadata_history(self, src: str, version: EventVersion, label: str) -> str:
        if not self.history.available:
            return f'<p class="ec-muted">No history: {esc(self.history.reason)}.</p>'
        touches = self.history.files.get(version.path, [])[: self.options.history_depth + 1]
        if not touches:
            return '<p class="ec-muted">This file is not committed yet.</p>'
        pairs: list[tuple[str, Any, Any]] = []
        head_schema = self.revision(touches[0].commit.sha, version.path)
        if head_schema is not None and head_schema != version.schema:
            pairs.append(("<strong>Uncommitted changes</strong>", head_schema, version.schema))
        for index, touch in enumerate(touches[: self.options.history_depth]):
            older = touches[index + 1] if index + 1 < len(touches) else None
            if touch.status != "M" or older is None:
                continue
            commit = touch.commit
            head = (f'<span class="ec-muted">{esc(commit.day)} <code>{esc(commit.short)}</code></span> '
                    f"{esc(commit.subject)} <span class=\"ec-muted\">— {esc(commit.author)}</span>")
            pairs.append((head, self.revision(older.commit.sha, version.path),
                          self.revision(commit.sha, version.path)))
        entries = []
        for head, old, new in pairs:
            if old is None or new is None:
                continue
            notes = metadata_changes(old, new, everything=True) + lifecycle_transition(old, new)
            if not notes:
                continue
            self._note_meta(notes, src, label)
            exempt = (" " + badge("draft then: not enforced", "draft")) if draft_exempt(old) else ""
            entries.append(f"<li>{head}{exempt}{self.notices_html(src, notes)}</li>")
        if not entries:
            shown = min(len(touches), self.options.history_depth)
            return (f'<p class="ec-muted">No metadata change in the last {_plural(shown, "commit")} '
                    "of this file.</p>")
        return f'<ul class="ec-history">{"".join(entries)}</ul>'

    def notices_html(self, src: str, notes: list[Notice], between_versions: bool = False) -> str:
        """Governance notices as a list: rule (linked to its page), severity, message, who is
        affected and the fix. Between two version files a changed channel or consumer is what a
        new version is for, so there they are listed without severity or fix."""
        items = []
        for note in notes:
            rule = self.rule_link(src, note.rule)
            if note.rule == "metadata-changed":
                items.append(f"<li>{rule} {esc(note.message)}: {_delta(note.old, note.new)}</li>")
                continue
            known = GOVERNANCE_RULES.get(note.rule)
            severity = known.severity if known else Severity.INFO
            head = rule
            if not between_versions:
                kind = {Severity.ERROR: "deprecated", Severity.WARNING: "draft"}.get(severity, "kind")
                head = f"{badge(str(severity), kind)} {rule}"
            text = f"<li>{head} {code(note.pointer or '/')}: {esc(note.message)}"
            if note.affected and not between_versions:
                text += '<br><span class="ec-muted">Affects:</span> ' + ", ".join(
                    self.party_link(src, name) for name in dict.fromkeys(note.affected))
            if known and known.fix and not between_versions and severity is not Severity.INFO:
                text += f'<br><span class="ec-muted">Fix: {esc(known.fix)}</span>'
            items.append(text + "</li>")
        return f'<ul class="ec-findings ec-notices">{"".join(items)}</ul>'

    def party_link(self, src: str, name: str) -> str:
        """A service or team named by a notice, linked to its page when the catalog declares it."""
        if name in self.catalog.services:
            return self.links.a(src, f"services/{name}.md", self.catalog.services[name].name)
        if name in self.catalog.teams:
            return self.links.a(src, f"teams/{name}.md", self.catalog.teams[name].name)
        return code(name)

    def _note_meta(self, notes: list[Notice], src: str, label: str) -> None:
        for note in notes:
            places = self.meta_seen.setdefault(note.rule, [])
            if not places or places[-1] != (src, label):
                places.append((src, label))

    def comparison_html(self, src: str, comparison: Comparison, new_major: bool = False) -> str:
        if not comparison.ok:
            return f'<p class="ec-muted">{esc(comparison.message)}</p>'
        if not comparison.changes:
            return '<p class="ec-muted">No schema change (only annotations or metadata).</p>'
        verdict = comparison.verdict
        kind = {"compatible": "latest", "breaking": "deprecated"}.get(verdict, "draft")
        summary = (f'<p>{badge(verdict, kind)} under {code(comparison.mode)} {code(comparison.policy)} '
                   f'rules {code(comparison.rules)}: {_plural(len(comparison.changes), "change")}, '
                   f"{comparison.breaking} breaking")
        if new_major and verdict == "breaking":
            summary += " — which is why this is a new major version"
        summary += ".</p>"
        rows = []
        for change in comparison.changes:
            breaking = bool(getattr(change, "breaking", False))
            additive = bool(getattr(change, "additive", False))
            state = badge("breaking", "deprecated") if breaking else badge("compatible", "latest")
            if additive:
                state += " " + badge("additive", "kind")
            pointer = getattr(change, "new_pointer", "") or getattr(change, "pointer", "")
            explanation = esc(getattr(change, "explanation", ""))
            fix = getattr(change, "fix", "")
            if breaking and fix:
                explanation += f'<br><span class="ec-muted">Fix: {esc(fix)}</span>'
            if getattr(change, "has_counterexample", False):
                explanation += (f'<br><span class="ec-muted">Counterexample:</span> '
                                f"{code(json.dumps(getattr(change, 'counterexample', None), ensure_ascii=False)[:300])}")
            rows.append(f"<tr><td>{self.rule_link(src, str(getattr(change, 'type', '?')))}<br>{state}"
                        f"<br>{code(pointer or '/')}</td><td>{explanation}</td></tr>")
        return (summary + '<div class="ec-table ec-changes"><table><thead><tr><th>Change and where</th>'
                "<th>What it means</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>")

    def code_section(self, version: EventVersion) -> str:
        module, name = self.models.get(version.path, ("", ""))
        package = self.options.package
        snippet = (f"from {package}.{module} import {name}\n"
                   f"from {package} import EVENT_TYPES, parse_event\n\n"
                   f"payload = {name}.model_validate(data)\n"
                   f"assert EVENT_TYPES[{json.dumps(version.event_type or '')}] is {name}\n"
                   "event = parse_event(message)  # envelope -> typed model of the right version\n")
        return (f"<p>The Pydantic v2 model generated by <code>eventcat gen python --package {esc(package)}</code>:</p>"
                f'<div class="highlight"><pre><code class="language-python">{esc(snippet)}</code></pre></div>')

    def findings_list(self, src: str, findings: list[Finding]) -> str:
        items = []
        for finding in findings:
            where = esc(finding.file or "catalog")
            if finding.line:
                where += f":{finding.line}"
            pointer = f" {code(finding.pointer)}" if finding.pointer else ""
            kind = "deprecated" if finding.severity is Severity.ERROR else "draft"
            items.append(f"<li>{badge(str(finding.severity), kind)} {self.rule_link(src, finding.rule)} "
                         f"<code>{where}</code>{pointer}: {esc(finding.message)}</li>")
        return f'<ul class="ec-findings">{"".join(items)}</ul>'

    # -- indexes ---------------------------------------------------------------------------------

    def versions_table(self, src: str, versions: Iterable[EventVersion], with_domain: bool = False) -> str:
        rows = []
        for version in versions:
            status = version.status
            state = "" if status == "active" else " " + badge(status, status)
            domain = f"<td>{self.domain_link(src, version.domain)}</td>" if with_domain else ""
            rows.append(f"<tr><td>{self.version_link(src, version)}{state}</td>{domain}"
                        f"<td>{code(version.event_type or '—')}</td>"
                        f"<td>{markdown_html(version.summary, inline=True) if version.summary else ''}</td></tr>")
        if not rows:
            return '<p class="ec-muted">None.</p>'
        head = "<th>Domain</th>" if with_domain else ""
        return (f'<div class="ec-table"><table><thead><tr><th>Event</th>{head}<th>eventType</th><th>Summary</th>'
                f"</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")

    def events_index(self) -> None:
        src = "events/index.md"
        page = self.add(Page(src, "Events"))
        page.html(f'<p>{_plural(len(self.catalog.events), "event")}, '
                  f'{_plural(sum(len(e.versions) for e in self.catalog.events), "version")}.</p>')
        by_domain: dict[str, list[Any]] = defaultdict(list)
        for event in self.catalog.events:
            by_domain[event.domain].append(event)
        for domain in sorted(by_domain):
            known = self.catalog.domains.get(domain)
            rows = []
            for event in by_domain[domain]:
                latest = event.latest
                versions = " ".join(self.version_link(src, v, f"v{v.version}") for v in event.versions)
                status = "" if latest.status == "active" else " " + badge(latest.status, latest.status)
                rows.append(f"<tr><td>{self.version_link(src, latest, event.name)}{status}</td><td>{versions}</td>"
                            f"<td>{esc(latest.kind or '')}</td>"
                            f"<td>{markdown_html(latest.summary, inline=True) if latest.summary else ''}</td></tr>")
            title = self.links.a(src, f"domains/{domain}.md", known.name) if known else esc(domain)
            page.html(f'<h2 id="{esc(domain)}">{title}</h2><div class="ec-table"><table><thead><tr><th>Event</th>'
                      f"<th>Versions</th><th>Kind</th><th>Summary</th></tr></thead><tbody>{''.join(rows)}"
                      "</tbody></table></div>")

    def index_page(self, src: str, title: str, table: Any) -> None:
        self.add(Page(src, title)).html(table(src))

    def domains_table(self, src: str) -> str:
        rows = []
        for domain in self.catalog.domains.values():
            events = [e for e in self.catalog.events if e.domain == domain.id]
            rows.append(f"<tr><td>{self.links.a(src, f'domains/{domain.id}.md', domain.name)}</td>"
                        f"<td>{self.team_link(src, domain.owner)}</td><td>{len(events)}</td>"
                        f"<td>{markdown_html(domain.description, inline=True)}</td></tr>")
        return ('<div class="ec-table"><table><thead><tr><th>Domain</th><th>Owner</th><th>Events</th>'
                f"<th>Description</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>")

    def services_table(self, src: str) -> str:
        rows = []
        for service in self.catalog.services.values():
            produced = len(self.catalog.produced_by(service.id))
            consumed = len(self.catalog.consumed_by(service.id))
            external = " " + badge("external", "kind") if service.external else ""
            rows.append(f"<tr><td>{self.links.a(src, f'services/{service.id}.md', service.name)}{external}</td>"
                        f"<td>{self.team_link(src, service.owner)}</td><td>{produced}</td><td>{consumed}</td>"
                        f"<td>{markdown_html(service.description, inline=True)}</td></tr>")
        return ('<div class="ec-table"><table><thead><tr><th>Service</th><th>Owner</th><th>Produces</th>'
                f"<th>Consumes</th><th>Description</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>")

    def teams_table(self, src: str) -> str:
        rows = []
        for team in self.catalog.teams.values():
            owned = sum(1 for v in self.catalog.versions() if v.owner == team.id)
            rows.append(f"<tr><td>{self.links.a(src, f'teams/{team.id}.md', team.name)}</td><td>{owned}</td>"
                        f"<td>{markdown_html(team.description, inline=True)}</td></tr>")
        return ('<div class="ec-table"><table><thead><tr><th>Team</th><th>Event versions owned</th>'
                f"<th>Description</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>")

    # -- domains, services, teams ----------------------------------------------------------------

    def domain_page(self, domain_id: str) -> None:
        domain = self.catalog.domains[domain_id]
        src = f"domains/{domain_id}.md"
        page = self.add(Page(src, safe_title(domain.name)))
        facts = [f"<tr><th>Id</th><td>{code(domain.id)}</td></tr>",
                 f"<tr><th>Owner</th><td>{self.team_link(src, domain.owner)}</td></tr>"]
        if domain.system:
            facts.append(f"<tr><th>System</th><td>{esc(domain.system)}</td></tr>")
        page.html(f"<h1>{esc(domain.name)}</h1>{markdown_html(domain.description)}"
                  f'<div class="ec-meta"><table><tbody>{"".join(facts)}</tbody></table></div>')
        versions = [v for v in self.catalog.versions() if v.domain == domain_id]
        page.h2("Events").html(self.versions_table(src, versions))
        services = [s for s in self.catalog.services.values() if s.domain == domain_id]
        if services:
            page.h2("Services").html(", ".join(self.service_link(src, s.id) for s in services))

    def service_page(self, service_id: str) -> None:
        service = self.catalog.services[service_id]
        src = f"services/{service_id}.md"
        page = self.add(Page(src, safe_title(service.name)))
        facts = [f"<tr><th>Id</th><td>{code(service.id)}</td></tr>",
                 f"<tr><th>Owner</th><td>{self.team_link(src, service.owner)}</td></tr>"]
        if service.domain:
            facts.append(f"<tr><th>Domain</th><td>{self.domain_link(src, service.domain)}</td></tr>")
        if service.technology:
            facts.append(f"<tr><th>Technology</th><td>{esc(service.technology)}</td></tr>")
        url = safe_url(service.repository)
        if service.repository:
            repo = (f'<a href="{esc(url)}" rel="noopener noreferrer nofollow">{esc(service.repository)}</a>'
                    if url else code(service.repository))
            facts.append(f"<tr><th>Repository</th><td>{repo}</td></tr>")
        if service.external:
            facts.append("<tr><th>External</th><td>outside the organisation</td></tr>")
        page.html(f"<h1>{esc(service.name)}</h1>{markdown_html(service.description)}"
                  f'<div class="ec-meta"><table><tbody>{"".join(facts)}</tbody></table></div>')
        rows = []
        for version in self.catalog.produced_by(service_id):
            rows.append(f"<tr><td>{self.version_link(src, version)}</td><td>{code(version.event_type or '—')}</td>"
                        f"<td>{_channel_text(version.channel) or '—'}</td></tr>")
        page.h2("Produces")
        page.html('<div class="ec-table"><table><thead><tr><th>Event</th><th>eventType</th><th>Published to</th>'
                  f"</tr></thead><tbody>{''.join(rows)}</tbody></table></div>" if rows
                  else '<p class="ec-muted">Nothing.</p>')
        rows = []
        for version in self.catalog.consumed_by(service_id):
            for consumer in version.consumers:
                if consumer.service != service_id:
                    continue
                channel = version.channel
                routing = channel.get("routingKey") or channel.get("topic")
                dlq = consumer.dead_letter_queue or channel.get("deadLetterQueue")
                fields = " ".join(code(f) for f in consumer.fields)
                rows.append(f"<tr><td>{self.version_link(src, version)}</td>"
                            f"<td>{esc(consumer.handler or '—')}"
                            f"{' (' + esc(consumer.processing) + ')' if consumer.processing else ''}</td>"
                            f"<td>{code(consumer.queue) if consumer.queue else '—'}"
                            f"{'<br>key ' + code(routing) if isinstance(routing, str) else ''}</td>"
                            f"<td>{code(dlq) if isinstance(dlq, str) else '—'}</td><td>{fields or '—'}</td></tr>")
        page.h2("Consumes")
        page.html('<div class="ec-table"><table><thead><tr><th>Event</th><th>Handler</th><th>Queue / routing</th>'
                  f"<th>Dead-letter queue</th><th>Fields read</th></tr></thead><tbody>{''.join(rows)}"
                  "</tbody></table></div>" if rows else '<p class="ec-muted">Nothing.</p>')

    def team_page(self, team_id: str) -> None:
        team = self.catalog.teams[team_id]
        src = f"teams/{team_id}.md"
        page = self.add(Page(src, safe_title(team.name)))
        facts = [f"<tr><th>Id</th><td>{code(team.id)}</td></tr>"]
        if team.email:
            mail = safe_url(f"mailto:{team.email}")
            facts.append(f"<tr><th>E-mail</th><td>{f'<a href={chr(34)}{esc(mail)}{chr(34)}>{esc(team.email)}</a>' if mail else esc(team.email)}</td></tr>")
        if team.slack:
            facts.append(f"<tr><th>Slack</th><td>{esc(team.slack)}</td></tr>")
        if team.members:
            facts.append(f"<tr><th>Members</th><td>{', '.join(esc(m) for m in team.members)}</td></tr>")
        page.html(f"<h1>{esc(team.name)}</h1>{markdown_html(team.description)}"
                  f'<div class="ec-meta"><table><tbody>{"".join(facts)}</tbody></table></div>')
        domains = [d for d in self.catalog.domains.values() if d.owner == team_id]
        if domains:
            page.h2("Domains").html(", ".join(self.domain_link(src, d.id) for d in domains))
        services = [s for s in self.catalog.services.values() if s.owner == team_id]
        if services:
            page.h2("Services").html(", ".join(self.service_link(src, s.id) for s in services))
        page.h2("Events").html(self.versions_table(
            src, [v for v in self.catalog.versions() if v.owner == team_id], with_domain=True))

    # -- fragments -------------------------------------------------------------------------------

    def fragment_pages(self) -> None:
        index = self.add(Page("fragments/index.md", "Shared schemas"))
        rows = []
        envelope = self.catalog.envelope
        files: list[SchemaFile] = list(self.catalog.fragments)
        if envelope is not None:
            files.insert(0, envelope.file)
        for file in files:
            if file.path in self.broken:
                continue
            src = self.file_src(file.path) or f"fragments/{_stem(file.path)}.md"
            users = self.catalog.users_of(file.path)
            page = self.add(Page(src, safe_title(file.title or _stem(file.path))))
            head = f"<h1>{esc(file.title or _stem(file.path))}</h1>"
            head += f'<p class="ec-badges">{badge("envelope" if src == "envelope.md" else "shared fragment", "kind")}</p>'
            head += f'<p class="ec-muted">catalog/{esc(file.path)}</p>'
            if file.description:
                head += f'<div class="ec-md">{markdown_html(file.description)}</div>'
            page.html(head)
            if src == "envelope.md" and envelope is not None:
                page.h2("How events travel").html(
                    f"<p>Every event's payload is carried in {code(envelope.payload_property)}; "
                    f"{code(envelope.type_property)} holds its eventType.</p>")
            page.h2("Properties")

            def link(path: str, pointer: str, src: str = src) -> str:
                return self.file_link(src, path, pointer)

            rows_ = props.rows(file.schema, self.catalog.resolver(file.path), file.path)
            page.html(props.render(rows_, link))
            defs = file.schema.get("$defs") if isinstance(file.schema, dict) else None
            if isinstance(defs, dict) and defs:
                page.h2("Definitions")
                for name, definition in defs.items():
                    sub = props.rows(definition, self.catalog.resolver(file.path), file.path)
                    page.html(f'<h3 id="{_anchor("defs", name)}">{esc(name)}</h3>' + props.render(sub, link))
            if src != "envelope.md":
                page.h2("Used by").html(self.versions_table(src, users, with_domain=True) if users
                                        else '<p class="ec-muted">No event uses it.</p>')
            if file.examples:
                page.h2("Examples").html("".join(json_block(e) for e in file.examples))
            page.h2("Schema").html(
                f'<p><a class="md-button" href="{esc(self.links.rel(src, self.raw_src(file.path)))}" download>'
                f'Download {esc(file.path.rsplit("/", 1)[-1])}</a></p>')
            count = "—" if src == "envelope.md" else str(len(users))
            rows.append(f"<tr><td>{self.links.a('fragments/index.md', src, file.title or _stem(file.path))}</td>"
                        f"<td>{code(file.path)}</td><td>{count}</td></tr>")
        index.html('<p>Schemas that events reference with <code>$ref</code>, and the envelope they travel in.</p>'
                   '<div class="ec-table"><table><thead><tr><th>Schema</th><th>File</th><th>Used by</th></tr>'
                   f"</thead><tbody>{''.join(rows)}</tbody></table></div>")

    # -- rules -----------------------------------------------------------------------------------

    def rule_pages(self) -> None:
        from eventcat.rules.registry import all_rules

        rules = all_rules()
        disagreements = COMPAT_DISAGREEMENTS in self.options.docs_pages
        index = self.add(Page("rules/index.md", "Rules"))
        intro = ("<p>Every rule eventcat applies. Lint rules check the catalog's files; compatibility "
                 "rules are the change types the schema-diff gate classifies (Confluent Schema Registry's "
                 "names, plus eventcat's own); governance rules are the gate's policies.")
        if disagreements:
            intro += (" Where eventcat's <em>sound</em> rules disagree with Confluent's verdicts: "
                      f"{self.links.a('rules/index.md', COMPAT_DISAGREEMENTS, 'compatibility disagreements')}.")
        index.html(intro + "</p>")
        for family, title in (("lint", "Lint rules"), ("compat", "Compatibility rules"),
                              ("governance", "Governance rules")):
            members = [r for r in rules if r.family == family]
            if not members:
                continue
            rows = "".join(f"<tr><td>{self.links.a('rules/index.md', f'rules/{r.id}.md', r.id)}</td>"
                           f"<td>{esc(r.level)}</td><td>{esc(r.summary)}</td></tr>" for r in members)
            index.h2(title).html('<div class="ec-table"><table><thead><tr><th>Rule</th><th>Level</th>'
                                 f"<th>Summary</th></tr></thead><tbody>{rows}</tbody></table></div>")
        by_id: dict[str, list[Any]] = defaultdict(list)
        for rule in rules:
            by_id[rule.id].append(rule)
        for rule_id, same in by_id.items():
            src = f"rules/{rule_id}.md"
            if src == COMPAT_DISAGREEMENTS:
                continue
            page = self.add(Page(src, safe_title(rule_id)))
            page.html(f"<h1>{esc(rule_id)}</h1>")
            for rule in same:
                if len(same) > 1:
                    page.h2(f"As a {rule.family} rule")
                page.html(f'<p class="ec-badges">{badge(rule.family + " rule", "kind")} '
                          f"{badge(rule.level, 'draft') if rule.level else ''}</p>"
                          f'<p class="ec-summary">{esc(rule.summary)}</p>'
                          f"<p><strong>Why.</strong> {esc(rule.explanation)}</p>"
                          + (f"<p><strong>Fix.</strong> {esc(rule.fix)}</p>" if rule.fix else ""))
            families = {rule.family for rule in same}
            hits = [f for f in self.findings if f.rule == rule_id] if "lint" in families else []
            if hits:
                page.h2("In this catalog").html(self.findings_list(src, hits[:50]))
            places = self.comparer.seen.get(rule_id, []) if "compat" in families else []
            if "governance" in families:
                places = places + self.meta_seen.get(rule_id, [])
            if places:
                items = "".join(f"<li>{self.links.a(src, place, label)}</li>" for place, label in places[:50])
                page.h2("In this catalog").html(f"<ul>{items}</ul>")
            if "compat" in families and disagreements:
                page.h2("See also").html(
                    f"<p>{self.links.a(src, COMPAT_DISAGREEMENTS, 'Where sound and Confluent rules disagree')}</p>")
            page.html(f"<p>{self.links.a(src, 'rules/index.md', '← All rules')}</p>")

    # -- field index -----------------------------------------------------------------------------

    def fields_page(self) -> None:
        src = "fields.md"
        page = self.add(Page(src, "Field index"))
        conflicts = {name for name, uses in self.fields.items() if len({sig for _, _, sig in uses}) > 1}
        page.html("<p>Every payload property of every event version, by name: where it is used and with "
                  f"which type. {_plural(len(self.fields), 'property name')}; "
                  f"{_plural(len(conflicts), 'name')} used with different types "
                  '<span class="ec-conflict">highlighted</span>.</p>')
        if conflicts:
            links = " ".join(f'<a href="#{_anchor("f", name)}"><code>{esc(name)}</code></a>' for name in sorted(conflicts))
            page.h2("Type conflicts").html(f"<p>{links}</p>")
        page.h2("All fields")
        rows = []
        for name in sorted(self.fields, key=str.lower):
            uses = self.fields[name]
            signatures = sorted({sig for _, _, sig in uses})
            conflict = name in conflicts
            by_signature: dict[str, list[str]] = defaultdict(list)
            for (event_name, path, sig), versions in sorted(uses.items()):
                event = self.catalog.event(event_name)
                target = None
                if event is not None:
                    target = event.version(max(versions))
                numbers = ", ".join(f"v{n}" for n in sorted(set(versions)))
                label = f"{event_name} {numbers}"
                if path != name:
                    label += f" ({path})"
                by_signature[sig].append(self.version_link(src, target, label) if target else esc(label))
            cells = "".join(f"<div><code>{esc(sig)}</code>: {', '.join(by_signature[sig])}</div>" for sig in signatures)
            cls = ' class="ec-conflict"' if conflict else ""
            rows.append(f'<tr{cls} id="{_anchor("f", name)}"><td><code>{esc(name)}</code></td><td>{cells}</td></tr>')
        page.html('<div class="ec-table ec-fields"><table><thead><tr><th>Field</th><th>Types and events</th>'
                  f"</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")

    # -- changelog -------------------------------------------------------------------------------

    def changelog_entries(self, src: str, limit: int, max_files: int = 1000) -> list[str]:
        entries = []
        for commit in self.history.commits[:limit]:
            touches = self.history.changes.get(commit.sha, [])
            items = [self.touch_html(src, touch) for touch in touches[:max_files]]
            if len(touches) > max_files:
                more = len(touches) - max_files
                items.append(f'<li class="ec-muted">… and {_plural(more, "more file")}</li>')
            head = (f'<span class="ec-muted">{esc(commit.day)} <code>{esc(commit.short)}</code></span> '
                    f"<strong>{esc(commit.subject)}</strong> <span class=\"ec-muted\">— {esc(commit.author)}</span>")
            entries.append(f"<li>{head}<ul>{''.join(items)}</ul></li>")
        return entries

    def touch_html(self, src: str, touch: Any) -> str:
        path = touch.path
        version = self.catalog.by_path(path)
        target = self.file_src(path)
        label = esc(path) if target is None or touch.status == "D" else self.links.a(src, target, path)
        if touch.status == "A":
            return f"<li>{badge('added', 'latest')} {label}</li>"
        if touch.status == "D":
            return f"<li>{badge('removed', 'deprecated')} {label}</li>"
        summary = ""
        if version is not None:
            touches = self.history.files.get(path, [])
            position = next((i for i, t in enumerate(touches) if t.commit.sha == touch.commit.sha), None)
            if position is not None and position + 1 < len(touches) and position < self.options.history_depth:
                comparison = self.compare_revisions(version, touches[position + 1].commit.sha, touch.commit.sha)
                if comparison.ok:
                    summary = (f": {_plural(len(comparison.changes), 'schema change')}, "
                               f"{comparison.breaking} breaking" if comparison.changes else ": annotations only")
        return f"<li>{badge('changed', 'kind')} {label}{summary}</li>"

    def changelog_page(self) -> None:
        src = "changelog.md"
        page = self.add(Page(src, "Changelog"))
        if not self.history.available or not self.history.commits:
            page.html(f'<p class="ec-muted">No history: {esc(self.history.reason)}.</p>')
            return
        page.html(f"<p>The last {_plural(len(self.history.commits[:100]), 'commit')} that changed the catalog, "
                  "newest first, with the semantic changes of each schema file.</p>"
                  f'<ul class="ec-changelog">{"".join(self.changelog_entries(src, 100))}</ul>')

    # -- home ------------------------------------------------------------------------------------

    def home_page(self) -> None:
        src = "index.md"
        catalog = self.catalog
        page = self.add(Page(src, safe_title(catalog.name or "Event catalog")))
        versions = list(catalog.versions())
        stats = [("domains/index.md", len(catalog.domains), "domain"),
                 ("events/index.md", len(catalog.events), "event"),
                 ("events/index.md", len(versions), "version"),
                 ("services/index.md", len(catalog.services), "service"),
                 ("teams/index.md", len(catalog.teams), "team"),
                 ("fragments/index.md", len(catalog.fragments), "shared schema")]
        cards = "".join(f'<a class="ec-stat" href="{esc(self.links.rel(src, target))}"><strong>{count}</strong>'
                        f"<span>{esc(word if count == 1 else word + 's')}</span></a>"
                        for target, count, word in stats)
        errors = [f for f in self.findings if f.severity is Severity.ERROR]
        warnings = [f for f in self.findings if f.severity is Severity.WARNING]
        health = (badge(f"{_plural(len(errors), 'lint error')}", "deprecated") if errors
                  else badge("lint clean", "latest"))
        if warnings:
            health += " " + badge(_plural(len(warnings), "warning"), "draft")
        page.html(f"<h1>{esc(catalog.name or 'Event catalog')}</h1>"
                  f'<div class="ec-md">{markdown_html(catalog.description)}</div>'
                  f'<div class="ec-stats">{cards}</div><p>{health}</p>')
        page.h2("Domains")
        tiles = []
        for domain in catalog.domains.values():
            events = [e for e in catalog.events if e.domain == domain.id]
            tiles.append(f'<div class="ec-tile"><h3>{self.links.a(src, f"domains/{domain.id}.md", domain.name)}</h3>'
                         f'<p class="ec-muted">{_plural(len(events), "event")} · '
                         f"{esc(catalog.teams[domain.owner].name) if domain.owner and domain.owner in catalog.teams else ''}</p>"
                         f"<p>{' '.join(self.version_link(src, e.latest, e.name) for e in events[:6])}"
                         f"{' …' if len(events) > 6 else ''}</p></div>")
        page.html(f'<div class="ec-tiles">{"".join(tiles)}</div>')
        page.h2("Latest changes")
        if self.history.available and self.history.commits:
            page.html(f'<ul class="ec-changelog">{"".join(self.changelog_entries(src, 5, max_files=4))}</ul>'
                      f"<p>{self.links.a(src, 'changelog.md', 'The whole changelog →')}</p>")
        else:
            page.html(f'<p class="ec-muted">No history: {esc(self.history.reason)}.</p>')
        attention = [v for v in versions if v.status in ("deprecated", "draft", "retired")]
        if attention:
            page.h2("Deprecated and draft versions").html(self.versions_table(src, attention, with_domain=True))
        if errors or warnings:
            page.h2("Lint findings").html(self.findings_list(src, (errors + warnings)[:100]))
        page.h2("Machine-readable").html(
            f'<p>{self.links.a(src, "catalog.json", "catalog.json")} (every event, version, producer and '
            f'consumer), {self.links.a(src, "llms.txt", "llms.txt")} (an index for language models), the '
            f'{self.links.a(src, "fields.md", "field index")} and the {self.links.a(src, "rules/index.md", "rules")}.</p>')

    # -- catalog.json, llms.txt, raw schemas ------------------------------------------------------

    def machine_files(self) -> None:
        catalog = self.catalog
        events = []
        for event in catalog.events:
            versions = []
            for version in event.versions:
                module, name = self.models.get(version.path, ("", ""))
                versions.append({
                    "version": version.version, "eventType": version.event_type, "kind": version.kind,
                    "status": version.status, "owner": version.owner, "summary": version.summary,
                    "producers": list(version.producers),
                    "consumers": [{"service": c.service, "handler": c.handler, "queue": c.queue,
                                   "deadLetterQueue": c.dead_letter_queue, "fields": list(c.fields)}
                                  for c in version.consumers],
                    "channel": dict(version.channel), "schema": self.raw_src(version.path),
                    "page": self.links.url(self.event_src(version)),
                    "model": f"{self.options.package}.{module}.{name}" if module else None,
                })
            events.append({"name": event.name, "domain": event.domain, "versions": versions})
        index = {
            "name": catalog.name, "description": catalog.description,
            "generator": "eventcat",
            "domains": [{"id": d.id, "name": d.name, "owner": d.owner} for d in catalog.domains.values()],
            "teams": [{"id": t.id, "name": t.name} for t in catalog.teams.values()],
            "services": [{"id": s.id, "name": s.name, "owner": s.owner, "domain": s.domain}
                         for s in catalog.services.values()],
            "envelope": self.raw_src(catalog.envelope.file.path) if catalog.envelope else None,
            "fragments": [self.raw_src(f.path) for f in catalog.fragments],
            "events": events,
        }
        self.files["catalog.json"] = (json.dumps(index, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
        base = self.options.site_url.rstrip("/") + "/" if self.options.site_url else ""
        lines = [f"# {_one_line(catalog.name or 'Event catalog')}", ""]
        if catalog.description:
            lines += [f"> {_one_line(catalog.description)}", ""]
        lines += ["An event catalog: one JSON Schema per event and major version, with producers, consumers, "
                  "channels and delivery guarantees. Each event page shows the payload's properties, examples, "
                  "the envelope and the semantic changes between versions.", "",
                  "## Events", ""]
        for version in catalog.versions():
            summary = f": {_one_line(version.summary)}" if version.summary else ""
            lines.append(f"- [{version.name} v{version.version}]({base}{self.links.url(self.event_src(version))})"
                         f"{summary} (eventType `{_one_line(version.event_type or '?')}`, schema: "
                         f"{base}{self.raw_src(version.path)})")
        lines += ["", "## Reference", "",
                  f"- [catalog.json]({base}catalog.json): machine-readable index of every event version",
                  f"- [Field index]({base}{self.links.url('fields.md')}): every payload property and its types",
                  f"- [Rules]({base}{self.links.url('rules/index.md')}): lint and compatibility rules", ""]
        self.files["llms.txt"] = "\n".join(lines).encode("utf-8")
        for path, file in catalog.files.items():
            self.files[self.raw_src(path)] = file.text.encode("utf-8")


# -- helpers --------------------------------------------------------------------------------------


def _stem(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name[: -len(".schema.json")] if name.endswith(".schema.json") else name


def _anchor(prefix: str, name: str) -> str:
    """An HTML id for any text: the text itself when plain, else a slug plus a short hash."""
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-")
    if slug == name:
        return f"{prefix}-{slug}"
    return f"{prefix}-{slug[:40]}-{hashlib.sha1(name.encode()).hexdigest()[:8]}"


def _one_line(text: str) -> str:
    return " ".join(str(text).split())[:500]


def _previous(version: EventVersion, versions: Iterable[EventVersion]) -> EventVersion | None:
    """The version file numbered one below ``version``, if the event has it."""
    return next((v for v in versions if v.version == version.version - 1), None)


def _delta(old: Any, new: Any) -> str:
    """A changed metadata value, short: list items added and removed (consumers by service),
    else the two values."""
    if isinstance(old, list) and isinstance(new, list):
        def keyed(items: list[Any]) -> dict[str, Any]:
            return {(item["service"] if isinstance(item, dict) and isinstance(item.get("service"), str)
                     else json.dumps(item, sort_keys=True, ensure_ascii=False)): item for item in items}

        before, after = keyed(old), keyed(new)
        parts = [f"+{code(_short(k))}" for k in after if k not in before]
        parts += [f"−{code(_short(k))}" for k in before if k not in after]
        changed = [k for k in after if k in before and after[k] != before[k]]
        if changed:
            parts.append("changed " + ", ".join(code(_short(k)) for k in changed))
        if parts:
            return " ".join(parts)
    return f"{_value(old)} → {_value(new)}"


def _short(text: str) -> str:
    return text if len(text) <= 80 else text[:79] + "…"


def _value(value: Any) -> str:
    """A metadata value, short: ``—`` when absent, else its JSON (cut at 80 characters)."""
    if value is None:
        return '<span class="ec-muted">—</span>'
    return code(_short(json.dumps(value, ensure_ascii=False)))


def _parse(data: bytes | None) -> Any:
    if data is None:
        return None
    try:
        return json.loads(data)
    except ValueError:
        return None


def _mermaid(text: str) -> str:
    """Label text for a quoted Mermaid label: anything but plain characters as ``#NN;`` codes."""
    out = []
    for char in text[:80]:
        if (char.isalnum() and char.isascii()) or char in " .-_/,:":
            out.append(char)
        else:
            out.append(f"#{ord(char)};")
    return "".join(out)


def _channel_text(channel: Any) -> str:
    if not channel:
        return ""
    parts = []
    if isinstance(channel.get("broker"), str):
        parts.append(esc(channel["broker"]))
    if isinstance(channel.get("exchange"), str):
        kind = f" ({esc(channel['exchangeType'])})" if isinstance(channel.get("exchangeType"), str) else ""
        parts.append(f"exchange {code(channel['exchange'])}{kind}")
    if isinstance(channel.get("topic"), str):
        parts.append(f"topic {code(channel['topic'])}")
    if isinstance(channel.get("routingKey"), str):
        parts.append(f"routing key {code(channel['routingKey'])}")
    queues = channel.get("queues")
    if isinstance(queues, list) and queues:
        parts.append("queues " + ", ".join(code(q) for q in queues if isinstance(q, str)))
    if isinstance(channel.get("partitionKey"), str):
        parts.append(f"partition key {code(channel['partitionKey'])}")
    return " · ".join(parts)


def _delivery_text(delivery: Any) -> str:
    parts = []
    if isinstance(delivery.get("guarantee"), str):
        parts.append(esc(delivery["guarantee"]))
    if isinstance(delivery.get("ordering"), str):
        parts.append(f"ordering {esc(delivery['ordering'])}")
    if isinstance(delivery.get("idempotencyKey"), str):
        parts.append(f"idempotency key {code(delivery['idempotencyKey'])}")
    if isinstance(delivery.get("timeoutMs"), int):
        parts.append(f"timeout {_duration(delivery['timeoutMs'])}")
    return " · ".join(parts) or "—"


def _retry_text(retry: Any) -> str:
    parts = []
    if isinstance(retry.get("backoff"), str):
        parts.append(f"{esc(retry['backoff'])} backoff")
    if isinstance(retry.get("maxAttempts"), int):
        parts.append(f"{retry['maxAttempts']} attempts")
    low, high = retry.get("initialDelayMs"), retry.get("maxDelayMs")
    if isinstance(low, int) and isinstance(high, int):
        parts.append(f"{_duration(low)} → {_duration(high)}")
    text = ", ".join(parts)
    if isinstance(retry.get("strategy"), str):
        text += f'{"<br>" if text else ""}<span class="ec-muted">{esc(retry["strategy"])}</span>'
    return text or "—"


def _duration(ms: int) -> str:
    if ms >= 60000 and ms % 60000 == 0:
        return f"{ms // 60000} min"
    if ms >= 1000 and ms % 1000 == 0:
        return f"{ms // 1000} s"
    return f"{ms} ms"


def _model_names(catalog: Catalog, package: str) -> dict[str, tuple[str, str]]:
    """Catalog path -> (module inside the package, class name), as ``eventcat gen python`` names them."""
    try:
        from eventcat.gen.prepare import module_specs

        return {spec.source: (spec.module, spec.class_name) for spec in module_specs(catalog)}
    except Exception:  # the generator is optional here; fall back to its documented naming
        pass
    try:
        from eventcat.gen.naming import class_name, domain_module, snake
    except ImportError:
        return {}
    return {v.path: (f"{domain_module(v.domain)}.{snake(v.name)}_v{v.version}", class_name(v.name, v.version))
            for v in catalog.versions()}


def _envelope_example(envelope: SchemaFile, payload_property: str, type_property: str,
                      version: EventVersion, payload: Any) -> dict[str, Any]:
    examples = envelope.examples
    base = dict(examples[0]) if examples and isinstance(examples[0], dict) else {}
    if not base:
        properties = envelope.schema.get("properties", {}) if isinstance(envelope.schema, dict) else {}
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
    return {"string": "…", "integer": 0, "number": 0, "boolean": False, "object": {}, "array": []}.get(kind if isinstance(kind, str) else "")


__all__ = ["Options", "Page", "Site", "build_site", "json_text"]
