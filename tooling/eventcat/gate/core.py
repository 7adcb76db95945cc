"""``eventcat check --against REF``: the schema-diff gate's core.

1. Find what changed between REF and the work tree (``git diff --name-status`` + untracked files).
2. Read only what that needs on each side: the changed files, the events that use them, their
   ``$ref`` closure, ``catalog.yaml`` and the envelope. The baseline comes straight from git
   objects at REF, with the catalog's settings as they were at REF.
3. Pair old and new files and run the policy's checks over each pair; apply waivers.
"""

from __future__ import annotations

import datetime as dt
import functools
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eventcat.catalog.loader import FILE_NAME, SCHEMA_SUFFIX, SETTINGS_FILE, read_catalog
from eventcat.catalog.model import Catalog, SchemaFile
from eventcat.errors import CatalogError, InputError
from eventcat.gate.context import FilePair, GateContext, Kind, Policy, Revision
from eventcat.gate.grouping import group_findings
from eventcat.gate.subset import Planner, Subset, WorkTreeSource
from eventcat.gate.waivers import WAIVERS_FILE, Waiver, apply_waivers, parse_waivers
from eventcat.git.reader import GitRepo
from eventcat.git.tree import GitTreeSource
from eventcat.report.findings import Finding, Severity
from eventcat.report.render import Result
from eventcat.report.run import Changed, CheckRun, Judged


class MemorySource:
    """A catalog source held in memory (the empty baseline before a catalog existed)."""

    def __init__(self, files: dict[str, bytes], label: str) -> None:
        self._files = files
        self.label = label
        self.root = Path(label)

    def paths(self) -> list[str]:
        return sorted(self._files)

    def exists(self, path: str) -> bool:
        return path in self._files

    def read(self, path: str) -> bytes:
        try:
            return self._files[path]
        except KeyError:
            raise FileNotFoundError(2, "no such file", path) from None

    def problems(self) -> list[Finding]:
        return []


@dataclass(frozen=True)
class CheckOptions:
    catalog_dir: str = "catalog"
    against: str = "HEAD"
    waivers: str | None = None  # a waivers file; default: <catalog>/waivers.yaml
    today: dt.date | None = None
    strict: bool = False
    #: Called with (pairs judged, pairs to judge) as the gate goes (the CLI's progress on a TTY).
    progress: Callable[[int, int], None] | None = None
    #: a folder that keeps the engine's comparisons between runs (see eventcat.comparecache)
    cache: str | None = None


def _kind(path: str, envelope: str | None) -> Kind | None:
    parts = path.split("/")
    if len(parts) != 2 or FILE_NAME.match(parts[1]) is None:
        return None
    if path == envelope:
        return "envelope"
    return "fragment" if parts[0].startswith("_") else "event"


def _envelope_path(settings: dict[str, Any]) -> str | None:
    envelope = settings.get("envelope")
    if isinstance(envelope, dict) and isinstance(envelope.get("schema"), str):
        return str(envelope["schema"])
    return None


def run_check(options: CheckOptions, policy: Policy | None = None) -> Result:
    """Run the gate; raise ``InputError`` (exit 2) for a bad catalog folder or revision."""
    from eventcat.gate.checks import DEFAULT_POLICY

    policy = policy or DEFAULT_POLICY
    root = Path(options.catalog_dir)
    if not root.is_dir():
        raise CatalogError.at(
            f"catalog folder {options.catalog_dir!r} does not exist; pass --catalog DIR",
            rule="catalog-missing",
            file=options.catalog_dir,
        )
    repo, prefix = GitRepo.discover(root)
    with repo:
        commit = repo.resolve(options.against)
        return _Run(repo, prefix, commit, root, options, policy).run()


class _Run:
    def __init__(
        self,
        repo: GitRepo,
        prefix: str,
        commit: str,
        root: Path,
        options: CheckOptions,
        policy: Policy,
    ) -> None:
        self.repo, self.prefix, self.commit, self.root = repo, prefix, commit, root
        self.options, self.policy = options, policy
        self.findings: list[Finding] = []

    def rel(self, path: str) -> str | None:
        if self.prefix and not path.startswith(self.prefix):
            return None
        rel = path[len(self.prefix) :]
        return None if any(part.startswith(".") for part in rel.split("/")) else rel

    def run(self) -> Result:
        options = self.options
        changed: dict[str, str] = {}
        for status, path in self.repo.changed(self.commit, self.prefix):
            rel = self.rel(path)
            if rel is not None:
                changed[rel] = "M" if status == "T" else status

        old_side: GitTreeSource | MemorySource = GitTreeSource(
            self.repo, self.commit, self.prefix, ref=options.against
        )
        if not old_side.exists(SETTINGS_FILE):
            # No catalog at the baseline: everything is new.
            old_side = MemorySource({SETTINGS_FILE: b"{}\n"}, f"{options.against}:(no catalog)")
        new_side = WorkTreeSource(self.root)
        if not new_side.exists(SETTINGS_FILE):
            raise CatalogError.at(
                f"no {SETTINGS_FILE} in {self.root}; every catalog declares its settings there",
                rule="catalog-missing",
                file=SETTINGS_FILE,
            )
        old_plan = Planner(old_side, lambda needles: self._grep(needles, self.commit))
        new_plan = Planner(new_side, lambda needles: self._grep(needles, None))
        old_settings, new_settings = old_plan.settings(), new_plan.settings()
        old_env, new_env = _envelope_path(old_settings), _envelope_path(new_settings)

        schema_changes = {p: s for p, s in changed.items() if p.endswith(SCHEMA_SUFFIX)}
        changed_old = {p for p, s in schema_changes.items() if s != "A" and old_side.exists(p)}
        changed_new = {p for p, s in schema_changes.items() if s != "D" and new_side.exists(p)}
        # Users are searched for changed shared files (folders starting with "_"): that search
        # reads the whole catalog (git grep), which a change to event files alone never needs.
        shared_old = {p for p in changed_old if p.startswith("_")}
        shared_new = {p for p in changed_new if p.startswith("_")}
        users = (old_plan.users(shared_old) | new_plan.users(shared_new)) - set(schema_changes)
        versions = self._work_tree_versions(changed_new | users)
        previous = set()
        for path in changed_new - changed_old:
            match = FILE_NAME.match(posixpath.basename(path))
            if match and int(match["version"]) > 1:
                previous.add(
                    f"{posixpath.dirname(path)}/{match['name']}_v{int(match['version']) - 1}"
                    f"{SCHEMA_SUFFIX}"
                )
        seeds_old = changed_old | users | ({old_env} if old_env else set())
        seeds_new = changed_new | users | previous | ({new_env} if new_env else set())
        need_old = old_plan.closure(seeds_old) | {SETTINGS_FILE}
        need_new = new_plan.closure(seeds_new) | {SETTINGS_FILE}

        old_catalog = read_catalog(Subset(old_side, need_old))
        new_catalog = read_catalog(Subset(new_side, need_new))
        self._input_problems(old_catalog, new_catalog, schema_changes)
        # Lint's confinement, for every changed path and every file planning asked about (a link
        # out of the catalog, a $ref through a linked folder): refused before anything is read.
        for path, status in changed.items():
            old_side.exists(path)
            if status != "D":
                new_side.exists(path)
        seen = {(p.file, p.rule) for p in self.findings}
        self.findings.extend(p for p in new_side.problems() if (p.file, p.rule) not in seen)
        for problem in old_side.problems():  # a link or submodule at REF: never followed
            if problem.file in changed and (problem.file, "baseline-unreadable") not in seen:
                self.findings.append(
                    Finding(
                        file=problem.file,
                        rule="baseline-unreadable",
                        severity=Severity.WARNING,
                        message=f"at {options.against}: {problem.message}; the file is judged as new",
                    )
                )

        pairs = self._pairs(old_catalog, new_catalog, schema_changes, users, old_env, new_env)
        ctx = GateContext(
            ref=options.against,
            commit=self.commit,
            old=old_catalog,
            new=new_catalog,
            changed=changed,
            pairs=pairs,
            repo=self.repo,
            prefix=self.prefix,
            new_versions=versions,
            history_loader=self._history,
            today=options.today,
        )
        if options.cache:
            from eventcat.comparecache import ComparisonCache

            ctx.use_comparisons(ComparisonCache(Path(options.cache)))
        for done, pair in enumerate(pairs, 1):
            for check in self.policy.pair_checks:
                self.findings.extend(check(ctx, pair))
            if options.progress is not None:
                options.progress(done, len(pairs))
        for catalog_check in self.policy.catalog_checks:
            self.findings.extend(catalog_check(ctx))

        waivers, waiver_file = self._waivers()
        judged = {(p.name, p.version) for p in pairs if p.kind != "fragment"}
        outcome = apply_waivers(
            self.findings,
            waivers,
            today=options.today or dt.date.today(),
            judged=judged,
            exists=self._event_exists,
        )
        findings = sorted(group_findings(outcome.findings), key=_order)
        run = CheckRun(
            against=options.against,
            commit=self.commit,
            catalog_path=self.prefix.rstrip("/") or ".",
            changed=tuple(Changed(p, s) for p, s in sorted(changed.items())),
            judged=tuple(
                Judged(p.label, p.status, p.kind, p.path, p.old_path, p.via) for p in pairs
            ),
            waivers={"file": waiver_file, "used": [w.as_json() for w in outcome.used]},
        )
        breaking = sum(1 for f in findings if f.severity is Severity.ERROR)
        events = sum(1 for p in pairs if p.kind != "fragment")
        summary = (
            f"{len(changed)} changed file(s), {events} event version(s) judged against "
            f"{options.against}"
        )
        result = Result(
            "check", tuple(findings), base=options.catalog_dir, run=run, strict=options.strict
        )
        verdict = (
            "ok"
            if result.ok
            else ("unreadable input" if result.unreadable else f"breaking ({breaking})")
        )
        return Result(
            "check",
            tuple(findings),
            base=options.catalog_dir,
            summary=f"{verdict}: {summary}",
            run=run,
            strict=options.strict,
        )

    # -- reading --------------------------------------------------------------------------------

    def _grep(self, needles: set[str], commit: str | None) -> set[str]:
        found = set()
        for path in self.repo.grep(needles, self.prefix, commit):
            rel = self.rel(path)
            if rel is not None:
                found.add(rel)
        return found

    def _work_tree_versions(self, paths: set[str]) -> dict[tuple[str, str], list[int]]:
        """For each event of ``paths``: its versions 1..N (N from the path) in the work tree."""
        result: dict[tuple[str, str], list[int]] = {}
        for path in paths:
            domain, _, base = path.rpartition("/")
            match = FILE_NAME.match(base)
            if not domain or match is None:
                continue
            folder = self.root / domain
            result[(domain, match["name"])] = [
                n
                for n in range(1, int(match["version"]) + 1)
                if (folder / f"{match['name']}_v{n}{SCHEMA_SUFFIX}").is_file()
            ]
        return result

    def _event_exists(self, name: str, version: int) -> bool:
        return any(self.root.glob(f"*/{name}_v{version}{SCHEMA_SUFFIX}"))

    def _input_problems(self, old: Catalog, new: Catalog, changes: dict[str, str]) -> None:
        for problem in new.problems:
            if problem.unreadable:
                self.findings.append(problem)
        for problem in old.problems:
            if problem.unreadable and problem.file in changes:
                self.findings.append(
                    Finding(
                        file=problem.file,
                        rule="baseline-unreadable",
                        severity=Severity.WARNING,
                        message=f"at {self.options.against}: {problem.message}; the file is judged as new",
                    )
                )

    def _history(self, path: str) -> list[Revision]:
        """Earlier revisions of ``path``: one per distinct content, before the baseline's."""
        full = self.prefix + path
        seen: set[str] = set()
        baseline = self.repo.read_object(f"{self.commit}:{full}")
        if baseline is not None:
            seen.add(baseline[0])
        revisions = []
        for commit in self.repo.history(self.commit, full):
            found = self.repo.read_object(f"{commit}:{full}")
            if found is None or found[0] in seen:
                continue
            seen.add(found[0])
            side = GitTreeSource(self.repo, commit, self.prefix)
            if not side.exists(SETTINGS_FILE):
                continue
            plan = Planner(side, functools.partial(self._grep, commit=commit))
            catalog = read_catalog(Subset(side, plan.closure({path}) | {SETTINGS_FILE}))
            file = catalog.files.get(path)
            if file is not None:
                revisions.append(Revision(commit, self.repo.commit_date(commit), catalog, file))
        return revisions

    def _waivers(self) -> tuple[list[Waiver], str | None]:
        if self.options.waivers is not None:
            path = Path(self.options.waivers)
            label = self.options.waivers
        else:
            path = self.root / WAIVERS_FILE
            label = WAIVERS_FILE
        if not path.is_file():
            if self.options.waivers is not None:
                raise InputError.at(
                    f"waivers file {label!r} does not exist", rule="file-unreadable", file=label
                )
            return [], None
        try:
            text = path.read_text("utf-8-sig")
        except (OSError, UnicodeDecodeError) as err:
            raise InputError.at(
                f"cannot read the waivers file: {err}", rule="file-unreadable", file=label
            ) from None
        return parse_waivers(text, label), label

    # -- pairing --------------------------------------------------------------------------------

    def _pairs(
        self,
        old: Catalog,
        new: Catalog,
        changes: dict[str, str],
        users: set[str],
        old_env: str | None,
        new_env: str | None,
    ) -> list[FilePair]:
        pairs: list[FilePair] = []
        deleted: dict[str, str] = {}
        added: dict[str, str] = {}
        unreadable = {p.file for p in new.problems if p.unreadable}
        for path in sorted(changes):
            if path in unreadable or new.dependencies(path) & unreadable:
                continue  # it or a file it references is unreadable input (exit 2), reported
            old_file, new_file = old.files.get(path), new.files.get(path)
            if old_file is not None and new_file is not None:
                kind = _kind(path, new_env)
                if kind is not None:
                    pairs.append(self._pair("modified", kind, path, old, new))
            elif old_file is not None:
                deleted[posixpath.basename(path)] = path
            elif new_file is not None:
                added[posixpath.basename(path)] = path
        for name, old_path in deleted.items():
            new_path = added.pop(name, None)
            kind = _kind(old_path, old_env)
            if kind is None:
                continue
            if new_path is not None and kind == "event" and _kind(new_path, new_env) == "event":
                pairs.append(self._pair("moved", "event", new_path, old, new, old_path=old_path))
            else:
                pairs.append(self._pair("deleted", kind, old_path, old, new))
                if new_path is not None:
                    added[name] = new_path
        for new_path in added.values():
            kind = _kind(new_path, new_env)
            if kind is not None:
                pairs.append(self._pair("added", kind, new_path, old, new))
        changed_files = set(changes)
        for path in sorted(users):
            kind = _kind(path, new_env)
            if kind is None or path not in old.files or path not in new.files:
                continue
            via = tuple(sorted((new.dependencies(path) | old.dependencies(path)) & changed_files))
            if via:
                pairs.append(self._pair("affected", kind, path, old, new, via=via))
        return sorted(pairs, key=lambda p: (p.path, p.status))

    @staticmethod
    def _pair(
        status: Any,
        kind: Kind,
        path: str,
        old: Catalog,
        new: Catalog,
        *,
        old_path: str | None = None,
        via: tuple[str, ...] = (),
    ) -> FilePair:
        match = FILE_NAME.match(posixpath.basename(path))
        assert match is not None
        old_path = old_path or path
        old_file: SchemaFile | None = old.files.get(old_path) if status != "added" else None
        new_file: SchemaFile | None = new.files.get(path) if status != "deleted" else None
        return FilePair(
            status=status,
            kind=kind,
            name=match["name"],
            version=int(match["version"]),
            old_file=old_file,
            new_file=new_file,
            old=old.by_path(old_path) if old_file else None,
            new=new.by_path(path) if new_file else None,
            via=via,
        )


def _order(finding: Finding) -> tuple[Any, ...]:
    rank = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    return (
        finding.file or "",
        finding.line or 0,
        rank[finding.severity],
        finding.rule,
        finding.pointer,
    )
