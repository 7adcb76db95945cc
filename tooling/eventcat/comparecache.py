"""The engine's comparisons, cached by content: the gate and the site ask once per content pair.

A comparison's key hashes everything its result depends on: both schema documents, every
resource their ``$ref``s reach (so an edit to a shared fragment changes the key of every event
that reaches it), the mode, policy and rule set, and the engine's version (:data:`ENGINE`). The
same content compared again (another commit of the history, another event, the gate and then the
site, the next build) is answered from

- the process's memo (:data:`MEMO`, always), and
- a folder on disk when one is given (the site's ``.eventcat-cache/compare/``): one JSON file per
  key, written atomically, read back only when it is exactly a record of that key; anything else
  (a corrupt or foreign file, a link) is ignored and recomputed. Nothing is ever pickled, and
  nothing is written outside the folder.

Cached reports are settled (:func:`eventcat.compat.records.settled`): every counterexample search
has run and the report holds no schema or resolver, so the memo keeps no catalog alive.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
import time
from collections import OrderedDict
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from eventcat.catalog.refs import resolver_base, resolver_registry
from eventcat.compat import api
from eventcat.compat.records import from_record, record, settled
from eventcat.compat.report import CompatibilityReport

#: bump when the engine's verdicts or wording change in a way its sources below do not show
ENGINE = "1"
#: how many settled reports the process keeps (a large catalog's history is a few thousand)
MEMO_SIZE = 8192
#: a cache file larger than this is not read (a report is a few KB; a huge file is not ours)
MAX_ENTRY_BYTES = 8 * 1024 * 1024
_KEY = re.compile(r"[0-9a-f]{64}")
_MISSING = "missing"


class Memo:
    """Settled reports by key, least recently used dropped first."""

    def __init__(self, size: int = MEMO_SIZE) -> None:
        self.size = size
        self._reports: OrderedDict[str, CompatibilityReport] = OrderedDict()

    def get(self, key: str) -> CompatibilityReport | None:
        report = self._reports.get(key)
        if report is not None:
            self._reports.move_to_end(key)
        return report

    def put(self, key: str, report: CompatibilityReport) -> None:
        self._reports[key] = report
        self._reports.move_to_end(key)
        while len(self._reports) > self.size:
            self._reports.popitem(last=False)

    def clear(self) -> None:
        self._reports.clear()

    def __len__(self) -> int:
        return len(self._reports)


#: the process's memo, shared by every :class:`ComparisonCache` (the gate's and the site's)
MEMO = Memo()


def _engine_version() -> str:
    """:data:`ENGINE` and a hash of the engine's sources (and of the validator configuration
    that confirms its counterexamples): another release, or an engine edited between two builds
    of an editable install, never answers from the entries of the previous one."""
    global _ENGINE_VERSION
    if _ENGINE_VERSION is None:
        digest = hashlib.sha256(ENGINE.encode())
        package = resources.files("eventcat")
        sources = [package / "catalog" / "validation.py"]
        sources += sorted(
            (p for p in (package / "compat").iterdir() if p.name.endswith(".py")),
            key=lambda p: p.name,
        )
        for source in sources:
            digest.update(source.name.encode() + b"\0" + source.read_bytes())
        _ENGINE_VERSION = digest.hexdigest()[:16]
    return _ENGINE_VERSION


_ENGINE_VERSION: str | None = None


class ComparisonCache:
    """``compare_settings`` through the memo (and a folder, when given), keyed by content.

    One instance per run (a gate check, a site build): it memoises, per parsed document, its
    hash and the documents it references, so each document is hashed once however many
    comparisons reach it. ``computed``/``memo_hits``/``disk_hits`` count how each comparison was
    answered, ``seconds`` the time spent (engine, hashing and disk).
    """

    def __init__(self, folder: Path | None = None, memo: Memo | None = None) -> None:
        self.folder = folder
        self.memo = MEMO if memo is None else memo
        self.computed = self.memo_hits = self.disk_hits = 0
        self.seconds = 0.0
        # id(document) -> (document, digest); the document is kept so its id stays its own
        self._digests: dict[int, tuple[Any, bytes]] = {}
        # (id(document), uri) -> (document, the documents its $refs name, read at that uri)
        self._refs: dict[tuple[int, str], tuple[Any, frozenset[str]]] = {}
        self._registries: dict[int, tuple[Any, bytes]] = {}

    def compare(
        self,
        old: Any,
        new: Any,
        *,
        mode: str,
        policy: str,
        rules: str,
        old_resolver: Any = None,
        new_resolver: Any = None,
    ) -> CompatibilityReport:
        """What ``eventcat.compat.compare_settings`` returns for these arguments (settled).
        Errors are the engine's, raised as it raises them, and are not cached."""
        started = time.perf_counter()
        try:
            key = self.key(old, new, mode, policy, rules, old_resolver, new_resolver)
            report = self._cached(key) if key is not None else None
            if report is None:
                report = settled(
                    api.compare_settings(
                        old,
                        new,
                        mode=mode,
                        policy=policy,
                        rules=rules,
                        old_resolver=old_resolver,
                        new_resolver=new_resolver,
                    )
                )
                self.computed += 1
                if key is not None:
                    self.memo.put(key, report)
                    self._store(key, report)
            return report
        finally:
            self.seconds += time.perf_counter() - started

    def _cached(self, key: str) -> CompatibilityReport | None:
        report = self.memo.get(key)
        if report is not None:
            self.memo_hits += 1
            return report
        report = self._load(key)
        if report is not None:
            self.disk_hits += 1
            self.memo.put(key, report)
        return report

    # -- the key ---------------------------------------------------------------------------------

    def key(
        self,
        old: Any,
        new: Any,
        mode: str,
        policy: str,
        rules: str,
        old_resolver: Any,
        new_resolver: Any,
    ) -> str | None:
        """The content key of a comparison; None when it cannot be made (then nothing is cached)."""
        if not all(isinstance(o, str) for o in (mode, policy, rules)):
            return None  # the engine refuses it, with its own message
        digest = hashlib.sha256(
            f"eventcat-compare {_engine_version()}\0{mode.upper()}\0{policy.upper()}\0"
            f"{rules.lower()}\0".encode()
        )
        try:
            for side, resolver in ((old, old_resolver), (new, new_resolver)):
                for part in self._closure(side, resolver):
                    digest.update(part)
                digest.update(b"\1")
        except (TypeError, ValueError, RecursionError):
            return None  # not plain JSON data (a YAML date, a cycle): compute, don't cache
        return digest.hexdigest()

    def _closure(self, schema: Any, resolver: Any) -> Iterator[bytes]:
        """The hash parts of one side: its root, and every document its ``$ref``s reach (by URI,
        in a fixed order), or a hash of the whole registry when a reference names no document."""
        yield self._digest(schema)
        if resolver is None:
            yield b"no resolver"
            return
        registry = resolver_registry(resolver)
        if registry is None:
            raise TypeError("not a referencing resolver")
        base = resolver_base(resolver)
        yield base.encode() + b"\0"
        reached: dict[str, bytes] = {}
        missing = False
        todo = list(self._references(schema, base))
        while todo:
            uri = todo.pop()
            if uri in reached:
                continue
            resource = registry.get(uri)
            if resource is None:
                reached[uri] = _MISSING.encode()
                missing = True
                continue
            reached[uri] = self._digest(resource.contents)
            todo.extend(self._references(resource.contents, uri))
        for uri in sorted(reached):
            yield uri.encode() + b"\0" + reached[uri]
        if missing:
            # An embedded $id elsewhere, or a reference the engine will refuse: either way the
            # result may depend on any document of the registry.
            yield self._registry_digest(registry)

    def _digest(self, document: Any) -> bytes:
        known = self._digests.get(id(document))
        if known is None or known[0] is not document:
            text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            known = (document, hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest())
            self._digests[id(document)] = known
        return known[1]

    def _references(self, document: Any, uri: str) -> frozenset[str]:
        known = self._refs.get((id(document), uri))
        if known is None or known[0] is not document:
            known = (document, _documents_named(document, uri))
            self._refs[(id(document), uri)] = known
        return known[1]

    def _registry_digest(self, registry: Any) -> bytes:
        known = self._registries.get(id(registry))
        if known is None or known[0] is not registry:
            digest = hashlib.sha256()
            for uri in sorted(registry.keys()):
                digest.update(str(uri).encode() + b"\0" + self._digest(registry[uri].contents))
            known = (registry, digest.digest())
            self._registries[id(registry)] = known
        return known[1]

    # -- the folder ------------------------------------------------------------------------------

    def _entry(self, key: str, create: bool) -> Path | None:
        """The file of ``key`` inside the folder (its shard folder made when ``create``); None
        when there is no folder, or a link or a non-folder stands where a folder must be."""
        if self.folder is None or not _KEY.fullmatch(key):
            return None
        shard = self.folder / "compare" / key[:2]
        for folder in (self.folder / "compare", shard):
            if create and not os.path.lexists(folder):
                try:
                    folder.mkdir(parents=True, exist_ok=True)
                except OSError:
                    return None
            if folder.is_symlink() or not folder.is_dir():
                return None
        return shard / f"{key}.json"

    def _load(self, key: str) -> CompatibilityReport | None:
        path = self._entry(key, create=False)
        if path is None:
            return None
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return None
        try:
            with os.fdopen(fd, "rb") as handle:
                if not _regular(handle.fileno()):
                    return None
                data = handle.read(MAX_ENTRY_BYTES + 1)
            if len(data) > MAX_ENTRY_BYTES:
                return None
            entry = json.loads(data)
        except (OSError, ValueError, RecursionError):
            return None
        if not isinstance(entry, dict) or entry.get("key") != key:
            return None
        return from_record(entry.get("report"))

    def _store(self, key: str, report: CompatibilityReport) -> None:
        path = self._entry(key, create=True)
        if path is None:
            return
        try:
            text = json.dumps(
                {"key": key, "report": record(report)}, ensure_ascii=False, allow_nan=False
            )
        except (TypeError, ValueError):
            return  # a counterexample JSON cannot hold: kept in the memo only
        partial: Path | None = None
        try:
            fd, name = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
            partial = Path(name)
            with os.fdopen(fd, "wb") as handle:
                handle.write(text.encode("utf-8", "surrogatepass"))
            partial.replace(path)  # whole or not at all, also with two builds at once
            partial = None
        except OSError:
            pass  # a read-only or full disk costs the next build time, not this one its result
        finally:
            if partial is not None:
                with contextlib.suppress(OSError):
                    partial.unlink()


def _regular(fd: int) -> bool:
    import stat

    return stat.S_ISREG(os.fstat(fd).st_mode)


def _documents_named(document: Any, uri: str) -> frozenset[str]:
    """Every document URI a ``$ref``/``$dynamicRef`` in ``document`` (read at ``uri``) can name.

    Deliberately generous, so that a key never misses a document the engine reads: every JSON
    object is looked at (not only schema positions), and a reference is resolved against every
    base URI an ``$id`` on its path could give it as well as the ones above. An extra URI only
    makes the key more specific."""
    found: set[str] = set()
    stack: list[tuple[Any, tuple[str, ...]]] = [(document, (uri,))]
    while stack:
        node, bases = stack.pop()
        if isinstance(node, dict):
            own = node.get("$id")
            if isinstance(own, str) and own:
                joined = tuple(urljoin(b, own).split("#", 1)[0] for b in bases)
                bases = tuple(dict.fromkeys((*bases, *joined)))
            for keyword in ("$ref", "$dynamicRef"):
                ref = node.get(keyword)
                if isinstance(ref, str):
                    found.update(urljoin(b, ref).split("#", 1)[0] for b in bases)
            stack.extend((value, bases) for value in node.values())
        elif isinstance(node, list):
            stack.extend((value, bases) for value in node)
    return frozenset(found)
