"""The state behind ``Designer(catalog)``: a form over :mod:`eventcat.design`, with no widgets.

:class:`DesignSession` holds what the form shows (samples, the field table, the event's metadata)
and does everything through the design API: inference (:func:`infer_schema`), scaffolding
(:func:`scaffold_event`), checking (``DesignCatalog.check``/``gate``, ``EventHandle.review``),
previews (:mod:`eventcat.design.preview`) and writing (``DesignCatalog.add``, ``EventHandle.update``
and ``bump``: the validated, atomic writes the CLI uses). The widget in
:mod:`eventcat.display.designer_widget` only binds controls to it, so tests drive the same
session headless.
"""

from __future__ import annotations

import copy
import difflib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventcat.catalog.jsonfile import read_json
from eventcat.design.api import DesignCatalog, EventHandle, ResultView, Review, open_catalog
from eventcat.design.infer import Inference, infer_schema
from eventcat.design.scaffold import KINDS, EventDraft, scaffold_event
from eventcat.design.write import Validation
from eventcat.errors import EventcatError, InputError, UsageError

FIELD_TYPES = ("string", "integer", "number", "boolean", "object", "array")
#: The keywords the field table edits itself; every other keyword of a field is kept as JSON.
_OWN = ("type", "format", "enum", "description")


def _vocabulary_enum(*path: str) -> tuple[str, ...]:
    """Allowed values of an ``x-eventcat`` keyword, read from the shipped vocabulary."""
    from eventcat.catalog.loader import vocabulary

    node: Any = vocabulary("x-eventcat.schema.json")["$defs"]
    for key in path:
        node = node[key]
    return tuple(str(v) for v in node.get("enum", ()))


@dataclass
class FieldRow:
    """One top-level payload field as the form edits it. ``extra`` holds its other keywords
    (constraints, nested ``properties``, ``items`` …) and is edited as JSON text."""

    name: str
    type: str = "string"
    nullable: bool = False
    required: bool = False
    format: str = ""
    enum: list[str] = field(default_factory=list)
    description: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_schema(cls, name: str, schema: Any, required: bool) -> FieldRow:
        sub = dict(schema) if isinstance(schema, dict) else {}
        kind = sub.get("type", "")
        types = kind if isinstance(kind, list) else [kind] if kind else []
        main = [t for t in types if t != "null"]
        row = cls(
            name=name,
            type=str(main[0]) if main else "",
            nullable="null" in types,
            required=required,
            format=str(sub.get("format", "")),
            enum=[str(v) for v in sub.get("enum", []) if v is not None],
            description=str(sub.get("description", "")),
        )
        if len(main) > 1:  # a multi-type field keeps its types in ``extra``
            row.type, row.extra["type"] = "", kind
        row.extra.update({k: v for k, v in sub.items() if k not in _OWN})
        return row

    def to_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {}
        if self.type:
            schema["type"] = [self.type, "null"] if self.nullable else self.type
        if self.format:
            schema["format"] = self.format
        if self.enum:
            schema["enum"] = [*self.enum, None] if self.nullable else list(self.enum)
        if self.description:
            schema["description"] = self.description
        schema.update(copy.deepcopy(self.extra))
        return schema

    @property
    def extra_json(self) -> str:
        return json.dumps(self.extra, ensure_ascii=False) if self.extra else ""


@dataclass
class ConsumerRow:
    service: str
    fields: list[str] = field(default_factory=list)
    handler: str = ""

    def to_meta(self) -> dict[str, Any]:
        meta: dict[str, Any] = {"service": self.service}
        if self.handler:
            meta["handler"] = self.handler
        if self.fields:
            meta["fields"] = list(self.fields)
        return meta


@dataclass(frozen=True)
class Written:
    """What "Write to catalog" did: the files written and their diff (git's unified format)."""

    paths: tuple[str, ...]
    diff: str


def parse_samples(text: str) -> list[Any]:
    """Samples pasted as text: one JSON object, a JSON array of them, or JSON Lines."""
    stripped = text.strip()
    if not stripped:
        return []
    try:
        value, _ = read_json(stripped.encode("utf-8"), "samples")
    except InputError as whole:
        lines = [line for line in stripped.splitlines() if line.strip()]
        if len(lines) < 2:
            raise
        try:  # JSON Lines: each line a sample, located as "sample N"
            return [read_json(line.encode("utf-8"), f"sample {i}")[0]
                    for i, line in enumerate(lines, start=1)]  # fmt: skip
        except InputError:
            raise whole from None
    return list(value) if isinstance(value, list) else [value]


class DesignSession:
    """A new event (``mode == "new"``) or an existing version (``"evolve"``) being designed."""

    def __init__(self, catalog: DesignCatalog | str | Path) -> None:
        self.catalog = catalog if isinstance(catalog, DesignCatalog) else open_catalog(catalog)
        self.new()

    def new(self) -> None:
        """Start a new event: the form is emptied (the catalog's choices stay)."""
        self.mode = "new"
        self.name = ""
        self.domain = ""
        self.kind = "domain"
        self.owner = ""
        self.producers: list[str] = []
        self.consumers: list[ConsumerRow] = []
        self.channel: dict[str, str] = {}
        self.status = "draft"
        self.summary = ""
        self.description = ""
        self.samples: list[Any] = []
        self.inference: Inference | None = None
        self.fields: list[FieldRow] = []
        self.closed = False  # additionalProperties: false
        self.event: EventHandle | None = None
        self.version: int | None = None
        self._base: dict[str, Any] = {}  # evolve: the file as opened

    # -- what catalog.yaml and the vocabulary offer ------------------------------------------

    @property
    def domains(self) -> tuple[str, ...]:
        return tuple(self.catalog.model.domains)

    @property
    def teams(self) -> tuple[str, ...]:
        return tuple(self.catalog.model.teams)

    @property
    def services(self) -> tuple[str, ...]:
        return tuple(self.catalog.model.services)

    @property
    def kinds(self) -> tuple[str, ...]:
        return KINDS

    @property
    def statuses(self) -> tuple[str, ...]:
        return _vocabulary_enum("lifecycle", "properties", "status")

    @property
    def brokers(self) -> tuple[str, ...]:
        return _vocabulary_enum("channel", "properties", "broker")

    @property
    def exchanges(self) -> tuple[str, ...]:
        """Exchanges and topics the catalog's events already use (suggestions)."""
        seen = {
            str(v.meta["channel"][key])
            for v in self.catalog.model.versions()
            if isinstance(v.meta.get("channel"), dict)
            for key in ("exchange", "topic")
            if isinstance(v.meta["channel"].get(key), str)
        }
        return tuple(sorted(seen))

    @property
    def event_names(self) -> tuple[str, ...]:
        return tuple(e.name for e in self.catalog.events)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(row.name for row in self.fields if row.name)

    # -- samples and fields ------------------------------------------------------------------

    def load_samples(self, samples: str | Iterable[Any]) -> Inference:
        """Infer the field table from samples: text (JSON, a JSON array, JSON Lines) or values
        (dicts, JSON text, file ``Path``s). The samples become the schema's ``examples``."""
        values = parse_samples(samples) if isinstance(samples, str) else list(samples)
        inference = infer_schema(values)
        self.inference = inference
        self.samples = list(inference.samples)
        required = inference.schema.get("required", [])
        properties = inference.schema.get("properties", {})
        self.fields = [FieldRow.from_schema(n, s, n in required) for n, s in properties.items()]
        return inference

    def load_sample_file(self, path: str | Path) -> Inference:
        """Samples from a file: JSON (an object or an array of them) or JSON Lines."""
        target = Path(path)
        try:
            text = target.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            reason = err.strerror if isinstance(err, OSError) else "not UTF-8 text"
            raise InputError.at(f"cannot read samples: {reason}", rule="file-unreadable",
                                file=str(target)) from None  # fmt: skip
        return self.load_samples(text)

    def row(self, name: str) -> FieldRow:
        for row in self.fields:
            if row.name == name:
                return row
        raise UsageError.at(f"no field {name!r}; fields: {', '.join(self.field_names)}",
                            rule="usage")  # fmt: skip

    def set_field(self, name: str, **changes: Any) -> FieldRow:
        """Change one field's ``type``, ``nullable``, ``required``, ``format``, ``enum`` (a list or
        comma-separated text), ``description``, ``name`` or ``extra`` (a dict or JSON text)."""
        row = self.row(name)
        for key, value in changes.items():
            if key not in {"type", "nullable", "required", "format", "enum", "description", "name",
                           "extra"}:  # fmt: skip
                raise UsageError.at(f"a field has no setting {key!r}", rule="usage")
            if key == "enum" and isinstance(value, str):
                value = [v.strip() for v in value.split(",") if v.strip()]
            elif key == "extra" and isinstance(value, str):
                parsed = json.loads(value) if value.strip() else {}
                if not isinstance(parsed, dict):
                    raise InputError.at("a field's other keywords are a JSON object",
                                        rule="usage", pointer=f"/properties/{name}")  # fmt: skip
                value = parsed
            setattr(row, key, value)
        return row

    def add_field(self, name: str, type: str = "string", **changes: Any) -> FieldRow:
        if name in self.field_names:
            raise UsageError.at(f"field {name!r} already exists", rule="usage")
        self.fields.append(FieldRow(name=name, type=type))
        return self.set_field(name, **changes) if changes else self.fields[-1]

    def remove_field(self, name: str) -> None:
        self.fields.remove(self.row(name))

    def accept_enum(self, name: str) -> FieldRow:
        """Apply the inference's enum candidate for a field."""
        candidates = self.inference.enum_candidates if self.inference else {}
        values = candidates.get(f"/properties/{name}")
        if values is None:
            raise UsageError.at(f"no enum candidate for {name!r}", rule="usage")
        return self.set_field(name, enum=list(values))

    def payload(self) -> dict[str, Any]:
        """The payload part of the schema the field table describes."""
        body: dict[str, Any] = {"type": "object"}
        required = [r.name for r in self.fields if r.required and r.name]
        if required:
            body["required"] = required
        body["properties"] = {r.name: r.to_schema() for r in self.fields if r.name}
        if self.closed:
            body["additionalProperties"] = False
        return body

    # -- the file ----------------------------------------------------------------------------

    @property
    def path(self) -> str:
        if self.mode == "evolve" and self.event is not None:
            return str(self._target().path)
        return f"{self.domain}/{self.name}_v1.schema.json"

    def draft(self) -> EventDraft:
        """The new event's file (mode "new"), built by :func:`scaffold_event`."""
        channel = {k: v for k, v in self.channel.items() if v}
        return scaffold_event(
            self.catalog.model,
            self.name,
            self.domain,
            samples=self.inference,
            payload_schema=self.payload(),
            kind=self.kind,
            producers=list(self.producers),
            consumers=[c.to_meta() for c in self.consumers if c.service],
            owner=self.owner or None,
            description=self.description or None,
            summary=self.summary or None,
            status=self.status,
            meta={"channel": channel} if channel else None,
        )

    def schema(self) -> dict[str, Any]:
        """The whole file the form describes."""
        if self.mode == "new":
            return self.draft().schema
        schema = copy.deepcopy(self._base)
        for key in ("type", "required", "properties", "additionalProperties"):
            schema.pop(key, None)
        payload = self.payload()
        if "additionalProperties" in self._base and not self.closed:
            payload["additionalProperties"] = self._base["additionalProperties"]
        rest = {k: v for k, v in schema.items() if k not in ("examples", "x-eventcat")}
        if self.description:
            rest["description"] = self.description
        meta = schema.get("x-eventcat", {})
        meta.update(self._meta_changes(meta))
        result = {**rest, **payload}
        if "examples" in schema:
            result["examples"] = schema["examples"]
        result["x-eventcat"] = meta
        return result

    def _meta_changes(self, meta: Mapping[str, Any]) -> dict[str, Any]:
        changes: dict[str, Any] = {"producers": list(self.producers), "kind": self.kind}
        if self.owner:
            changes["owner"] = self.owner
        consumers = [c.to_meta() for c in self.consumers if c.service]
        old = {c.get("service"): c for c in meta.get("consumers", []) if isinstance(c, dict)}
        changes["consumers"] = [{**old.get(c["service"], {}), **c} for c in consumers]
        lifecycle = dict(meta.get("lifecycle") or {})
        lifecycle["status"] = self.status
        changes["lifecycle"] = lifecycle
        if self.summary:
            changes["summary"] = self.summary
        channel = {
            **dict(meta.get("channel") or {}),
            **{k: v for k, v in self.channel.items() if v},
        }
        if channel:
            changes["channel"] = channel
        return changes

    def changes(self) -> dict[str, dict[str, Any]]:
        return {self.path: self.schema()}

    # -- the live panels ---------------------------------------------------------------------

    def check(self) -> Validation:
        """Every lint check with the file in place (nothing written)."""
        return self.catalog.check(self.changes())

    def gate(self) -> ResultView:
        """What ``eventcat check --against HEAD`` says about the change (which consumers break,
        with a counterexample, for an existing event)."""
        return self.catalog.gate(self.changes())

    def review(self) -> Review:
        """Evolve mode: may this change stay inside the version, or does it need ``_v<N+1>``?"""
        handle = self._handle()
        return handle.review(self.schema(), self.version)

    def model(self) -> Any:
        """The Pydantic module ``eventcat gen python`` would generate for the file."""
        from eventcat.design.preview import model_preview

        validation = self._clean_check()
        return model_preview(validation.after, self.path)

    def docs(self) -> Any:
        """The file's page on the docs site, its flow diagram included."""
        from eventcat.design.preview import page_preview

        validation = self._clean_check()
        return page_preview(validation.after, self.path)

    def _clean_check(self) -> Validation:
        validation = self.check()
        if any(f.unreadable for f in validation.errors) or self.path not in validation.after.files:
            validation.raise_for_errors()
        return validation

    # -- writing -----------------------------------------------------------------------------

    def write(self) -> Written:
        """Write the file with the catalog's validated, atomic write (``CatalogError`` and
        nothing written if any check fails). Evolve mode writes in place."""
        changes = self.changes()
        before = self._contents(changes)
        if self.mode == "new":
            self.catalog.add(self.draft_for_write(changes))
        else:
            self._handle().update(changes[self.path], self.version)
        return self._written(before)

    def draft_for_write(self, changes: Mapping[str, dict[str, Any]]) -> EventDraft:
        return EventDraft(path=self.path, schema=changes[self.path], inference=self.inference)

    def bump(self, *, deprecate: bool = True, reason: str | None = None) -> Written:
        """Evolve mode: publish the edited schema as ``_v<N+1>`` (the old version deprecated,
        pointing at the new one, when ``deprecate``), then open the new version."""
        handle = self._handle()
        planned = handle.bump_changes(self.schema(), deprecate=deprecate, reason=reason)
        before = self._contents(planned)
        created = handle.bump(self.schema(), deprecate=deprecate, reason=reason)
        written = self._written(before)
        self.open(handle.name, created.version)
        return written

    def _contents(self, changes: Mapping[str, Any]) -> dict[str, str | None]:
        found: dict[str, str | None] = {}
        for path in changes:
            target = self.catalog.root / path
            found[path] = target.read_text(encoding="utf-8") if target.exists() else None
        return found

    def _written(self, before: Mapping[str, str | None]) -> Written:
        # difflib (the standard library) with git's headers: the catalog folder need not be a
        # git work tree (notebooks work on a temporary copy).
        parts = []
        for path, old in before.items():
            new = (self.catalog.root / path).read_text(encoding="utf-8")
            head = [f"diff --git a/{path} b/{path}\n"]
            if old is None:
                head.append("new file mode 100644\n")
            lines = difflib.unified_diff(
                (old or "").splitlines(keepends=True),
                new.splitlines(keepends=True),
                fromfile="/dev/null" if old is None else f"a/{path}",
                tofile=f"b/{path}",
            )
            parts.append("".join(head) + "".join(lines))
        return Written(tuple(before), "".join(parts))

    # -- evolve ------------------------------------------------------------------------------

    def open(self, name: str, version: int | None = None) -> None:
        """Evolve an existing event version (the latest by default): the form shows its file."""
        handle = self.catalog.event(name)
        self.event, self.mode = handle, "evolve"
        target = handle._version(version)
        self.version = target.version
        self._base = handle.schema(target.version)
        meta = self._base.get("x-eventcat", {})
        self.name, self.domain = target.name, target.domain
        self.kind = str(meta.get("kind", "domain"))
        self.owner = str(meta.get("owner", ""))
        self.producers = [str(p) for p in meta.get("producers", [])]
        self.consumers = [
            ConsumerRow(str(c.get("service", "")), [str(f) for f in c.get("fields", [])],
                        str(c.get("handler", "")))
            for c in meta.get("consumers", []) if isinstance(c, dict)
        ]  # fmt: skip
        channel = meta.get("channel", {})
        self.channel = {k: str(v) for k, v in channel.items() if isinstance(v, str)}
        self.status = str(meta.get("lifecycle", {}).get("status", "draft"))
        self.summary = str(meta.get("summary", ""))
        self.description = str(self._base.get("description", ""))
        required = self._base.get("required", [])
        properties = self._base.get("properties", {})
        self.fields = [FieldRow.from_schema(n, s, n in required) for n, s in properties.items()]
        self.closed = self._base.get("additionalProperties") is False
        self.samples, self.inference = [], None

    def _handle(self) -> EventHandle:
        if self.mode != "evolve" or self.event is None:
            raise UsageError.at("open an existing event first (evolve mode)", rule="usage")
        return self.event

    def _target(self) -> Any:
        return self._handle()._version(self.version)


def error_text(error: EventcatError) -> str:
    """An error as the CLI prints it (one located line per problem)."""
    from eventcat.design.notebook import error_lines

    return error_lines(error)
