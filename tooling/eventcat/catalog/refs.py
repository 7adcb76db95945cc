"""``$ref`` confinement and cycle detection over the parsed files of a catalog.

References resolve like a validator resolves them, but nothing outside the catalog is ever read:
a reference that leaves the folder, names another host or scheme, or points at a file or pointer
that does not exist becomes a located, unreadable-input finding.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from eventcat.catalog.jsonfile import escape, split_pointer
from eventcat.catalog.model import SchemaFile
from eventcat.catalog.schemawalk import children, walk
from eventcat.report.findings import Finding, Severity


@dataclass(frozen=True, slots=True)
class Target:
    path: str
    pointer: str  # normalised, "" for the root


def _finding(file: str, pointer: str, rule: str, message: str) -> Finding:
    return Finding(
        file=file,
        pointer=pointer,
        rule=rule,
        severity=Severity.ERROR,
        message=message,
        unreadable=True,
    )


def _base_uri(file: SchemaFile) -> str:
    schema = file.schema
    schema_id = schema.get("$id") if isinstance(schema, dict) else None
    if isinstance(schema_id, str) and schema_id:
        return urljoin(file.uri, schema_id)
    return file.uri


def _pointer_exists(document: Any, pointer: str) -> bool:
    node = document
    for token in split_pointer(pointer):
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False
    return True


def _anchors(document: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for node in walk(document):
        if isinstance(node.schema, dict):
            for keyword in ("$anchor", "$dynamicAnchor"):
                name = node.schema.get(keyword)
                if isinstance(name, str):
                    found.setdefault(name, node.pointer)
    return found


class RefChecker:
    """Resolves every reference of every file once; remembers the targets for the model."""

    def __init__(self, files: Mapping[str, SchemaFile]) -> None:
        self.files = files
        self.by_id: dict[str, str] = {}
        for path, file in files.items():
            base = _base_uri(file)
            if base != file.uri:
                self.by_id[base.split("#", 1)[0]] = path
        self._anchor_cache: dict[str, dict[str, str]] = {}
        self.findings: list[Finding] = []
        #: (path, pointer of the $ref keyword's schema) -> target
        self.targets: dict[tuple[str, str], Target] = {}
        self.references: dict[str, set[str]] = {path: set() for path in files}

    def resolve(self, path: str, schema_pointer: str, ref: str) -> Target | Finding:
        file = self.files[path]
        where = f"{schema_pointer}/$ref"
        parts = urlsplit(ref)
        if parts.scheme and parts.scheme != "eventcat":
            absolute = ref.split("#", 1)[0]
            if absolute in self.by_id:
                target_path = self.by_id[absolute]
            else:
                return _finding(
                    path,
                    where,
                    "ref-remote",
                    f"$ref {ref!r} points outside the catalog and is never fetched; copy the schema "
                    "into catalog/_shared/ and reference it with a relative path",
                )
        else:
            base = _base_uri(file)
            if parts.path and urlsplit(base).scheme != "eventcat":
                joined = urljoin(base, ref).split("#", 1)[0]
                if joined not in self.by_id:
                    return _finding(
                        path,
                        where,
                        "ref-remote",
                        f"$ref {ref!r} resolves against this file's $id to {joined!r}, which no "
                        "catalog file declares; nothing is fetched",
                    )
                target_path = self.by_id[joined]
            elif parts.path:
                ref_path = unquote(parts.path)
                if ref_path.startswith("/"):
                    joined_path = posixpath.normpath(ref_path.lstrip("/"))
                else:
                    joined_path = posixpath.normpath(
                        posixpath.join(posixpath.dirname(path), ref_path)
                    )
                if joined_path == ".." or joined_path.startswith("../"):
                    return _finding(
                        path,
                        where,
                        "ref-outside",
                        f"$ref {ref!r} leaves the catalog folder; only files inside it may be "
                        "referenced",
                    )
                target_path = joined_path
                if target_path not in self.files:
                    return _finding(
                        path,
                        where,
                        "ref-missing",
                        f"$ref {ref!r} points at {target_path}, which is not a readable schema file "
                        "of the catalog; fix the path or add the file",
                    )
            else:
                target_path = path
        fragment = unquote(parts.fragment)
        document = self.files[target_path].schema
        if fragment and not fragment.startswith("/"):
            anchors = self._anchor_cache.get(target_path)
            if anchors is None:
                anchors = self._anchor_cache[target_path] = _anchors(document)
            if fragment not in anchors:
                return _finding(
                    path,
                    where,
                    "ref-missing",
                    f"$ref {ref!r}: no $anchor {fragment!r} in {target_path}",
                )
            return Target(target_path, anchors[fragment])
        if not _pointer_exists(document, fragment):
            return _finding(
                path,
                where,
                "ref-missing",
                f"$ref {ref!r}: {target_path} has nothing at #{fragment}; point at an existing "
                "definition (e.g. '#/$defs/Name')",
            )
        return Target(
            target_path,
            "/".join(escape(t) for t in ["", *split_pointer(fragment)]) if fragment else "",
        )

    def check(self) -> None:
        # In-place edges only: a loop through them never reaches a smaller part of the instance.
        edges: dict[tuple[str, str], list[tuple[tuple[str, str], str]]] = {}
        for path, file in self.files.items():
            for node in walk(file.schema):
                key = (path, node.pointer)
                out: list[tuple[tuple[str, str], str]] = []
                if isinstance(node.schema, dict):
                    ref = node.schema.get("$ref")
                    if isinstance(ref, str):
                        resolved = self.resolve(path, node.pointer, ref)
                        if isinstance(resolved, Finding):
                            self.findings.append(resolved)
                        else:
                            self.targets[key] = resolved
                            if resolved.path != path:
                                self.references[path].add(resolved.path)
                            out.append(((resolved.path, resolved.pointer), f"{node.pointer}/$ref"))
                    out.extend(
                        ((path, child.pointer), child.pointer)
                        for child in children(node.schema, node.pointer)
                        if child.in_place
                    )
                edges[key] = out
        self._find_cycles(edges)

    def _find_cycles(self, edges: dict[tuple[str, str], list[tuple[tuple[str, str], str]]]) -> None:
        white, grey, black = 0, 1, 2
        colour: dict[tuple[str, str], int] = {}
        reported: set[tuple[str, str]] = set()
        for start in edges:
            if colour.get(start, white) != white:
                continue
            colour[start] = grey
            stack: list[tuple[tuple[str, str], int]] = [(start, 0)]
            while stack:
                node, index = stack[-1]
                out = edges.get(node, [])
                if index >= len(out):
                    colour[node] = black
                    stack.pop()
                    continue
                stack[-1] = (node, index + 1)
                target, via = out[index]
                state = colour.get(target, white)
                if state == grey:
                    if (node[0], via) not in reported:
                        reported.add((node[0], via))
                        self.findings.append(
                            _finding(
                                node[0],
                                via,
                                "ref-cycle",
                                "this $ref closes a cycle that never reaches a property or item, "
                                "so no validator can finish; put structure (properties, items) "
                                "between the schema and its reference",
                            )
                        )
                elif state == white and target in edges:
                    colour[target] = grey
                    stack.append((target, 0))
