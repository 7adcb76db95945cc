"""Real git repositories in tmp folders, with a small catalog committed on ``main``."""

from __future__ import annotations

import copy
import datetime as dt
import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from eventcat.gate.core import CheckOptions, run_check
from eventcat.report.render import Result
from tests.conftest import ENVELOPE, MONEY, SETTINGS, event_schema, write_json

EVENT = "orders/OrderPlaced_v1.schema.json"
TODAY = dt.date(2026, 3, 1)


class GateRepo:
    """A git repository whose ``catalog/`` folder the gate checks."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.catalog = root / "catalog"

    def git(self, *args: str) -> str:
        done = subprocess.run(
            ["git", *args], cwd=self.root, capture_output=True, text=True, check=True
        )
        return done.stdout

    def write(self, rel: str, value: Any) -> Path:
        target = self.catalog / rel
        if isinstance(value, str):
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(value, encoding="utf-8")
            return target
        return write_json(target, value)

    def read(self, rel: str) -> Any:
        return json.loads((self.catalog / rel).read_text(encoding="utf-8"))

    def edit(self, rel: str, change: Callable[[dict[str, Any]], None]) -> None:
        value = copy.deepcopy(self.read(rel))
        change(value)
        self.write(rel, value)

    def delete(self, rel: str) -> None:
        (self.catalog / rel).unlink()

    def commit(self, message: str = "change") -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD").strip()

    def check(self, against: str = "main", **options: Any) -> Result:
        options.setdefault("today", TODAY)
        return run_check(CheckOptions(catalog_dir=str(self.catalog), against=against, **options))

    def line_of(self, rel: str, needle: str) -> int:
        lines = (self.catalog / rel).read_text(encoding="utf-8").splitlines()
        return next(n for n, line in enumerate(lines, 1) if needle in line)


def init_repo(root: Path) -> GateRepo:
    root.mkdir(parents=True, exist_ok=True)
    repo = GateRepo(root)
    repo.git("init", "-q", "-b", "main")
    repo.git("config", "user.name", "Gate Test")
    repo.git("config", "user.email", "gate@example.com")
    repo.git("config", "commit.gpgsign", "false")
    return repo


def seeded_repo(folder: Path, event: dict[str, Any], settings: str = SETTINGS) -> GateRepo:
    """``main`` holds ``settings`` as catalog.yaml, the envelope, Money_v1 and ``event`` as
    OrderPlaced_v1; the work continues on a branch ``change``."""
    repo = init_repo(folder)
    repo.write("catalog.yaml", settings)
    repo.write("_envelope/Envelope_v1.schema.json", ENVELOPE)
    repo.write("_shared/Money_v1.schema.json", MONEY)
    repo.write(EVENT, event)
    repo.commit("catalog")
    repo.git("checkout", "-q", "-b", "change")
    return repo


@pytest.fixture
def repo(tmp_path: Path) -> GateRepo:
    return seeded_repo(tmp_path / "repo", event_schema())


def rules(result: Result) -> list[str]:
    return [f.rule for f in result.findings]


def failing_rules(result: Result) -> list[str]:
    return [f.rule for f in result.failing]


__all__ = [
    "EVENT",
    "MONEY",
    "TODAY",
    "GateRepo",
    "event_schema",
    "failing_rules",
    "init_repo",
    "rules",
]
