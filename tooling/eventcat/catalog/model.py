"""The frozen catalog model every other part of eventcat reads.

Parsed JSON values inside the model (schemas, examples, raw metadata) are shared, not copied:
treat them as read-only.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from eventcat.catalog.jsonfile import line_of
from eventcat.report.findings import Finding

if TYPE_CHECKING:
    import referencing

URI_PREFIX = "eventcat:///"

# Catalog files are registered under eventcat:/// URIs, which never name a host, so no resolver
# can mistake one for something to fetch. urljoin() only resolves relative references for schemes
# it knows; teach it this one (jsonschema and referencing join with urljoin too).
for _registry in (urllib.parse.uses_relative, urllib.parse.uses_netloc):
    if "eventcat" not in _registry:
        _registry.append("eventcat")

DEFAULT_MODE = "BACKWARD"
DEFAULT_POLICY = "LENIENT"
DEFAULT_RULES = "sound"
DEFAULT_EVOLUTION = "additive"


def uri_for(path: str) -> str:
    """The URI under which a catalog file is registered for ``$ref`` resolution."""
    return URI_PREFIX + path


def path_for(uri: str) -> str | None:
    """The catalog-relative path of an ``eventcat:`` URI (fragment dropped), else None."""
    if not uri.startswith(URI_PREFIX):
        return None
    return uri[len(URI_PREFIX) :].split("#", 1)[0]


@dataclass(frozen=True)
class CompatibilitySettings:
    mode: str = DEFAULT_MODE
    policy: str = DEFAULT_POLICY
    rules: str = DEFAULT_RULES
    evolution: str = DEFAULT_EVOLUTION

    def overridden(self, raw: Mapping[str, Any] | None) -> CompatibilitySettings:
        if not raw:
            return self
        return CompatibilitySettings(
            mode=str(raw.get("mode", self.mode)),
            policy=str(raw.get("policy", self.policy)),
            rules=str(raw.get("rules", self.rules)),
            evolution=str(raw.get("evolution", self.evolution)),
        )


@dataclass(frozen=True)
class SchemaFile:
    """One parsed schema file of the catalog."""

    path: str  # relative to the catalog root, posix separators
    schema: Any = field(repr=False)
    text: str = field(repr=False, compare=False)

    @property
    def uri(self) -> str:
        return uri_for(self.path)

    @property
    def dialect(self) -> str | None:
        value = self.schema.get("$schema") if isinstance(self.schema, dict) else None
        return value if isinstance(value, str) else None

    @property
    def title(self) -> str | None:
        value = self.schema.get("title") if isinstance(self.schema, dict) else None
        return value if isinstance(value, str) else None

    @property
    def description(self) -> str | None:
        value = self.schema.get("description") if isinstance(self.schema, dict) else None
        return value if isinstance(value, str) else None

    @property
    def examples(self) -> tuple[Any, ...]:
        value = self.schema.get("examples") if isinstance(self.schema, dict) else None
        return tuple(value) if isinstance(value, list) else ()

    def line_of(self, pointer: str) -> int | None:
        return line_of(self.text, pointer)


@dataclass(frozen=True)
class Team:
    id: str
    name: str
    description: str = ""
    email: str | None = None
    slack: str | None = None
    members: tuple[str, ...] = ()


@dataclass(frozen=True)
class Domain:
    id: str
    name: str
    description: str = ""
    owner: str | None = None
    system: str | None = None


@dataclass(frozen=True)
class Service:
    id: str
    name: str
    description: str = ""
    owner: str | None = None
    domain: str | None = None
    technology: str | None = None
    repository: str | None = None
    external: bool = False


@dataclass(frozen=True)
class Consumer:
    service: str
    handler: str | None = None
    processing: str | None = None
    queue: str | None = None
    dead_letter_queue: str | None = None
    fields: tuple[str, ...] = ()
    description: str | None = None


@dataclass(frozen=True)
class EventVersion:
    """One ``<EventName>_v<N>.schema.json`` file and its ``x-eventcat`` metadata."""

    name: str
    version: int
    domain: str
    file: SchemaFile
    compatibility: CompatibilitySettings = CompatibilitySettings()

    @property
    def id(self) -> str:
        return f"{self.name}_v{self.version}"

    @property
    def path(self) -> str:
        return self.file.path

    @property
    def schema(self) -> Any:
        return self.file.schema

    @cached_property
    def meta(self) -> Mapping[str, Any]:
        raw = self.file.schema.get("x-eventcat") if isinstance(self.file.schema, dict) else None
        return MappingProxyType(raw if isinstance(raw, dict) else {})

    def _text(self, key: str) -> str | None:
        value = self.meta.get(key)
        return value if isinstance(value, str) else None

    def _section(self, key: str) -> Mapping[str, Any]:
        value = self.meta.get(key)
        return MappingProxyType(value) if isinstance(value, dict) else MappingProxyType({})

    @property
    def event_type(self) -> str | None:
        return self._text("eventType")

    @property
    def kind(self) -> str | None:
        return self._text("kind")

    @property
    def owner(self) -> str | None:
        return self._text("owner")

    @property
    def summary(self) -> str | None:
        return self._text("summary")

    @property
    def producers(self) -> tuple[str, ...]:
        value = self.meta.get("producers")
        return tuple(p for p in value if isinstance(p, str)) if isinstance(value, list) else ()

    @property
    def consumers(self) -> tuple[Consumer, ...]:
        value = self.meta.get("consumers")
        if not isinstance(value, list):
            return ()
        result = []
        for item in value:
            if isinstance(item, dict) and isinstance(item.get("service"), str):
                fields = item.get("fields")
                result.append(
                    Consumer(
                        service=item["service"],
                        handler=item.get("handler"),
                        processing=item.get("processing"),
                        queue=item.get("queue"),
                        dead_letter_queue=item.get("deadLetterQueue"),
                        fields=tuple(f for f in fields if isinstance(f, str))
                        if isinstance(fields, list)
                        else (),
                        description=item.get("description"),
                    )
                )
        return tuple(result)

    @property
    def channel(self) -> Mapping[str, Any]:
        return self._section("channel")

    @property
    def delivery(self) -> Mapping[str, Any]:
        return self._section("delivery")

    @property
    def lifecycle(self) -> Mapping[str, Any]:
        return self._section("lifecycle")

    @property
    def status(self) -> str:
        value = self.lifecycle.get("status")
        return value if isinstance(value, str) else "active"


@dataclass(frozen=True)
class Event:
    """All versions of one event name."""

    name: str
    domain: str
    versions: tuple[EventVersion, ...]

    @property
    def latest(self) -> EventVersion:
        return self.versions[-1]

    def version(self, number: int) -> EventVersion | None:
        for candidate in self.versions:
            if candidate.version == number:
                return candidate
        return None


@dataclass(frozen=True)
class Envelope:
    file: SchemaFile
    payload_property: str = "payload"
    type_property: str = "type"


@dataclass(frozen=True)
class Catalog:
    """A loaded catalog: settings, declarations and every schema file, resolved."""

    root: Path
    name: str
    description: str
    settings: CompatibilitySettings
    teams: Mapping[str, Team]
    domains: Mapping[str, Domain]
    services: Mapping[str, Service]
    events: tuple[Event, ...]
    envelope: Envelope | None
    fragments: tuple[SchemaFile, ...]
    files: Mapping[str, SchemaFile] = field(repr=False)
    #: file path -> paths of the catalog files its ``$ref``s point at (directly)
    references: Mapping[str, frozenset[str]] = field(repr=False)
    registry: referencing.Registry[Any] = field(repr=False, compare=False)
    raw_settings: Mapping[str, Any] = field(repr=False, compare=False)
    #: catalog.yaml as read, for locating findings at their line
    settings_text: str = field(default="", repr=False, compare=False)
    #: problems found while loading that did not stop it (lint reports them)
    problems: tuple[Finding, ...] = field(default=(), repr=False, compare=False)

    def __repr__(self) -> str:
        return f"Catalog({self.name!r}, root={str(self.root)!r}, {len(self.events)} events)"

    # -- lookups ------------------------------------------------------------------------------

    def versions(self) -> Iterator[EventVersion]:
        for event in self.events:
            yield from event.versions

    def event(self, name: str) -> Event | None:
        for event in self.events:
            if event.name == name:
                return event
        return None

    @cached_property
    def _by_event_type(self) -> Mapping[str, EventVersion]:
        return {v.event_type: v for v in self.versions() if v.event_type}

    @cached_property
    def _by_path(self) -> Mapping[str, EventVersion]:
        return {v.path: v for v in self.versions()}

    def by_event_type(self, event_type: str) -> EventVersion | None:
        return self._by_event_type.get(event_type)

    def by_path(self, path: str) -> EventVersion | None:
        return self._by_path.get(path)

    def resolver(self, path: str) -> referencing._core.Resolver[Any]:
        """A ``referencing`` resolver positioned at a catalog file, for ``$ref`` lookups."""
        return self.registry.resolver(base_uri=uri_for(path))

    def produced_by(self, service: str) -> tuple[EventVersion, ...]:
        return tuple(v for v in self.versions() if service in v.producers)

    def consumed_by(self, service: str) -> tuple[EventVersion, ...]:
        return tuple(v for v in self.versions() if any(c.service == service for c in v.consumers))

    def dependencies(self, path: str) -> frozenset[str]:
        """Every catalog file ``path`` references, directly or through other files."""
        seen: set[str] = set()
        stack = [path]
        while stack:
            for target in self.references.get(stack.pop(), frozenset()):
                if target not in seen:
                    seen.add(target)
                    stack.append(target)
        seen.discard(path)
        return frozenset(seen)

    def users_of(self, path: str) -> tuple[EventVersion, ...]:
        """The event versions that use the file at ``path`` (a shared fragment), transitively."""
        return tuple(v for v in self.versions() if path in self.dependencies(v.path))
