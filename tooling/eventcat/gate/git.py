"""Git plumbing for the gate: revisions, trees and blobs read straight from the object store.

Nothing is checked out and nothing is cloned. Blobs are read through one long-lived
``git cat-file --batch`` process per repository, so reading N files costs one process, not N.
Every failure becomes an :class:`~eventcat.errors.InputError` with one clear line (exit 2).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from eventcat.errors import InputError
from eventcat.report.findings import Finding, Severity

MODE_SYMLINK = "120000"
MODE_SUBMODULE = "160000"
BLOB_MODES = frozenset({"100644", "100755"})
# Above this many needles, grep streams one pass instead of handing git one pattern per needle.
MANY_NEEDLES = 64
_QUOTED = re.compile(rb'"((?:[^"\\]|\\.)*)"')


def _error(message: str, rule: str = "git", file: str | None = None) -> InputError:
    error = InputError.at(message, rule=rule, file=file)
    assert isinstance(error, InputError)
    return error


@dataclass(frozen=True, slots=True)
class TreeEntry:
    mode: str
    sha: str
    path: str  # relative to the repository's top level


class GitRepo:
    """One repository, driven through ``git`` commands run at its top level."""

    def __init__(self, toplevel: Path) -> None:
        self.toplevel = toplevel
        self._batch: subprocess.Popen[bytes] | None = None
        self._env = {
            **os.environ,
            "LC_ALL": "C",
            "GIT_LITERAL_PATHSPECS": "1",
            "GIT_OPTIONAL_LOCKS": "0",
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_PAGER": "cat",
        }

    # -- discovery ------------------------------------------------------------------------------

    @classmethod
    def discover(cls, folder: Path) -> tuple[GitRepo, str]:
        """The repository holding ``folder`` and the folder's path in it ("" or "a/b/")."""
        if shutil.which("git") is None:
            raise _error("git is not installed; the gate reads the baseline from git objects")
        try:
            done = subprocess.run(
                ["git", "-C", str(folder), "rev-parse", "--show-toplevel", "--show-prefix"],
                capture_output=True, check=False, env={**os.environ, "LC_ALL": "C"},
            )
        except OSError as err:
            raise _error(f"cannot run git: {err.strerror}") from None
        if done.returncode != 0:
            raise _error(
                f"{folder} is not inside a git repository; the gate compares the work tree with a "
                "git revision (run it in a clone)", file=str(folder),
            )
        lines = done.stdout.decode("utf-8", "surrogateescape").split("\n")
        return cls(Path(lines[0])), lines[1] if len(lines) > 1 else ""

    # -- commands -------------------------------------------------------------------------------

    def run(self, *args: str, ok_codes: Sequence[int] = (0,)) -> bytes:
        done = subprocess.run(
            ["git", "-c", "core.quotepath=off", *args], cwd=self.toplevel, capture_output=True,
            check=False, env=self._env,
        )
        if done.returncode not in ok_codes:
            message = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise _error(f"git {args[0]} failed: {message[-1] if message else done.returncode}")
        return done.stdout

    def resolve(self, ref: str) -> str:
        """The commit id ``ref`` names; an unknown revision is one clear InputError."""
        if not ref or ref.startswith("-") or "\n" in ref or "\0" in ref:
            raise _error(f"unknown revision {ref!r}: not a branch, tag or commit", rule="unknown-revision")
        out = self.run("rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}",
                       ok_codes=(0, 1, 128))
        sha = out.decode("ascii", "replace").strip()
        if not sha:
            raise _error(
                f"unknown revision {ref!r}: no such branch, tag or commit in {self.toplevel}; fetch it "
                "first (in GitHub Actions: actions/checkout with fetch-depth: 0)",
                rule="unknown-revision",
            )
        return sha

    def ls_tree(self, commit: str, prefix: str) -> list[TreeEntry]:
        """Every entry under ``prefix`` at ``commit`` (recursive; paths from the top level)."""
        args = ["ls-tree", "-r", "-z", "--full-tree", commit]
        if prefix:
            args += ["--", prefix.rstrip("/")]
        entries = []
        for record in self.run(*args).split(b"\0"):
            if not record:
                continue
            meta, _, path = record.partition(b"\t")
            mode, _kind, sha = meta.decode("ascii").split(" ")
            entries.append(TreeEntry(mode, sha, path.decode("utf-8", "surrogateescape")))
        return entries

    def changed(self, commit: str, prefix: str) -> list[tuple[str, str]]:
        """``(status, path)`` of files that differ between ``commit`` and the work tree.

        Status is git's letter (A, M, D, T); renames are split into D + A. Untracked files that
        are not ignored count as added.
        """
        spec = ["--", prefix.rstrip("/")] if prefix else []
        out = self.run("diff", "--name-status", "-z", "--no-renames", "--no-ext-diff",
                       "--no-textconv", "--ignore-submodules", "--no-relative", commit, *spec)
        parts = out.split(b"\0")
        result: list[tuple[str, str]] = []
        for status, path in zip(parts[0::2], parts[1::2], strict=False):
            if status:
                result.append((status.decode("ascii")[:1], path.decode("utf-8", "surrogateescape")))
        untracked = self.run("ls-files", "-z", "--others", "--exclude-standard", "--full-name", *spec)
        result.extend(("A", p.decode("utf-8", "surrogateescape")) for p in untracked.split(b"\0") if p)
        return result

    def grep(self, needles: Iterable[str], prefix: str, commit: str | None) -> set[str]:
        """Paths (from the top level) whose content contains any needle, at ``commit`` or in the
        work tree (untracked files included).

        git matches every ``-e`` pattern against every line in turn, so thousands of needles cost
        thousands of passes (30,000 took over half an hour). Past ``MANY_NEEDLES`` the search is
        one streamed pass over the lines holding a ``$ref`` or an ``$id`` (a file can name
        another only there), tested against the needles in Python, instead.
        """
        needles = sorted(set(needles))
        if not needles:
            return set()
        if len(needles) > MANY_NEEDLES:
            return self._grep_many(needles, prefix, commit)
        args = ["grep", "-l", "-z", "-F", "-I", "--no-color"]
        if commit is None:
            args.append("--untracked")
        for needle in needles:
            args += ["-e", needle]
        if commit is not None:
            args.append(commit)
        if prefix:
            args += ["--", prefix.rstrip("/")]
        out = self.run(*args, ok_codes=(0, 1))
        found = set()
        for item in out.split(b"\0"):
            if not item:
                continue
            path = item.decode("utf-8", "surrogateescape")
            if commit is not None and path.startswith(commit + ":"):
                path = path[len(commit) + 1 :]
            found.add(path)
        return found

    def _grep_many(self, needles: list[str], prefix: str, commit: str | None) -> set[str]:
        wanted = [n.encode("utf-8", "surrogateescape") for n in needles]
        # Needles are file names and $id URIs: a quoted string on a $ref/$id line contains one
        # exactly when it ends with it (a file name) or equals it up to a fragment (a URI).
        names = {n for n in wanted if b"/" not in n}
        uris = set(wanted) - names
        names |= {u.rstrip(b"/").rsplit(b"/", 1)[-1] for u in uris}  # relative to an $id base
        args = ["git", "-c", "core.quotepath=off", "grep", "-z", "-F", "-I", "--no-color",
                "-e", '"$ref"', "-e", '"$id"']
        if commit is None:
            args.append("--untracked")
        else:
            args.append(commit)
        if prefix:
            args += ["--", prefix.rstrip("/")]
        found: set[bytes] = set()
        strip = (commit + ":").encode() if commit is not None else b""
        with subprocess.Popen(args, cwd=self.toplevel, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=self._env) as process:
            assert process.stdout is not None
            for record in process.stdout:  # "path\0line\n", streamed as git finds them
                raw_path, _, line = record.partition(b"\0")
                if raw_path in found:
                    continue
                for value in _QUOTED.findall(line):
                    value = value.split(b"#", 1)[0]
                    if value in uris or value.rsplit(b"/", 1)[-1] in names:
                        found.add(raw_path)
                        break
            error = process.stderr.read() if process.stderr is not None else b""
            code = process.wait()
        if code not in (0, 1):
            message = error.decode("utf-8", "replace").strip().splitlines()
            raise _error(f"git grep failed: {message[-1] if message else code}")
        result: set[str] = set()
        for raw in found:
            if strip and raw.startswith(strip):
                raw = raw[len(strip):]
            result.add(raw.decode("utf-8", "surrogateescape"))
        return result

    def history(self, commit: str, path: str) -> list[str]:
        """Commits up to ``commit`` that touched ``path``, newest first."""
        out = self.run("log", "--format=%H", "--no-renames", commit, "--", path)
        return [line for line in out.decode("ascii").split("\n") if line]

    def commit_date(self, commit: str) -> str:
        return self.run("show", "-s", "--format=%cs", commit).decode("ascii").strip()

    # -- blobs ----------------------------------------------------------------------------------

    def _process(self) -> subprocess.Popen[bytes]:
        if self._batch is None or self._batch.poll() is not None:
            self._batch = subprocess.Popen(
                ["git", "cat-file", "--batch"], cwd=self.toplevel, stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=self._env,
            )
        return self._batch

    def read_object(self, spec: str) -> tuple[str, str, bytes] | None:
        """``(sha, type, content)`` of ``<sha>`` or ``<rev>:<path>``; None when missing."""
        if "\n" in spec:
            return None
        process = self._process()
        stdin: IO[bytes] | None = process.stdin
        stdout: IO[bytes] | None = process.stdout
        assert stdin is not None and stdout is not None
        stdin.write(spec.encode("utf-8", "surrogateescape") + b"\n")
        stdin.flush()
        header = stdout.readline().decode("utf-8", "replace").rstrip("\n")
        fields = header.split(" ")
        if len(fields) != 3 or not fields[2].isdigit():
            return None  # "<spec> missing" or "ambiguous"
        size = int(fields[2])
        content = stdout.read(size)
        stdout.read(1)  # the newline after the content
        return fields[0], fields[1], content

    def close(self) -> None:
        if self._batch is not None:
            process, self._batch = self._batch, None
            if process.stdin is not None:
                process.stdin.close()
            if process.stdout is not None:
                process.stdout.close()
            process.wait()

    def __enter__(self) -> GitRepo:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class GitTreeSource:
    """A :class:`~eventcat.catalog.source.CatalogSource` over the catalog folder at a commit.

    Files are looked up one by one in the tree objects of their folders (read through the batch
    process and cached), so asking about N files costs N lookups, whatever the catalog's size.
    Symbolic links (mode 120000) and submodules are reported as problems and never followed.
    """

    def __init__(self, repo: GitRepo, commit: str, prefix: str, ref: str | None = None) -> None:
        self.repo = repo
        self.commit = commit
        self.prefix = prefix
        self.label = f"{ref or commit[:12]}:{prefix.rstrip('/') or '.'}"
        self.root = Path(self.label)
        self._trees: dict[str, bytes | None] = {}
        self._entries: dict[str, tuple[str, str] | None] = {}
        self._problems: list[Finding] = []

    def _tree(self, folder: str) -> bytes | None:
        if folder not in self._trees:
            spec = f"{self.commit}:{(self.prefix + folder).rstrip('/')}"
            found = self.repo.read_object(spec)
            self._trees[folder] = found[2] if found is not None and found[1] == "tree" else None
        return self._trees[folder]

    def _entry(self, path: str) -> tuple[str, str] | None:
        """(mode, sha) of ``path`` in the tree, or None."""
        if path in self._entries:
            return self._entries[path]
        folder, _, name = path.rpartition("/")
        raw = self._tree(folder + "/" if folder else "")
        result = None
        if raw is not None and name and not name.startswith("."):
            needle = b" " + name.encode("utf-8", "surrogateescape") + b"\0"
            start = 0
            while (index := raw.find(needle, start)) >= 0:
                start = index + 1
                for mode in (b"100644", b"100755", b"120000", b"160000", b"40000"):
                    begin = index - len(mode)
                    if raw[begin:index] == mode and (begin == 0 or _after_sha(raw, begin)):
                        end = index + len(needle)
                        result = (mode.decode("ascii"), raw[end:end + 20].hex())
                        break
                if result is not None:
                    break
        if result is not None and result[0] == MODE_SYMLINK:
            self._problems.append(Finding(
                file=path, rule="symlink-outside", severity=Severity.WARNING,
                message=f"a symbolic link in the tree at {self.label.split(':')[0]} is not followed",
            ))
        self._entries[path] = result
        return result

    def paths(self) -> list[str]:
        """Every regular file (a full listing: only needed when reading the whole catalog)."""
        found = []
        for entry in self.repo.ls_tree(self.commit, self.prefix):
            rel = entry.path[len(self.prefix):] if self.prefix else entry.path
            if entry.mode in BLOB_MODES and not any(p.startswith(".") for p in rel.split("/")):
                found.append(rel)
        return sorted(found)

    def exists(self, path: str) -> bool:
        entry = self._entry(path)
        return entry is not None and entry[0] in BLOB_MODES

    def blob(self, path: str) -> str | None:
        entry = self._entry(path)
        return entry[1] if entry is not None and entry[0] in BLOB_MODES else None

    def read(self, path: str) -> bytes:
        sha = self.blob(path)
        found = self.repo.read_object(sha) if sha else None
        if found is None:
            raise FileNotFoundError(2, "not in the git tree", path)
        return found[2]

    def problems(self) -> list[Finding]:
        return list(self._problems)


def _after_sha(raw: bytes, begin: int) -> bool:
    """Whether ``begin`` can start a tree entry: the previous entry's NUL sits 21 bytes before."""
    return begin >= 21 and raw[begin - 21] == 0
