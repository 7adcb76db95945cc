"""The sections of an event version page about change: the semantic changes from the previous
version and along the file's git history, metadata changes (governance notices), and the
lifecycle banner. :func:`comparison_html` renders any :class:`Comparison` (a compare view can
reuse it)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from eventcat.catalog.model import EventVersion
from eventcat.docsite.changes import Comparison
from eventcat.docsite.html import badge, esc
from eventcat.docsite.pages.text import delta
from eventcat.gate.messages import change_words, inline_counterexample
from eventcat.governance.lifecycle import draft_exempt, lifecycle_state, lifecycle_transition
from eventcat.governance.metadata import metadata_changes
from eventcat.governance.rules import GOVERNANCE_RULES, Notice
from eventcat.report.findings import Severity

if TYPE_CHECKING:
    from eventcat.docsite.build import Builder


def _previous(version: EventVersion, versions: Iterable[EventVersion]) -> EventVersion | None:
    return next((v for v in versions if v.version == version.version - 1), None)


def commit_head(commit: Any, strong: bool = False) -> Markup:
    """A commit's one-line heading: day, short sha, subject, author."""
    from eventcat.docsite.templating import render

    return render("changes/commit.html.j2", commit=commit, strong=strong)


def changes_section(
    b: Builder, src: str, version: EventVersion, versions: Iterable[EventVersion]
) -> Markup:
    previous = _previous(version, versions)
    comparison = None
    if previous is not None and previous.path not in b.broken:
        comparison = b.comparer.compare(
            (version.path, previous.path, "versions"),
            previous.schema,
            version.schema,
            b.catalog.resolver(previous.path),
            b.catalog.resolver(version.path),
            version.compatibility,
        )
        b.comparer.note(
            comparison.changes, src, f"{version.name} v{version.version} vs v{previous.version}"
        )
    return b.render(
        "changes/section.html.j2",
        src=src,
        version=version,
        previous=previous,
        between=comparison_html(b, src, comparison, new_major=True) if comparison else None,
        history=file_history(b, src, version),
    )


def file_history(b: Builder, src: str, version: EventVersion) -> Markup:
    if not b.history.available:
        return b.no_history()
    touches = b.history.files.get(version.path, [])[: b.options.history_depth + 1]
    entries: list[tuple[Markup, Markup]] = []
    current = version.file.text.encode("utf-8")
    if touches:
        committed = b.history.read(touches[0].commit.sha, version.path)
        if committed is not None and committed != current:
            old = b.revision(touches[0].commit.sha, version.path, committed)
            if old is not None:
                comparison = b.comparer.compare(
                    (version.path, touches[0].commit.sha, "work tree"),
                    old,
                    version.schema,
                    b.comparer.resolver_for(version.path, old),
                    b.catalog.resolver(version.path),
                    version.compatibility,
                )
                entries.append(
                    (
                        Markup("<strong>Uncommitted changes</strong>"),
                        comparison_html(b, src, comparison),
                    )
                )
    for index, touch in enumerate(touches[: b.options.history_depth]):
        head = commit_head(touch.commit)
        older = touches[index + 1] if index + 1 < len(touches) else None
        if touch.status == "A" or older is None:
            label = "added" if touch.status == "A" else "earliest revision shown"
            entries.append((head, Markup(" ") + badge(label, "kind")))
            continue
        comparison = b.compare_revisions(version, older.commit.sha, touch.commit.sha)
        entries.append((head, comparison_html(b, src, comparison)))
    return b.render(
        "changes/history.html.j2", entries=entries, empty="This file is not committed yet."
    )


def comparison_html(
    b: Builder, src: str, comparison: Comparison, new_major: bool = False
) -> Markup:
    rule_set = f"{comparison.mode} {comparison.policy}"
    rows = [
        {
            "rule": str(getattr(change, "type", "?")),
            "breaking": bool(getattr(change, "breaking", False)),
            "additive": bool(getattr(change, "additive", False)),
            "pointer": getattr(change, "new_pointer", "") or getattr(change, "pointer", ""),
            # the gate's words (and counterexample) for a change, from their one home
            "words": change_words(change, rule_set),
            "fix": getattr(change, "fix", ""),
            "counterexample": inline_counterexample(change),
        }
        for change in comparison.changes
    ]
    kind = {"compatible": "latest", "breaking": "deprecated"}.get(comparison.verdict, "draft")
    return b.render(
        "changes/comparison.html.j2",
        src=src,
        c=comparison,
        rows=rows,
        kind=kind,
        new_major=new_major,
    )


def lifecycle_banner(b: Builder, src: str, version: EventVersion) -> Markup:
    """A Material admonition for a draft, deprecated or retired version; nothing when active."""
    state = lifecycle_state(version, b.today)
    if not state.banner:
        return Markup("")
    text = esc(state.banner)
    title = Markup(text)
    target = b.catalog.by_event_type(state.replacement) if state.replacement else None
    if target is not None and state.replacement:
        # the replacement's eventType inside the (escaped) banner text becomes a link to its page
        head, found, tail = text.rpartition(esc(state.replacement))
        if found:
            title = Markup(head) + b.version_link(src, target, state.replacement) + Markup(tail)
    days = state.days_to_sunset
    kind = {"draft": "info", "retired": "danger"}.get(state.status, "warning")
    if state.status == "deprecated" and days is not None and days < 0:
        kind = "danger"
    notices = notices_html(b, src, list(state.notices)) if state.notices else Markup("")
    return b.render("changes/banner.html.j2", kind=kind, state=state, title=title, notices=notices)


def metadata_section(
    b: Builder, src: str, version: EventVersion, versions: Iterable[EventVersion]
) -> Markup:
    """What changed in x-eventcat (channel, producers, consumers, owner, lifecycle …): from the
    previous version file, and along this file's git history (the revisions the schema change
    list reads)."""
    previous = _previous(version, versions)
    label = f"{version.name} v{version.version}"
    notes: list[Notice] | None = None
    if previous is not None and previous.path not in b.broken:
        # eventType and lifecycle belong to each version file: they differ by design
        notes = [
            n
            for n in metadata_changes(previous.schema, version.schema, everything=True)
            if n.pointer != "/x-eventcat/eventType"
            and not n.pointer.startswith("/x-eventcat/lifecycle")
        ]
        note_meta(b, notes, src, f"{label} vs v{previous.version}")
    return b.render(
        "changes/metadata.html.j2",
        src=src,
        previous=previous if notes is not None else None,
        notices=notices_html(b, src, notes, between_versions=True) if notes else None,
        history=metadata_history(b, src, version, label),
    )


def metadata_history(b: Builder, src: str, version: EventVersion, label: str) -> Markup:
    if not b.history.available:
        return b.no_history()
    touches = b.history.files.get(version.path, [])[: b.options.history_depth + 1]
    if not touches:
        return b.render(
            "changes/history.html.j2", entries=[], empty="This file is not committed yet."
        )
    pairs: list[tuple[Markup, Any, Any]] = []
    head_schema = b.revision(touches[0].commit.sha, version.path)
    if head_schema is not None and head_schema != version.schema:
        pairs.append((Markup("<strong>Uncommitted changes</strong>"), head_schema, version.schema))
    for index, touch in enumerate(touches[: b.options.history_depth]):
        older = touches[index + 1] if index + 1 < len(touches) else None
        if touch.status != "M" or older is None:
            continue
        pairs.append(
            (
                commit_head(touch.commit),
                b.revision(older.commit.sha, version.path),
                b.revision(touch.commit.sha, version.path),
            )
        )
    entries: list[tuple[Markup, Markup]] = []
    for head, old, new in pairs:
        if old is None or new is None:
            continue
        notes = metadata_changes(old, new, everything=True) + lifecycle_transition(old, new)
        if not notes:
            continue
        note_meta(b, notes, src, label)
        exempt = (
            Markup(" ") + badge("draft then: not enforced", "draft")
            if draft_exempt(old)
            else Markup("")
        )
        entries.append((head, exempt + notices_html(b, src, notes)))
    shown = min(len(touches), b.options.history_depth)
    return b.render(
        "changes/history.html.j2",
        entries=entries,
        empty=f"No metadata change in the last {shown} commit{'' if shown == 1 else 's'} of this file.",
    )


def notices_html(
    b: Builder, src: str, notes: list[Notice], between_versions: bool = False
) -> Markup:
    """Governance notices as a list: rule (linked to its page), severity, message, who is
    affected and the fix. Between two version files a changed channel or consumer is what a
    new version is for, so there they are listed without severity or fix."""
    items = []
    for note in notes:
        known = GOVERNANCE_RULES.get(note.rule)
        severity = known.severity if known else Severity.INFO
        items.append(
            {
                "note": note,
                "delta": delta(note.old, note.new) if note.rule == "metadata-changed" else None,
                "severity": str(severity),
                "kind": {Severity.ERROR: "deprecated", Severity.WARNING: "draft"}.get(
                    severity, "kind"
                ),
                "affected": list(dict.fromkeys(note.affected)) if not between_versions else [],
                "fix": known.fix
                if known and known.fix and not between_versions and severity is not Severity.INFO
                else "",
            }
        )
    return b.render(
        "changes/notices.html.j2", src=src, items=items, between_versions=between_versions
    )


def note_meta(b: Builder, notes: list[Notice], src: str, label: str) -> None:
    for note in notes:
        places = b.meta_seen.setdefault(note.rule, [])
        if not places or places[-1] != (src, label):
            places.append((src, label))
