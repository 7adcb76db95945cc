"""The design API notebooks and ``eventcat new``/``bump`` stand on.

>>> from eventcat.design import open_catalog
>>> cat = open_catalog("catalog")                        # a folder you may write to
>>> draft = cat.new_event("OrderShipped", "orders", samples=[...])
>>> cat.add(draft)                                       # lint + atomic write, or CatalogError
>>> cat.event("OrderShipped").update(edited_schema)      # in place: compatible + additive only
>>> cat.event("OrderShipped").bump(new_schema, deprecate=True)   # _v2, old one deprecated

Every write validates first (see :mod:`eventcat.design.write`) and raises
:class:`eventcat.CatalogError` with the same located problems the CLI prints.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from eventcat.catalog.loader import read_catalog
from eventcat.catalog.model import Catalog, Event, EventVersion
from eventcat.design.infer import Inference, infer_schema
from eventcat.design.scaffold import EventDraft, file_name, scaffold_event
from eventcat.design.write import (
    Validation,
    apply_changes,
    recover_interrupted_write,
    validate_changes,
)
from eventcat.errors import CatalogError, UsageError
from eventcat.report.findings import Finding
from eventcat.report.render import Result

#: Days between deprecating a version and its sunset when no date is given.
DEFAULT_SUNSET_DAYS = 90
_TYPE_VERSION = re.compile(r"\.v[0-9]+$")


def open_catalog(path: str | Path = "catalog") -> DesignCatalog:
    """Open a catalog folder for designing: reading, checking and safe writing.

    A write that was interrupted (a killed ``bump``) is rolled back first.
    """
    if Path(path).is_dir():
        recover_interrupted_write(path)
    catalog = DesignCatalog(Path(path))
    catalog.model  # noqa: B018 -- fail now, with the CLI's message, if there is no catalog
    return catalog


@dataclass(frozen=True)
class ResultView:
    """A lint or gate result as the CLI would report it: ``ok``, ``exit_code``, ``findings``,
    and its text report as ``repr`` (Jupyter draws it through :mod:`eventcat.display`)."""

    result: Result

    @property
    def ok(self) -> bool:
        return self.result.ok

    @property
    def exit_code(self) -> int:
        return self.result.exit_code

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.result.findings

    def __repr__(self) -> str:
        from eventcat.report.render import render_text

        return render_text(self.result)


@dataclass(frozen=True)
class Review:
    """A proposed change to one event, checked but not written: what lint, the compatibility
    engine and (where installed) the gate say about it."""

    path: str
    validation: Validation = field(repr=False)
    report: Any = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return self.validation.ok

    @property
    def verdict(self) -> str:
        return str(self.report.verdict) if self.report is not None else "new file"

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.validation.findings

    def __repr__(self) -> str:
        lines = [f"Review({self.path}: {'ok' if self.ok else 'refused'}, verdict={self.verdict})"]
        lines += [f"  {f.render()}" for f in self.findings]
        return "\n".join(lines)


class DesignCatalog:
    """A catalog folder opened for design work. ``model`` is the loaded catalog (reloaded after
    every write); ``add``, ``event(name).update`` and ``event(name).bump`` write safely."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._model: Catalog | None = None

    # -- reading ---------------------------------------------------------------------------

    @property
    def model(self) -> Catalog:
        if self._model is None:
            self._model = read_catalog(self.root)
        return self._model

    def reload(self) -> Catalog:
        self._model = None
        return self.model

    @property
    def events(self) -> tuple[Event, ...]:
        return self.model.events

    def event(self, name: str) -> EventHandle:
        """An event by name (``OrderPlaced``) or by eventType (``orders.order_placed.v1``)."""
        event = self.model.event(name)
        if event is None:
            version = self.model.by_event_type(name)
            event = self.model.event(version.name) if version is not None else None
        if event is None:
            close = sorted(e.name for e in self.model.events if name.lower() in e.name.lower())
            hint = f"; did you mean {', '.join(close[:3])}?" if close else ""
            raise UsageError.at(
                f"no event {name!r} in the catalog{hint}", rule="usage", file=str(self.root)
            )
        return EventHandle(self, event.name)

    def lint(self) -> ResultView:
        """Every lint finding of the catalog as it is on disk (renders as a table)."""
        from eventcat.lint import lint_catalog

        model = self.model
        versions = sum(len(e.versions) for e in model.events)
        result = Result("lint", tuple(lint_catalog(model)), base=str(self.root))
        state = "ok" if result.ok else "failed"
        summary = f"{state}: {len(model.files)} schema files, {len(model.events)} events, {versions} versions"
        return ResultView(replace(result, summary=summary))

    # -- designing ---------------------------------------------------------------------------

    def infer(self, samples: Iterable[Any], *, title: str | None = None) -> Inference:
        """A draft schema from sample payloads; see :func:`eventcat.design.infer_schema`."""
        return infer_schema(samples, title=title)

    def new_event(self, name: str, domain: str, **options: Any) -> EventDraft:
        """A draft ``<domain>/<name>_v1.schema.json``; see :func:`scaffold_event` for options."""
        return scaffold_event(self.model, name, domain, **options)

    def check(self, changes: EventDraft | Mapping[str, Any]) -> Validation:
        """Validate a draft or a mapping path -> content without writing anything."""
        return validate_changes(self.root, _as_changes(changes))

    def gate(self, changes: EventDraft | Mapping[str, Any]) -> ResultView:
        """What ``eventcat check --against HEAD`` would report for these changes."""
        from eventcat.design.preview import gate_preview

        return ResultView(gate_preview(self.root, _as_changes(changes)))

    # -- writing -----------------------------------------------------------------------------

    def add(self, draft: EventDraft) -> EventVersion:
        """Write a new event file after every lint check passed; raise ``CatalogError`` if not."""
        if (self.root / draft.path).exists():
            raise CatalogError.at(
                f"{draft.path} already exists; change it with event(...).update() or bump()",
                rule="file-exists",
                file=draft.path,
            )
        self.write({draft.path: draft.schema})
        version = self.model.by_path(draft.path)
        assert version is not None
        return version

    def write(self, changes: Mapping[str, Any]) -> list[Path]:
        """Validate and write any set of changes (path -> content); the catalog is reloaded."""
        validation = validate_changes(self.root, changes)
        written = apply_changes(self.root, validation)
        self.reload()
        return written

    # -- rendering ---------------------------------------------------------------------------

    def __repr__(self) -> str:
        model = self._model
        count = f", {len(model.events)} events" if model is not None else ""
        return f"DesignCatalog({str(self.root)!r}{count})"


def _as_changes(changes: EventDraft | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(changes, EventDraft):
        return {changes.path: changes.schema}
    return dict(changes)


class EventHandle:
    """One event of a :class:`DesignCatalog`: its versions, and safe ways to change it."""

    def __init__(self, catalog: DesignCatalog, name: str) -> None:
        self.catalog = catalog
        self.name = name

    @property
    def model(self) -> Event:
        event = self.catalog.model.event(self.name)
        if event is None:
            raise UsageError.at(f"event {self.name!r} is no longer in the catalog", rule="usage")
        return event

    @property
    def latest(self) -> EventVersion:
        return self.model.latest

    @property
    def versions(self) -> tuple[EventVersion, ...]:
        return self.model.versions

    def _version(self, version: int | None) -> EventVersion:
        if version is None:
            return self.latest
        found = self.model.version(version)
        if found is None:
            raise UsageError.at(
                f"{self.name} has no version {version} "
                f"(has {', '.join(str(v.version) for v in self.versions)})",
                rule="usage",
            )
        return found

    def schema(self, version: int | None = None) -> dict[str, Any]:
        """A deep copy of a version's schema (the latest by default) to edit."""
        schema = copy.deepcopy(self._version(version).schema)
        assert isinstance(schema, dict)
        return schema

    def review(self, new_schema: Mapping[str, Any], version: int | None = None) -> Review:
        """Check ``new_schema`` as an in-place change of a version, without writing it."""
        target = self._version(version)
        validation = validate_changes(self.catalog.root, {target.path: dict(new_schema)})
        return Review(target.path, validation, validation.reports.get(target.path))

    def gate(self, new_schema: Mapping[str, Any], version: int | None = None) -> ResultView:
        """What the CI gate would report if ``new_schema`` replaced a version in place."""
        return self.catalog.gate({self._version(version).path: dict(new_schema)})

    def update(self, new_schema: Mapping[str, Any], version: int | None = None) -> EventVersion:
        """Change a version in place. Refused (``CatalogError``) unless it lints clean and is
        compatible and additive under the event's settings; the fix for a refusal is bump()."""
        target = self._version(version)
        self.catalog.write({target.path: dict(new_schema)})
        updated = self.catalog.model.by_path(target.path)
        assert updated is not None
        return updated

    def bump_changes(
        self,
        new_schema: Mapping[str, Any] | None = None,
        *,
        deprecate: bool = False,
        sunset: dt.date | str | None = None,
        reason: str | None = None,
        status: str | None = None,
        today: dt.date | None = None,
    ) -> dict[str, dict[str, Any]]:
        """The files :meth:`bump` would write (path -> schema), without writing them."""
        latest = self.latest
        today = today or dt.date.today()
        number = latest.version + 1
        schema = copy.deepcopy(dict(new_schema) if new_schema is not None else latest.schema)
        meta = schema.get("x-eventcat")
        if not isinstance(meta, dict):
            meta = copy.deepcopy(dict(latest.meta))
            schema["x-eventcat"] = meta
        old_type = latest.event_type or ""
        event_type = meta.get("eventType")
        if not isinstance(event_type, str) or event_type == old_type or not event_type:
            event_type = _TYPE_VERSION.sub("", old_type or "") + f".v{number}"
            meta["eventType"] = event_type
        meta["lifecycle"] = {
            "status": status or ("active" if deprecate else "draft"),
            "since": today.isoformat(),
        }
        new_path = f"{latest.domain}/{file_name(self.name, number)}"
        changes: dict[str, dict[str, Any]] = {new_path: schema}
        if deprecate:
            old = copy.deepcopy(latest.schema)
            if isinstance(sunset, dt.date):
                sunset_text = sunset.isoformat()
            elif sunset is None:
                sunset_text = (today + dt.timedelta(days=DEFAULT_SUNSET_DAYS)).isoformat()
            else:
                sunset_text = str(sunset)
            lifecycle = dict(old["x-eventcat"].get("lifecycle") or {})
            lifecycle.update(status="deprecated", sunset=sunset_text, replacement=event_type)
            if reason:
                lifecycle["reason"] = reason
            old["x-eventcat"]["lifecycle"] = lifecycle
            changes[latest.path] = old
        return changes

    def bump(
        self,
        new_schema: Mapping[str, Any] | None = None,
        *,
        deprecate: bool = False,
        sunset: dt.date | str | None = None,
        reason: str | None = None,
        status: str | None = None,
    ) -> EventVersion:
        """Write ``<Name>_v<N+1>.schema.json``: ``new_schema`` (or a copy of the latest version)
        with the eventType suffix moved to ``.v<N+1>``; with ``deprecate=True`` the latest
        version becomes deprecated (sunset in 90 days unless given) with the new eventType as its
        replacement. Validated like every write; nothing is written if anything fails."""
        changes = self.bump_changes(
            new_schema, deprecate=deprecate, sunset=sunset, reason=reason, status=status
        )
        new_path = next(iter(changes))
        if (self.catalog.root / new_path).exists():
            raise CatalogError.at(f"{new_path} already exists", rule="file-exists", file=new_path)
        self.catalog.write(changes)
        created = self.catalog.model.by_path(new_path)
        assert created is not None
        return created

    def __repr__(self) -> str:
        versions = ", ".join(f"v{v.version} ({v.status})" for v in self.versions)
        return f"EventHandle({self.name}: {versions})"
