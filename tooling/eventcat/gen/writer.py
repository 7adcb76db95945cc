"""Write a generated tree atomically: build it in a folder beside the output, then swap.

The output folder is replaced only when the whole new tree is on disk. A failure (or an
interruption) before the swap leaves the previous output exactly as it was; the temporary folder
is removed. Unchanged files are hard-linked from the previous output rather than rewritten.
A run holds a lock beside the output (:func:`output_lock`), and repairs what a killed run left
(:func:`recover`) before it starts.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
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
    if not isinstance(value, dict) or not isinstance(value.get("files"), dict):
        return None
    return value


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def foreign_files(out: Path, manifest: Mapping[str, Any] | None) -> list[str]:
    """Files in ``out`` that the manifest does not list with their current content.

    ``__pycache__`` folders are Python's, not the user's: they are not counted. A symlink or
    anything else that is not a regular file always counts.
    """
    listed = manifest.get("files") if manifest is not None else None
    files: Mapping[str, Any] = listed if isinstance(listed, dict) else {}
    foreign: list[str] = []
    for folder, dirs, names in os.walk(out):
        dirs[:] = [d for d in dirs if d != "__pycache__" or Path(folder, d).is_symlink()]
        base = Path(folder)
        for name in [*names, *(d for d in dirs if Path(folder, d).is_symlink())]:
            path = base / name
            relpath = path.relative_to(out).as_posix()
            if relpath == MANIFEST and manifest is not None:
                continue
            expected = files.get(relpath)
            if (
                path.is_symlink()
                or not path.is_file()
                or not isinstance(expected, str)
                or digest(path.read_bytes()) != expected
            ):
                foreign.append(relpath)
    return sorted(foreign)


def check_output_folder(out: Path, catalog_root: Path) -> None:
    """Refuse to replace a folder holding anything eventcat did not write (or the catalog)."""
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise UsageError.at(
            f"--out {str(out)!r} is not a folder; name a folder", rule="gen-out", file=str(out)
        )
    resolved, catalog = out.resolve(), catalog_root.resolve()
    if resolved == catalog or resolved in catalog.parents:
        raise UsageError.at(
            f"--out {str(out)!r} holds the catalog; generate into another folder",
            rule="gen-out",
            file=str(out),
        )
    if not out.is_dir() or not any(out.iterdir()):
        return
    manifest = read_manifest(out)
    foreign = foreign_files(out, manifest)
    if manifest is None or foreign:
        what = (
            f"no valid {MANIFEST}"
            if manifest is None
            else f"{foreign[0]!r}{f' and {len(foreign) - 1} more' if len(foreign) > 1 else ''} "
            f"changed or added since eventcat wrote it"
        )
        raise UsageError.at(
            f"--out {str(out)!r} holds files eventcat gen did not write ({what}); nothing was "
            "replaced: move them away, or name a new or empty folder",
            rule="gen-out",
            file=str(out),
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


#: How long a run waits for another run writing the same output folder to finish.
LOCK_WAIT_SECONDS = 10.0


@contextlib.contextmanager
def output_lock(out: Path, wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Hold an exclusive lock on ``out`` (a lock file beside it) for a whole run.

    Two runs into one folder would otherwise interleave their swaps. The holder removes the lock
    file when done; a waiter that then wins the lock on the removed file sees that its path no
    longer names that file, and tries again on a new one.
    """
    out = out.absolute()
    lock_path = out.parent / f".{out.name}.eventcat-lock"
    deadline = time.monotonic() + wait
    while True:
        descriptor = _open_lock(out, lock_path)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            if time.monotonic() >= deadline:
                raise UsageError.at(
                    f"--out {str(out)!r} is being written by another eventcat gen run; "
                    "try again when it has finished",
                    rule="gen-locked",
                    file=str(out),
                ) from None
            time.sleep(0.1)  # flock has no timeout of its own
            continue
        try:
            current = lock_path.lstat()
        except FileNotFoundError:
            current = None
        if current is not None and current.st_ino == os.fstat(descriptor).st_ino:
            break
        os.close(descriptor)  # the previous holder removed it between our open and flock
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            lock_path.unlink()
        os.close(descriptor)  # closing releases the lock


def _open_lock(out: Path, lock_path: Path) -> int:
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        return os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    except OSError as err:
        raise UsageError.at(
            f"cannot lock --out {str(out)!r}: {err.strerror or err}",
            rule="gen-out",
            file=str(lock_path),
        ) from None


def leftovers(out: Path) -> tuple[list[Path], list[Path]]:
    """The previous-output and staging folders an interrupted run left beside ``out``."""
    out = out.absolute()
    old: list[Path] = []
    new: list[Path] = []
    if not out.parent.is_dir():
        return old, new
    for path in out.parent.iterdir():
        if path.is_symlink() or not path.is_dir():
            continue
        if path.name.startswith(f".{out.name}.eventcat-old-"):
            old.append(path)
        elif path.name.startswith(f".{out.name}.eventcat-new-"):
            new.append(path)
    return old, new


def recover(out: Path) -> bool:
    """Repair what an interrupted run left (call with the lock held); True when out was restored.

    A run killed between its two renames leaves no ``out`` and the previous output under its
    ``-old-`` name: put it back. Every other leftover is a staging or old tree no one needs.
    """
    out = out.absolute()
    old, new = leftovers(out)
    restored = False
    if not out.exists() and old:
        newest = max(old, key=lambda path: path.stat().st_mtime)
        newest.rename(out)
        old.remove(newest)
        restored = True
    for path in [*old, *new]:
        shutil.rmtree(path, ignore_errors=True)
    return restored


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
