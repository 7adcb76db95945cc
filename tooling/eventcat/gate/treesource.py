"""The catalog folder at a commit, read through the one git reader (:mod:`eventcat.gate.git`)."""

from __future__ import annotations

from pathlib import Path

from eventcat.gate.git import GitRepo, check_object_id
from eventcat.gate.gitparse import (
    BLOB_MODES,
    MODE_SYMLINK,
    MODE_TREE,
    TreeEntry,
    git_error,
    printable,
)
from eventcat.report.findings import Finding, Severity


class GitTreeSource:
    """A :class:`~eventcat.catalog.source.CatalogSource` over the catalog folder at a commit.

    Folders are listed one by one (``ls-tree -z`` of the folder's tree, parsed field by field and
    cached), so asking about N files costs one listing per folder they sit in, whatever the
    catalog's size. Symbolic links (mode 120000) and submodules (gitlinks) are located problems
    and never followed; a tree that lists a name twice (or a name no git writes) stops the run
    (exit 2), so no entry can hide another.
    """

    def __init__(self, repo: GitRepo, commit: str, prefix: str, ref: str | None = None) -> None:
        check_object_id(commit)
        self.repo = repo
        self.commit = commit
        self.prefix = prefix
        self.label = f"{ref or commit[:12]}:{prefix.rstrip('/') or '.'}"
        self.root = Path(self.label)
        self._listings: dict[str, dict[str, TreeEntry] | None] = {}
        self._problems: dict[str, Finding] = {}

    def _listing(self, folder: str) -> dict[str, TreeEntry] | None:
        """Entries of the catalog folder ``folder`` ("" or "a/b") by name; None if not a tree."""
        if folder in self._listings:
            return self._listings[folder]
        if folder:
            parent, _, name = folder.rpartition("/")
            above = self._listing(parent)
            tree = above.get(name) if above is not None else None
        else:
            tree = self._top_tree()
        listing: dict[str, TreeEntry] | None = None
        if tree is not None and tree.type == "tree":
            listing = {}
            for entry in self.repo.ls_tree(tree.sha):
                if entry.path in listing or "/" in entry.path or entry.path in (".", ".."):
                    where = f"{self.prefix}{folder}".rstrip("/") or "."
                    raise git_error(
                        f"the git tree of {where} at {self.label.split(':')[0]} lists "
                        f"{printable(entry.path)!r} twice or names an entry git never writes "
                        "(git fsck reports it); the gate refuses a tree it cannot read one way",
                        rule="git-tree",
                        file=folder or None,
                    )
                listing[entry.path] = entry
        self._listings[folder] = listing
        return listing

    def _top_tree(self) -> TreeEntry | None:
        found = self.repo.read_object(f"{self.commit}^{{tree}}")
        if found is None or found[1] != "tree":
            return None
        entry: TreeEntry | None = TreeEntry(MODE_TREE, "tree", found[0], "")
        for name in [p for p in self.prefix.split("/") if p]:
            assert entry is not None
            entry = {e.path: e for e in self.repo.ls_tree(entry.sha)}.get(name)
            if entry is None or entry.type != "tree":
                return None
        return entry

    def _refuse(self, path: str, entry: TreeEntry, where: str) -> None:
        """File a problem against ``path`` for ``entry`` (at ``where``: the path or a folder)."""
        if entry.mode == MODE_SYMLINK:
            rule, what = "symlink-outside", "a symbolic link, never followed in git objects"
        elif entry.type == "commit":
            rule, what = "git-tree", "a submodule (gitlink), which is not part of the catalog"
        else:
            return
        subject = "it is" if where == path else f"its folder {where} is"
        self._problems.setdefault(
            path,
            Finding(
                file=path,
                rule=rule,
                severity=Severity.ERROR,
                unreadable=True,
                message=f"{subject} {what}",
            ),
        )

    def _entry(self, path: str) -> TreeEntry | None:
        parts = path.split("/")
        if any(p in ("", ".", "..") or p.startswith(".") for p in parts):
            return None
        for depth in range(1, len(parts)):  # a folder on the way that is a link or a submodule
            above = self._listing("/".join(parts[: depth - 1]))
            step = above.get(parts[depth - 1]) if above is not None else None
            if step is None:
                return None
            if step.type != "tree":
                self._refuse(path, step, "/".join(parts[:depth]))
                return None
        listing = self._listing("/".join(parts[:-1]))
        entry = listing.get(parts[-1]) if listing is not None else None
        if entry is not None and entry.mode not in BLOB_MODES:
            self._refuse(path, entry, path)
        return entry

    def paths(self) -> list[str]:
        """Every regular file (a full listing: only needed when reading the whole catalog)."""
        found = []
        for entry in self.repo.ls_tree(self.commit, self.prefix, recursive=True):
            rel = entry.path[len(self.prefix) :] if self.prefix else entry.path
            if any(p.startswith(".") for p in rel.split("/")):
                continue
            if entry.mode in BLOB_MODES:
                found.append(rel)
            else:
                self._refuse(rel, entry, rel)
        return sorted(found)

    def exists(self, path: str) -> bool:
        entry = self._entry(path)
        return entry is not None and entry.mode in BLOB_MODES

    def blob(self, path: str) -> str | None:
        entry = self._entry(path)
        return entry.sha if entry is not None and entry.mode in BLOB_MODES else None

    def read(self, path: str) -> bytes:
        sha = self.blob(path)
        found = self.repo.read_object(sha) if sha else None
        if found is None or found[1] != "blob":
            raise FileNotFoundError(2, "not in the git tree", path)
        return found[2]

    def problems(self) -> list[Finding]:
        return list(self._problems.values())
