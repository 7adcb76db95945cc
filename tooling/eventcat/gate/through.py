"""Judge an event that only changed through its shared fragments: one comparison per fragment.

An event file that did not change but uses a changed fragment differs from its baseline only
where its ``$ref``s meet changed files (its sites, see :mod:`eventcat.gate.fragments`). When every
site is plain, the engine's verdict on the event is the union of its verdicts on the sites'
targets, so each target pair is compared once per (draft, mode, policy, rules) and the result is
shared by every event that uses it: 30,000 events over one fragment cost one comparison and one
counterexample search, not 30,000.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eventcat.catalog.model import Catalog
from eventcat.gate.context import FilePair, GateContext
from eventcat.gate.fragments import Site, SiteFinder, locate, walk_pointer
from eventcat.jsonpointer import split_pointer


@dataclass(frozen=True)
class Where:
    file: str
    pointer: str
    line: int
    side: str  # "new" or "old": which content of ``file`` the pointer is in


@dataclass(frozen=True)
class ThroughChange:
    """A change of a fragment's target, re-located into one event's coordinates."""

    change: Any  # eventcat.compat.Change, relative to the target
    pointer: str  # Confluent's path from the event's root
    old_pointer: str
    new_pointer: str
    where: Where
    fragment: str  # "file#pointer" of the target the counterexample is an instance of

    @property
    def type(self) -> str:
        return str(self.change.type)

    def __getattr__(self, name: str) -> Any:  # breaking, additive, explanation, counterexample…
        return getattr(self.change, name)


@dataclass(frozen=True)
class ThroughReport:
    changes: tuple[ThroughChange, ...]
    verdict: str


def _finders(ctx: GateContext) -> tuple[SiteFinder, SiteFinder]:
    found: tuple[SiteFinder, SiteFinder] | None = ctx.cache.get("site-finders")
    if found is None:
        changed = set(ctx.changed)
        found = (SiteFinder(ctx.old.files, changed), SiteFinder(ctx.new.files, changed))
        ctx.cache["site-finders"] = found
    return found


def _place(catalog: Catalog, site: Site, relative: str) -> tuple[bool, str, str] | None:
    """(below the site?, file, file pointer) of ``relative``, a pointer the engine reported
    while comparing the site's target."""
    file, start = site.target
    found = walk_pointer(catalog.files, file, start, split_pointer(relative))
    if found is not None:
        return True, found[0], found[1]
    # An unmodelled keyword is reported at its node's own pointer, which restarts at a `#/` $ref.
    found = locate(catalog.files, file, relative, sorted(catalog.dependencies(file)))
    return (False, found[0], found[1]) if found is not None else None


def _through(ctx: GateContext, change: Any, old_site: Site, new_site: Site) -> ThroughChange | None:
    # Where a change of a target lands does not depend on the event: computed once per target.
    places: dict[tuple[Any, ...], Any] = ctx.cache.setdefault("site-places", {})
    key = (id(change), old_site.target, new_site.target)
    if key not in places:
        new_place = _place(ctx.new, new_site, change.new_pointer)
        old_place = _place(ctx.old, old_site, change.old_pointer)
        where: Where | None = None
        if new_place is not None:
            where = Where(
                new_place[1],
                new_place[2],
                ctx.new.files[new_place[1]].line_of(new_place[2]) or 1,
                "new",
            )
        elif old_place is not None:
            where = Where(
                old_place[1],
                old_place[2],
                ctx.old.files[old_place[1]].line_of(old_place[2]) or 1,
                "old",
            )
        places[key] = (
            where,
            new_place is None or new_place[0],
            old_place is None or old_place[0],
            change,
        )  # change: keeps id() unique
    where, new_below, old_below, _ = places[key]
    if where is None:
        return None
    rest = str(change.pointer).removeprefix("#").removeprefix("/")
    path = "#" + new_site.pointer + ("/" + rest if rest else ("" if new_site.pointer else "/"))
    return ThroughChange(
        change=change,
        pointer=path,
        old_pointer=(old_site.pointer if old_below else "") + change.old_pointer,
        new_pointer=(new_site.pointer if new_below else "") + change.new_pointer,
        where=where,
        fragment=f"{new_site.target[0]}#{new_site.target[1]}",
    )


def judge_through_sites(
    ctx: GateContext, pair: FilePair, *, mode: str, policy: str, rules: str
) -> ThroughReport | None:
    """The event's changes, judged once per fragment target; None when the fast path does not
    apply (the caller compares the whole event)."""
    if pair.status != "affected" or pair.old_file is None or pair.new_file is None:
        return None
    dialect = pair.new_file.dialect
    if dialect is None or dialect != pair.old_file.dialect:
        return None  # the engine would guess the draft from the whole event
    old_finder, new_finder = _finders(ctx)
    old_sites, new_sites = (
        old_finder.sites(pair.old_file.path),
        new_finder.sites(pair.new_file.path),
    )
    if (
        old_sites is None
        or new_sites is None
        or not new_sites
        or [(s.pointer, s.base, s.ref) for s in old_sites]
        != [(s.pointer, s.base, s.ref) for s in new_sites]
    ):
        return None
    compare = ctx.comparisons().compare
    reports: dict[tuple[Any, ...], Any] = ctx.cache.setdefault("site-reports", {})
    changes: list[ThroughChange] = []
    verdicts: set[str] = set()
    for old_site, new_site in zip(old_sites, new_sites, strict=True):
        key = (old_site.target, new_site.target, dialect, mode, policy, rules)
        report = reports.get(key)
        if report is None:
            report = compare(
                {"$schema": dialect, "$ref": old_site.ref},
                {"$schema": dialect, "$ref": new_site.ref},
                mode=mode,
                policy=policy,
                rules=rules,
                old_resolver=ctx.old.resolver(old_site.base),
                new_resolver=ctx.new.resolver(new_site.base),
            )
            reports[key] = report
        verdicts.add(report.verdict)
        for change in report.changes:
            moved = _through(ctx, change, old_site, new_site)
            if moved is None:
                return None  # a pointer this module cannot place: compare the event whole
            changes.append(moved)
    verdict = (
        "breaking"
        if "breaking" in verdicts
        else ("unknown" if "unknown" in verdicts else "compatible")
    )
    return ThroughReport(tuple(changes), verdict)
