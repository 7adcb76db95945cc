"""The one way eventcat reads a file the user named or the catalog holds.

Only regular files are read: the file is opened without blocking (a FIFO never hangs), checked
with ``fstat`` on the open descriptor (no race between the check and the read), and its size is
checked against a cap before a byte is read, then read in chunks that stop at the cap (a file that
grows while it is read, or a ``/proc`` file that reports size 0, still stops there). Every failure
is one located :class:`~eventcat.errors.InputError` (exit 2), never an ``OSError`` or a hang.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from pathlib import Path

from eventcat.catalog.jsonfile import MAX_BYTES
from eventcat.errors import InputError

#: catalog.yaml is parsed by a pure-Python YAML parser: its cap is lower (about 30,000 services).
MAX_SETTINGS_BYTES = 2 * 1024 * 1024

_CHUNK = 1024 * 1024


def _error(message: str, rule: str, file: str) -> InputError:
    error = InputError.at(message, rule=rule, file=file)
    assert isinstance(error, InputError)
    return error


def too_large(size: int, limit: int, file: str) -> InputError:
    return _error(f"file is {size} bytes or more; the limit is {limit}", "file-too-large", file)


def _reason(err: OSError) -> str:
    if err.errno == errno.ELOOP:
        return "a symbolic link loop"
    return err.strerror or type(err).__name__


def read_regular(path: Path | str, *, file: str | None = None, limit: int = MAX_BYTES) -> bytes:
    """The bytes of the regular file ``path`` (at most ``limit``); ``file`` names it in errors."""
    label = file if file is not None else str(path)
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as err:
        raise _error(f"cannot read: {_reason(err)}", "file-unreadable", label) from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
            raise _error(
                f"cannot read: {kind} (a FIFO, device or socket is never read); pass a file",
                "file-unreadable",
                label,
            )
        if info.st_size > limit:
            raise too_large(info.st_size, limit, label)
        return _read_capped(descriptor, limit, label)
    except OSError as err:
        raise _error(f"cannot read: {_reason(err)}", "file-unreadable", label) from None
    finally:
        os.close(descriptor)


def _read_capped(descriptor: int, limit: int, label: str) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = os.read(descriptor, min(_CHUNK, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > limit:
            raise too_large(total, limit, label)
        chunks.append(chunk)


def read_input(name: str, *, limit: int = MAX_BYTES) -> bytes:
    """A file named on the command line; ``-`` is standard input, read up to the same cap."""
    if name != "-":
        return read_regular(name, limit=limit)
    data = sys.stdin.buffer.read(limit + 1)
    if len(data) > limit:
        raise too_large(len(data), limit, "<stdin>")
    return data


def confined(root: Path | str, rel: str) -> Path:
    """``root / rel`` for writing, refused (a located ``InputError``, rule ``symlink-outside``)
    when a folder on the way is a symbolic link or the target's folder resolves outside ``root``:
    eventcat writes inside the catalog exactly where it reads, never through a link."""
    base = Path(root)
    current = base
    parts = rel.split("/")
    for part in parts[:-1]:
        current = current / part
        if current.is_symlink():
            raise _error(
                f"folder {current.relative_to(base).as_posix()!r} is a symbolic link; eventcat "
                "writes only inside the catalog folder, never through a link",
                "symlink-outside",
                rel,
            )
    target = base / rel
    if target.is_symlink():
        raise _error(
            "the file is a symbolic link; eventcat never writes through a link",
            "symlink-outside",
            rel,
        )
    real_root = Path(os.path.realpath(base))
    if not Path(os.path.realpath(target.parent)).is_relative_to(real_root):
        raise _error("the file would be written outside the catalog", "symlink-outside", rel)
    return target
