"""Build the site in a folder beside ``site/`` and swap it in only when the build succeeded.

MkDocs empties ``site_dir`` before it writes, so a failed (``--strict``) or interrupted build
would leave a broken site. The plugin points MkDocs at a staging folder instead; the previous site
stays untouched until the new one is complete. Leftovers of a build that was killed are cleaned up
(or, for a swap killed half-way, put back) by the next build. Same idea as ``eventcat.gen.writer``,
kept separate because the site has no manifest and MkDocs decides what goes in it.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

_LEFTOVER = re.compile(r"\.(?P<name>.+)\.eventcat-(?P<kind>new|old)-(?P<pid>\d+)-[^/]*")


class StagedSite:
    """A staging folder for ``target``; :meth:`commit` swaps it in, :meth:`abandon` removes it."""

    def __init__(self, target: Path) -> None:
        self.target = target.absolute()
        self.target.parent.mkdir(parents=True, exist_ok=True)
        recover(self.target)
        self.staging = Path(tempfile.mkdtemp(prefix=self._prefix("new"), dir=self.target.parent))

    def _prefix(self, kind: str) -> str:
        return f".{self.target.name}.eventcat-{kind}-{os.getpid()}-"

    def commit(self) -> None:
        """Make the staged build the site (the previous site is removed only after the swap)."""
        with _locked(self.target):
            if self.target.is_dir():
                _keep_hidden(self.target, self.staging)
            if not self.target.exists():
                self.staging.rename(self.target)
                return
            old = Path(tempfile.mkdtemp(prefix=self._prefix("old"), dir=self.target.parent))
            old.rmdir()
            self.target.rename(old)
            try:
                self.staging.rename(self.target)
            except BaseException:
                with contextlib.suppress(OSError):
                    old.rename(self.target)
                raise
        shutil.rmtree(old, ignore_errors=True)

    def abandon(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


def _keep_hidden(previous: Path, staging: Path) -> None:
    """MkDocs never deletes hidden top-level entries of site_dir (``.git``, ``.nojekyll``): keep them."""
    for entry in previous.iterdir():
        if entry.name.startswith(".") and not (staging / entry.name).exists():
            if entry.is_dir() and not entry.is_symlink():
                shutil.copytree(entry, staging / entry.name, symlinks=True)
            else:
                shutil.copy2(entry, staging / entry.name, follow_symlinks=False)


def recover(target: Path) -> None:
    """Remove staging folders of builds that died; put back a site whose swap was killed half-way."""
    for entry in sorted(target.parent.glob(f".{target.name}.eventcat-*")):
        match = _LEFTOVER.fullmatch(entry.name)
        if (
            not match
            or match["name"] != target.name
            or not entry.is_dir()
            or _alive(int(match["pid"]))
        ):
            continue
        if match["kind"] == "old" and not target.exists():
            entry.rename(target)
        else:
            shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


@contextlib.contextmanager
def _locked(target: Path) -> Iterator[None]:
    """Two builds into the same site swap one after the other, not interleaved.

    The lock is on the parent folder itself, so no lock file is left beside the site.
    """
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; swaps are not serialised there
        yield
        return
    handle = os.open(target.parent, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # closing releases the lock
