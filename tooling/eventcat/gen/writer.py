"""Write a generated tree atomically: build it in a folder beside the output, then swap.

The output folder is replaced only when the whole new tree is on disk. A failure (or an
interruption) before the swap leaves the previous output exactly as it was; the temporary folder
is removed. Unchanged files are hard-linked from the previous output rather than rewritten.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from eventcat.errors import UsageError

MANIFEST = ".eventcat-gen.json"


def read_manifest(out: Path) -> dict[str, Any] | None:
    """The manifest of a previous run in ``out``, or None (no output, or not ours)."""
    try:
        value = json.loads((out / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def check_output_folder(out: Path, catalog_root: Path) -> None:
    """Refuse to replace a folder eventcat did not write (or one holding the catalog)."""
    if out.exists() and not out.is_dir():
        raise UsageError.at(f"--out {str(out)!r} is a file; name a folder", rule="gen-out",
                            file=str(out))
    resolved, catalog = out.resolve(), catalog_root.resolve()
    if resolved == catalog or resolved in catalog.parents:
        raise UsageError.at(f"--out {str(out)!r} holds the catalog; generate into another folder",
                            rule="gen-out", file=str(out))
    if out.is_dir() and any(out.iterdir()) and read_manifest(out) is None:
        raise UsageError.at(
            f"--out {str(out)!r} is not empty and was not written by eventcat gen (no {MANIFEST}); "
            "it would be replaced: name a new or empty folder", rule="gen-out", file=str(out),
        )


def tree_bytes(out: Path) -> dict[str, bytes] | None:
    """Every file under ``out`` by relative posix path (None when there is no folder)."""
    if not out.is_dir():
        return None
    files: dict[str, bytes] = {}
    for path in out.rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            files[path.relative_to(out).as_posix()] = path.read_bytes()
    return files


def write_tree(
    out: Path,
    files: Mapping[str, bytes],
    reuse: Mapping[str, Path],
    before_swap: Callable[[Path], None] | None = None,
) -> None:
    """Make ``out`` hold exactly ``files`` (new content) plus ``reuse`` (paths to link or copy)."""
    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.eventcat-new-", dir=out.parent))
    try:
        for relpath, source in reuse.items():
            target = staging / relpath
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(source, target)
            except OSError:
                shutil.copyfile(source, target)
        for relpath, data in files.items():
            target = staging / relpath
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        if before_swap is not None:
            before_swap(staging)
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        staging.rename(out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.eventcat-old-", dir=out.parent))
    old.rmdir()
    out.rename(old)
    try:
        staging.rename(out)
    except BaseException:
        with contextlib.suppress(OSError):
            old.rename(out)
        raise
    shutil.rmtree(old, ignore_errors=True)
