"""The one git reader: revisions, trees, blobs and history read straight from the object store.

Used by the gate and by the site's history pages. Nothing is checked out, cloned or fetched, and
every git command is started by :func:`spawn_git`, which runs git with a fixed configuration so
that nothing the repository (or a file it includes) names is ever executed:

- fixed keys (``-c``, the command-line scope, beats every configuration file): no fsmonitor, no
  hooks, no pager, no external diff, no signature checks (``gpg.program``), no submodule
  recursion, no transport (a partial clone cannot fetch a missing object);
- every ``filter.<driver>`` and ``diff.<driver>`` program found in the repository's configuration
  (includes followed) is blanked (``GIT_CONFIG_KEY_n``, exact even for odd driver names), so
  ``.gitattributes`` cannot start a clean/smudge/process filter or a textconv;
- blobs are read with ``cat-file --batch`` (never ``show`` or ``checkout``, which apply filters);
  diffs run with ``--no-ext-diff --no-textconv``; revisions are resolved once to a commit id.

The machine's own configuration (system and global) is still read: git honours
``safe.directory`` only there (``actions/checkout`` writes it to the global file), and every key
in it that could name a program is overridden the same way.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO

from eventcat.errors import InputError
from eventcat.git.parse import (
    LOG_FORMAT,
    OBJECT_ID,
    TreeEntry,
    git_error,
    parse_tree_listing,
    parse_tree_object,
    printable,
)

# Re-exported: docsite/history.py reads history through here (it moves with the site split).
from eventcat.git.parse import parse_log as parse_log

#: Longest --against accepted: far above any real ref name, far below the kernel's argument limit.
MAX_REVISION = 1024

#: Keys whose value git would execute or that would change what the reader parses.
SAFE_CONFIG: tuple[tuple[str, str], ...] = (
    ("core.fsmonitor", "false"),
    ("core.hooksPath", os.devnull),
    ("core.pager", "cat"),
    ("core.quotePath", "false"),
    ("core.untrackedCache", "false"),
    ("diff.external", ""),
    ("log.showSignature", "false"),
    ("color.ui", "false"),
    ("submodule.recurse", "false"),
    ("protocol.allow", "never"),
    ("gc.auto", "0"),
    ("maintenance.auto", "false"),
)
#: Programs a driver named in ``.gitattributes`` may run, blanked for every driver configured.
_DRIVER_PROGRAMS = {"filter": ("clean", "smudge", "process"), "diff": ("command", "textconv")}
#: Inherited variables that would run a program or change the output the reader parses.
_DROPPED_ENV = (
    "GIT_EXTERNAL_DIFF",
    "GIT_DIFF_OPTS",
    "GIT_PAGER",
    "GIT_ASKPASS",
    "GIT_SSH",
    "GIT_SSH_COMMAND",
    "GIT_EDITOR",
    "GIT_SEQUENCE_EDITOR",
)
_FIXED_ENV = {
    "LC_ALL": "C",
    "GIT_LITERAL_PATHSPECS": "1",
    "GIT_OPTIONAL_LOCKS": "0",
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_NO_REPLACE_OBJECTS": "1",
    "GIT_NO_LAZY_FETCH": "1",
    "GIT_ATTR_NOSYSTEM": "1",
    "PAGER": "cat",
}
# Above this many needles, grep streams one pass instead of handing git one pattern per needle.
MANY_NEEDLES = 64
_QUOTED = re.compile(rb'"((?:[^"\\]|\\.)*)"')


def _environment(overrides: Sequence[tuple[str, str]], isolated: bool = False) -> dict[str, str]:
    if isolated:  # a repository eventcat made itself: no GIT_DIR from a hook, no user config
        env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
        env.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)
    else:
        env = {k: v for k, v in os.environ.items() if k not in _DROPPED_ENV}
    env.update(_FIXED_ENV)
    if overrides:
        try:
            count = int(env.get("GIT_CONFIG_COUNT", "0"))
        except ValueError:
            count = 0
        for n, (key, value) in enumerate(overrides, start=count):
            env[f"GIT_CONFIG_KEY_{n}"] = key
            env[f"GIT_CONFIG_VALUE_{n}"] = value
        env["GIT_CONFIG_COUNT"] = str(count + len(overrides))
    return env


def spawn_git(
    cwd: Path,
    args: Sequence[str],
    *,
    overrides: Sequence[tuple[str, str]] = (),
    stdin: int | None = subprocess.DEVNULL,
    stderr: int = subprocess.PIPE,
    isolated: bool = False,
) -> subprocess.Popen[bytes]:
    """Start ``git ARGS`` in ``cwd`` with the safe configuration: every git command eventcat
    runs starts here."""
    if shutil.which("git") is None:
        raise git_error("git is not installed; the gate and the site's history read git objects")
    command = [
        "git",
        "--no-pager",
        "--no-optional-locks",
        "--literal-pathspecs",
        "--no-replace-objects",
    ]
    for key, value in SAFE_CONFIG:
        command += ["-c", f"{key}={value}"]
    try:
        return subprocess.Popen(
            [*command, *args],
            cwd=cwd,
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=stderr,
            env=_environment(overrides, isolated),
        )
    except OSError as err:  # E2BIG, EACCES, a vanished folder: one line, never a traceback
        raise git_error(f"cannot run git: {err.strerror or err}") from None


def run_git(
    cwd: Path,
    args: Sequence[str],
    *,
    overrides: Sequence[tuple[str, str]] = (),
    ok_codes: Sequence[int] = (0,),
    timeout: float | None = None,
    isolated: bool = False,
) -> bytes:
    """Run one git command to completion; a failure is one InputError naming git's last line."""
    process = spawn_git(cwd, args, overrides=overrides, isolated=isolated)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise git_error(f"git {args[0]} did not finish within {timeout:g} s") from None
    if process.returncode not in ok_codes:
        lines = err.decode("utf-8", "replace").strip().splitlines()
        raise git_error(
            f"git {args[0]} failed: {printable(lines[-1]) if lines else process.returncode}"
        )
    return out


def _driver_overrides(cwd: Path) -> list[tuple[str, str]]:
    """Blank every filter/diff driver program the configuration (includes followed) names."""
    out = run_git(cwd, ["config", "--list", "-z", "--name-only"], ok_codes=(0, 1))
    overrides: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for raw in out.split(b"\0"):
        key = raw.decode("utf-8", "surrogateescape")
        section, _, rest = key.partition(".")
        subsection, _, _name = rest.rpartition(".")
        programs = _DRIVER_PROGRAMS.get(section.lower())
        if programs is None or not subsection or (section, subsection) in seen:
            continue
        seen.add((section, subsection))
        overrides += [(f"{section}.{subsection}.{name}", "") for name in programs]
        if section.lower() == "filter":
            overrides.append((f"{section}.{subsection}.required", "false"))
    return overrides


def check_revision(ref: str) -> None:
    """Refuse, before git sees it, what cannot be one revision."""
    if not ref:
        raise git_error(
            "--against is empty: name a branch, tag or commit, e.g. --against origin/main",
            rule="unknown-revision",
        )
    if len(ref) > MAX_REVISION:
        raise git_error(
            f"--against is {len(ref):,} characters long; a branch, tag or commit name "
            f"is at most {MAX_REVISION:,}",
            rule="unknown-revision",
        )
    shown = printable(ref)
    if shown != ref:
        raise git_error(
            f"--against {shown!r} contains control characters; name a branch, tag or commit",
            rule="unknown-revision",
        )
    if ref.startswith("-"):
        raise git_error(
            f"--against {ref!r} starts with '-': a revision is not an option",
            rule="unknown-revision",
        )
    if ".." in ref or ref.startswith("^") or ref.endswith(("^!", "^@")) or "^-" in ref:
        raise git_error(
            f"--against {ref!r} is a range; ranges are not revisions: name the one "
            "revision to compare with, e.g. --against main (the gate compares it with "
            "the work tree)",
            rule="unknown-revision",
        )


class GitRepo:
    """One repository, driven through ``git`` commands run at its top level."""

    def __init__(self, toplevel: Path) -> None:
        self.toplevel = toplevel
        self._batch: subprocess.Popen[bytes] | None = None
        self._overrides = _driver_overrides(toplevel)

    # -- discovery ------------------------------------------------------------------------------

    @classmethod
    def discover(cls, folder: Path) -> tuple[GitRepo, str]:
        """The repository holding ``folder`` and the folder's path in it ("" or "a/b/")."""
        process = spawn_git(folder, ["rev-parse", "--show-toplevel", "--show-prefix"])
        out, err = process.communicate()
        if process.returncode != 0:
            said = err.decode("utf-8", "replace")
            if "dubious ownership" in said:
                found = re.search(r"repository at '([^'\n]*)'", said)
                where = found.group(1) if found else str(folder.resolve())
                raise git_error(
                    f"git refuses to read the repository at {where}: it is owned by another user "
                    '(git: "detected dubious ownership"); if you trust it, mark it safe with: '
                    f"git config --global --add safe.directory {where}",
                    rule="git-unsafe-repository",
                    file=str(folder),
                )
            if "not a git repository" in said:
                raise git_error(
                    f"{folder} is not inside a git repository; the gate compares the work tree "
                    "with a git revision (run it in a clone)",
                    file=str(folder),
                )
            lines = said.strip().splitlines()
            raise git_error(
                f"git rev-parse failed in {folder}: "
                f"{printable(lines[-1]) if lines else process.returncode}",
                file=str(folder),
            )
        lines = out.decode("utf-8", "surrogateescape").split("\n")
        return cls(Path(lines[0])), lines[1] if len(lines) > 1 else ""

    # -- commands -------------------------------------------------------------------------------

    def run(
        self, *args: str, ok_codes: Sequence[int] = (0,), timeout: float | None = None
    ) -> bytes:
        return run_git(
            self.toplevel, args, overrides=self._overrides, ok_codes=ok_codes, timeout=timeout
        )

    def resolve(self, ref: str) -> str:
        """The commit id ``ref`` names; an unknown revision is one clear InputError."""
        check_revision(ref)
        out = self.run(
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            f"{ref}^{{commit}}",
            ok_codes=(0, 1, 128),
        )
        sha = out.decode("ascii", "replace").strip()
        if OBJECT_ID.fullmatch(sha.encode()) is None:
            raise git_error(
                f"unknown revision {ref!r}: no such branch, tag or commit in {self.toplevel}; fetch it "
                "first (in GitHub Actions: actions/checkout with fetch-depth: 0)",
                rule="unknown-revision",
            )
        return sha

    def ls_tree(self, tree: str, prefix: str = "", *, recursive: bool = False) -> list[TreeEntry]:
        """Entries of ``tree`` (a commit or tree id); with ``prefix``, only under that folder."""
        check_object_id(tree)
        if not prefix and not recursive:
            # One folder: read the tree object through the long-lived cat-file process instead
            # of a git process per folder (a gate run lists a dozen folders).
            found = self.read_object(tree)
            if found is not None and found[1] == "tree":
                with contextlib.suppress(InputError):  # an odd record: ls-tree has the last word
                    return parse_tree_object(found[2], len(tree) // 2)
        args = ["ls-tree", "-z", "--full-tree"] + (["-r"] if recursive else []) + [tree]
        if prefix:
            args += ["--", prefix.rstrip("/")]
        return parse_tree_listing(self.run(*args))

    def changed(self, commit: str, prefix: str) -> list[tuple[str, str]]:
        """``(status, path)`` of files that differ between ``commit`` and the work tree.

        Status is git's letter (A, M, D, T); renames are split into D + A. Untracked files that
        are not ignored count as added.
        """
        check_object_id(commit)
        spec = ["--", prefix.rstrip("/")] if prefix else []
        out = self.run(
            "diff",
            "--name-status",
            "-z",
            "--no-renames",
            "--no-ext-diff",
            "--no-textconv",
            "--ignore-submodules",
            "--no-relative",
            "--no-color",
            commit,
            *spec,
        )
        parts = out.split(b"\0")
        result: list[tuple[str, str]] = []
        for status, path in zip(parts[0::2], parts[1::2], strict=False):
            if status:
                result.append((status.decode("ascii")[:1], path.decode("utf-8", "surrogateescape")))
        untracked = self.run(
            "ls-files", "-z", "--others", "--exclude-standard", "--full-name", *spec
        )
        result.extend(
            ("A", p.decode("utf-8", "surrogateescape")) for p in untracked.split(b"\0") if p
        )
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
        args = ["grep", "-l", "-z", "-F", "-I", "--no-color", "--no-textconv"]
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
        args = [
            "grep",
            "-z",
            "-F",
            "-I",
            "--no-color",
            "--no-textconv",
            "-e",
            '"$ref"',
            "-e",
            '"$id"',
        ]
        if commit is None:
            args.append("--untracked")
        else:
            args.append(commit)
        if prefix:
            args += ["--", prefix.rstrip("/")]
        found: set[bytes] = set()
        strip = (commit + ":").encode() if commit is not None else b""
        # stderr to a file, not a pipe: a long stream on stdout must not block on a full stderr
        with (
            tempfile.TemporaryFile() as errors,
            spawn_git(
                self.toplevel, args, overrides=self._overrides, stderr=errors.fileno()
            ) as process,
        ):
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
            code = process.wait()
            errors.seek(0)
            error = errors.read()
        if code not in (0, 1):
            message = error.decode("utf-8", "replace").strip().splitlines()
            raise git_error(f"git grep failed: {message[-1] if message else code}")
        result: set[str] = set()
        for raw in found:
            if strip and raw.startswith(strip):
                raw = raw[len(strip) :]
            result.add(raw.decode("utf-8", "surrogateescape"))
        return result

    def history(self, commit: str, path: str) -> list[str]:
        """Commits up to ``commit`` that touched ``path``, newest first."""
        check_object_id(commit)
        out = self.run(
            "log", "--format=%H", "--no-renames", "--no-show-signature", commit, "--", path
        )
        return [line for line in out.decode("ascii").split("\n") if line]

    def commit_date(self, commit: str) -> str:
        check_object_id(commit)
        return (
            self.run("log", "-1", "--no-show-signature", "--format=%cs", commit)
            .decode("ascii")
            .strip()
        )

    def log(self, paths: Sequence[str], max_commits: int, *, timeout: float | None = None) -> bytes:
        """``git log -z --name-status`` over ``paths`` (see :func:`parse_log`)."""
        return self.run(
            "log",
            f"-n{max(1, max_commits)}",
            "-z",
            "--no-renames",
            "--name-status",
            "--no-show-signature",
            "--no-ext-diff",
            "--no-textconv",
            f"--format={LOG_FORMAT}",
            "--",
            *paths,
            timeout=timeout,
        )

    # -- blobs ----------------------------------------------------------------------------------

    def _process(self) -> subprocess.Popen[bytes]:
        if self._batch is None or self._batch.poll() is not None:
            self._batch = spawn_git(
                self.toplevel,
                ["cat-file", "--batch"],
                overrides=self._overrides,
                stdin=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        return self._batch

    def read_object(self, spec: str) -> tuple[str, str, bytes] | None:
        """``(sha, type, content)`` of ``<sha>`` or ``<rev>:<path>``; None when missing."""
        if "\n" in spec or "\r" in spec:
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

    def read_blob(self, commit: str, path: str) -> bytes | None:
        """The blob at ``path`` (from the top level) in ``commit``; None when it is not a blob."""
        found = self.read_object(f"{commit}:{path}")
        return found[2] if found is not None and found[1] == "blob" else None

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


def check_object_id(value: str) -> None:
    """Commands get object ids the reader resolved itself, never a user's string."""
    if OBJECT_ID.fullmatch(value.encode("ascii", "replace")) is None:
        raise git_error(f"not an object id: {printable(value)[:80]!r}")
