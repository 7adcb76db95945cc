"""Generated pages as real source files, so that MkDocs' dirty builds skip the unchanged ones.

MkDocs (1.5+, ``mkdocs serve --dirty``, ``mkdocs build --dirty``) reads and writes a page only
when ``File.is_modified()``: a file with in-memory content always is; a file with a source path
is when its output is missing or older than the source (``structure/files.py``). So in dirty
builds the plugin hands MkDocs its pages and data files as files in this folder and rewrites a
file only when what it stands for changed: its Markdown **and** the HTML blocks that
:meth:`~eventcat.docsite.plugin.EventcatPlugin.on_page_content` puts in place of its
placeholders (they are not in the Markdown, so a digest of both is kept). An unchanged file keeps
its mtime, which is older than the page MkDocs wrote from it, and MkDocs skips the page: its
Markdown conversion, template, search indexing and write.

The folder belongs to one plugin instance (one ``mkdocs serve`` process) and starts empty: its
first build writes every file, newer than anything in ``site_dir``, so that build is whole. A
folder kept across processes could hold a file older than a page a clean build wrote from other
content since, and a dirty build would then keep that page: stale, silently.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath


class SourceFolder:
    """The generated files of the last build, each rewritten only when its digest changed."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder.absolute()
        self.folder.mkdir(parents=True, exist_ok=True)
        #: site path -> digest of what its file was last written with
        self.digests: dict[str, str] = {}
        self.used: set[str] = set()
        #: how many files the last :meth:`stage` calls rewrote (for the bench and tests)
        self.rewritten = 0

    def stage(self, src: str, content: str | bytes, blocks: Iterable[str] = ()) -> str:
        """The absolute path of ``src``'s source file, rewritten if ``content`` or ``blocks``
        differ from what it was written with."""
        parts = PurePosixPath(src).parts
        if not parts or PurePosixPath(src).is_absolute() or ".." in parts:
            raise ValueError(f"not a relative site path: {src!r}")  # generated names are ours
        data = content.encode("utf-8") if isinstance(content, str) else content
        digest = hashlib.sha256(data)
        for block in blocks:  # length-prefixed, so two block lists never run into each other
            encoded = block.encode("utf-8")
            digest.update(b"%d:" % len(encoded) + encoded)
        key = digest.hexdigest()
        path = self.folder.joinpath(*parts)
        self.used.add(src)
        if self.digests.get(src) != key or not path.is_file():
            _write(path, data)
            self.digests[src] = key
            self.rewritten += 1
        return str(path)

    def start(self) -> None:
        """A new build: count rewrites from zero, track which files it stages."""
        self.used, self.rewritten = set(), 0

    def finish(self) -> None:
        """Forget (and delete) what this build did not stage. MkDocs' dirty builds leave the
        pages of deleted sources in the site, as they do for deleted docs/ files."""
        for src in set(self.digests) - self.used:
            with contextlib.suppress(OSError):
                self.folder.joinpath(*PurePosixPath(src).parts).unlink()
            del self.digests[src]

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _write(path: Path, data: bytes) -> None:
    """Atomically: a build that dies half-way never leaves a half-written source behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        Path(temporary).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise
