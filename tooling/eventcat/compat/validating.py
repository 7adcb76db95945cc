"""Validating counterexamples: one index per catalog side, shared by every comparison of a run.

An ``Index`` wraps one ``referencing`` registry (a catalog side, or one stand-alone schema): it is
crawled once, ``$ref`` lookups are memoised, and instances are checked with jsonschema-rs in the
product's one validator configuration (``catalog.validation.compile_validator``: formats
asserted, the linear-time regex engine), so a hostile ``pattern`` cannot stall the search. A
schema whose pattern needs backtracking (lookaround, backreferences) has no verdict: the search
reports "unknown".
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import jsonschema_rs
from referencing import Registry

from eventcat.catalog.refs import resolver_base, resolver_registry
from eventcat.catalog.validation import compile_validator, refuse_retrieval

_RS_DRAFTS = {
    7: jsonschema_rs.Draft7,
    2019: jsonschema_rs.Draft201909,
    2020: jsonschema_rs.Draft202012,
}
# Comparisons of one run share indexes (one per catalog side); a long-lived process keeps a few.
_MAX_INDEXES = 8
_INDEXES: OrderedDict[int, Index] = OrderedDict()


class NoVerdict(Exception):
    """The validator cannot judge this schema (a reason for an "unknown" answer)."""


def format_asserting(
    schema: Any, draft: int, *, registry: Any = None, base_uri: str | None = None
) -> Any:
    """The product's one validator configuration (formats asserted, linear-time patterns).

    Raises ``NoVerdict`` when the schema cannot be compiled that way (a pattern that needs
    backtracking, an unresolvable ``$ref``)."""
    try:
        return compile_validator(schema, registry=registry, base_uri=base_uri, draft=draft)
    except Exception as err:  # jsonschema-rs raises ValidationError/ReferencingError/ValueError
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise NoVerdict(f"the validator cannot compile this schema ({first[:160]})") from err


class Index:
    """One catalog side: crawled registry, memoised lookups, compiled validators, and the memo of
    local witnesses that events sharing a fragment reuse."""

    def __init__(self, registry: Registry[Any]) -> None:
        self.source = registry  # kept alive: the module cache is keyed by its id
        # Crawled at the first lookup that needs it (embedded $ids, anchors) and kept: before,
        # every such lookup crawled the catalog's registry again and threw the result away.
        self.registry = registry
        self._crawled = False
        self._rs_registries: dict[int, Any] = {}
        self._validators: dict[tuple[int, str, int], Any] = {}
        self._derefs: dict[tuple[str, str], tuple[Any, str] | None] = {}
        # Raw schemas whose ids key the memos stay alive as long as the index does.
        self._pinned: dict[int, Any] = {}
        self.witnesses: dict[tuple[Any, ...], tuple[bool, Any, str]] = {}
        self.minimal: dict[tuple[int, str, int], Any] = {}
        # the walker's memo of $ref target pairs against other sides (compat.context.Shared)
        self.walks: dict[tuple[Any, ...], Any] = {}

    def pin(self, raw: Any) -> int:
        self._pinned.setdefault(id(raw), raw)
        return id(raw)

    def resolver(self, base_uri: str) -> Any:
        return self.registry.resolver(base_uri=base_uri)

    def deref(self, ref: str, base_uri: str) -> tuple[Any, str] | None:
        """The schema ``ref`` points at from ``base_uri``, and the base URI that applies in it."""
        key = (ref, base_uri)
        if key not in self._derefs:
            try:
                try:
                    resolved = self.registry.resolver(base_uri=base_uri).lookup(ref)
                except Exception:
                    if self._crawled:
                        raise
                    self.registry, self._crawled = self.registry.crawl(), True
                    resolved = self.registry.resolver(base_uri=base_uri).lookup(ref)
                self._derefs[key] = (
                    resolved.contents,
                    resolver_base(resolved.resolver, base_uri),
                )
            except Exception:  # unresolvable: no candidates from there
                self._derefs[key] = None
        return self._derefs[key]

    def _rs(self, draft: int) -> Any:
        """The jsonschema-rs registry of the side (documents without ``$schema`` read as
        ``draft``); None when it cannot be built."""
        if draft not in self._rs_registries:
            resources = [(uri, self.registry[uri].contents) for uri in self.registry]
            try:
                self._rs_registries[draft] = jsonschema_rs.Registry(
                    resources, draft=_RS_DRAFTS[draft], retriever=refuse_retrieval
                )
            except Exception as err:  # a resource jsonschema-rs refuses
                self._rs_registries[draft] = NoVerdict(
                    f"the validator cannot load these schemas ({str(err).splitlines()[0][:160]})"
                )
        found = self._rs_registries[draft]
        if isinstance(found, NoVerdict):
            raise found
        return found

    def _compile(self, schema: Any, base_uri: str, draft: int) -> Any:
        # A document without `$schema` has a guessed draft; where the guess does not compile
        # (draft-07's array `dependencies` read as 2020-12), the other drafts are tried.
        document = (
            self.registry[base_uri.split("#")[0]].contents
            if base_uri.split("#")[0] in self.registry
            else schema
        )
        declared = isinstance(document, dict) and "$schema" in document
        failure: NoVerdict | None = None
        for attempt in (
            (draft,) if declared else (draft, *(d for d in (7, 2019, 2020) if d != draft))
        ):
            try:
                return format_asserting(
                    schema, attempt, registry=self._rs(attempt), base_uri=base_uri
                )
            except NoVerdict as err:
                failure = failure or err
        return failure

    def validator(self, schema: Any, base_uri: str, draft: int) -> Any:
        key = (self.pin(schema), base_uri, draft)
        found = self._validators.get(key)
        if found is None:
            found = self._compile(schema, base_uri, draft)
            self._validators[key] = found
        if isinstance(found, NoVerdict):
            raise found
        return found


def index_for(resolver: Any, *, crawl: bool = False) -> tuple[Index, str]:
    """The shared index of ``resolver``'s registry (one per catalog side) and the base URI;
    ``crawl``: crawl the registry now (a catalog side, whose resolvers the walker uses too)."""
    registry = resolver_registry(resolver)
    base = resolver_base(resolver) or ""
    if registry is None:
        raise NoVerdict("no registry to resolve references in")
    key = id(registry)
    found = _INDEXES.get(key)
    if found is None or found.source is not registry:
        found = Index(registry)
        _INDEXES[key] = found
        while len(_INDEXES) > _MAX_INDEXES:
            _INDEXES.popitem(last=False)
    else:
        _INDEXES.move_to_end(key)
    if crawl and not found._crawled:
        found.registry, found._crawled = found.registry.crawl(), True
    return found, base
