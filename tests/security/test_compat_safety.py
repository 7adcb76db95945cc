"""Hostile schemas against `eventcat diff` (issue 18, items 7-9): catastrophic patterns, patterns
that need backtracking, combinators nested to blow up the comparison, and absurd numbers. Each
runs the real command in a subprocess with a generous timeout: it must finish with a documented
exit code (0/1/2) and one clear answer, never a traceback or "internal error" (exit 3)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

TOOLING = str(Path(__file__).resolve().parents[2] / "tooling")
STRING = {"type": "object", "properties": {"s": {"type": "string"}}, "required": ["s"]}


def _diff(tmp_path: Path, old: Any, new: Any, *args: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "old.json").write_text(json.dumps(old), encoding="utf-8")
    (tmp_path / "new.json").write_text(json.dumps(new), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": TOOLING}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "eventcat.cli",
            "diff",
            str(tmp_path / "old.json"),
            str(tmp_path / "new.json"),
            "--format",
            "json",
            *args,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )


def _with_pattern(pattern: str) -> dict[str, Any]:
    return {**STRING, "properties": {"s": {"type": "string", "pattern": pattern}}}


def test_catastrophic_pattern_is_judged_with_a_linear_engine(tmp_path: Path) -> None:
    result = _diff(tmp_path, STRING, _with_pattern("^(a+)+$"))
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["verdict"] == "breaking"
    [change] = [c for c in report["report"]["changes"] if c["breaking"]]
    assert change["basis"] == "proof"
    # the proof is a real old event the new pattern rejects: not a run of "a"s
    assert re.fullmatch("a+", change["counterexample"]["s"]) is None


@pytest.mark.parametrize(
    "pattern",
    ["^(?=a)a+$", "^(a)\\1$", "^(?!b)(a+)+$"],
    ids=["lookahead", "backreference", "negative-lookahead"],
)
def test_pattern_needing_backtracking_is_unknown_not_a_hang(tmp_path: Path, pattern: str) -> None:
    result = _diff(tmp_path, STRING, _with_pattern(pattern))
    assert result.returncode == 1, result.stderr  # not compatible: the gate still stops
    report = json.loads(result.stdout)
    assert report["verdict"] == "unknown"
    [change] = report["report"]["changes"]
    assert change["basis"] == "unknown" and not change["breaking"]
    assert "regex" in change["reason"] and change["new_pointer"] == "/properties/s/pattern"


def test_catastrophic_pattern_properties_finish(tmp_path: Path) -> None:
    old = {"type": "object"}
    new = {"type": "object", "patternProperties": {"^(a|aa)+$": {"type": "integer"}}}
    result = _diff(tmp_path, old, new, "--policy", "STRICT")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["verdict"] == "breaking"
    [change] = [c for c in report["report"]["changes"] if c["breaking"]]
    name, value = next(iter(change["counterexample"].items()))
    assert re.fullmatch("(a|aa)+", name) and not isinstance(value, int)


def _nest(depth: int, width: int, tag: int) -> Any:
    if depth == 0:
        return {"type": "string", "maxLength": tag}
    return {"oneOf": [_nest(depth - 1, width, tag + i) for i in range(width)]}


def test_nested_one_of_ends_with_unknown_instead_of_stalling(tmp_path: Path) -> None:
    result = _diff(tmp_path, _nest(5, 6, 1), _nest(5, 6, 2), "--mode", "FULL")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["verdict"] == "unknown"
    assert {c["type"] for c in report["report"]["changes"]} == {"COMPARISON_BUDGET_EXCEEDED"}


def test_nested_one_of_under_confluent_rules_is_a_located_schema_error(tmp_path: Path) -> None:
    result = _diff(tmp_path, _nest(5, 6, 1), _nest(5, 6, 2), "--rules", "confluent")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "budget" in result.stdout + result.stderr


@pytest.mark.parametrize(
    "old,new",
    [
        ({"type": "number", "multipleOf": 1}, {"type": "number", "multipleOf": 5e-324}),
        ({"type": "number", "multipleOf": 5e-324}, {"type": "number", "multipleOf": 1}),
        ({"type": "number", "multipleOf": 5e-324}, {"type": "number", "maximum": 1e308}),
    ],
    ids=["tiny-new", "tiny-old", "tiny-and-huge"],
)
def test_extreme_multiple_of_is_handled(tmp_path: Path, old: Any, new: Any) -> None:
    result = _diff(tmp_path, old, new)
    assert result.returncode in (0, 1, 2), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    if result.returncode == 2:
        assert "multipleOf" in result.stdout + result.stderr
