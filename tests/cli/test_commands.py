"""The command line as a user types it: misspelt commands get a suggestion, exit 2."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    ("typed", "meant"), [("chek", "check"), ("lnt", "lint"), ("rulse", "rules")]
)
def test_a_misspelt_command_suggests_the_right_one(typed: str, meant: str) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "eventcat.cli", typed], capture_output=True, text=True, check=False
    )
    assert run.returncode == 2
    assert f"Did you mean {meant!r}?" in run.stderr
    assert "Traceback" not in run.stderr


def test_an_unknown_command_without_a_close_match_lists_nothing_wrong() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "eventcat.cli", "zzzzzz"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 2
    assert "No such command 'zzzzzz'" in run.stderr and "Did you mean" not in run.stderr
