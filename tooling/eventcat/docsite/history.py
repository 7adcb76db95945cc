"""The catalog's git history, read cheaply: one ``git log`` and one ``git cat-file --batch``.

The site shows, per event version, the semantic changes along the file's history, and a
catalog-wide changelog. Both come from the same single ``git log`` over the catalog folder; old
file contents are read from the object store through one long-lived ``cat-file`` process.
Nothing is checked out and nothing leaves the machine. When the catalog is not in a git work tree
(or git is missing) the history is simply empty.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

_ENV = {
    "LC_ALL": "C",
    "GIT_OPTIONAL_LOCKS": "0",
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_PAGER": "cat",
    "GIT_LITERAL_PATHSPECS": "1",
}


@dataclass(frozen=True)
class Commit:
    sha: str
    date: str  # ISO 8601, author date
    author: str
    subject: str

    @property
    def short(self) -> str:
        return self.sha[:8]

    @property
    def day(self) -> str:
        return self.date[:10]


@dataclass(frozen=True)
class Touch:
    """One commit's change to one catalog file."""

    commit: Commit
    status: str  # A, M, D
    path: str  # catalog-relative


@dataclass
class History:
    """Commits that touched the catalog (newest first) and, per file, its touches (newest first)."""

    commits: list[Commit] = field(default_factory=list)
    changes: dict[str, list[Touch]] = field(default_factory=dict)  # commit sha -> touches
    files: dict[str, list[Touch]] = field(default_factory=lambda: defaultdict(list))
    reason: str = ""  # why it is empty, when it is
    _repo: GitRepo | None = None

    @property
    def available(self) -> bool:
        return self._repo is not None

    def read(self, commit: str, path: str) -> bytes | None:
        return self._repo.read(commit, path) if self._repo else None

    def close(self) -> None:
        if self._repo:
            self._repo.close()


class GitRepo:
    def __init__(self, toplevel: Path, prefix: str) -> None:
        self.toplevel = toplevel
        self.prefix = prefix  # the catalog folder inside the repository, "" or "catalog/"
        self._batch: subprocess.Popen[bytes] | None = None
        self._env = {**os.environ, **_ENV}

    def run(self, *args: str) -> str:
        result = subprocess.run(["git", "-c", "core.quotePath=false", *args], cwd=self.toplevel,
                                capture_output=True, env=self._env, check=False, timeout=120)
        if result.returncode != 0:
            raise OSError(result.stderr.decode("utf-8", "replace").strip() or "git failed")
        return result.stdout.decode("utf-8", "replace")

    def read(self, commit: str, path: str) -> bytes | None:
        if self._batch is None:
            self._batch = subprocess.Popen(["git", "cat-file", "--batch"], cwd=self.toplevel,
                                           stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                           stderr=subprocess.DEVNULL, env=self._env)
        stdin: IO[bytes] | None = self._batch.stdin
        stdout: IO[bytes] | None = self._batch.stdout
        assert stdin is not None and stdout is not None
        stdin.write(f"{commit}:{self.prefix}{path}\n".encode())
        stdin.flush()
        header = stdout.readline().decode("utf-8", "replace").split()
        if len(header) != 3 or header[1] != "blob":
            return None
        data = stdout.read(int(header[2]))
        stdout.read(1)
        return data

    def close(self) -> None:
        if self._batch is not None:
            if self._batch.stdin:
                self._batch.stdin.close()
            self._batch.wait(timeout=10)
            if self._batch.stdout:
                self._batch.stdout.close()
            self._batch = None


def read_history(catalog_root: Path, max_commits: int = 200) -> History:
    """The last ``max_commits`` commits that touched the catalog folder."""
    if shutil.which("git") is None:
        return History(reason="git is not installed")
    env = {**os.environ, **_ENV}
    probe = subprocess.run(["git", "rev-parse", "--show-toplevel", "--show-prefix"], cwd=catalog_root,
                           capture_output=True, env=env, check=False)
    if probe.returncode != 0:
        return History(reason="the catalog is not in a git repository")
    lines = probe.stdout.decode("utf-8", "replace").splitlines()
    if len(lines) < 1:
        return History(reason="the catalog is not in a git repository")
    repo = GitRepo(Path(lines[0]), lines[1] if len(lines) > 1 else "")
    try:
        text = repo.run("log", f"-n{max(1, max_commits)}", "--no-renames", "--name-status",
                        "--format=%x1e%H%x1f%aI%x1f%an%x1f%s", "--", repo.prefix or ".")
    except (OSError, subprocess.TimeoutExpired) as err:
        return History(reason=f"git log failed: {err}")
    history = History(_repo=repo)
    for record in text.split("\x1e")[1:]:
        head, _, body = record.partition("\n")
        parts = head.split("\x1f")
        if len(parts) != 4:
            continue
        commit = Commit(*parts)
        history.commits.append(commit)
        touches = []
        for line in body.splitlines():
            status, _, path = line.partition("\t")
            if not path or not path.startswith(repo.prefix):
                continue
            touch = Touch(commit, status[:1], path[len(repo.prefix):])
            touches.append(touch)
            history.files[touch.path].append(touch)
        history.changes[commit.sha] = touches
    if not history.commits:
        history.reason = "no commit touches the catalog yet"
    return history
