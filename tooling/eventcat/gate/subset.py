"""Read only part of a catalog: the changed files, their ``$ref`` closure and their users.

The loader reads every file a source lists. The gate hands it a :class:`Subset` that lists only
the files a change needs (plus ``catalog.yaml`` and the envelope), so the cost of a run grows with
the change, not with the catalog; loader semantics are unchanged.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from eventcat.catalog.jsonfile import read_json
from eventcat.catalog.loader import SCHEMA_SUFFIX, SETTINGS_FILE
from eventcat.catalog.model import path_for, uri_for
from eventcat.catalog.refs import base_uri_of, document_of
from eventcat.catalog.schemawalk import walk
from eventcat.catalog.yamlfile import parse_yaml
from eventcat.errors import InputError
from eventcat.gate.confine import confined_file
from eventcat.report.findings import Finding


class Side(Protocol):
    """A catalog source the gate can also ask about single files."""

    label: str
    root: Path

    def exists(self, path: str) -> bool: ...

    def read(self, path: str) -> bytes: ...

    def problems(self) -> list[Finding]: ...


class WorkTreeSource:
    """The catalog folder in the work tree, asked file by file (it is never walked whole)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.label = str(root)
        self._real_root = root.resolve()
        self._problems: list[Finding] = []

    def exists(self, path: str) -> bool:
        ok, problem = confined_file(self.root, self._real_root, path)
        if problem is not None and problem not in self._problems:
            self._problems.append(problem)
        return ok

    def read(self, path: str) -> bytes:
        ok, problem = confined_file(self.root, self._real_root, path)
        if not ok:
            raise FileNotFoundError(2, problem.message if problem else "not a file", path)
        return (self.root / path).read_bytes()

    def problems(self) -> list[Finding]:
        return list(self._problems)


class Subset:
    """A :class:`~eventcat.catalog.source.CatalogSource` listing only ``paths`` of ``side``."""

    def __init__(self, side: Side, paths: Iterable[str]) -> None:
        self.side = side
        self.label = side.label
        self.root = side.root
        self._asked = set(paths)
        self._paths = sorted(p for p in self._asked if side.exists(p))
        self._cache: dict[str, bytes] = {}

    def paths(self) -> list[str]:
        return list(self._paths)

    def read(self, path: str) -> bytes:
        if path not in self._cache:
            self._cache[path] = self.side.read(path)
        return self._cache[path]

    def problems(self) -> list[Finding]:
        # Problems of every path asked for: a refused link "does not exist", yet must be reported.
        return [p for p in self.side.problems() if p.file in self._asked]


class Planner:
    """Works out which files of one side a change needs, reading each file at most once."""

    def __init__(self, side: Side, grep: Callable[[set[str]], set[str]]) -> None:
        self.side = side
        self._grep = grep
        self._parsed: dict[str, Any] = {}

    def schema(self, path: str) -> Any:
        """The parsed schema at ``path``, or None when it is missing or unreadable."""
        if path not in self._parsed:
            value: Any = None
            if self.side.exists(path):
                try:
                    value, _ = read_json(self.side.read(path), path)
                except (OSError, InputError):
                    value = None
            self._parsed[path] = value
        return self._parsed[path]

    def settings(self) -> dict[str, Any]:
        try:
            value = parse_yaml(self.side.read(SETTINGS_FILE).decode("utf-8-sig"), SETTINGS_FILE)
        except (OSError, UnicodeDecodeError, InputError):
            return {}
        return value if isinstance(value, dict) else {}

    def references(self, path: str) -> tuple[set[str], set[str]]:
        """Catalog files ``path`` references directly, and absolute URIs it references."""
        files: set[str] = set()
        uris: set[str] = set()
        schema = self.schema(path)
        if not isinstance(schema, dict):
            return files, uris
        for node in walk(schema):
            ref = node.schema.get("$ref") if isinstance(node.schema, dict) else None
            if not isinstance(ref, str):
                continue
            # Resolved as lint resolves it (one rule: eventcat.catalog.refs.document_of).
            document = document_of(path, schema, ref)
            target = path_for(document)
            if target is not None:
                files.add(target)
            if target is None or base_uri_of(path, schema) != uri_for(path):
                uris.add(document)  # may name a file by its $id
        return files, uris

    def closure(self, seeds: Iterable[str]) -> set[str]:
        """``seeds`` and every file they reference, transitively ($id references found by grep)."""
        needed: set[str] = set()
        stack = [p for p in seeds if p.endswith(SCHEMA_SUFFIX)]
        searched_uris: set[str] = set()
        while stack:
            path = stack.pop()
            if path in needed or not self.side.exists(path):
                continue
            needed.add(path)
            files, uris = self.references(path)
            stack.extend(files - needed)
            new_uris = uris - searched_uris
            if new_uris:
                searched_uris |= new_uris
                needles = {posixpath.basename(urlsplit(u).path) or u for u in new_uris}
                for candidate in self._grep(needles):
                    schema = self.schema(candidate)
                    if isinstance(schema, dict) and base_uri_of(candidate, schema) in new_uris:
                        stack.append(candidate)
        return needed

    def users(self, targets: Iterable[str]) -> set[str]:
        """Files that reference any of ``targets``, directly or through other files."""
        found: set[str] = set()
        frontier = {t for t in targets if t.endswith(SCHEMA_SUFFIX)}
        searched: set[str] = set()
        while frontier:
            searched |= frontier
            needles = {posixpath.basename(p) for p in frontier}
            for path in frontier:
                schema = self.schema(path)
                if (
                    isinstance(schema, dict)
                    and isinstance(schema.get("$id"), str)
                    and schema["$id"]
                ):
                    needles.add(posixpath.basename(urlsplit(schema["$id"]).path) or schema["$id"])
            hits = {p for p in self._grep(needles) if p.endswith(SCHEMA_SUFFIX)} - searched - found
            known = frontier | found
            ids = {base_uri_of(t, self.schema(t)) for t in known}  # once per round, not per hit
            new: set[str] = set()
            for candidate in sorted(hits):
                files, uris = self.references(candidate)
                if not files.isdisjoint(known) or not uris.isdisjoint(ids):
                    new.add(candidate)
            found |= new
            frontier = new - searched
        return found
