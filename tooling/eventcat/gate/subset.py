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
from urllib.parse import unquote, urlsplit

from eventcat.catalog.jsonfile import read_json
from eventcat.catalog.loader import SCHEMA_SUFFIX, SETTINGS_FILE
from eventcat.catalog.schemawalk import walk
from eventcat.catalog.yamlfile import parse_yaml
from eventcat.errors import InputError
from eventcat.report.findings import Finding, Severity


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
        target = self.root / path
        if not target.is_symlink():
            return target.is_file()
        resolved = target.resolve()
        if not resolved.is_relative_to(self._real_root):
            self._problems.append(Finding(
                file=path, rule="symlink-outside", severity=Severity.ERROR, unreadable=True,
                message=f"symbolic link points outside the catalog ({target.readlink()}); copy the "
                "file in instead",
            ))
            return False
        return resolved.is_file()

    def read(self, path: str) -> bytes:
        return (self.root / path).read_bytes()

    def problems(self) -> list[Finding]:
        return list(self._problems)


class Subset:
    """A :class:`~eventcat.catalog.source.CatalogSource` listing only ``paths`` of ``side``."""

    def __init__(self, side: Side, paths: Iterable[str]) -> None:
        self.side = side
        self.label = side.label
        self.root = side.root
        self._paths = sorted(p for p in set(paths) if side.exists(p))
        self._cache: dict[str, bytes] = {}

    def paths(self) -> list[str]:
        return list(self._paths)

    def read(self, path: str) -> bytes:
        if path not in self._cache:
            self._cache[path] = self.side.read(path)
        return self._cache[path]

    def problems(self) -> list[Finding]:
        wanted = set(self._paths)
        return [p for p in self.side.problems() if p.file in wanted]


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
        base = schema.get("$id")
        for node in walk(schema):
            ref = node.schema.get("$ref") if isinstance(node.schema, dict) else None
            if not isinstance(ref, str):
                continue
            parts = urlsplit(ref)
            if parts.scheme or (parts.path and isinstance(base, str) and urlsplit(base).scheme):
                uris.add(ref.split("#", 1)[0])
            elif parts.path:
                ref_path = unquote(parts.path)
                joined = posixpath.normpath(
                    ref_path.lstrip("/") if ref_path.startswith("/")
                    else posixpath.join(posixpath.dirname(path), ref_path)
                )
                if not joined.startswith("../") and joined != "..":
                    files.add(joined)
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
                for candidate in self._grep(new_uris):
                    schema = self.schema(candidate)
                    if isinstance(schema, dict) and schema.get("$id") in new_uris:
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
                if isinstance(schema, dict) and isinstance(schema.get("$id"), str) and schema["$id"]:
                    needles.add(schema["$id"].split("#", 1)[0])
            hits = {p for p in self._grep(needles) if p.endswith(SCHEMA_SUFFIX)} - searched - found
            known = frontier | found
            ids = {i for i in ((self.schema(t) or {}).get("$id") for t in known
                               if isinstance(self.schema(t), dict)) if isinstance(i, str)}
            new: set[str] = set()
            for candidate in sorted(hits):
                files, uris = self.references(candidate)
                if not files.isdisjoint(known) or not uris.isdisjoint(ids):
                    new.add(candidate)
            found |= new
            frontier = new - searched
        return found
