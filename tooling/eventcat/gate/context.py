"""What a gate check sees: the two catalogs, the file pairs to judge, and cached comparisons.

A check is a plain function ``(ctx, pair) -> Iterable[Finding]`` over one (old, new) pair of
files; a catalog check is ``(ctx) -> Iterable[Finding]``. A :class:`Policy` is two tuples of them,
so new families of findings (metadata, lifecycle) plug in without touching the core.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from eventcat.catalog.model import Catalog, CompatibilitySettings, EventVersion, SchemaFile
from eventcat.report.findings import Finding

if TYPE_CHECKING:
    from eventcat.comparecache import ComparisonCache
    from eventcat.git.reader import GitRepo


Status = Literal["modified", "added", "deleted", "moved", "affected"]
Kind = Literal["event", "envelope", "fragment"]


@dataclass(frozen=True)
class FilePair:
    """One schema file as it was at the baseline (``old``) and as it is now (``new``).

    ``status`` is ``affected`` for a file that did not change itself but uses a changed file
    (listed in ``via``) through ``$ref``.
    """

    status: Status
    kind: Kind
    name: str
    version: int
    old_file: SchemaFile | None
    new_file: SchemaFile | None
    old: EventVersion | None = None
    new: EventVersion | None = None
    via: tuple[str, ...] = ()

    @property
    def old_path(self) -> str | None:
        return self.old_file.path if self.old_file else None

    @property
    def new_path(self) -> str | None:
        return self.new_file.path if self.new_file else None

    @property
    def path(self) -> str:
        found = self.new_path or self.old_path
        assert found is not None
        return found

    @property
    def label(self) -> str:
        return f"{self.name}_v{self.version}"

    @property
    def next_file(self) -> str:
        return f"{self.name}_v{self.version + 1}.schema.json"

    @property
    def domain(self) -> str:
        return self.path.split("/", 1)[0]


@dataclass(frozen=True)
class Revision:
    """An earlier committed revision of one file, loaded with its ``$ref`` closure at that commit."""

    commit: str
    date: str
    catalog: Catalog
    file: SchemaFile


@dataclass
class GateContext:
    """Everything a check may read. Catalogs hold only the files this change needs."""

    ref: str
    commit: str
    old: Catalog
    new: Catalog
    #: catalog path -> git status letter (A, M, D, T) of every changed file
    changed: dict[str, str]
    pairs: list[FilePair]
    repo: GitRepo | None = None
    prefix: str = ""
    #: event versions that exist in the work tree: (domain, name) -> versions
    new_versions: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    #: the date lifecycle rules (sunsets) are judged on; None: today
    today: dt.date | None = None
    #: per-run scratch space for checks (e.g. a work-tree search started early, used later)
    cache: dict[str, Any] = field(default_factory=dict, repr=False)
    _reports: dict[tuple[Any, ...], Any] = field(default_factory=dict, repr=False)
    _history: dict[str, list[Revision]] = field(default_factory=dict, repr=False)
    _comparisons: ComparisonCache | None = field(default=None, repr=False)
    history_loader: Callable[[str], list[Revision]] | None = field(default=None, repr=False)

    def settings(self, pair: FilePair) -> CompatibilitySettings:
        """The settings a pair is judged by: the event's own, as they were at the baseline."""
        if pair.old is not None:
            return pair.old.compatibility
        if pair.new is not None:
            return pair.new.compatibility
        return self.old.settings

    def compare(
        self,
        old_file: SchemaFile,
        old_catalog: Catalog,
        new_file: SchemaFile,
        new_catalog: Catalog,
        *,
        mode: str,
        policy: str,
        rules: str,
    ) -> Any:
        """``eventcat.compat.compare`` of two catalog files, each resolved in its own catalog."""
        key = (old_file.path, id(old_catalog), new_file.path, id(new_catalog), mode, policy, rules)
        if key not in self._reports:
            self._reports[key] = self.comparisons().compare(
                old_file.schema,
                new_file.schema,
                mode=mode,
                policy=policy,
                rules=rules,
                old_resolver=old_catalog.resolver(old_file.path),
                new_resolver=new_catalog.resolver(new_file.path),
            )
        return self._reports[key]

    def comparisons(self) -> ComparisonCache:
        """The engine's results by content, shared with the site (see :mod:`eventcat.comparecache`)."""
        if self._comparisons is None:
            from eventcat.comparecache import ComparisonCache

            self._comparisons = ComparisonCache()
        return self._comparisons

    def use_comparisons(self, cache: ComparisonCache) -> None:
        """Compare through ``cache`` (one with a folder, kept between runs)."""
        self._comparisons = cache

    def history(self, path: str) -> list[Revision]:
        """Earlier committed revisions of ``path`` (before the baseline's), newest first."""
        if path not in self._history:
            self._history[path] = self.history_loader(path) if self.history_loader else []
        return self._history[path]

    def users(self, path: str) -> tuple[EventVersion, ...]:
        """Event versions (in the work tree, else at the baseline) that use ``path`` through
        ``$ref``. The index is built once per run: asking per fragment and per event would
        cost the square of the catalog's size."""
        index: dict[str, dict[str, EventVersion]] | None = self.cache.get("users-index")
        if index is None:
            index = {}
            for catalog in (self.new, self.old):
                for version in catalog.versions():
                    for used in catalog.dependencies(version.path):
                        index.setdefault(used, {}).setdefault(version.path, version)
            self.cache["users-index"] = index
        found = index.get(path, {})
        return tuple(found[p] for p in sorted(found))


PairCheck = Callable[[GateContext, FilePair], Iterable[Finding]]
CatalogCheck = Callable[[GateContext], Iterable[Finding]]


@dataclass(frozen=True)
class Policy:
    """The checks a gate run applies: per file pair, then over the whole change."""

    pair_checks: tuple[PairCheck, ...]
    catalog_checks: tuple[CatalogCheck, ...] = ()
