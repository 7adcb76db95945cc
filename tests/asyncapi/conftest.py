"""The official AsyncAPI tools (Node.js): installed once from the committed lock file."""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

NODE_DIR = Path(__file__).parent / "node"
FIXTURES = Path(__file__).parent / "fixtures"

Checker = Callable[[Iterable[Path]], dict[str, Any]]


@pytest.fixture(scope="session")
def asyncapi_check() -> Checker:
    """check(paths) -> {path: {"schema": [...], "diagnostics": [...]}} from one node process."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip(
            "node and npm are not on PATH: the official AsyncAPI schema and parser need them"
        )
    with (NODE_DIR / ".install.lock").open("w") as lock:  # xdist workers share the folder
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (NODE_DIR / "node_modules" / "@asyncapi" / "parser").is_dir():
            subprocess.run(
                ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
                cwd=NODE_DIR,
                check=True,
                capture_output=True,
                timeout=600,
            )

    def check(paths: Iterable[Path]) -> dict[str, Any]:
        names = [str(p) for p in paths]
        done = subprocess.run(
            ["node", "check.mjs", *names],
            cwd=NODE_DIR,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr
        report: dict[str, Any] = json.loads(done.stdout)
        return report

    return check


def errors(entry: dict[str, Any]) -> list[str]:
    """Schema violations and parser diagnostics of error severity (0) of one document."""
    found = [f"schema: {e}" for e in entry["schema"]]
    found += [
        f"parser {d['code']} at {d['path']}: {d['message']}"
        for d in entry["diagnostics"]
        if d["severity"] == 0
    ]
    return found
