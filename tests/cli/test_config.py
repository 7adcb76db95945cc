"""[tool.eventcat] and catalog discovery, run as a user does: a subprocess in a nested folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import yaml

from tests.conftest import event_schema

ROOT = Path(__file__).resolve().parents[2]


def eventcat(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return subprocess.run(
        [sys.executable, "-m", "eventcat.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def _project(tmp_path: Path, make_catalog: Callable[..., Path], where: str) -> Path:
    """A repository whose catalog lives in ``where`` (moved from make_catalog's folder)."""
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)  # the walk stops here
    target = repo / where
    target.parent.mkdir(parents=True, exist_ok=True)
    make_catalog().rename(target)
    return repo


def test_a_command_run_deep_inside_the_catalog_finds_it(
    tmp_path: Path, make_catalog: Callable[..., Path]
) -> None:
    repo = _project(tmp_path, make_catalog, "catalog")
    done = eventcat("lint", "--format", "json", cwd=repo / "catalog" / "orders")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["ok"] is True


def test_pyproject_names_the_catalog_for_every_folder_below_it(
    tmp_path: Path, make_catalog: Callable[..., Path]
) -> None:
    repo = _project(tmp_path, make_catalog, "schemas/events")
    (repo / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.eventcat]\ncatalog = "schemas/events"\n'
    )
    nested = repo / "src" / "app"
    nested.mkdir(parents=True)
    for cwd in (repo, nested):
        done = eventcat("lint", cwd=cwd)
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("lint: ok"), done.stdout
    # the same catalog as named explicitly: break it and both runs see the break
    (repo / "schemas/events/orders/OrderPlaced_v1.schema.json").write_text("{", encoding="utf-8")
    assert eventcat("lint", cwd=nested).returncode == 2


def test_catalog_option_wins_over_discovery(
    tmp_path: Path, make_catalog: Callable[..., Path]
) -> None:
    repo = _project(tmp_path, make_catalog, "catalog")
    other = repo / "other"
    other.mkdir()
    (other / "catalog.yaml").write_text("name: [unclosed\n")
    assert eventcat("lint", cwd=repo / "catalog").returncode == 0
    done = eventcat("lint", "--catalog", str(other), cwd=repo / "catalog")
    assert done.returncode == 2 and "catalog.yaml" in done.stdout


def test_pyproject_sets_the_default_format(
    tmp_path: Path, make_catalog: Callable[..., Path]
) -> None:
    repo = _project(tmp_path, make_catalog, "catalog")
    (repo / "pyproject.toml").write_text('[tool.eventcat]\nformat = "json"\n')
    done = eventcat("lint", cwd=repo)
    assert json.loads(done.stdout)["command"] == "lint"
    # an option on the command line wins; a command without that format falls back to text
    assert not eventcat("lint", "--format", "text", cwd=repo).stdout.startswith("{")
    (repo / "pyproject.toml").write_text('[tool.eventcat]\nformat = "sarif"\n')
    assert eventcat("lint", cwd=repo).stdout.startswith("lint: ok")


def test_a_bad_tool_eventcat_table_is_one_line_and_exit_2(
    tmp_path: Path, make_catalog: Callable[..., Path]
) -> None:
    repo = _project(tmp_path, make_catalog, "catalog")
    for text, expected in (
        ('[tool.eventcat]\ncatalgo = "catalog"\n', "unknown key 'catalgo'"),
        ("[tool.eventcat]\ncatalog = 3\n", "catalog must be a string"),
        ("[tool.eventcat\n", "not valid TOML"),
    ):
        (repo / "pyproject.toml").write_text(text)
        done = eventcat("lint", cwd=repo)
        assert done.returncode == 2, text
        [line] = done.stderr.splitlines()
        assert "pyproject.toml" in line and expected in line


def test_no_catalog_anywhere_says_how_to_name_one(tmp_path: Path) -> None:
    empty = tmp_path / "repo" / "deep"
    empty.mkdir(parents=True)
    (tmp_path / "repo" / ".git").mkdir()
    done = eventcat("lint", cwd=empty)
    assert done.returncode == 2
    [line] = done.stderr.splitlines()
    assert "no catalog found" in line and "--catalog DIR" in line


def test_the_gate_finds_its_catalog_from_a_nested_folder(tmp_path: Path) -> None:
    from tests.gate.conftest import EVENT, seeded_repo

    repo = seeded_repo(tmp_path / "repo", event_schema())
    repo.edit(EVENT, lambda s: s["required"].append("note"))
    done = eventcat("check", "--against", "main", cwd=repo.catalog / "orders")
    assert done.returncode == 1, done.stderr
    assert "OrderPlaced" in done.stdout


def test_the_library_default_finds_the_catalog_too(
    tmp_path: Path, make_catalog: Callable[..., Path]
) -> None:
    repo = _project(tmp_path, make_catalog, "catalog")
    code = "import eventcat; print(len(eventcat.load_catalog().events))"
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=repo / "catalog" / "orders",
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.stdout.strip() == "1", done.stderr


def test_the_hooks_and_the_action_pass_no_catalog() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert all("--catalog" not in hook["entry"] for hook in hooks)
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["inputs"]["catalog"]["default"] == ""
