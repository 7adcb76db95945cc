"""Scaffold a new event file: names from the catalog's conventions, ``x-eventcat`` from its
declared domains, services and teams.

Nothing here writes; :mod:`eventcat.design.write` validates and writes what this builds.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from eventcat.catalog.loader import PASCAL_CASE
from eventcat.catalog.model import Catalog
from eventcat.design.infer import DRAFT_2020_12, Inference, infer_schema
from eventcat.design.jsonfmt import dump_json
from eventcat.errors import UsageError

KINDS = ("domain", "command", "integration", "system")
_KEBAB = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z]|[0-9]|$)|[A-Z]?[a-z]+|[0-9]+|[A-Z]+")
_VERSIONED = re.compile(r"^(?P<name>.+?)_?[vV](?P<n>[0-9]+)$")


def file_name(name: str, version: int) -> str:
    return f"{name}_v{version}.schema.json"


def words(name: str) -> list[str]:
    """``AIGenerationJobRequested`` -> ``["AI", "Generation", "Job", "Requested"]``."""
    return _WORD.findall(name)


def title_for(name: str) -> str:
    """A sentence-case title: ``AIGenerationJobRequested`` -> ``AI generation job requested``."""
    parts = words(name)
    return " ".join(
        part if i == 0 or (part.isupper() and len(part) > 1) else part.lower()
        for i, part in enumerate(parts)
    )


def event_type_for(domain: str, name: str, version: int = 1) -> str:
    """The catalog's eventType convention: domain words, then the rest of the name in snake case.

    ``("ai-generation", "AIGenerationJobRequested")`` -> ``ai.generation.job_requested.v1``.
    """
    domain_words = [w for w in domain.split("-") if w]
    name_words = [w.lower() for w in words(name)]
    rest = name_words
    # Drop the leading words of the name that repeat the domain (AIGeneration… in ai-generation).
    for count in range(min(len(domain_words), len(name_words)), 0, -1):
        if name_words[:count] == domain_words[:count]:
            rest = name_words[count:]
            break
    stem = "_".join(rest or name_words)
    return ".".join([*domain_words, stem]) + f".v{version}"


def check_name(name: str, domain: str) -> None:
    """Refuse an event name or domain folder that breaks the catalog's naming rules, with the
    same rule ids and wording as ``eventcat lint``."""
    if not isinstance(name, str) or not name:
        raise UsageError.at("the event needs a name, e.g. OrderPlaced", rule="event-name")
    where = f"{domain}/{file_name(name, 1)}" if re.fullmatch(r"[A-Za-z0-9_-]+", name) else None
    versioned = _VERSIONED.match(name)
    if versioned and PASCAL_CASE.match(versioned["name"]):
        raise UsageError.at(
            f"event name {name!r} carries a version; name it {versioned['name']!r}: the version "
            "is in the file name (_v1, _v2 …) and nowhere else",
            rule="event-name",
        )
    if not PASCAL_CASE.match(name):
        raise UsageError.at(
            f"event name {name!r} is not PascalCase (e.g. OrderPlaced)",
            rule="event-name",
            file=where,
        )
    if not isinstance(domain, str) or not _KEBAB.match(domain):
        raise UsageError.at(
            f"domain {domain!r} is not a kebab-case folder name (e.g. order-management)",
            rule="domain-undeclared",
            file=domain if isinstance(domain, str) else None,
        )


@dataclass(frozen=True)
class EventDraft:
    """A new event file not yet written: its catalog-relative ``path`` and its ``schema``.

    Edit ``schema`` freely (it is a plain dict), then write it with ``DesignCatalog.add(draft)``.
    """

    path: str
    schema: dict[str, Any]
    inference: Inference | None = field(default=None, repr=False, compare=False)

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1].split("_v")[0]

    @property
    def domain(self) -> str:
        return self.path.split("/", 1)[0]

    @property
    def meta(self) -> dict[str, Any]:
        meta = self.schema.setdefault("x-eventcat", {})
        assert isinstance(meta, dict)
        return meta

    @property
    def text(self) -> str:
        return dump_json(self.schema)

    def __repr__(self) -> str:
        meta = self.schema.get("x-eventcat", {})
        fields = self.schema.get("properties", {})
        return (
            f"EventDraft({self.path}, eventType={meta.get('eventType')!r}, "
            f"{len(fields) if isinstance(fields, dict) else 0} top-level fields)"
        )


def _consumers(consumers: Iterable[str | Mapping[str, Any]]) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = []
    for consumer in consumers:
        if isinstance(consumer, str):
            result.append({"service": consumer})
        elif isinstance(consumer, Mapping):
            result.append(dict(consumer))
        else:
            raise UsageError.at(
                f"a consumer is a service id or a mapping with 'service', not {consumer!r}",
                rule="usage",
            )
    return result


def default_producers(catalog: Catalog, domain: str) -> list[str]:
    """The first service declared in ``domain`` (catalog.yaml order), or none."""
    for key, service in catalog.services.items():
        if service.domain == domain:
            return [key]
    return []


def scaffold_event(
    catalog: Catalog,
    name: str,
    domain: str,
    *,
    samples: Iterable[Any] | Inference | None = None,
    payload_schema: Mapping[str, Any] | None = None,
    kind: str = "domain",
    producers: Sequence[str] | None = None,
    consumers: Iterable[str | Mapping[str, Any]] = (),
    owner: str | None = None,
    title: str | None = None,
    description: str | None = None,
    summary: str | None = None,
    event_type: str | None = None,
    enums: bool | Sequence[str] = False,
    status: str = "draft",
    meta: Mapping[str, Any] | None = None,
    today: dt.date | None = None,
) -> EventDraft:
    """Build ``<domain>/<name>_v1.schema.json`` from samples (or empty), with ``x-eventcat``
    filled from the catalog: the domain's owner, its first service as producer, the eventType
    by convention, ``lifecycle.status: draft``. Samples become the ``examples``.

    ``enums`` applies the inference's enum candidates (True: all; a list: those pointers).
    Raises :class:`UsageError` for a bad name, an undeclared domain or an unknown kind;
    everything else (undeclared services, vocabulary) is checked by lint when the draft is added.
    """
    check_name(name, domain)
    if domain not in catalog.domains:
        declared = ", ".join(sorted(catalog.domains)) or "none"
        raise UsageError.at(
            f"domain folder {domain!r} is not declared under `domains:` in catalog.yaml "
            f"(declared: {declared})",
            rule="domain-undeclared",
            file=f"{domain}/{file_name(name, 1)}",
        )
    if kind not in KINDS:
        raise UsageError.at(
            f"kind {kind!r} is not one of {', '.join(KINDS)}",
            rule="x-eventcat-invalid",
            file=f"{domain}/{file_name(name, 1)}",
            pointer="/x-eventcat/kind",
        )
    existing = catalog.event(name)
    if existing is not None:
        raise UsageError.at(
            f"event {name!r} already exists ({existing.latest.path}); evolve it with "
            f"bump or update instead",
            rule="event-name-duplicate",
            file=existing.latest.path,
        )

    inference: Inference | None = None
    if isinstance(samples, Inference):
        inference = samples
    elif samples is not None:
        inference = infer_schema(samples)
    if payload_schema is not None:
        body = {k: v for k, v in payload_schema.items() if k not in ("$schema", "x-eventcat")}
    elif inference is not None:
        if enums is True:
            chosen = inference.with_enums()
        elif enums:
            chosen = inference.with_enums(*enums)
        else:
            chosen = inference.schema
        body = {k: v for k, v in chosen.items() if k != "$schema"}
    else:
        body = {"type": "object", "properties": {}}

    producers = list(producers) if producers is not None else default_producers(catalog, domain)
    domain_owner = catalog.domains[domain].owner
    if owner is None:
        owner = domain_owner
        if owner is None and producers and producers[0] in catalog.services:
            owner = catalog.services[producers[0]].owner

    schema: dict[str, Any] = {
        "$schema": DRAFT_2020_12,
        "title": title or title_for(name),
        "description": description
        or f"TODO: what happened, who publishes {title_for(name).lower()} and why consumers care.",
    }
    schema.update(body)
    if "examples" not in schema:
        examples = list(inference.samples) if inference is not None else []
        schema["examples"] = examples or [{}]
    x: dict[str, Any] = {"eventType": event_type or event_type_for(domain, name), "kind": kind}
    if summary:
        x["summary"] = summary
    if owner:
        x["owner"] = owner
    x["producers"] = producers
    consumer_list = _consumers(consumers)
    if consumer_list:
        x["consumers"] = consumer_list
    x["lifecycle"] = {"status": status, "since": (today or dt.date.today()).isoformat()}
    if meta:
        x.update(meta)
    schema["x-eventcat"] = x
    return EventDraft(path=f"{domain}/{file_name(name, 1)}", schema=schema, inference=inference)
