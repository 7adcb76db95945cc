"""The gate's own rules (beyond the compatibility engine's change types), as one table.

``eventcat rules`` and the rules pages of the docs site read ``GOVERNANCE_RULES``; the gate's
findings use these ids. New checks (metadata, lifecycle) add their rules here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from eventcat.report.findings import Finding, Severity
from eventcat.rules.model import Rule


@dataclass(frozen=True)
class GateRule(Rule):
    family: ClassVar[str] = "governance"
    id: str
    severity: Severity
    summary: str
    explanation: str
    fix: str

    @property
    def default_severity(self) -> Severity:
        return self.severity

    @property
    def level(self) -> str:
        return self.severity.value


def _rules(*rules: GateRule) -> dict[str, GateRule]:
    return {rule.id: rule for rule in rules}


GOVERNANCE_RULES: dict[str, GateRule] = _rules(
    GateRule(
        "version-deleted",
        Severity.ERROR,
        "An event version file was deleted.",
        "Producers and consumers bound to that version lose its contract; generated models and docs "
        "for it disappear while messages of that type may still be in flight or stored.",
        "Keep the file and set x-eventcat.lifecycle.status to deprecated, then retired; delete it "
        "only once it is retired and nothing produces or consumes it (or waive the deletion).",
    ),
    GateRule(
        "event-moved",
        Severity.WARNING,
        "An event version moved to another domain folder.",
        "The payload is judged as an in-place change, but the event's ownership, docs address and "
        "generated module path change with its domain.",
        "Make sure the new domain's owners agree and update links to the old docs page.",
    ),
    GateRule(
        "event-type-changed",
        Severity.ERROR,
        "The eventType of an existing version changed.",
        "Consumers subscribe, route and dispatch by eventType; messages with the new type are not "
        "delivered to, or not recognised by, consumers of the old one.",
        "Keep the eventType; publish the new name as a new event or a new version "
        "<EventName>_v<N+1>.schema.json.",
    ),
    GateRule(
        "version-unneeded",
        Severity.WARNING,
        "A new major version is compatible with the previous one.",
        "Every consumer could have kept reading the previous version's file: the change could have "
        "been made in place, without the cost of migrating consumers to a new version.",
        "Make the change in <EventName>_v<N>.schema.json instead, unless the new version exists "
        "for another reason (then ignore this warning).",
    ),
    GateRule(
        "fragment-changed",
        Severity.INFO,
        "A shared fragment changed; every event using it was judged through it.",
        "A fragment under _shared/ is part of every event that references it, so its change is "
        "a change of each of those events (its blast radius).",
        "Read the findings of each listed event; to change a fragment incompatibly, add a new "
        "fragment file and point only new event versions at it.",
    ),
    GateRule(
        "compat-unknown",
        Severity.ERROR,
        "The engine could not prove a change compatible.",
        "Under rules: sound a keyword the engine does not model never counts as compatible.",
        "Publish <EventName>_v<N+1>.schema.json, or waive the finding after checking it by hand.",
    ),
    GateRule(
        "property-renamed",
        Severity.ERROR,
        "A property looks renamed: one was removed and one with the same schema added in the same "
        "object.",
        "Old events carry the old name and none carry the new one, so a consumer reading the new "
        "name finds nothing in old events and a consumer reading the old name finds nothing in new "
        "ones; when the new name is required, old events are rejected outright. The engine sees a "
        "removal and an addition; the gate reports them as one rename so the fix is plain. Under "
        "evolution `additive` the removal alone is refused (policy: additive-only) even when the "
        "mode calls the pair compatible.",
        "Keep both properties in the existing version (the old one marked deprecated, producers "
        "writing both) until every consumer has moved, or publish the rename as "
        "<EventName>_v<N+1>.schema.json.",
    ),
    GateRule(
        "baseline-unreadable",
        Severity.WARNING,
        "A file could not be read at the baseline revision.",
        "The gate cannot compare a change against a file it cannot parse; it treats the file as new.",
        "Nothing to do in this change; the file is readable now.",
    ),
    GateRule(
        "settings-changed",
        Severity.INFO,
        "Compatibility settings changed in this change.",
        "The gate judges a change with the settings as they were at the baseline revision, so that "
        "a change cannot relax its own gate; the new settings apply from the next change on.",
        "Nothing to do; merge the settings change on its own if it should apply to this one.",
    ),
    GateRule(
        "waiver-expired",
        Severity.ERROR,
        "A waiver is past its expiry date.",
        "An accepted break is accepted only until the date its owner gave; after it the gate fails "
        "again, so that nobody forgets the follow-up.",
        "Remove the waiver (publish the new version instead) or agree a new date with its owner.",
    ),
    GateRule(
        "waiver-stale",
        Severity.ERROR,
        "A waiver matches no finding: the break it accepts is gone.",
        "A waiver that no longer matches anything would silently accept a future break of the "
        "same kind.",
        "Delete the waiver from waivers.yaml.",
    ),
    GateRule(
        "waiver-invalid",
        Severity.ERROR,
        "waivers.yaml does not follow its schema.",
        "Every waiver names event, version, change, reason, owner and expires (YYYY-MM-DD).",
        "Fix the entry the message points at.",
    ),
    # -- x-eventcat metadata (eventcat.governance.metadata) ------------------------------------------
    GateRule(
        "channel-changed",
        Severity.ERROR,
        "The channel of an existing event version changed (broker, exchange, topic, routing key, "
        "queue, dead-letter queue).",
        "Producers and consumers are bound to the channel, not to the schema: a consumer bound to "
        "the old exchange, topic, routing key or queue stops receiving the event, and messages "
        "rejected into a moved dead-letter queue are no longer where operators look. The payload "
        "can stay compatible while every consumer breaks. Draft versions are exempt.",
        "Keep the channel of the existing version; publish <EventName>_v<N+1>.schema.json on the new "
        "channel (and move consumers to it), or waive the change once every bound consumer has "
        "moved (the finding names them).",
    ),
    GateRule(
        "producer-removed",
        Severity.WARNING,
        "A producer no longer publishes an event version.",
        "Consumers that depend on events from that service stop receiving them; if it was the last "
        "producer, the event may not be published at all any more.",
        "Check with the consumers named in the finding; if the version is going away, deprecate it "
        "(lifecycle.status: deprecated, with sunset and replacement) instead.",
    ),
    GateRule(
        "consumer-added",
        Severity.WARNING,
        "A new consumer declares that it reads an event version.",
        "The producers and the owning team take on a new dependant: from now on a breaking change "
        "of this version also breaks it.",
        "Make sure the owning team knows; declare the fields the consumer reads "
        "(consumers[].fields) so the gate can name it precisely when a change touches them.",
    ),
    GateRule(
        "consumer-removed",
        Severity.WARNING,
        "A consumer no longer declares that it reads an event version.",
        "If the service still reads the event, the gate can no longer warn it about breaking "
        "changes; if it stopped, the owners may be able to retire the version.",
        "Remove the consumer only once the service has stopped reading the event.",
    ),
    GateRule(
        "handler-renamed",
        Severity.WARNING,
        "A consumer's handler changed name.",
        "Handlers are what operators find in dashboards, dead-letter queues and runbooks; a rename "
        "that is not deployed with the catalog change sends people to code that does not exist.",
        "Rename the handler in the consuming service in the same release, or keep the old name.",
    ),
    GateRule(
        "owner-changed",
        Severity.WARNING,
        "The team that owns an event version changed.",
        "The owner approves changes to the contract and answers consumers' questions; consumers "
        "and both teams need to know who that is now.",
        "Make sure both teams agree (a review from each), and tell the consumers named in the "
        "finding.",
    ),
    GateRule(
        "criticality-lowered",
        Severity.WARNING,
        "An event version's criticality was lowered.",
        "Criticality drives alerting, on-call and retention; consumers that rely on the old level "
        "get less attention when the event is late or lost.",
        "Lower it only with the consumers' agreement (they are named in the finding).",
    ),
    GateRule(
        "delivery-weakened",
        Severity.WARNING,
        "An event version's delivery guarantee or ordering was weakened.",
        "Consumers are written for a guarantee: one that expects at-least-once or exactly-once "
        "delivery, or per-key / global ordering, silently loses or misorders events under a "
        "weaker one.",
        "Keep the guarantee for this version, or publish <EventName>_v<N+1>.schema.json with the "
        "new one and move consumers deliberately.",
    ),
    GateRule(
        "declaration-removed",
        Severity.ERROR,
        "A service, domain or team was removed from catalog.yaml while the catalog still names it.",
        "Events name their producers, consumers and owner, and live in domain folders; removing "
        "the declaration leaves them pointing at nothing (every such event fails lint).",
        "Keep the declaration until no event, service or domain names it (the finding lists "
        "them), or rename it everywhere in the same change.",
    ),
    GateRule(
        "metadata-changed",
        Severity.INFO,
        "Other catalog metadata of an event version changed (summary, tags, frequency, …).",
        "Listed in the metadata changelog of the event's page; it binds no producer or consumer.",
        "Nothing to do.",
    ),
    # -- lifecycle (eventcat.governance.lifecycle) ---------------------------------------------------
    GateRule(
        "lifecycle-draft-exempt",
        Severity.INFO,
        "A draft version changed; it is exempt from compatibility checks until it is active.",
        "A draft (lifecycle.status: draft at the baseline) is not yet released, so nobody is bound "
        "to it: its payload, eventType and channel may change freely. The gate judges it fully "
        "from the first change after it became active.",
        "Nothing to do; set lifecycle.status: active when the version is released.",
    ),
    GateRule(
        "lifecycle-status-regressed",
        Severity.ERROR,
        "A version's lifecycle went backwards (to draft, or out of retired).",
        "Lifecycle moves one way: draft -> active -> deprecated -> retired. Turning a released "
        "version back into a draft would exempt it from the compatibility checks its consumers "
        "rely on; reviving a retired version produces an event consumers were told has ended.",
        "Keep the status; publish <EventName>_v<N+1>.schema.json for a new design or a revived "
        "event.",
    ),
    GateRule(
        "lifecycle-deprecated-incomplete",
        Severity.ERROR,
        "A deprecated version lacks a sunset date or a replacement.",
        "Consumers of a deprecated version need to know until when it is produced and what to "
        "move to.",
        "Set lifecycle.sunset (YYYY-MM-DD) and lifecycle.replacement (the eventType to move to).",
    ),
    GateRule(
        "lifecycle-consumer-added",
        Severity.ERROR,
        "A deprecated or retired version gained a consumer.",
        "A deprecated version is going away at its sunset; a retired one is no longer produced. A "
        "new consumer of either is built to break.",
        "Consume the replacement named in lifecycle.replacement instead.",
    ),
    GateRule(
        "lifecycle-sunset-near",
        Severity.WARNING,
        "A deprecated version's sunset is near.",
        "After the sunset the version may no longer be produced; its consumers must have moved to "
        "the replacement by then.",
        "Move the remaining consumers (named in the finding) to the replacement, then set "
        "lifecycle.status: retired; or agree a later sunset with them.",
    ),
    GateRule(
        "lifecycle-sunset-passed",
        Severity.ERROR,
        "A deprecated version is past its sunset date but not retired.",
        "The sunset is the date after which the version may no longer be produced; a version "
        "past it must be retired so that producers stop and docs and generated code say so.",
        "Set lifecycle.status: retired (once nothing produces it), or agree a later sunset with "
        "its consumers.",
    ),
    GateRule(
        "lifecycle-retired-produced",
        Severity.ERROR,
        "A retired version gained a producer.",
        "A retired version may no longer be produced; its producers list is kept only as a record "
        "of who used to publish it.",
        "Produce the replacement named in lifecycle.replacement instead.",
    ),
    GateRule(
        "lifecycle-version-deleted",
        Severity.INFO,
        "A retired (or never released draft) version file was deleted.",
        "Deleting a version file is allowed once the version is retired at the baseline revision "
        "(or was only ever a draft): nothing may produce or consume it any more.",
        "Nothing to do.",
    ),
)


@dataclass(frozen=True)
class Notice:
    """One governance finding before it is placed in a file: what the metadata and lifecycle
    functions (``eventcat.governance.metadata``, ``eventcat.governance.lifecycle``) return.

    ``pointer`` is a JSON pointer into the event's schema file (``/x-eventcat/...``); ``affected``
    names the services (and teams) the change concerns; ``old``/``new`` the values compared.
    """

    rule: str
    message: str
    pointer: str = ""
    affected: tuple[str, ...] = ()
    old: Any = None
    new: Any = None

    @property
    def severity(self) -> Severity:
        return GOVERNANCE_RULES[self.rule].severity

    @property
    def fix(self) -> str:
        return GOVERNANCE_RULES[self.rule].fix

    def as_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "pointer": self.pointer,
            "message": self.message,
            "affected": list(self.affected),
            "old": self.old,
            "new": self.new,
            "fix": self.fix,
        }

    def finding(
        self,
        file: str | None,
        *,
        line: int | None = None,
        event: str | None = None,
        version: int | None = None,
    ) -> Finding:
        """This notice as a gate finding (``details`` carry event and version for waivers)."""
        details: list[tuple[str, Any]] = []
        if event is not None and version is not None:
            details += [("event", event), ("version", version)]
        details += [
            ("change", self.rule),
            ("change_pointer", self.pointer),
            ("affected", list(self.affected)),
        ]
        if self.old is not None:
            details.append(("old", self.old))
        if self.new is not None:
            details.append(("new", self.new))
        details.append(("fix", self.fix))
        return Finding(
            file=file,
            line=line,
            pointer=self.pointer,
            rule=self.rule,
            severity=self.severity,
            message=self.message,
            details=tuple(details),
        )
