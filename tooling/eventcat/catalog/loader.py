"""Read a catalog folder (or git tree) into the frozen model, collecting every problem."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from eventcat.catalog.jsonfile import read_json
from eventcat.catalog.model import (
    Catalog,
    CompatibilitySettings,
    Domain,
    Envelope,
    Event,
    EventVersion,
    SchemaFile,
    Service,
    Team,
)
from eventcat.catalog.refs import RefChecker, registry_for
from eventcat.catalog.source import CatalogSource, FolderSource
from eventcat.catalog.yamlfile import parse_yaml
from eventcat.errors import CatalogError, InputError
from eventcat.report.findings import Finding, Severity

SETTINGS_FILE = "catalog.yaml"
#: Files the catalog may hold beside schemas; other tools own them.
KNOWN_FILES = {SETTINGS_FILE, "waivers.yaml", "README.md"}
SCHEMA_SUFFIX = ".schema.json"
FILE_NAME = re.compile(r"^(?P<name>[^/]+)_v(?P<version>[0-9]+)\.schema\.json$")
PASCAL_CASE = re.compile(r"^[A-Z][a-z0-9]*(?:[A-Z][a-z0-9]*)*$|^[A-Z][A-Za-z0-9]*$")


def load_schema_text(data: bytes, path: str) -> SchemaFile:
    """Parse one schema file's bytes (raises ``InputError``)."""
    schema, text = read_json(data, path)
    return SchemaFile(path=path, schema=schema, text=text)


def read_catalog(source: CatalogSource | Path | str) -> Catalog:
    """Read every file of a catalog into a model; problems are collected, not raised.

    Raises :class:`CatalogError` only when there is no catalog at all (no folder, no
    ``catalog.yaml``). Lint reports ``catalog.problems`` together with its own findings.
    """
    if not hasattr(source, "paths"):
        root = Path(source)
        if not root.is_dir():
            raise CatalogError.at(
                f"catalog folder {str(root)!r} does not exist; pass --catalog DIR",
                rule="catalog-missing",
                file=str(root),
            )
        source = FolderSource(root)
    assert not isinstance(source, Path | str)
    return _Reader(source).read()


def _located(finding: Finding, files: Mapping[str, SchemaFile]) -> Finding:
    file = files.get(finding.file or "")
    if finding.line is None and file is not None and finding.pointer:
        line = file.line_of(finding.pointer)
        if line is not None:
            return Finding(**{**finding.__dict__, "line": line})
    return finding


class _Reader:
    def __init__(self, source: CatalogSource) -> None:
        self.source = source
        self.problems: list[Finding] = list(source.problems())
        self.settings_text = ""

    def problem(
        self,
        rule: str,
        file: str | None,
        message: str,
        pointer: str = "",
        severity: Severity = Severity.ERROR,
        unreadable: bool = False,
    ) -> None:
        self.problems.append(
            Finding(
                file=file,
                pointer=pointer,
                rule=rule,
                severity=severity,
                message=message,
                unreadable=unreadable,
            )
        )

    def read(self) -> Catalog:
        paths = self.source.paths()
        if SETTINGS_FILE not in paths:
            raise CatalogError.at(
                f"no {SETTINGS_FILE} in {self.source.label}; every catalog declares its settings, "
                "teams, domains and services there",
                rule="catalog-missing",
                file=SETTINGS_FILE,
            )
        settings = self._read_settings()
        files = self._read_schemas(paths)
        checker = RefChecker(files)
        checker.check()
        self.problems.extend(checker.findings)

        defaults = CompatibilitySettings().overridden(_mapping(settings.get("compatibility")))
        envelope = self._envelope(settings, files)
        events, fragments = self._events(files, defaults, envelope)
        problems = tuple(_located(p, files) for p in self.problems)
        registry = registry_for(files)
        return Catalog(
            root=Path(getattr(self.source, "root", self.source.label)),
            name=str(settings.get("name", "")),
            description=str(settings.get("description", "")),
            settings=defaults,
            teams=MappingProxyType(_teams(settings)),
            domains=MappingProxyType(_domains(settings)),
            services=MappingProxyType(_services(settings)),
            events=events,
            envelope=envelope,
            fragments=fragments,
            files=MappingProxyType(files),
            references=MappingProxyType(
                {path: frozenset(targets) for path, targets in checker.references.items()}
            ),
            registry=registry,
            raw_settings=MappingProxyType(settings),
            settings_text=self.settings_text,
            problems=problems,
        )

    # -- catalog.yaml ---------------------------------------------------------------------------

    def _read_settings(self) -> dict[str, Any]:
        try:
            data = self.source.read(SETTINGS_FILE)
            text = data.decode("utf-8-sig")
            self.settings_text = text
            value = parse_yaml(text, SETTINGS_FILE)
        except UnicodeDecodeError:
            self.problem(
                "encoding", SETTINGS_FILE, "not UTF-8; save the file as UTF-8", unreadable=True
            )
            return {}
        except OSError as err:
            self.problem(
                "file-unreadable", SETTINGS_FILE, f"cannot read: {err.strerror}", unreadable=True
            )
            return {}
        except InputError as err:
            self.problems.extend(err.problems)
            return {}
        if value is None:
            value = {}
        if not isinstance(value, dict):
            self.problem(
                "catalog-invalid",
                SETTINGS_FILE,
                f"catalog.yaml must be a mapping, not {type(value).__name__}",
            )
            return {}
        return value

    # -- schema files ---------------------------------------------------------------------------

    def _read_schemas(self, paths: list[str]) -> dict[str, SchemaFile]:
        files: dict[str, SchemaFile] = {}
        for path in paths:
            if path in KNOWN_FILES:
                continue
            if not path.endswith(SCHEMA_SUFFIX):
                if path.endswith((".json", ".yaml", ".yml")):
                    self.problem(
                        "stray-file",
                        path,
                        f"not read: schema files end in {SCHEMA_SUFFIX}; rename or move it",
                        severity=Severity.WARNING,
                    )
                continue
            try:
                data = self.source.read(path)
                file = load_schema_text(data, path)
            except OSError as err:
                self.problem(
                    "file-unreadable", path, f"cannot read: {err.strerror}", unreadable=True
                )
                continue
            except InputError as err:  # its problems are marked unreadable already
                self.problems.extend(err.problems)
                continue
            if not isinstance(file.schema, dict):
                self.problem(
                    "schema-invalid",
                    path,
                    f"the root must be a JSON object (a schema), not {type(file.schema).__name__}",
                    unreadable=True,
                )
                continue
            files[path] = file
        return files

    def _envelope(
        self, settings: Mapping[str, Any], files: Mapping[str, SchemaFile]
    ) -> Envelope | None:
        spec = _mapping(settings.get("envelope"))
        path = spec.get("schema")
        if not isinstance(path, str):
            return None
        file = files.get(path)
        if file is None:
            self.problem(
                "envelope-missing",
                SETTINGS_FILE,
                f"envelope schema {path!r} is not a readable schema file of the catalog",
                pointer="/envelope/schema",
            )
            return None
        return Envelope(
            file=file,
            payload_property=str(spec.get("payloadProperty", "payload")),
            type_property=str(spec.get("typeProperty", "type")),
        )

    def _events(
        self,
        files: Mapping[str, SchemaFile],
        defaults: CompatibilitySettings,
        envelope: Envelope | None,
    ) -> tuple[tuple[Event, ...], tuple[SchemaFile, ...]]:
        grouped: dict[tuple[str, str], list[EventVersion]] = defaultdict(list)
        fragments: list[SchemaFile] = []
        for path, file in files.items():
            parts = path.split("/")
            match = FILE_NAME.match(parts[-1])
            if len(parts) != 2:
                self.problem(
                    "file-location",
                    path,
                    "schema files live one folder deep: <domain>/<EventName>_v<N>.schema.json "
                    "(or _shared/, _envelope/)",
                )
                continue
            folder = parts[0]
            if match is None:
                self.problem(
                    "file-name",
                    path,
                    "name it <EventName>_v<N>.schema.json, N = 1, 2, 3 …",
                )
                continue
            if folder.startswith("_"):
                if envelope is None or envelope.file.path != path:
                    fragments.append(file)
                continue
            raw = file.schema.get("x-eventcat") if isinstance(file.schema, dict) else None
            compat = _mapping(raw.get("compatibility")) if isinstance(raw, dict) else {}
            grouped[(folder, match["name"])].append(
                EventVersion(
                    name=match["name"],
                    version=int(match["version"]),
                    domain=folder,
                    file=file,
                    compatibility=defaults.overridden(compat),
                )
            )
        events = tuple(
            Event(
                name=name, domain=domain, versions=tuple(sorted(versions, key=lambda v: v.version))
            )
            for (domain, name), versions in sorted(grouped.items())
        )
        return events, tuple(sorted(fragments, key=lambda f: f.path))


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _teams(settings: Mapping[str, Any]) -> dict[str, Team]:
    result = {}
    for key, raw in _mapping(settings.get("teams")).items():
        raw = _mapping(raw)
        members = raw.get("members")
        result[key] = Team(
            id=key,
            name=_str(raw.get("name")) or key,
            description=_str(raw.get("description")) or "",
            email=_str(raw.get("email")),
            slack=_str(raw.get("slack")),
            members=tuple(m for m in members if isinstance(m, str))
            if isinstance(members, list)
            else (),
        )
    return result


def _domains(settings: Mapping[str, Any]) -> dict[str, Domain]:
    result = {}
    for key, raw in _mapping(settings.get("domains")).items():
        raw = _mapping(raw)
        result[key] = Domain(
            id=key,
            name=_str(raw.get("name")) or key,
            description=_str(raw.get("description")) or "",
            owner=_str(raw.get("owner")),
            system=_str(raw.get("system")),
        )
    return result


def _services(settings: Mapping[str, Any]) -> dict[str, Service]:
    result = {}
    for key, raw in _mapping(settings.get("services")).items():
        raw = _mapping(raw)
        result[key] = Service(
            id=key,
            name=_str(raw.get("name")) or key,
            description=_str(raw.get("description")) or "",
            owner=_str(raw.get("owner")),
            domain=_str(raw.get("domain")),
            technology=_str(raw.get("technology")),
            repository=_str(raw.get("repository")),
            external=raw.get("external") is True,
        )
    return result


def vocabulary(name: str) -> Any:
    """A JSON Schema shipped in the package (``x-eventcat.schema.json``, ``catalog.schema.json``)."""
    return json.loads(resources.files("eventcat.schemas").joinpath(name).read_text("utf-8"))


__all__ = ["read_catalog", "vocabulary"]
