"""The default per-file policy of the gate (contract §3, issue 4).

Each check is ``(ctx, pair) -> Iterable[Finding]``. Findings about one event version carry
``details`` with ``event`` and ``version`` (what waivers match on), the change's pointers, the
counterexample, the consumers it touches and the fix. The payload checks live in
:mod:`eventcat.gate.payload`, the way findings are made in :mod:`eventcat.gate.findings`.
"""

from __future__ import annotations

from collections.abc import Iterator

from eventcat.gate.context import FilePair, GateContext, Policy
from eventcat.gate.findings import consumer_label, rule_finding
from eventcat.gate.governed import CATALOG_CHECKS, PAIR_CHECKS, PREFETCH_CHECKS
from eventcat.gate.grouping import MAX_LISTED
from eventcat.gate.messages import (
    consumers_touched,
    field_of,
)
from eventcat.gate.payload import check_payload, check_transitive
from eventcat.governance.lifecycle import deletion_allowed, draft_exempt
from eventcat.report.findings import Finding

__all__ = ["DEFAULT_POLICY", "consumers_touched", "field_of", "rule_finding"]


def check_deleted(ctx: GateContext, pair: FilePair) -> Iterator[Finding]:
    if pair.status != "deleted" or pair.kind == "fragment":
        return
    if deletion_allowed(pair.old):
        return  # retired (or a draft) at the baseline: check_lifecycle notes the deletion
    version = pair.old
    who = ""
    if version is not None:
        parts = []
        if version.producers:
            parts.append("producers " + ", ".join(version.producers))
        if version.consumers:
            parts.append("consumers " + ", ".join(consumer_label(c) for c in version.consumers))
        who = f" ({'; '.join(parts)})" if parts else ""
    yield rule_finding(
        "version-deleted",
        pair,
        f"{pair.path} was deleted: everything bound to {pair.label}{who} loses its contract. Retire a "
        "version instead of deleting it (x-eventcat.lifecycle.status: deprecated, then retired)",
        line=None,
    )


def check_moved(ctx: GateContext, pair: FilePair) -> Iterator[Finding]:
    if pair.status != "moved":
        return
    yield rule_finding(
        "event-moved",
        pair,
        f"{pair.label} moved from {pair.old_path} to {pair.new_path} (domain "
        f"{(pair.old_path or '').split('/')[0]} -> {pair.domain}); its payload is judged as an "
        "in-place change",
        line=1,
        details=(("old_path", pair.old_path), ("new_path", pair.new_path)),
    )


def check_event_type(ctx: GateContext, pair: FilePair) -> Iterator[Finding]:
    if pair.old is None or pair.new is None or pair.old.event_type == pair.new.event_type:
        return
    if draft_exempt(pair.old):
        return
    file = pair.new.file
    yield rule_finding(
        "event-type-changed",
        pair,
        f"eventType changed from {pair.old.event_type!r} to {pair.new.event_type!r}: consumers "
        f"subscribed to {pair.old.event_type!r} stop receiving or recognising {pair.label}; publish "
        f"`{pair.next_file}` instead",
        pointer="/x-eventcat/eventType",
        line=file.line_of("/x-eventcat/eventType"),
        details=(("old_event_type", pair.old.event_type), ("new_event_type", pair.new.event_type)),
    )


def check_new_version(ctx: GateContext, pair: FilePair) -> Iterator[Finding]:
    """A new ``_v<N+1>`` must follow the highest version; warn when ``_v<N>`` would have done."""
    if pair.status != "added" or pair.kind != "event" or pair.new_file is None:
        return
    existing = ctx.new_versions.get((pair.domain, pair.name), [])
    if pair.version > 1 and pair.version - 1 not in existing:
        highest = max((v for v in existing if v < pair.version), default=0)
        yield rule_finding(
            "version-gap",
            pair,
            f"{pair.path} does not follow the highest existing version (_v{highest}); name it "
            f"{pair.name}_v{highest + 1}.schema.json",
            line=1,
        )
        return
    if pair.version == 1:
        return
    previous_path = f"{pair.domain}/{pair.name}_v{pair.version - 1}.schema.json"
    previous = ctx.new.files.get(previous_path)
    if previous is None or pair.new is None:
        return
    settings = pair.new.compatibility
    base_mode = settings.mode.removesuffix("_TRANSITIVE")
    if base_mode == "NONE":
        base_mode = "BACKWARD"
    report = ctx.compare(
        previous,
        ctx.new,
        pair.new_file,
        ctx.new,
        mode=base_mode,
        policy=settings.policy,
        rules=settings.rules,
    )
    if getattr(report, "compatible", False) and all(
        getattr(c, "additive", True) for c in getattr(report, "changes", ())
    ):
        yield rule_finding(
            "version-unneeded",
            pair,
            f"{pair.label} is compatible with {pair.name}_v{pair.version - 1} under {base_mode} "
            f"{settings.policy}: the change could have been made in place in "
            f"{previous_path}, without migrating consumers to a new version",
            line=1,
        )


def check_fragment(ctx: GateContext, pair: FilePair) -> Iterator[Finding]:
    """A changed shared fragment: list the events judged through it (its blast radius)."""
    if pair.kind != "fragment" or pair.status == "affected":
        return
    users = ctx.users(pair.path)
    listing = ", ".join(f"{v.id} ({v.path})" for v in users[:MAX_LISTED]) + (
        f" and {len(users) - MAX_LISTED} more" if len(users) > MAX_LISTED else ""
    )
    message = (
        f"shared fragment {pair.path} {pair.status}; judged through the {len(users)} event "
        f"version(s) that use it: {listing}"
        if users
        else f"shared fragment {pair.path} {pair.status}; no event version uses it"
    )
    yield rule_finding(
        "fragment-changed",
        pair,
        message,
        line=1,
        details=(("blast_radius", [v.id for v in users]),),
    )


def check_settings(ctx: GateContext) -> Iterator[Finding]:
    """Changed compatibility defaults take effect after this change, not in it."""
    old = ctx.old.raw_settings.get("compatibility")
    new = ctx.new.raw_settings.get("compatibility")
    if old != new:
        yield rule_finding(
            "settings-changed",
            None,
            "compatibility defaults in catalog.yaml changed; this change is judged with the "
            f"settings at {ctx.ref} ({ctx.old.settings.mode} {ctx.old.settings.policy} "
            f"{ctx.old.settings.rules} {ctx.old.settings.evolution})",
            file="catalog.yaml",
            pointer="/compatibility",
        )


DEFAULT_POLICY = Policy(
    pair_checks=(
        *PREFETCH_CHECKS,
        check_deleted,
        check_moved,
        check_event_type,
        check_payload,
        check_transitive,
        check_new_version,
        check_fragment,
        *PAIR_CHECKS,
    ),
    catalog_checks=(check_settings, *CATALOG_CHECKS),
)
