"""The gate's metadata and lifecycle checks: :mod:`eventcat.governance.metadata` and
:mod:`eventcat.governance.lifecycle` turned into located findings (wired into ``DEFAULT_POLICY``).

Per file pair: ``check_metadata`` (x-eventcat changes of an existing version) and
``check_lifecycle`` (transitions, deprecated without sunset/replacement, draft exemption, allowed
deletions). Over the change: ``check_declarations`` (services/domains/teams removed from
catalog.yaml while still named) and ``check_sunsets`` (every deprecated version in the work tree
whose sunset is near or past). The two catalog checks search the work tree with ``git grep`` and
read only the files it finds, so their cost grows with the number of deprecated versions and of
files naming a removed declaration, not with the catalog.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace

from eventcat.catalog.loader import FILE_NAME, SCHEMA_SUFFIX, SETTINGS_FILE, load_schema_text
from eventcat.catalog.model import EventVersion, SchemaFile
from eventcat.catalog.yamlfile import yaml_line_of
from eventcat.errors import InputError
from eventcat.gate.context import FilePair, GateContext
from eventcat.governance.lifecycle import (
    deletion_allowed,
    draft_exempt,
    lifecycle_findings,
    lifecycle_transition,
)
from eventcat.governance.metadata import declaration_users, metadata_changes, removed_declarations
from eventcat.governance.rules import GOVERNANCE_RULES, Notice
from eventcat.jsonpointer import split_pointer
from eventcat.report.findings import Finding

_SECTION_LABEL = {"services": "service", "domains": "domain", "teams": "team"}


def _locate(file: SchemaFile | None, note: Notice) -> tuple[str, int | None]:
    """(pointer, line) of ``note`` in ``file``: the pointer itself, or for something that was
    removed, the nearest enclosing part of the file that still exists."""
    if file is None:
        return note.pointer, None
    tokens = split_pointer(note.pointer)
    removed = note.new is None and note.old is not None
    if removed and tokens and tokens[-1].isdigit():
        tokens = tokens[:-1]  # the index named something else (or nothing) in the new file
    while True:
        probe = "".join(f"/{t.replace('~', '~0').replace('/', '~1')}" for t in tokens)
        line = file.line_of(probe) if probe else 1
        if line is not None:
            return probe, line
        if not tokens:
            return note.pointer, None
        tokens = tokens[:-1]


def _finding(pair: FilePair, note: Notice, file: SchemaFile | None) -> Finding:
    pointer, line = _locate(file, note)
    return replace(note, pointer=pointer).finding(
        file.path if file is not None else pair.path,
        line=line,
        event=pair.name,
        version=pair.version,
    )


# -- per pair ------------------------------------------------------------------------------------


def check_metadata(ctx: GateContext, pair: FilePair) -> Iterator[Finding]:
    """x-eventcat changes of an existing version: channel (breaking), producers, consumers,
    handlers, owner, criticality and delivery (warnings naming who is affected)."""
    if pair.kind != "event" or pair.status not in ("modified", "moved"):
        return
    if pair.old is None or pair.new is None or draft_exempt(pair.old):
        return
    # A consumer added to a deprecated/retired version is a lifecycle error; not repeated here.
    covered = {
        n.new
        for n in lifecycle_transition(pair.old, pair.new)
        if n.rule == "lifecycle-consumer-added"
    }
    for note in metadata_changes(pair.old, pair.new):
        if note.rule == "consumer-added" and note.new in covered:
            continue
        yield _finding(pair, note, pair.new.file)


def check_lifecycle(ctx: GateContext, pair: FilePair) -> Iterator[Finding]:
    """Lifecycle rules of one changed version (sunsets are ``check_sunsets``'s)."""
    if pair.kind != "event":
        return
    if pair.status == "deleted":
        if deletion_allowed(pair.old):
            assert pair.old is not None
            yield _finding(
                pair,
                Notice(
                    "lifecycle-version-deleted",
                    f"{pair.path} was deleted; allowed, since {pair.label} was {pair.old.status} at "
                    f"{ctx.ref}",
                ),
                None,
            )
        return
    if pair.status in ("modified", "moved", "affected") and draft_exempt(pair.old):
        yield _finding(
            pair,
            Notice(
                "lifecycle-draft-exempt",
                f"{pair.label} is a draft at {ctx.ref}: its payload, eventType and channel are not "
                "checked for compatibility until it is active",
            ),
            pair.new_file,
        )
    if pair.status in ("modified", "moved"):
        for note in lifecycle_transition(pair.old, pair.new):
            yield _finding(pair, note, pair.new_file)
    if pair.status in ("modified", "moved", "added") and pair.new is not None:
        for note in lifecycle_findings(pair.new, ctx.today or dt.date.today()):
            if note.rule == "lifecycle-deprecated-incomplete":
                yield _finding(pair, note, pair.new_file)


# -- over the change -----------------------------------------------------------------------------


_SUNSET_NEEDLES = frozenset({'"deprecated"'})


def start_sunset_scan(ctx: GateContext, pair: FilePair | None = None) -> Iterator[Finding]:
    """A pair check that finds nothing: it starts the work-tree search ``check_sunsets`` needs in
    a background thread (``git grep`` is another process), so that it overlaps the payload
    comparisons instead of adding to them. Runs once per gate run."""
    if "sunset-scan" not in ctx.cache and ctx.repo is not None:
        repo, prefix = ctx.repo, ctx.prefix
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="eventcat-sunsets")
        ctx.cache["sunset-scan"] = pool.submit(repo.grep, set(_SUNSET_NEEDLES), prefix, None)
        pool.shutdown(wait=False)
    return iter(())


def _grep(ctx: GateContext, needles: set[str]) -> set[str]:
    scan: Future[set[str]] | None = ctx.cache.get("sunset-scan")
    if scan is not None and needles == set(_SUNSET_NEEDLES):
        return scan.result()
    assert ctx.repo is not None
    return ctx.repo.grep(needles, ctx.prefix, None)


def _worktree_versions(ctx: GateContext, needles: set[str]) -> list[EventVersion]:
    """Event versions in the work tree whose file contains any of ``needles`` (``git grep``),
    read directly (no ``$ref`` resolution needed: only x-eventcat is looked at)."""
    found: dict[str, EventVersion] = {}
    if ctx.repo is None:
        return list(ctx.new.versions())
    for full in sorted(_grep(ctx, needles)):
        if ctx.prefix and not full.startswith(ctx.prefix):
            continue
        rel = full[len(ctx.prefix) :]
        domain, _, base = rel.rpartition("/")
        match = FILE_NAME.match(base)
        if (
            not domain
            or "/" in domain
            or domain.startswith(("_", "."))
            or match is None
            or not rel.endswith(SCHEMA_SUFFIX)
        ):
            continue
        known = ctx.new.by_path(rel)
        if known is not None:
            found[rel] = known
            continue
        try:
            file = load_schema_text((ctx.new.root / rel).read_bytes(), rel)
        except (OSError, InputError):
            continue  # unreadable files are not this check's business
        found[rel] = EventVersion(
            name=match["name"], version=int(match["version"]), domain=domain, file=file
        )
    return [found[p] for p in sorted(found)]


def check_sunsets(ctx: GateContext) -> Iterator[Finding]:
    """Every deprecated version in the work tree: warn as its sunset nears, fail past it."""
    today = ctx.today or dt.date.today()
    for version in _worktree_versions(ctx, set(_SUNSET_NEEDLES)):
        if version.status != "deprecated":
            continue
        for note in lifecycle_findings(version, today):
            if note.rule in ("lifecycle-sunset-near", "lifecycle-sunset-passed"):
                pointer, line = _locate(version.file, note)
                yield replace(note, pointer=pointer).finding(
                    version.path, line=line, event=version.name, version=version.version
                )


def _settings_line(ctx: GateContext, section: str) -> int | None:
    return yaml_line_of(ctx.new.settings_text, f"/{section}")


def check_declarations(ctx: GateContext) -> Iterator[Finding]:
    """Services, domains and teams removed from catalog.yaml while something still names them."""
    if SETTINGS_FILE not in ctx.changed:
        return
    removed = removed_declarations(ctx.old.raw_settings, ctx.new.raw_settings)
    if not removed:
        return
    needles = {f'"{name}"' for section, name in removed if section != "domains"}
    versions = _worktree_versions(ctx, needles) if needles else []
    for section, name in removed:
        if section == "domains":
            folder = ctx.new.root / name
            in_folder = (
                sorted(p.name for p in folder.glob(f"*{SCHEMA_SUFFIX}")) if folder.is_dir() else []
            )
            users = [(f"{name}/{base}", "in its folder") for base in in_folder]
            users += declaration_users(section, name, (), ctx.new.raw_settings)
        else:
            users = declaration_users(section, name, versions, ctx.new.raw_settings)
        if not users:
            continue
        label = _SECTION_LABEL[section]
        listing = "; ".join(f"{where} ({how})" for where, how in users[:20])
        more = f"; and {len(users) - 20} more" if len(users) > 20 else ""
        yield Finding(
            file=SETTINGS_FILE,
            line=_settings_line(ctx, section),
            pointer=f"/{section}",
            rule="declaration-removed",
            severity=GOVERNANCE_RULES["declaration-removed"].severity,
            message=f"{label} {name!r} was removed from catalog.yaml but is still named by "
            f"{len(users)} place(s): {listing}{more}; keep the declaration until nothing names it",
            details=(
                ("change", "declaration-removed"),
                ("section", section),
                ("id", name),
                ("used_by", [where for where, _ in users]),
                ("fix", GOVERNANCE_RULES["declaration-removed"].fix),
            ),
        )


#: ``start_sunset_scan`` goes first in the policy, the others after the payload checks.
PREFETCH_CHECKS = (start_sunset_scan,)
PAIR_CHECKS = (check_metadata, check_lifecycle)
CATALOG_CHECKS = (check_declarations, check_sunsets)
