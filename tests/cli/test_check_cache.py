"""``eventcat check --cache DIR``: the engine's comparisons kept between runs, by content."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_failures import run
from tests.conftest import event_schema
from tests.gate.conftest import EVENT, seeded_repo


def test_a_second_run_answers_the_same_from_the_cache_folder(tmp_path: Path) -> None:
    repo = seeded_repo(tmp_path / "repo", event_schema())
    repo.edit(EVENT, lambda s: s["required"].append("note"))  # breaking: a new required field
    cache = tmp_path / "cache"
    argv = ("check", "--against", "main", "--format", "json", "--cache", str(cache))
    first = run(*argv, cwd=repo.root)
    assert first.returncode == 1, first.stderr
    entries = list((cache / "compare").rglob("*.json"))
    assert entries
    second = run(*argv, cwd=repo.root)
    assert second.returncode == 1 and second.stdout == first.stdout
    for entry in entries:  # damaged entries: recomputed, same answer, no traceback
        entry.write_text("{", encoding="utf-8")
    third = run(*argv, cwd=repo.root)
    assert third.returncode == 1 and third.stdout == first.stdout
    assert "Traceback" not in third.stderr
    finding = json.loads(first.stdout)["findings"][0]
    assert finding["rule"] == "REQUIRED_ATTRIBUTE_ADDED"  # "note" was optional before


def test_a_cache_that_is_a_file_is_refused_in_one_line(tmp_path: Path) -> None:
    repo = seeded_repo(tmp_path / "repo", event_schema())
    (tmp_path / "file").write_text("", encoding="utf-8")
    done = run("check", "--against", "main", "--cache", str(tmp_path / "file"), cwd=repo.root)
    assert done.returncode == 2 and "Traceback" not in done.stderr
