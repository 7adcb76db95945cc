"""What the CI gate would say about a change, before it is written or committed.

The gate (``eventcat check --against REF``) compares the work tree with a git revision. To ask
it about a change that exists only in memory, the catalog is copied into a throwaway git
repository, committed as the baseline, the change is written on top, and the gate's own core
(``eventcat.gate.run_check``) runs against ``HEAD``. The real catalog is only read.

Where the gate is not installed, :func:`gate_preview` falls back to the checks
:func:`eventcat.design.write.validate_changes` makes (lint, and compare with the event's
settings for in-place changes).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from eventcat.errors import InputError
from eventcat.report.render import Result

_GIT = (
    "git",
    "-c", "user.name=eventcat",
    "-c", "user.email=eventcat@localhost",
    "-c", "commit.gpgsign=false",
    "-c", "core.hooksPath=/dev/null",
    "-c", "init.defaultBranch=main",
)  # fmt: skip


def _git(cwd: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["GIT_CONFIG_NOSYSTEM"] = "1"
    env["GIT_CONFIG_GLOBAL"] = os.devnull
    try:
        subprocess.run(
            [*_GIT, *args], cwd=cwd, env=env, check=True, capture_output=True, timeout=60
        )
    except FileNotFoundError:
        raise InputError.at(
            "git is not installed; the gate preview needs it", rule="git"
        ) from None
    except subprocess.CalledProcessError as err:
        message = err.stderr.decode("utf-8", "replace").strip()
        raise InputError.at(f"git {args[0]} failed: {message}", rule="git") from None


def gate_available() -> bool:
    try:
        from eventcat.gate import run_check  # noqa: F401
    except (ImportError, AttributeError):
        return False
    return shutil.which("git") is not None


def gate_preview(catalog_dir: str | Path, changes: Mapping[str, Any]) -> Result:
    """Run the gate on ``changes`` (path -> content) against the catalog as it is now."""
    from eventcat.design.write import to_bytes, validate_changes

    root = Path(catalog_dir)
    if not gate_available():
        validation = validate_changes(root, changes)
        return Result(
            "check",
            validation.findings,
            summary="the gate is not installed here: lint and compare with the event's settings",
        )
    from eventcat.gate import CheckOptions, run_check

    with tempfile.TemporaryDirectory(prefix="eventcat-gate-") as tmp:
        work = Path(tmp) / "catalog"
        shutil.copytree(root, work, ignore=shutil.ignore_patterns(".*"), symlinks=False)
        _git(work, "init", "-q")
        _git(work, "add", "-A")
        _git(work, "commit", "-q", "--allow-empty", "-m", "baseline")
        for path, content in changes.items():
            target = work / path
            if content is None:
                target.unlink(missing_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(to_bytes(content))
        result: Result = run_check(CheckOptions(catalog_dir=str(work), against="HEAD"))
    return result
