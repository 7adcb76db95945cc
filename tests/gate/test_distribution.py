"""The pre-commit hook, the composite action's gate step and the workflow, run for real."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from tests.gate.conftest import EVENT, GateRepo

ROOT = Path(__file__).resolve().parents[2]


def add_required(schema: dict[str, Any]) -> None:
    schema["properties"]["customerId"] = {"type": "string"}
    schema["required"].append("customerId")


def env_with_eventcat() -> dict[str, str]:
    bin_dir = str(Path(sys.executable).parent)
    return {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}


def test_pre_commit_hook_entry_gates_staged_changes(repo: GateRepo) -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    hook = hooks["eventcat-check"]
    assert hook["pass_filenames"] is False and hook["language"] == "python"
    command = shlex.split(hook["entry"])
    assert command[0] == "eventcat"
    argv = [sys.executable, "-m", "eventcat.cli", *command[1:]]
    repo.git("checkout", "-q", "main")
    assert subprocess.run(argv, cwd=repo.root, capture_output=True, check=False).returncode == 0
    repo.edit(EVENT, add_required)
    repo.git("add", "-A")  # staged, as pre-commit sees it
    done = subprocess.run(argv, cwd=repo.root, capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert "OrderPlaced_v2.schema.json" in done.stdout


def _gate_step() -> dict[str, Any]:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    [step] = [s for s in action["runs"]["steps"] if s.get("id") == "gate"]
    return dict(step)


def test_action_gate_step_annotates_and_writes_the_summary(repo: GateRepo, tmp_path: Path) -> None:
    step = _gate_step()
    repo.edit(EVENT, add_required)
    output, summary, sarif = tmp_path / "output", tmp_path / "summary.md", tmp_path / "gate.sarif"
    env = {
        **env_with_eventcat(),
        "CATALOG": "catalog",
        "REF": "main",
        "SARIF": str(sarif),
        "STRICT": "false",
        "GITHUB_OUTPUT": str(output),
        "GITHUB_STEP_SUMMARY": str(summary),
        "RUNNER_TEMP": str(tmp_path),
    }
    done = subprocess.run(
        ["bash", "-e", "-c", step["run"]],
        cwd=repo.root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith("::error file=catalog/orders/OrderPlaced_v1.schema.json,line=")
    assert "exit-code=1" in output.read_text()
    assert "<details>" in summary.read_text()
    assert '"version": "2.1.0"' in sarif.read_text()


def test_action_gate_step_passes_a_compatible_change(repo: GateRepo, tmp_path: Path) -> None:
    step = _gate_step()
    repo.edit(EVENT, lambda s: s["properties"].update(channel={"type": "string"}))
    output = tmp_path / "output"
    env = {
        **env_with_eventcat(),
        "CATALOG": "catalog",
        "REF": "main",
        "SARIF": "",
        "STRICT": "false",
        "GITHUB_OUTPUT": str(output),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "RUNNER_TEMP": str(tmp_path),
    }
    done = subprocess.run(
        ["bash", "-e", "-c", step["run"]],
        cwd=repo.root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "exit-code=0" in output.read_text()


def test_workflow_gates_this_repository_with_full_history() -> None:
    workflow = yaml.safe_load((ROOT / ".github/workflows/catalog-gate.yml").read_text())
    steps = workflow["jobs"]["gate"]["steps"]
    assert steps[0]["with"]["fetch-depth"] == 0
    assert steps[1]["uses"] == "./"  # the catalog comes from [tool.eventcat] in pyproject.toml
    assert "catalog/**" in workflow[True]["pull_request"]["paths"]  # YAML 1.1 reads "on" as True
