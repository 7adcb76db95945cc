"""``$ref`` confinement and cycle detection over the parsed files of a catalog.

References resolve like a validator resolves them, but nothing outside the catalog is ever read:
a reference that leaves the folder, names another host or scheme, or points at a file or pointer
that does not exist becomes a located, unreadable-input finding.
"""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import unquote, urljoin, urlsplit

from eventcat.catalog.model import SchemaFile, path_for, uri_for
from eventcat.catalog.schemawalk import children, walk
from eventcat.jsonpointer import escape, node_at, split_pointer
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


def base_uri_of(path: str, schema: Any) -> str:
    """The base URI of the references in the catalog file ``path``: its ``eventcat:///`` URI,
    or its root ``$id`` resolved against that (as every JSON Schema validator does)."""
    schema_id = schema.get("$id") if isinstance(schema, dict) else None
    if isinstance(schema_id, str) and schema_id:
        return _document(uri_for(path), schema_id)
    return uri_for(path)


def base_uri(file: SchemaFile) -> str:
    return base_uri_of(file.path, file.schema)


def document_of(path: str, schema: Any, ref: str) -> str:
    """The absolute URI, without fragment, of the document ``ref`` (written in ``path``) names.

    RFC 3986 resolution against :func:`base_uri_of`; the URI is then looked up exactly (a
    ``?query`` is part of it). Lint, the gate's planner and the registry all use this.
    """
    return _document(base_uri_of(path, schema), ref)


@functools.lru_cache(maxsize=65536)
def _document(base: str, ref: str) -> str:
    # urljoin is slow and a catalog repeats the same few references thousands of times.
    return urljoin(base, ref).split("#", 1)[0]


def document_uris(files: Mapping[str, SchemaFile]) -> dict[str, str]:
    """Every URI a catalog file answers to (its own, and its ``$id``'s) -> its path.

    The one table both the lint checks and the ``referencing`` registry (used by the gate, diff,
    the site and gen) resolve against, so a reference resolves the same way everywhere.
    """
    table: dict[str, str] = {}
    for path, file in files.items():
        table[file.uri] = path
    for path, file in files.items():
        table.setdefault(base_uri(file), path)
    return table


def registry_for(files: Mapping[str, SchemaFile]) -> Any:
    """A ``referencing`` registry of the files under every URI of :func:`document_uris`; it has
    no retriever, so nothing outside the files is ever read or fetched."""
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012, specification_with

    created: dict[str, Any] = {}
    for path, file in files.items():
        dialect = file.dialect
        # An unknown dialect (a lint finding) resolves as 2020-12: the default, never an error.
        spec = specification_with(dialect, default=DRAFT202012) if dialect else DRAFT202012
        created[path] = spec.create_resource(file.schema)
    return Registry().with_resources(
        (uri, created[path]) for uri, path in document_uris(files).items()
    )


def _pointer_exists(document: Any, pointer: str) -> bool:
    return node_at(document, pointer)[0]


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
        self.uris = document_uris(files)
        self._anchor_cache: dict[str, dict[str, str]] = {}
        self.findings: list[Finding] = []
        #: (path, pointer of the $ref keyword's schema) -> target
        self.targets: dict[tuple[str, str], Target] = {}
        self.references: dict[str, set[str]] = {path: set() for path in files}

    def resolve(self, path: str, schema_pointer: str, ref: str) -> Target | Finding:
        """Resolve ``ref`` as ``referencing`` does (RFC 3986 against the file's base URI, exact
        lookup in :func:`document_uris`), after refusing what leaves the catalog."""
        where = f"{schema_pointer}/$ref"
        base = base_uri(self.files[path])
        parts = urlsplit(ref)
        from_path = path_for(base)
        if from_path is not None and not parts.scheme and not parts.netloc and parts.path:
            # urljoin silently drops a '..' above the root; the catalog refuses it instead.
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(from_path), parts.path))
            if not parts.path.startswith("/") and (joined == ".." or joined.startswith("../")):
                return _finding(
                    path,
                    where,
                    "ref-outside",
                    f"$ref {ref!r} leaves the catalog folder; only files inside it may be "
                    "referenced",
                )
        document = document_of(path, self.files[path].schema, ref)
        target_path = self.uris.get(document)
        if target_path is None:
            return self._unresolved(path, where, ref, base, document)
        fragment = unquote(parts.fragment)
        document_schema = self.files[target_path].schema
        if fragment and not fragment.startswith("/"):
            anchors = self._anchor_cache.get(target_path)
            if anchors is None:
                anchors = self._anchor_cache[target_path] = _anchors(document_schema)
            if fragment not in anchors:
                return _finding(
                    path,
                    where,
                    "ref-missing",
                    f"$ref {ref!r}: no $anchor {fragment!r} in {target_path}",
                )
            return Target(target_path, anchors[fragment])
        if not _pointer_exists(document_schema, fragment):
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

    def _unresolved(self, path: str, where: str, ref: str, base: str, document: str) -> Finding:
        target = path_for(document)
        if target is None:
            return _finding(
                path,
                where,
                "ref-remote",
                f"$ref {ref!r} resolves to {document!r}, which is not a catalog file (no file "
                "declares that $id); nothing is fetched: copy the schema into catalog/_shared/ "
                "and reference it with a relative path",
            )
        relative = (
            "" if base == self.files[path].uri else f" (relative to this file's $id {base!r})"
        )
        query = " (a ?query is part of the URI, so it names no file)" if "?" in document else ""
        return _finding(
            path,
            where,
            "ref-missing",
            f"$ref {ref!r} points at {target}{relative}{query}, which is not a readable schema "
            "file of the catalog; fix the path or add the file",
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


class Resolver(Protocol):
    """A ``referencing`` resolver (``registry.resolver(base_uri=…)``), by what eventcat calls on
    it: ``referencing`` does not export its Resolver class by a public name."""

    def lookup(self, ref: str) -> Any: ...


# referencing's Resolver keeps its base URI and registry in private attrs fields and offers no
# public accessor for either; these two functions are the only place eventcat reads them.


def resolver_base(resolver: Any, default: str = "") -> str:
    """The base URI ``resolver`` resolves relative references against."""
    return str(getattr(resolver, "_base_uri", default))


def resolver_registry(resolver: Any) -> Any:
    """The ``referencing.Registry`` behind ``resolver``, or None for what is not a resolver."""
    return getattr(resolver, "_registry", None)


def lookup(resolver: Any, ref: str) -> Any:
    """``resolver.lookup(ref)`` with the target document's root ``$id`` entered first.

    ``referencing`` positions the returned resolver at the URI that was looked up; a validator
    then enters the ``$id`` of the schema it lands on. A JSON pointer *into* a file whose root
    has a relative ``$id`` (``common/user.schema.json``) would skip that step, and a relative
    ``$ref`` below it would resolve against the file's path instead. Every reader of ``$ref``
    (lint, the gate, diff, the site, gen) looks up through here, so they agree.
    """
    from referencing.jsonschema import DRAFT202012

    document, _, fragment = ref.partition("#")
    if not document or not fragment:
        # Landing on a whole document: the caller enters its $id as it enters any schema's.
        return resolver.lookup(ref)
    whole = resolver.lookup(document)
    entered = whole.resolver
    if isinstance(whole.contents, dict) and isinstance(whole.contents.get("$id"), str):
        entered = entered.in_subresource(DRAFT202012.create_resource(whole.contents))
    return entered.lookup("#" + fragment)
