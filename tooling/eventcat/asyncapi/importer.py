"""``eventcat import asyncapi``: merge documents into a catalog without overwriting anything.

Files that exist with the same content are skipped (re-importing is a no-op); a file that exists
with other content is a conflict and nothing is written. Declarations missing from catalog.yaml are
appended to its text; existing ones are kept as they are. The whole change is linted before the
first byte is written (``eventcat.design.write``: the same validation ``new`` and ``bump`` use),
and each file is written atomically inside the catalog folder.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from eventcat.asyncapi.reader import Plan, load, read
from eventcat.asyncapi.yamledit import append_entries
from eventcat.catalog.loader import SETTINGS_FILE
from eventcat.catalog.yamlfile import parse_yaml
from eventcat.design.jsonfmt import dump_json
from eventcat.errors import CatalogError, UsageError
from eventcat.report.findings import Finding, Severity

SECTIONS = ("teams", "domains", "services")


class ImportRefused(CatalogError):
    """The import would leave lint errors or overwrite a file: findings, exit 1."""

    exit_code = 1
    unreadable = False


@dataclass
class ImportResult:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    declared: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if not self.written:
            return f"nothing to do: {len(self.unchanged)} file(s) already in the catalog"
        counts = {s: sum(1 for d in self.declared if d.startswith(f"{s}.")) for s in SECTIONS}
        declared = ", ".join(f"{n} {s}" for s, n in counts.items() if n) or "nothing new"
        return (
            f"imported {len(self.written)} file(s) ({len(self.unchanged)} already there); "
            f"declared in catalog.yaml: {declared}"
        )


def import_files(
    catalog_dir: str | Path, files: Iterable[str], domain: str | None = None
) -> ImportResult:
    root = Path(catalog_dir)
    if domain is not None and not _is_domain(domain):
        raise UsageError.at(f"--domain {domain!r} is not a kebab-case id", rule="usage")
    plans = [read(load(file), file, domain) for file in files]
    result = ImportResult(notes=[n for plan in plans for n in plan.notes])
    settings_path = root / SETTINGS_FILE
    created_root = not root.exists()
    if root.exists() and not root.is_dir():
        raise UsageError.at(f"--catalog {str(root)!r} is a file", rule="usage", file=str(root))
    if not settings_path.is_file() and root.is_dir() and any(root.iterdir()):
        raise UsageError.at(
            f"{str(root)!r} has files but no {SETTINGS_FILE}: not a catalog; name an empty folder "
            "or a catalog",
            rule="usage",
            file=str(root),
        )
    text = settings_path.read_text("utf-8-sig") if settings_path.is_file() else ""
    current = parse_yaml(text, SETTINGS_FILE) if text.strip() else {}
    current = current if isinstance(current, dict) else {}
    changes, conflicts = _files(root, plans, result)
    additions = _declarations(current, plans, result)
    if not text.strip():
        text = _new_settings(plans)
        changes[SETTINGS_FILE] = text.encode("utf-8")
    if any(additions.values()):
        changes[SETTINGS_FILE] = append_entries(text, additions).encode("utf-8")
    if conflicts:
        raise ImportRefused(conflicts)
    if not changes:
        return result
    _write(root, changes, created_root, settings_path.is_file())
    result.written = sorted(p for p in changes if p != SETTINGS_FILE)
    return result


def _is_domain(value: str) -> bool:
    import re

    return re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", value) is not None


def _files(
    root: Path, plans: list[Plan], result: ImportResult
) -> tuple[dict[str, bytes], list[Finding]]:
    changes: dict[str, bytes] = {}
    seen: dict[str, tuple[Any, str]] = {}
    conflicts: list[Finding] = []
    for plan in plans:
        for path, schema in sorted(plan.files.items()):
            if path in seen:
                if seen[path][0] != schema:
                    conflicts.append(
                        _conflict(
                            path, f"{plan.source} and {seen[path][1]} describe it differently"
                        )
                    )
                continue
            seen[path] = (schema, plan.source)
            target = root / path
            if target.is_file():
                try:
                    same = json.loads(target.read_text("utf-8-sig")) == schema
                except (OSError, ValueError):
                    same = False
                if same:
                    result.unchanged.append(path)
                else:
                    conflicts.append(
                        _conflict(
                            path,
                            f"exists with other content than in "
                            f"{plan.source}; not overwritten (remove it, "
                            "or bump the event and import again)",
                        )
                    )
                continue
            changes[path] = dump_json(schema).encode("utf-8")
    return changes, conflicts


def _conflict(path: str, message: str) -> Finding:
    return Finding(rule="import-conflict", severity=Severity.ERROR, message=message, file=path)


def _declarations(
    current: dict[str, Any], plans: list[Plan], result: ImportResult
) -> dict[str, dict[str, Any]]:
    additions: dict[str, dict[str, Any]] = {s: {} for s in SECTIONS}
    for section in SECTIONS:
        existing: dict[str, Any] = (
            current[section] if isinstance(current.get(section), dict) else {}
        )
        for plan in plans:
            for key, value in sorted(plan.declarations[section].items()):
                if key in existing:
                    if existing[key] != value:
                        result.notes.append(
                            f"{plan.source}: kept catalog.yaml's {section}.{key} "
                            "as it is (the document describes it differently)"
                        )
                elif key not in additions[section]:
                    additions[section][key] = value
                    result.declared.append(f"{section}.{key}")
    return additions


def _new_settings(plans: list[Plan]) -> str:
    """A catalog.yaml for a new catalog: the first document's settings."""
    settings: dict[str, Any] = {"name": "imported AsyncAPI documents"}
    for plan in plans:
        if plan.settings:
            settings = dict(plan.settings)
            break
    header = "# Created by eventcat import asyncapi.\n\n"
    return header + yaml.safe_dump(settings, sort_keys=False, allow_unicode=True, width=100)


def _write(root: Path, changes: dict[str, bytes], created_root: bool, had_settings: bool) -> None:
    from eventcat.design.write import apply_changes, validate_changes, write_atomic

    settings = root / SETTINGS_FILE
    if not had_settings:
        # validate_changes reads the catalog before the change: give it a minimal one.
        root.mkdir(parents=True, exist_ok=True)
        write_atomic(settings, b"name: import in progress\n")
    try:
        validation = validate_changes(root, changes)
        if not validation.ok:
            raise ImportRefused(validation.errors)
        apply_changes(root, validation)
    except BaseException:
        if not had_settings:
            settings.unlink(missing_ok=True)
            if created_root:
                shutil.rmtree(root, ignore_errors=True)
        raise
