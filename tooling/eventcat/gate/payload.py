"""The payload check: the compatibility engine's verdict on each changed event version (and,
under a transitive mode, against every earlier revision), as findings a person can act on."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from eventcat.gate.context import FilePair, GateContext
from eventcat.gate.findings import locate_change, rule_finding
from eventcat.gate.fragments import locate
from eventcat.gate.grouping import signature
from eventcat.gate.messages import (
    Audience,
    describe_change,
    field_of,
)
from eventcat.gate.renames import Rename, find_renames
from eventcat.gate.through import Where, judge_through_sites
from eventcat.governance.lifecycle import draft_exempt
from eventcat.jsonpointer import join_pointer as pointer_of
from eventcat.jsonpointer import node_at
from eventcat.report.findings import Finding, Severity

__all__ = ["check_payload", "check_transitive"]


def _lookup(ctx: GateContext, pair: FilePair, side: str) -> Any:
    """A subschema of the pair's old or new content by engine pointer, across its ``$ref``s."""
    catalog, start = (ctx.old, pair.old_file) if side == "old" else (ctx.new, pair.new_file)

    def lookup(pointer: str) -> tuple[bool, Any]:
        if start is None:
            return False, None
        found = locate(catalog.files, start.path, pointer, sorted(catalog.dependencies(start.path)))
        if found is None:
            return False, None
        return node_at(catalog.files[found[0]].schema, found[1])

    return lookup


def _reportable(change: Any, additive: bool) -> bool:
    return bool(getattr(change, "breaking", False)) or (
        additive and not bool(getattr(change, "additive", True))
    )


def _change_findings(
    ctx: GateContext,
    pair: FilePair,
    report: Any,
    *,
    settings_mode: str,
    policy: str,
    additive: bool,
    against: str,
    seen: set[tuple[str, str]],
    check_additive: bool = True,
) -> Iterator[Finding]:
    changes = list(getattr(report, "changes", ()))
    forbid = additive and check_additive
    # A removal and an addition of the same shape in one object: one rename, not two findings.
    renames = (
        find_renames(changes, _lookup(ctx, pair, "old"), _lookup(ctx, pair, "new"))
        if changes
        else []
    )
    explained = {id(c) for rename in renames for c in rename.members}
    rule_set = f"{settings_mode} {policy}{against}"
    for rename in renames:
        if any(_reportable(c, forbid) for c in rename.members):
            key = ("property-renamed", f"{rename.object_pointer}:{rename.old_name}")
            if key not in seen:
                seen.add(key)
                yield _rename_finding(ctx, pair, rename, rule_set, settings_mode, policy)
    for change in changes:
        if id(change) in explained or not _reportable(change, forbid):
            continue
        new_pointer = getattr(change, "new_pointer", None)
        old_pointer = getattr(change, "old_pointer", None)
        pointer = getattr(change, "pointer", None) or new_pointer or old_pointer or ""
        key = (change.type, pointer)
        if key in seen:
            continue
        seen.add(key)
        yield _finding(
            ctx, pair, change, rule_set=rule_set, settings_mode=settings_mode, policy=policy
        )


def _finding(
    ctx: GateContext,
    pair: FilePair,
    change: Any,
    *,
    rule_set: str,
    settings_mode: str,
    policy: str,
    rule: str | None = None,
    summary: str | None = None,
    members: tuple[Any, ...] = (),
    fields: tuple[str | None, ...] = (),
    fix: str | None = None,
) -> Finding:
    """One finding for ``change`` (for a rename: its addition, with the rename's ``summary``,
    ``members`` and ``fields``)."""
    version = pair.new or pair.old
    group = members or (change,)
    new_pointer = getattr(change, "new_pointer", None)
    old_pointer = getattr(change, "old_pointer", None)
    pointer = getattr(change, "pointer", None) or new_pointer or old_pointer or ""
    where: Where | None = getattr(change, "where", None)
    if where is None:
        where = Where(*locate_change(ctx, pair, new_pointer or pointer, old_pointer))
    paths = list(fields) or [
        field_of(p) for p in {pointer, new_pointer, old_pointer} if p is not None
    ]
    audience = Audience.of(version, paths)
    through = ""
    if where.file != pair.path:
        through = f"In {where.file}, which {pair.label} ({pair.path}) uses."
    fix_text = (
        fix or f"publish `{pair.next_file}` with this change and leave `{pair.label}` as it was"
    )
    if where.file != pair.path and fix is None:
        fix_text += f" (and point the new version at a new file instead of changing {where.file})"
    rule_id = rule or str(change.type)
    said = describe_change(
        change,
        audience=audience,
        rule_set=rule_set,
        fix=fix_text,
        field=field_of(pointer),
        through=through,
        rule=rule,
        summary=summary,
        members=members,
    )
    text = said.text
    details: list[tuple[str, Any]] = [
        ("event", pair.name),
        ("version", pair.version),
        ("change", change.type),
        ("change_pointer", pointer),
        ("old_pointer", old_pointer),
        ("new_pointer", new_pointer),
        ("breaking", said.breaking),
        ("additive", all(bool(getattr(c, "additive", True)) for c in group)),
        ("mode", settings_mode),
        ("policy", policy),
        ("consumers", audience.services),
        ("basis", said.basis),
        ("side", where.side),
        ("verdict", text.lead),
        ("what", text.what),
        ("explanation", str(getattr(change, "explanation", "") or "")),
        ("whom", audience.whom()),
        ("rule_page", f"rules/{rule_id}/"),
        (
            "signature",
            signature(
                ctx.old, ctx.new, where.file, where.pointer, ctx.cache.setdefault("signatures", {})
            ),
        ),
        ("fix", f"publish {pair.next_file}"),
    ]
    if members:
        details.append(("changes", [str(c.type) for c in members]))
    if said.basis == "unknown":
        details.append(
            (
                "reason",
                next(
                    (
                        str(getattr(c, "reason", ""))
                        for c in group
                        if getattr(c, "basis", "") == "unknown"
                    ),
                    "",
                ),
            )
        )
    if said.counterexample is not None or text.counterexample:
        details += [
            ("counterexample", said.counterexample),
            ("counterexample_shown", said.shown),
            ("counterexample_text", text.counterexample),
            ("direction", said.direction),
        ]
        if said.fragment:
            details.append(("counterexample_of", said.fragment))
    if where.file != pair.path:
        details += [("via", list(pair.via)), ("event_file", pair.path)]
    return Finding(
        file=where.file,
        line=where.line,
        pointer=where.pointer,
        rule=rule_id,
        severity=Severity.ERROR,
        message=text.message,
        details=tuple(details),
    )


def _rename_finding(
    ctx: GateContext, pair: FilePair, rename: Rename, rule_set: str, settings_mode: str, policy: str
) -> Finding:
    added = next(
        (
            c
            for c in rename.members
            if "ADDED" in c.type and getattr(c, "direction", "backward") == "backward"
        ),
        rename.members[0],
    )
    fields = tuple(
        field_of(rename.object_pointer + pointer_of(["properties", n]))
        for n in (rename.old_name, rename.new_name)
    )
    summary = (
        f"looks like `{rename.old_name}` → `{rename.new_name}` (a property removed and one "
        "with the same schema added in the same object)"
    )
    fix = (
        f"keep both in `{pair.label}` (`{rename.old_name}` beside `{rename.new_name}`, the old "
        f"one deprecated), or publish the rename as `{pair.next_file}`"
    )
    return _finding(
        ctx,
        pair,
        added,
        rule_set=rule_set,
        settings_mode=settings_mode,
        policy=policy,
        rule="property-renamed",
        summary=summary,
        members=rename.members,
        fields=fields,
        fix=fix,
    )


def check_payload(ctx: GateContext, pair: FilePair) -> Iterator[Finding]:
    """An in-place change (or one through a fragment) must be compatible and additive."""
    if pair.status not in ("modified", "moved", "affected") or pair.kind == "fragment":
        return
    if pair.old_file is None or pair.new_file is None or draft_exempt(pair.old):
        return
    settings = ctx.settings(pair)
    additive = settings.evolution == "additive"
    base_mode = settings.mode.removesuffix("_TRANSITIVE")
    mode_for_engine = "BACKWARD" if base_mode == "NONE" else base_mode
    report: Any = judge_through_sites(
        ctx, pair, mode=mode_for_engine, policy=settings.policy, rules=settings.rules
    )
    if report is None:
        report = ctx.compare(
            pair.old_file,
            ctx.old,
            pair.new_file,
            ctx.new,
            mode=mode_for_engine,
            policy=settings.policy,
            rules=settings.rules,
        )
    seen: set[tuple[str, str]] = set()
    if base_mode == "NONE":
        # No compatibility requirement; the additive rule alone still applies.
        changes = (
            [c for c in getattr(report, "changes", ()) if not getattr(c, "additive", True)]
            if additive
            else []
        )
        yield from _change_findings(
            ctx,
            pair,
            _Only(changes),
            settings_mode="NONE",
            policy=settings.policy,
            additive=True,
            against="",
            seen=seen,
        )
        return
    found = list(
        _change_findings(
            ctx,
            pair,
            report,
            settings_mode=base_mode,
            policy=settings.policy,
            additive=additive,
            against="",
            seen=seen,
        )
    )
    yield from found
    verdict = getattr(report, "verdict", "compatible")
    # An undecided change already reported with its "unknown" basis needs no second finding.
    said = any(dict(f.details).get("basis") == "unknown" for f in found)
    if (
        verdict == "unknown"
        and not said
        and not any(getattr(c, "breaking", False) for c in report.changes)
    ):
        unknown = [c for c in report.changes if getattr(c, "breaking", None) is None] or list(
            report.changes
        )
        first = unknown[0] if unknown else None
        where = getattr(first, "where", None) or Where(
            *locate_change(
                ctx,
                pair,
                getattr(first, "new_pointer", None) or getattr(first, "pointer", ""),
                getattr(first, "old_pointer", None),
            )
        )
        yield rule_finding(
            "compat-unknown",
            pair,
            f"the engine cannot prove this change compatible ({', '.join(sorted({c.type for c in unknown})) or 'unmodelled keyword'}); "
            f"publish `{pair.next_file}` or check it by hand and waive it",
            file=where.file,
            pointer=where.pointer,
            line=where.line,
            details=(("side", where.side),),
        )


class _Only:
    def __init__(self, changes: list[Any]) -> None:
        self.changes = changes
        self.verdict = "compatible"


def check_transitive(ctx: GateContext, pair: FilePair) -> Iterator[Finding]:
    """Under a *_TRANSITIVE mode, the new content must also be compatible with every earlier
    committed revision of the file."""
    if pair.status not in ("modified", "moved", "affected") or pair.kind == "fragment":
        return
    settings = ctx.settings(pair)
    if not settings.mode.endswith("_TRANSITIVE") or pair.old_file is None or pair.new_file is None:
        return
    if draft_exempt(pair.old):
        return
    base_mode = settings.mode.removesuffix("_TRANSITIVE")
    seen: set[tuple[str, str]] = set()
    # What the baseline comparison already reported is not repeated.
    baseline = ctx.compare(
        pair.old_file,
        ctx.old,
        pair.new_file,
        ctx.new,
        mode=base_mode,
        policy=settings.policy,
        rules=settings.rules,
    )
    for change in getattr(baseline, "changes", ()):
        seen.add(
            (
                change.type,
                getattr(change, "pointer", None)
                or getattr(change, "new_pointer", None)
                or getattr(change, "old_pointer", None)
                or "",
            )
        )
    for revision in ctx.history(pair.old_file.path):
        report = ctx.compare(
            revision.file,
            revision.catalog,
            pair.new_file,
            ctx.new,
            mode=base_mode,
            policy=settings.policy,
            rules=settings.rules,
        )
        yield from _change_findings(
            ctx,
            pair,
            report,
            settings_mode=settings.mode,
            policy=settings.policy,
            additive=False,
            against=f", against the revision of {revision.date} ({revision.commit[:10]})",
            seen=seen,
            check_additive=False,
        )
