"""The catalog's git history, read cheaply: one ``git log`` and one ``git cat-file --batch``.

The site shows, per event version, the semantic changes along the file's history, and a
catalog-wide changelog. Both come from the same single ``git log`` over the catalog folder; old
file contents are read from the object store through one long-lived ``cat-file`` process. Git is
driven only through the gate's reader (:mod:`eventcat.git.reader`), which runs it with a fixed safe
configuration. Nothing is checked out and nothing leaves the machine. When the catalog is not in
a git work tree (or git is missing) the history is simply empty.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from eventcat.errors import InputError
from eventcat.git.reader import GitRepo, parse_log


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
    _prefix: str = ""  # the catalog folder inside the repository, "" or "catalog/"

    @property
    def available(self) -> bool:
        return self._repo is not None

    def read(self, commit: str, path: str) -> bytes | None:
        return self._repo.read_blob(commit, self._prefix + path) if self._repo else None

    def close(self) -> None:
        if self._repo:
            self._repo.close()


def read_history(catalog_root: Path, max_commits: int = 200) -> History:
    """The last ``max_commits`` commits that touched the catalog folder."""
    try:
        repo, prefix = GitRepo.discover(catalog_root)
    except InputError as err:
        reason = err.problems[0].message if err.problems else "git cannot read the catalog"
        if "not inside a git repository" in reason:
            reason = "the catalog is not in a git repository"
        return History(reason=reason)
    try:
        entries = parse_log(repo.log([prefix or "."], max_commits, timeout=120))
    except InputError as err:
        repo.close()
        return History(reason=err.problems[0].message if err.problems else "git log failed")
    history = History(_repo=repo, _prefix=prefix)
    for entry in entries:
        commit = Commit(entry.sha, entry.date, entry.author, entry.subject)
        history.commits.append(commit)
        touches = []
        for status, path in entry.files:
            if not path.startswith(prefix):
                continue
            touch = Touch(commit, status, path[len(prefix) :])
            touches.append(touch)
            history.files[touch.path].append(touch)
        history.changes[commit.sha] = touches
    if not history.commits:
        history.reason = "no commit touches the catalog yet"
    return history
