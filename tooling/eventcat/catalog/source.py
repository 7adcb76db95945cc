"""Where catalog files come from: a folder on disk, or (for the gate) a git tree.

A source lists catalog-relative posix paths and reads bytes; it never follows a link out of the
catalog and never touches the network.
"""

from __future__ import annotations

import os
from errno import ELOOP
from pathlib import Path
from typing import Protocol

from eventcat.catalog.jsonfile import MAX_BYTES
from eventcat.catalog.safefile import MAX_SETTINGS_BYTES, read_regular
from eventcat.report.findings import Finding, Severity

#: Files with a lower size cap than schemas (catalog.yaml is parsed by pure-Python YAML).
SETTINGS_LIMITS = {"catalog.yaml": MAX_SETTINGS_BYTES, "waivers.yaml": MAX_SETTINGS_BYTES}


class CatalogSource(Protocol):
    #: Shown in messages, e.g. "catalog" or "main:catalog".
    label: str

    def paths(self) -> list[str]:
        """Every file of the catalog, relative, sorted."""
        ...

    def read(self, path: str) -> bytes:
        """The bytes of one listed file; raises OSError or a located InputError when it cannot
        be read (not a regular file, too large)."""
        ...

    def problems(self) -> list[Finding]:
        """Files that were seen but refused (links out of the catalog, unreadable folders)."""
        ...


class FolderSource:
    """A catalog folder on disk. Links are followed only when they stay inside the folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.label = str(root)
        self._paths: list[str] | None = None
        self._problems: list[Finding] = []
        self._real_root = root.resolve()

    def _scan(self) -> list[str]:
        found: list[str] = []

        def refuse(rel: str, message: str, rule: str = "symlink-outside") -> None:
            self._problems.append(
                Finding(
                    file=rel, rule=rule, severity=Severity.ERROR, message=message, unreadable=True
                )
            )

        def on_error(err: OSError) -> None:
            where = Path(err.filename).relative_to(self.root).as_posix() if err.filename else "."
            refuse(where, f"cannot read folder: {err.strerror}", rule="file-unreadable")

        for folder, dirnames, filenames in os.walk(self.root, onerror=on_error, followlinks=False):
            base = Path(folder)
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in list(dirnames):
                link = base / name
                if link.is_symlink():
                    dirnames.remove(name)
                    refuse(
                        link.relative_to(self.root).as_posix(),
                        "a folder that is a symbolic link is not read; move the files into the catalog",
                    )
            for name in filenames:
                if name.startswith("."):
                    continue
                path = base / name
                rel = path.relative_to(self.root).as_posix()
                if path.is_symlink():
                    try:  # strict: a loop or a dangling link raises instead of half-resolving
                        target = path.resolve(strict=True)
                    except (OSError, RuntimeError) as err:
                        loop = isinstance(err, RuntimeError) or getattr(err, "errno", 0) == ELOOP
                        refuse(
                            rel,
                            "symbolic link loop" if loop else "symbolic link to a missing file",
                            rule="file-unreadable",
                        )
                        continue
                    if not target.is_relative_to(self._real_root):
                        refuse(
                            rel,
                            f"symbolic link points outside the catalog ({path.readlink()}); "
                            "copy the file in instead",
                        )
                        continue
                    if not target.is_file():
                        refuse(rel, "symbolic link to a missing file", rule="file-unreadable")
                        continue
                elif not path.is_file():
                    continue
                found.append(rel)
        return sorted(found)

    def paths(self) -> list[str]:
        if self._paths is None:
            self._paths = self._scan()
        return self._paths

    def read(self, path: str) -> bytes:
        limit = SETTINGS_LIMITS.get(path, MAX_BYTES)
        return read_regular(self.root / path, file=path, limit=limit)

    def problems(self) -> list[Finding]:
        self.paths()
        return list(self._problems)
