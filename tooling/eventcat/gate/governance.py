"""The gate's own rules (beyond the compatibility engine's change types), as one table.

``eventcat rules`` and the rules pages of the docs site read ``GOVERNANCE_RULES``; the gate's
findings use these ids. New checks (metadata, lifecycle) add their rules here.
"""

from __future__ import annotations

from dataclasses import dataclass

from eventcat.report.findings import Severity


@dataclass(frozen=True)
class GateRule:
    id: str
    severity: Severity
    summary: str
    explanation: str
    fix: str


def _rules(*rules: GateRule) -> dict[str, GateRule]:
    return {rule.id: rule for rule in rules}


GOVERNANCE_RULES: dict[str, GateRule] = _rules(
    GateRule(
        "version-deleted", Severity.ERROR,
        "An event version file was deleted.",
        "Producers and consumers bound to that version lose its contract; generated models and docs "
        "for it disappear while messages of that type may still be in flight or stored.",
        "Keep the file and set x-eventcat.lifecycle.status to deprecated, then retired; delete it "
        "only once it is retired and nothing produces or consumes it (or waive the deletion).",
    ),
    GateRule(
        "event-moved", Severity.WARNING,
        "An event version moved to another domain folder.",
        "The payload is judged as an in-place change, but the event's ownership, docs address and "
        "generated module path change with its domain.",
        "Make sure the new domain's owners agree and update links to the old docs page.",
    ),
    GateRule(
        "event-type-changed", Severity.ERROR,
        "The eventType of an existing version changed.",
        "Consumers subscribe, route and dispatch by eventType; messages with the new type are not "
        "delivered to, or not recognised by, consumers of the old one.",
        "Keep the eventType; publish the new name as a new event or a new version "
        "<EventName>_v<N+1>.schema.json.",
    ),
    GateRule(
        "version-gap", Severity.ERROR,
        "A new version file does not follow the highest existing version.",
        "Versions are numbered 1, 2, 3 … with no gaps, so that readers and generators can find "
        "the previous version of every file.",
        "Name the file <EventName>_v<N+1>.schema.json where N is the highest existing version.",
    ),
    GateRule(
        "version-unneeded", Severity.WARNING,
        "A new major version is compatible with the previous one.",
        "Every consumer could have kept reading the previous version's file: the change could have "
        "been made in place, without the cost of migrating consumers to a new version.",
        "Make the change in <EventName>_v<N>.schema.json instead, unless the new version exists "
        "for another reason (then ignore this warning).",
    ),
    GateRule(
        "fragment-changed", Severity.INFO,
        "A shared fragment changed; every event using it was judged through it.",
        "A fragment under _shared/ is part of every event that references it, so its change is "
        "a change of each of those events (its blast radius).",
        "Read the findings of each listed event; to change a fragment incompatibly, add a new "
        "fragment file and point only new event versions at it.",
    ),
    GateRule(
        "compat-unknown", Severity.ERROR,
        "The engine could not prove a change compatible.",
        "Under rules: sound a keyword the engine does not model never counts as compatible.",
        "Publish <EventName>_v<N+1>.schema.json, or waive the finding after checking it by hand.",
    ),
    GateRule(
        "baseline-unreadable", Severity.WARNING,
        "A file could not be read at the baseline revision.",
        "The gate cannot compare a change against a file it cannot parse; it treats the file as new.",
        "Nothing to do in this change; the file is readable now.",
    ),
    GateRule(
        "settings-changed", Severity.INFO,
        "Compatibility settings changed in this change.",
        "The gate judges a change with the settings as they were at the baseline revision, so that "
        "a change cannot relax its own gate; the new settings apply from the next change on.",
        "Nothing to do; merge the settings change on its own if it should apply to this one.",
    ),
    GateRule(
        "waiver-expired", Severity.ERROR,
        "A waiver is past its expiry date.",
        "An accepted break is accepted only until the date its owner gave; after it the gate fails "
        "again, so that nobody forgets the follow-up.",
        "Remove the waiver (publish the new version instead) or agree a new date with its owner.",
    ),
    GateRule(
        "waiver-stale", Severity.ERROR,
        "A waiver matches no finding: the break it accepts is gone.",
        "A waiver that no longer matches anything would silently accept a future break of the "
        "same kind.",
        "Delete the waiver from waivers.yaml.",
    ),
    GateRule(
        "waiver-invalid", Severity.ERROR,
        "waivers.yaml does not follow its schema.",
        "Every waiver names event, version, change, reason, owner and expires (YYYY-MM-DD).",
        "Fix the entry the message points at.",
    ),
)
