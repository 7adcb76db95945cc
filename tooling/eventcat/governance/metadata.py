"""Governance beyond the payload: what changed in an event's ``x-eventcat`` and in ``catalog.yaml``.

Public functions (the gate, the docs site and the notebooks use the same ones):

- :func:`metadata_changes` ``(old, new) -> list[Notice]``: the classified changes between two
  revisions of one event version's metadata (channel, producers, consumers, handlers, owner,
  criticality, delivery), each with its governance rule id, a message naming who is affected and
  a pointer into ``x-eventcat``. With ``everything=True`` the other edits (summary, tags, …) come
  too, as ``metadata-changed`` info notes, for a metadata changelog.
- :func:`removed_declarations` ``(old_settings, new_settings)``: the services, domains and teams
  ``catalog.yaml`` no longer declares.
- :func:`declaration_users`: who in a catalog still names one of them.

The diff is a small structural one written for this vocabulary rather than deepdiff: consumers are
matched by service id (not by list position), the result is JSON pointers the gate can locate in
the file, it costs no import time, and x-eventcat is small.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from eventcat.catalog.model import Catalog, EventVersion
from eventcat.governance.rules import Notice
from eventcat.jsonpointer import escape

#: Channel keys consumers and producers are bound to (a change of one breaks them).
CHANNEL_KEYS = (
    "broker",
    "exchange",
    "exchangeType",
    "topic",
    "routingKey",
    "deadLetterQueue",
    "deadLetterExchange",
)
#: Ordered from weakest to strongest.
CRITICALITY = ("low", "normal", "important", "critical")
GUARANTEE = ("at-most-once", "at-least-once", "exactly-once")
ORDERING = ("none", "per-key", "global")

Metadata = EventVersion | Mapping[str, Any]


def meta_of(value: Metadata | None) -> Mapping[str, Any]:
    """The ``x-eventcat`` mapping of an EventVersion, a schema dict, or an x-eventcat dict."""
    if value is None:
        return {}
    if isinstance(value, EventVersion):
        return value.meta
    inner = value.get("x-eventcat")
    if isinstance(inner, Mapping):
        return inner
    return value if "eventType" in value or "producers" in value else {}


@dataclass(frozen=True)
class _Consumer:
    index: int
    service: str
    handler: str | None
    queue: str | None
    dead_letter_queue: str | None

    @property
    def label(self) -> str:
        return self.service + (f" ({self.handler})" if self.handler else "")


def consumers_of(meta: Mapping[str, Any]) -> list[_Consumer]:
    value = meta.get("consumers")
    result = []
    for index, item in enumerate(value if isinstance(value, list) else []):
        if isinstance(item, Mapping) and isinstance(item.get("service"), str):
            result.append(
                _Consumer(
                    index,
                    item["service"],
                    _str(item.get("handler")),
                    _str(item.get("queue")),
                    _str(item.get("deadLetterQueue")),
                )
            )
    return result


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def strings_of(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _section(meta: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = meta.get(key)
    return value if isinstance(value, Mapping) else {}


def _names(items: Iterable[str]) -> str:
    listed = sorted(dict.fromkeys(items))
    return ", ".join(listed) if listed else "nobody declared"


def _weaker(scale: tuple[str, ...], old: Any, new: Any) -> bool:
    """True when ``new`` is lower on ``scale`` than ``old`` (or gone while ``old`` was set)."""
    if old not in scale:
        return False
    if new is None:
        return True
    return new in scale and scale.index(new) < scale.index(old)


def metadata_changes(
    old: Metadata | None, new: Metadata | None, *, everything: bool = False
) -> list[Notice]:
    """Classified changes of one event version's ``x-eventcat`` from ``old`` to ``new``.

    ``old`` and ``new`` are EventVersions, schema dicts or x-eventcat dicts (as read from two git
    revisions, for instance). Each :class:`~eventcat.governance.rules.Notice` has a rule id from
    ``GOVERNANCE_RULES`` (its severity and fix come from there), a message naming who is
    affected, and a pointer into the schema file: the new file's, or the old one's for what was
    removed. Changes are classified as for a released version; the gate skips them for a version
    that was a draft at the baseline (see :func:`eventcat.governance.lifecycle.draft_exempt`).
    """
    before, after = meta_of(old), meta_of(new)
    if before == after:
        return []
    notes: list[Notice] = []
    notes += _channel(before, after)
    notes += _producers(before, after)
    notes += _consumer_changes(before, after)
    notes += _owner(before, after)
    notes += _levels(before, after)
    if everything:
        notes += _other(before, after, notes)
    return notes


def _channel(before: Mapping[str, Any], after: Mapping[str, Any]) -> Iterator[Notice]:
    old, new = _section(before, "channel"), _section(after, "channel")
    consumers = consumers_of(before)
    producers = strings_of(before.get("producers"))
    for key in CHANNEL_KEYS:
        was, now = old.get(key), new.get(key)
        if was is None or was == now:
            continue  # newly documented, or unchanged
        if key == "deadLetterQueue":
            bound = [c.label for c in consumers if c.dead_letter_queue is None]
            who = f"consumers that use the event's dead-letter queue: {_names(bound)}"
            affected = tuple(c.service for c in consumers if c.dead_letter_queue is None)
        else:
            bound = [c.label for c in consumers]
            who = f"producers {_names(producers)} and consumers {_names(bound)}"
            affected = (*producers, *(c.service for c in consumers))
        what = f"changed from {was!r} to {now!r}" if now is not None else f"{was!r} was removed"
        notes_pointer = f"/x-eventcat/channel/{key}"
        yield Notice(
            "channel-changed",
            f"channel {key} {what}: it breaks everything bound to the old one ({who}); publish "
            "the new channel as a new version, or waive once they have moved",
            notes_pointer,
            tuple(dict.fromkeys(affected)),
            was,
            now,
        )
    old_queues, new_queues = strings_of(old.get("queues")), strings_of(new.get("queues"))
    for queue in old_queues:
        if queue in new_queues:
            continue
        readers = [c for c in consumers if c.queue == queue]
        who = (
            f"consumers reading it: {_names(c.label for c in readers)}"
            if readers
            else "no declared consumer names it as its queue; whoever reads it stops receiving the "
            "event"
        )
        yield Notice(
            "channel-changed",
            f"queue {queue!r} no longer receives the event ({who})",
            f"/x-eventcat/channel/queues/{old_queues.index(queue)}",
            tuple(c.service for c in readers),
            queue,
            None,
        )
    new_consumers = {c.service: c for c in consumers_of(after)}
    for consumer in consumers:
        now_consumer = new_consumers.get(consumer.service)
        if now_consumer is None:
            continue  # reported as consumer-removed
        for key, was, now in (
            ("queue", consumer.queue, now_consumer.queue),
            ("deadLetterQueue", consumer.dead_letter_queue, now_consumer.dead_letter_queue),
        ):
            if was is None or was == now:
                continue
            what = f"changed from {was!r} to {now!r}" if now is not None else f"{was!r} was removed"
            yield Notice(
                "channel-changed",
                f"{consumer.label}'s {key} {what}: the consumer is bound to the old one",
                f"/x-eventcat/consumers/{now_consumer.index}/{key}",
                (consumer.service,),
                was,
                now,
            )


def _producers(before: Mapping[str, Any], after: Mapping[str, Any]) -> Iterator[Notice]:
    old, new = strings_of(before.get("producers")), strings_of(after.get("producers"))
    consumers = [c.service for c in consumers_of(after) or consumers_of(before)]
    for index, producer in enumerate(old):
        if producer in new:
            continue
        last = " (it was the only producer)" if not new else ""
        yield Notice(
            "producer-removed",
            f"producer {producer} no longer publishes the event{last}; consumers that may depend "
            f"on its events: {_names(consumers)}",
            f"/x-eventcat/producers/{index}" if not new else "/x-eventcat/producers",
            (producer, *consumers),
            producer,
            None,
        )


def _consumer_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> Iterator[Notice]:
    old = {c.service: c for c in consumers_of(before)}
    new = {c.service: c for c in consumers_of(after)}
    producers = strings_of(after.get("producers")) or strings_of(before.get("producers"))
    owner = _str(after.get("owner")) or _str(before.get("owner"))
    owners = (f"owner {owner} and " if owner else "") + f"producers {_names(producers)}"
    for service, consumer in new.items():
        if service not in old:
            yield Notice(
                "consumer-added",
                f"{consumer.label} now consumes the event: {owners} take on a new dependant, "
                "which every breaking change of this version will break too",
                f"/x-eventcat/consumers/{consumer.index}",
                (service, *producers, *([owner] if owner else [])),
                None,
                service,
            )
        elif old[service].handler is not None and old[service].handler != consumer.handler:
            was = old[service].handler
            yield Notice(
                "handler-renamed",
                f"{service}'s handler changed from {was!r} to {consumer.handler!r}; deploy the "
                "rename with the service, or dashboards, runbooks and dead-letter triage point "
                "at a handler that does not exist",
                f"/x-eventcat/consumers/{consumer.index}/handler",
                (service,),
                was,
                consumer.handler,
            )
    for service, consumer in old.items():
        if service not in new:
            yield Notice(
                "consumer-removed",
                f"{consumer.label} no longer declares that it consumes the event; if it still "
                f"reads it, the gate can no longer name it when a change breaks it ({owners} "
                "lose track of it)",
                f"/x-eventcat/consumers/{consumer.index}",
                (service, *producers, *([owner] if owner else [])),
                service,
                None,
            )


def _owner(before: Mapping[str, Any], after: Mapping[str, Any]) -> Iterator[Notice]:
    was, now = _str(before.get("owner")), _str(after.get("owner"))
    if was is None or was == now:
        return
    consumers = [c.service for c in consumers_of(after) or consumers_of(before)]
    yield Notice(
        "owner-changed",
        f"owner changed from {was} to {now or '(none)'}; both teams should agree, and the "
        f"consumers ({_names(consumers)}) need to know who answers for the contract now",
        "/x-eventcat/owner",
        tuple(dict.fromkeys([was, *([now] if now else []), *consumers])),
        was,
        now,
    )


def _levels(before: Mapping[str, Any], after: Mapping[str, Any]) -> Iterator[Notice]:
    consumers = [c.service for c in consumers_of(after) or consumers_of(before)]
    was, now = before.get("criticality"), after.get("criticality")
    if _weaker(CRITICALITY, was, now):
        yield Notice(
            "criticality-lowered",
            f"criticality lowered from {was} to {now or '(none)'}; consumers that rely on it "
            f"for alerting and on-call: {_names(consumers)}",
            "/x-eventcat/criticality",
            tuple(consumers),
            was,
            now,
        )
    old, new = _section(before, "delivery"), _section(after, "delivery")
    for key, scale in (("guarantee", GUARANTEE), ("ordering", ORDERING)):
        was, now = old.get(key), new.get(key)
        if _weaker(scale, was, now):
            yield Notice(
                "delivery-weakened",
                f"delivery {key} weakened from {was} to {now or '(none)'}; consumers written for "
                f"{was} may lose or misorder events: {_names(consumers)}",
                f"/x-eventcat/delivery/{key}",
                tuple(consumers),
                was,
                now,
            )


def _other(
    before: Mapping[str, Any], after: Mapping[str, Any], classified: list[Notice]
) -> Iterator[Notice]:
    """Every other edit, as ``metadata-changed`` notes (for a changelog): each changed leaf of
    x-eventcat (lists count as leaves) that no classified note already covers."""
    covered = [n.pointer for n in classified]
    for pointer, was, now in _leaf_changes("/x-eventcat", before, after):
        if any(
            p == pointer or p.startswith(pointer + "/") or pointer.startswith(p + "/")
            for p in covered
        ):
            continue
        what = "added" if was is None else "removed" if now is None else "changed"
        yield Notice(
            "metadata-changed",
            f"{pointer.removeprefix('/x-eventcat/')} {what}",
            pointer,
            (),
            was,
            now,
        )


def _leaf_changes(pointer: str, old: Any, new: Any) -> Iterator[tuple[str, Any, Any]]:
    if old == new:
        return
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        for key in sorted(set(old) | set(new)):
            yield from _leaf_changes(f"{pointer}/{escape(str(key))}", old.get(key), new.get(key))
        return
    yield pointer, old, new


# -- catalog.yaml -------------------------------------------------------------------------------

DECLARATIONS = ("services", "domains", "teams")


def removed_declarations(
    old_settings: Mapping[str, Any], new_settings: Mapping[str, Any]
) -> list[tuple[str, str]]:
    """(section, id) for every service, domain and team ``old_settings`` declares and
    ``new_settings`` does not (both the parsed ``catalog.yaml``)."""
    removed = []
    for section in DECLARATIONS:
        old, new = old_settings.get(section), new_settings.get(section)
        old_ids = set(old) if isinstance(old, Mapping) else set()
        new_ids = set(new) if isinstance(new, Mapping) else set()
        removed += [(section, name) for name in sorted(old_ids - new_ids) if isinstance(name, str)]
    return removed


def declaration_users(
    section: str, name: str, versions: Iterable[EventVersion], settings: Mapping[str, Any]
) -> list[tuple[str, str]]:
    """(where, how) for each place that still names ``name`` from ``section``: event versions
    (as producer, consumer, owner, or by living in a domain folder) and other declarations in
    ``settings`` (a service's owner or domain, a domain's owner)."""
    users: list[tuple[str, str]] = []
    for version in versions:
        if section == "services":
            if name in version.producers:
                users.append((version.path, "producer"))
            if any(c.service == name for c in version.consumers):
                users.append((version.path, "consumer"))
        elif section == "teams" and version.owner == name:
            users.append((version.path, "owner"))
        elif section == "domains" and version.domain == name:
            users.append((version.path, "in its folder"))
    for other_section, field in (
        ("services", "owner"),
        ("services", "domain"),
        ("domains", "owner"),
    ):
        wanted = {"owner": "teams", "domain": "domains"}[field]
        if wanted != section:
            continue
        declared = settings.get(other_section)
        for other, body in declared.items() if isinstance(declared, Mapping) else ():
            if isinstance(body, Mapping) and body.get(field) == name:
                users.append((f"catalog.yaml {other_section}.{other}", field))
    return users


def catalog_declaration_users(catalog: Catalog, section: str, name: str) -> list[tuple[str, str]]:
    """:func:`declaration_users` over a loaded catalog."""
    return declaration_users(section, name, catalog.versions(), catalog.raw_settings)
