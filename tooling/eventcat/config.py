"""Where the catalog is and the project's defaults: ``[tool.eventcat]`` and upward discovery.

As ruff and buf do, every command finds its catalog from the current folder upwards, so it runs
the same from the repository root, from ``catalog/billing/`` or from a pre-commit hook:

- a folder holding ``catalog.yaml`` is the catalog;
- a ``pyproject.toml`` with ``[tool.eventcat] catalog = "..."`` names it (relative to that file);
- a folder holding ``catalog/catalog.yaml`` has it at ``catalog/`` (the conventional layout).

The nearest match wins; the walk stops at the repository root (the first folder with ``.git``) so
a stray catalog above the repository is never picked up. ``--catalog`` always wins over all of it.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eventcat.catalog.safefile import MAX_SETTINGS_BYTES, read_regular
from eventcat.errors import UsageError

__all__ = ["KEYS", "Settings", "find_catalog", "load_settings"]

#: Every key ``[tool.eventcat]`` accepts, with what it means (shown when a key is unknown).
KEYS = {
    "catalog": "the catalog folder, relative to pyproject.toml",
    "format": "the default --format of every command that offers it",
}


@dataclass(frozen=True)
class Settings:
    """``[tool.eventcat]`` of the nearest pyproject.toml that has the table (empty if none)."""

    file: Path | None = None
    catalog: Path | None = None
    format: str | None = None


def _folders(start: Path) -> list[Path]:
    """``start`` and its parents, up to and including the repository root."""
    folders = []
    for folder in (start, *start.parents):
        folders.append(folder)
        if (folder / ".git").exists():
            break
    return folders


def _table(pyproject: Path) -> dict[str, Any] | None:
    """The ``[tool.eventcat]`` table of a pyproject.toml, None if it has none."""
    name = str(pyproject)
    try:
        data = tomllib.loads(
            read_regular(pyproject, file=name, limit=MAX_SETTINGS_BYTES).decode("utf-8")
        )
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise UsageError.at(f"not valid TOML: {err}", rule="config", file=name) from None
    table = data.get("tool", {}).get("eventcat") if isinstance(data.get("tool"), dict) else None
    if table is None:
        return None
    if not isinstance(table, dict):
        raise UsageError.at("[tool.eventcat] must be a table", rule="config", file=name)
    return table


def _settings(pyproject: Path, table: dict[str, Any]) -> Settings:
    name = str(pyproject)
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        known = ", ".join(KEYS)
        raise UsageError.at(
            f"[tool.eventcat] has unknown key {unknown[0]!r} (known: {known})",
            rule="config",
            file=name,
        )
    for key in KEYS:
        if key in table and not isinstance(table[key], str):
            raise UsageError.at(
                f"[tool.eventcat] {key} must be a string, not {type(table[key]).__name__}",
                rule="config",
                file=name,
            )
    catalog = table.get("catalog")
    return Settings(
        file=pyproject,
        catalog=pyproject.parent / catalog if catalog is not None else None,
        format=table.get("format"),
    )


def load_settings(start: Path | str | None = None) -> Settings:
    """The nearest ``[tool.eventcat]`` above ``start`` (default: the current folder)."""
    for folder in _folders(Path(start).absolute() if start is not None else Path.cwd()):
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            table = _table(pyproject)
            if table is not None:
                return _settings(pyproject, table)
    return Settings()


def _shown(path: Path) -> str:
    """A path as the user would type it: relative to the current folder (``.``, ``..``, ``catalog``)."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def find_catalog(start: Path | str | None = None) -> str:
    """The catalog folder for a command run in ``start`` (default: the current folder)."""
    origin = Path(start).absolute() if start is not None else Path.cwd()
    for folder in _folders(origin):
        if (folder / "catalog.yaml").is_file():
            return _shown(folder)
        pyproject = folder / "pyproject.toml"
        table = _table(pyproject) if pyproject.is_file() else None
        if table is not None and "catalog" in table:
            named = _settings(pyproject, table).catalog
            assert named is not None
            return _shown(named)  # a wrong path is reported by the command that reads it
        if (folder / "catalog" / "catalog.yaml").is_file():
            return _shown(folder / "catalog")
    raise UsageError.at(
        "no catalog found here or in any folder above (a folder with catalog.yaml, or "
        '[tool.eventcat] catalog = "DIR" in pyproject.toml); pass --catalog DIR',
        rule="catalog-missing",
        file=str(origin),
    )
