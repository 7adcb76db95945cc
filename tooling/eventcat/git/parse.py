"""Parsers of git's machine-readable output (``ls-tree -z``, ``log -z``): pure functions of the
bytes git printed, refusing (never skipping) a record they do not understand. Kept apart from the
reader (:mod:`eventcat.git.reader`), which runs git, so they can be tested on any bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from eventcat.errors import InputError

MODE_SYMLINK = "120000"
MODE_SUBMODULE = "160000"
MODE_TREE = "040000"
BLOB_MODES = frozenset({"100644", "100755"})
#: Every mode ``ls-tree`` prints (it canonicalises what it reads), with the type it pairs with.
_MODE_TYPES = {
    "100644": "blob",
    "100755": "blob",
    MODE_SYMLINK: "blob",
    MODE_TREE: "tree",
    MODE_SUBMODULE: "commit",
}
OBJECT_ID = re.compile(rb"[0-9a-f]{40}|[0-9a-f]{64}")


def git_error(message: str, rule: str = "git", file: str | None = None) -> InputError:
    error = InputError.at(message, rule=rule, file=file)
    assert isinstance(error, InputError)
    return error


def printable(text: str) -> str:
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)


@dataclass(frozen=True, slots=True)
class TreeEntry:
    mode: str
    type: str  # blob, tree or commit (a gitlink)
    sha: str
    path: str  # relative to the tree listed (its name, or its path for a recursive listing)


def parse_tree_listing(out: bytes) -> list[TreeEntry]:
    """``ls-tree -z`` records, field by field: ``<mode> SP <type> SP <object> TAB <path> NUL``.

    The path is everything after the first tab up to the NUL (tabs, newlines and spaces
    included); any record that does not have exactly these fields is refused, never skipped.
    """
    entries = []
    for record in out.split(b"\0"):
        if not record:
            continue
        meta, tab, path = record.partition(b"\t")
        fields = meta.split(b" ")
        if (
            not tab
            or not path
            or len(fields) != 3
            or OBJECT_ID.fullmatch(fields[2]) is None
            or _MODE_TYPES.get(fields[0].decode("ascii", "replace"))
            != fields[1].decode("ascii", "replace")
        ):
            raise git_error(
                f"git ls-tree printed a record eventcat does not understand: "
                f"{printable(record.decode('utf-8', 'replace'))[:200]!r}",
                rule="git-tree",
            )
        entries.append(
            TreeEntry(
                fields[0].decode("ascii"),
                fields[1].decode("ascii"),
                fields[2].decode("ascii"),
                path.decode("utf-8", "surrogateescape"),
            )
        )
    return entries


def parse_tree_object(content: bytes, id_bytes: int) -> list[TreeEntry]:
    """A tree object's raw content (``cat-file --batch``): ``<mode> SP <name> NUL <id>`` records,
    the id ``id_bytes`` long (20 for SHA-1, 32 for SHA-256). The same entries, and the same
    refusals, as :func:`parse_tree_listing` of ``ls-tree -z`` of that tree."""
    entries = []
    at = 0
    while at < len(content):
        space = content.find(b" ", at)
        nul = content.find(b"\0", space + 1) if space >= 0 else -1
        raw_id = content[nul + 1 : nul + 1 + id_bytes] if nul >= 0 else b""
        mode = content[at:space].decode("ascii", "replace").rjust(6, "0") if space >= 0 else ""
        name = content[space + 1 : nul] if nul >= 0 else b""
        if len(raw_id) != id_bytes or not name or mode not in _MODE_TYPES:
            raise git_error(
                f"git holds a tree record eventcat does not understand: "
                f"{printable(content[at : at + 200].decode('utf-8', 'replace'))!r}",
                rule="git-tree",
            )
        entries.append(
            TreeEntry(
                mode, _MODE_TYPES[mode], raw_id.hex(), name.decode("utf-8", "surrogateescape")
            )
        )
        at = nul + 1 + id_bytes
    return entries


# -- history --------------------------------------------------------------------------------------

#: One header per commit; fields split by \x1f, the subject last (it may hold anything but NUL).
LOG_FORMAT = "%H%x1f%aI%x1f%an%x1f%s"


@dataclass(frozen=True, slots=True)
class LogEntry:
    sha: str
    date: str
    author: str
    subject: str
    files: tuple[tuple[str, str], ...]  # (status letter, path from the top level)


def parse_log(out: bytes) -> list[LogEntry]:
    """Parse :meth:`GitRepo.log`: ``header NUL [\\n status NUL path NUL (status NUL path NUL)*]``.

    Tokens are taken by position (a status is always followed by its path), so a path or a
    subject cannot pose as a commit header.
    """
    tokens = out.split(b"\0")
    entries: list[LogEntry] = []
    index = 0
    while index < len(tokens):
        token = tokens[index].lstrip(b"\n")
        index += 1
        if not token:
            continue
        parts = token.decode("utf-8", "replace").split("\x1f", 3)
        if len(parts) != 4 or OBJECT_ID.fullmatch(parts[0].encode()) is None:
            raise git_error("git log printed a record eventcat does not understand", rule="git-log")
        files: list[tuple[str, str]] = []
        while index + 1 < len(tokens):
            status = tokens[index].lstrip(b"\n")  # the first follows the header's newline
            if re.fullmatch(rb"[A-Z][0-9]{0,3}", status) is None:
                break
            files.append(
                (status[:1].decode("ascii"), tokens[index + 1].decode("utf-8", "surrogateescape"))
            )
            index += 2
        entries.append(LogEntry(parts[0], parts[1], parts[2], parts[3], tuple(files)))
    return entries
