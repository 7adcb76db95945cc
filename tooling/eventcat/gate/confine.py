"""Lint's confinement rules for one work-tree path the gate is about to read.

Lint walks the whole catalog (:class:`eventcat.catalog.source.FolderSource`); the gate asks about
single files, so the same rules are applied here path by path, before anything is opened: a
folder on the way that is a symbolic link is not read (even one pointing inside, as in lint), a
file link is followed only when it lands on a regular file inside the catalog, and anything that
is not a regular file (a FIFO, a device) is never opened.
"""

from __future__ import annotations

from pathlib import Path

from eventcat.report.findings import Finding, Severity


def _refusal(path: str, message: str, rule: str = "symlink-outside") -> Finding:
    return Finding(file=path, rule=rule, severity=Severity.ERROR, message=message, unreadable=True)


def confined_file(root: Path, real_root: Path, path: str) -> tuple[bool, Finding | None]:
    """Whether catalog-relative ``path`` is a regular file that may be read, and the problem
    that forbids it where there is one (``(False, None)``: simply not there)."""
    parts = path.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return False, None
    folder = root
    for depth, part in enumerate(parts[:-1], start=1):
        folder = folder / part
        if folder.is_symlink():
            return False, _refusal(
                path,
                f"its folder {'/'.join(parts[:depth])} is a symbolic link, which is not "
                "read; move the files into the catalog",
            )
    target = root / path
    if not target.is_symlink():
        return target.is_file(), None
    try:
        resolved = target.resolve(strict=True)
    except FileNotFoundError:
        return False, _refusal(path, "symbolic link to a missing file", rule="file-unreadable")
    except (OSError, RuntimeError) as err:  # a loop: RuntimeError before Python 3.13
        return False, _refusal(
            path, f"cannot follow the symbolic link: {err}", rule="file-unreadable"
        )
    if not resolved.is_relative_to(real_root):
        return False, _refusal(
            path, "symbolic link points outside the catalog; copy the file in instead"
        )
    return resolved.is_file(), None
