"""Safe write-back: validate a change with everything lint checks, then write it atomically.

A change is a mapping ``catalog-relative path -> new content`` (a dict, JSON text or bytes).
It is validated on an in-memory source layered over the catalog folder, so the folder is not
touched until every check passed:

1. the catalog with the change in place is linted; any error the change introduces (or any
   error in a file it writes) refuses it;
2. a file that already exists is an in-place change: it must be compatible with what is on disk
   under the event's compatibility settings, and under ``evolution: additive`` only add or relax
   (the same rule the gate applies; the fix is ``bump``).

Then the change is written as one step: every file is staged beside its target, a journal names
them, and they are moved over with ``os.replace``; an interrupted write is rolled back.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventcat.catalog.loader import read_catalog
from eventcat.catalog.model import Catalog, CompatibilitySettings
from eventcat.catalog.safefile import confined
from eventcat.catalog.source import CatalogSource, FolderSource
from eventcat.design.jsonfmt import dump_json
from eventcat.errors import CatalogError, UsageError
from eventcat.report.findings import Finding, Severity

Content = Mapping[str, Any] | str | bytes


class OverlaySource:
    """A catalog source: ``base`` with some files replaced, added (bytes) or removed (None)."""

    def __init__(self, base: CatalogSource, changes: Mapping[str, bytes | None]) -> None:
        self.base = base
        self.changes = dict(changes)
        self.label = f"{base.label} (with changes)"
        self.root = getattr(base, "root", Path(base.label))

    def paths(self) -> list[str]:
        paths = set(self.base.paths())
        for path, data in self.changes.items():
            if data is None:
                paths.discard(path)
            else:
                paths.add(path)
        return sorted(paths)

    def read(self, path: str) -> bytes:
        if path in self.changes:
            data = self.changes[path]
            if data is None:
                raise FileNotFoundError(2, "removed by the change", path)
            return data
        return self.base.read(path)

    def problems(self) -> list[Finding]:
        return [p for p in self.base.problems() if p.file not in self.changes]


def to_bytes(content: Content) -> bytes:
    if isinstance(content, bytes):
        return content
    if isinstance(content, str):
        return content.encode("utf-8")
    return dump_json(content).encode("utf-8")


def _key(finding: Finding) -> tuple[Any, ...]:
    return (finding.file, finding.pointer, finding.rule, finding.message)


@dataclass(frozen=True)
class Validation:
    """What validating a change found. ``ok`` when nothing blocks the write."""

    changes: Mapping[str, bytes]
    before: Catalog = field(repr=False)
    after: Catalog = field(repr=False)
    #: errors that block the write: new lint errors, errors in written files, breaking changes
    errors: tuple[Finding, ...] = ()
    #: warnings about the written files (they do not block)
    warnings: tuple[Finding, ...] = ()
    #: in-place changes: path -> the compatibility report of old vs new
    reports: Mapping[str, Any] = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.errors + self.warnings

    def raise_for_errors(self) -> None:
        if self.errors:
            raise CatalogError(self.errors)

    def __repr__(self) -> str:
        state = "ok" if self.ok else "refused"
        lines = [f"Validation({state}: {', '.join(self.changes)})"]
        lines += [f"  {f.render()}" for f in self.findings]
        return "\n".join(lines)


def _check_path(path: str) -> None:
    parts = path.split("/")
    if (
        not path
        or path.startswith("/")
        or "\\" in path
        or any(part in ("", ".", "..") or part.startswith(".") for part in parts)
    ):
        raise UsageError.at(
            f"{path!r} is not a catalog-relative path like domain/EventName_v1.schema.json",
            rule="usage",
            file=path,
        )


def validate_changes(
    catalog_dir: str | Path, changes: Mapping[str, Content], *, lint: bool = True
) -> Validation:
    """Validate ``changes`` against the catalog in ``catalog_dir`` without writing anything."""
    from eventcat.lint import lint_catalog

    root = Path(catalog_dir)
    if root.is_dir():
        recover_interrupted_write(root)
    data = {}
    for path, content in changes.items():
        _check_path(path)
        confined(root, path)  # never write through a symbolic link out of the catalog
        data[path] = to_bytes(content)
    if not root.is_dir():
        read_catalog(root)  # raises the CLI's catalog-missing error
    base = FolderSource(root)
    before = read_catalog(base)
    after = read_catalog(OverlaySource(base, data))
    errors: list[Finding] = []
    warnings: list[Finding] = []
    if lint:
        known = {_key(f) for f in lint_catalog(before) if f.severity == Severity.ERROR}
        for item in lint_catalog(after):
            touched = item.file in data
            if item.severity == Severity.ERROR and (touched or _key(item) not in known):
                errors.append(item)
            elif touched and item.severity == Severity.WARNING:
                warnings.append(item)
    reports: dict[str, Any] = {}
    if not any(f.unreadable for f in errors):
        for path in data:
            found = _in_place(before, after, path)
            if found is not None:
                report, problems = found
                reports[path] = report
                errors.extend(problems)
    return Validation(
        changes=data,
        before=before,
        after=after,
        errors=tuple(errors),
        warnings=tuple(warnings),
        reports=reports,
    )


def next_file(path: str) -> str:
    folder, _, name = path.rpartition("/")
    stem, _, rest = name.partition("_v")
    number = rest.split(".", 1)[0]
    if not number.isdigit():
        return path
    bumped = f"{stem}_v{int(number) + 1}.schema.json"
    return f"{folder}/{bumped}" if folder else bumped


def _in_place(before: Catalog, after: Catalog, path: str) -> tuple[Any, list[Finding]] | None:
    """Compare an existing file with its new content under its settings."""
    old_file = before.files.get(path)
    new_file = after.files.get(path)
    if old_file is None or new_file is None or old_file.schema == new_file.schema:
        return None
    version = before.by_path(path)
    settings: CompatibilitySettings = version.compatibility if version else before.settings
    return check_in_place(
        old_file.schema,
        new_file.schema,
        settings,
        path=path,
        old_resolver=before.resolver(path),
        new_resolver=after.resolver(path),
        old_text=old_file.text,
        new_text=new_file.text,
    )


def check_in_place(
    old: Any,
    new: Any,
    settings: CompatibilitySettings,
    *,
    path: str,
    old_resolver: Any = None,
    new_resolver: Any = None,
    old_text: str | None = None,
    new_text: str | None = None,
) -> tuple[Any, list[Finding]]:
    """The compatibility report of an in-place change and one error per forbidden change."""
    from eventcat.compat import compare_settings as compare

    base_mode = settings.mode.removesuffix("_TRANSITIVE")
    report = compare(
        old,
        new,
        mode="BACKWARD" if base_mode == "NONE" else base_mode,
        policy=settings.policy,
        rules=settings.rules,
        old_resolver=old_resolver,
        new_resolver=new_resolver,
    )
    additive = settings.evolution == "additive"
    bump = next_file(path)
    problems: list[Finding] = []
    for change in report.changes:
        breaking = bool(change.breaking) and base_mode != "NONE"
        forbidden = additive and not change.additive
        if not (breaking or forbidden):
            continue
        removal = bool(getattr(change, "is_removal", False))
        pointer = (change.old_pointer if removal else change.new_pointer) or change.pointer
        explanation = str(change.explanation).rstrip(".")
        if breaking:
            head = f"{explanation} [{base_mode} {settings.policy}]"
        else:
            head = (
                f"{explanation}. Compatible under {base_mode} {settings.policy}, but evolution "
                "`additive` allows only additions and relaxations inside an existing version file"
            )
        example = ""
        if getattr(change, "has_counterexample", False):
            example = (
                " Counterexample (the writer's schema accepts it, the reader's rejects it): "
                f"{_short(change.counterexample)}."
            )
        pointer = pointer.removeprefix("#")
        text = (old_text if removal else new_text) or ""
        problems.append(
            Finding(
                file=path,
                line=_line(text, pointer),
                pointer=pointer,
                rule=change.type,
                severity=Severity.ERROR,
                message=f"{head}.{example} Fix: publish `{bump}` with this change "
                "(`eventcat bump` or event.bump()) and leave this file as it was.",
            )
        )
    if report.verdict == "unknown" and base_mode != "NONE" and not problems:
        problems.append(
            Finding(
                file=path,
                pointer="",
                rule="compat-unknown",
                severity=Severity.ERROR,
                message="the engine cannot prove this change compatible "
                f"({', '.join(report.unknown_keywords) or 'unmodelled keyword'}); publish "
                f"`{bump}` instead",
            )
        )
    return report, problems


def _short(value: Any, limit: int = 200) -> str:
    import json

    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + " …"


def _line(text: str, pointer: str) -> int | None:
    """The line of ``pointer`` in ``text``, or of its closest existing parent."""
    from eventcat.catalog.jsonfile import line_of

    tokens = pointer.split("/")
    while tokens:
        line = line_of(text, "/".join(tokens)) if len(tokens) > 1 else None
        if line is not None:
            return line
        tokens.pop()
    return None


def _stage(target: Path, data: bytes, tag: str) -> Path:
    """``data`` in a new temporary file beside ``target`` (synced, with ``target``'s mode)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    mode = target.stat().st_mode & 0o777 if target.exists() else None
    descriptor, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=tag)
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        temporary.chmod(mode)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def write_atomic(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` via a temporary file in the same folder and ``os.replace``:
    a reader sees the old file or the new one, never half of it."""
    temporary = _stage(target, data, ".tmp")
    try:
        temporary.replace(target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


#: Beside the catalog's files while a change of several files is being applied (see below).
JOURNAL = ".eventcat-write-journal.json"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def apply_changes(catalog_dir: str | Path, validation: Validation) -> list[Path]:
    """Write a validated change (raises ``CatalogError`` if it has errors) as one step.

    Every new content and a copy of every file it replaces are staged first; then a journal
    naming them is written, the files are moved into place, and the journal is removed. A run
    that fails or is killed in between is rolled back (now, or by the next write, which calls
    :func:`recover_interrupted_write`), so the catalog never keeps half of a ``bump``.
    """
    validation.raise_for_errors()
    root = Path(catalog_dir)
    recover_interrupted_write(root)
    order = sorted(validation.changes, key=lambda p: (p in validation.before.files, p))
    staged: list[tuple[Path, Path, Path | None]] = []
    entries: list[dict[str, str | None]] = []
    journal = root / JOURNAL
    try:
        for path in order:
            target = confined(root, path)  # never through a link out of the catalog
            data = validation.changes[path]
            temporary = _stage(target, data, ".tmp")
            backup = _stage(target, target.read_bytes(), ".backup") if target.exists() else None
            staged.append((target, temporary, backup))
            entries.append(
                {
                    "path": path,
                    "temporary": temporary.name,
                    "new": _digest(data),
                    "backup": backup.name if backup else None,
                }
            )
        write_atomic(journal, json.dumps({"journal": 1, "files": entries}).encode("utf-8"))
        for target, temporary, _ in staged:
            temporary.replace(target)
        journal.unlink()
    except BaseException:
        if journal.exists():
            recover_interrupted_write(root)
        for _, temporary, backup in staged:
            temporary.unlink(missing_ok=True)
            if backup is not None:
                backup.unlink(missing_ok=True)
        raise
    for _, _, backup in staged:
        if backup is not None:
            backup.unlink(missing_ok=True)
    return [target for target, _, _ in staged]


def _beside(target: Path, name: Any) -> Path | None:
    """The staged file ``name`` next to ``target``, if it is named as :func:`_stage` names them."""
    if not isinstance(name, str) or "/" in name or not name.startswith(f".{target.name}."):
        return None
    return target.parent / name


def recover_interrupted_write(catalog_dir: str | Path) -> bool:
    """Roll back a change whose writing was interrupted (its journal is still there).

    The journal sits in the catalog folder, where a pull request could forge one, so it is
    trusted only as far as it is checked: paths stay inside the catalog, temporary and backup
    files sit beside their targets, and a file is removed only when it holds exactly the content
    the interrupted run wrote. Returns True when something was rolled back.
    """
    root = Path(catalog_dir)
    journal = root / JOURNAL
    try:
        entries = json.loads(journal.read_bytes())["files"]
        assert isinstance(entries, list)
    except FileNotFoundError:
        return False
    except (OSError, ValueError, KeyError, TypeError, AssertionError):
        raise UsageError.at(
            f"{JOURNAL} (left by an interrupted write) is unreadable; check the "
            "catalog's files and remove it",
            rule="write-journal",
            file=JOURNAL,
        ) from None
    inside = root.resolve()
    for entry in reversed(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            continue
        target = root / entry["path"]
        parent = target.parent.resolve()
        if Path(entry["path"]).is_absolute() or not (parent == inside or inside in parent.parents):
            continue
        temporary, backup = (
            _beside(target, entry.get("temporary")),
            _beside(target, entry.get("backup")),
        )
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        if backup is not None and backup.is_file() and not backup.is_symlink():
            backup.replace(target)  # the file as it was before the change
        elif (
            entry.get("backup") is None
            and target.is_file()
            and not target.is_symlink()
            and (_digest(target.read_bytes()) == entry.get("new"))
        ):
            target.unlink()  # a file the interrupted change created
    journal.unlink(missing_ok=True)
    return True


def write_changes(catalog_dir: str | Path, changes: Mapping[str, Content]) -> list[Path]:
    """Validate ``changes`` and write them; raise ``CatalogError`` listing every problem."""
    return apply_changes(catalog_dir, validate_changes(catalog_dir, changes))
