"""Lint, the gate and diff resolve ``$ref`` the same way: against the file's ``$id`` when it has
one, by exact URI (a ``?query`` names no file), and every error names the real file
(issue 17 item 4, issue 20 item 8)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from eventcat.cli import main
from tests.conftest import ROOT, event_schema
from tests.gate.conftest import GateRepo, seeded_repo

EVENT = "orders/OrderPlaced_v1.schema.json"
DRAFT = "https://json-schema.org/draft/2020-12/schema"
LICENSE = {
    "$schema": DRAFT,
    "$id": "common/license.schema.json",
    "type": "object",
    "properties": {"key": {"type": "string"}},
}


def _user(license_ref: str) -> dict[str, Any]:
    """A shared fragment with a relative $id, as GitHub's webhook schemas have."""
    return {
        "$schema": DRAFT,
        "$id": "common/user.schema.json",
        "type": "object",
        "required": ["login"],
        "properties": {
            "login": {"type": "string"},
            "license": {"$ref": license_ref},
            "site": {"$ref": "#/$defs/site"},
        },
        "$defs": {"site": {"type": "string", "format": "uri"}},
    }


def _event() -> dict[str, Any]:
    schema = event_schema()
    schema["properties"]["user"] = {"$ref": "../_shared/User_v1.schema.json"}
    schema["properties"]["site"] = {"$ref": "../_shared/User_v1.schema.json#/$defs/site"}
    schema["examples"][0]["user"] = {"login": "octocat", "license": {"key": "mit"}}
    return schema


def _repo(tmp_path: Path, license_ref: str) -> GateRepo:
    repo = seeded_repo(tmp_path / "repo", _event())
    repo.git("checkout", "-q", "main")
    repo.write("_shared/User_v1.schema.json", _user(license_ref))
    repo.write("_shared/License_v1.schema.json", LICENSE)
    repo.commit("fragments with $id")
    repo.git("checkout", "-q", "change")
    repo.git("merge", "-q", "main")
    repo.edit(EVENT, lambda s: s["properties"].update(extra={"type": "string"}))
    return repo


def _lint(catalog: Path) -> tuple[int, dict[str, Any]]:
    result = CliRunner().invoke(main, ["lint", "--catalog", str(catalog), "--format", "json"])
    return result.exit_code, json.loads(result.output)


def _check(repo: GateRepo) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "eventcat.cli",
            "check",
            "--catalog",
            "catalog",
            "--against",
            "main",
        ],
        cwd=repo.root,
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": f"{ROOT / 'tooling'}", "PATH": "/usr/bin:/bin", "HOME": str(repo.root)},
    )


def test_refs_relative_to_a_fragments_id_pass_lint_and_check(tmp_path: Path) -> None:
    # license.schema.json is a sibling of common/user.schema.json: it resolves by $id.
    repo = _repo(tmp_path, "license.schema.json")
    code, report = _lint(repo.catalog)
    assert code == 0, report
    result = _check(repo)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_path_ref_that_ignores_the_id_fails_lint_and_check_alike(tmp_path: Path) -> None:
    # By file path License_v1.schema.json is a sibling; by the $id base it is common/License_v1…,
    # which no file declares. Validators resolve against $id, so lint must refuse it too.
    repo = _repo(tmp_path, "License_v1.schema.json")
    code, report = _lint(repo.catalog)
    assert code == 2
    missing = [f for f in report["findings"] if f["rule"] == "ref-missing"]
    assert [f["file"] for f in missing] == [f"{repo.catalog}/_shared/User_v1.schema.json"]
    assert missing[0]["pointer"] == "/properties/license/$ref"
    assert "$id" in missing[0]["message"]
    result = _check(repo)
    assert result.returncode == 2
    assert "<input>" not in result.stdout + result.stderr
    assert "_shared/User_v1.schema.json" in result.stdout + result.stderr


def test_a_query_in_a_ref_fails_lint_and_diff_alike(make_catalog: Any) -> None:
    schema = event_schema()
    schema["properties"]["total"] = {"$ref": "../_shared/Money_v1.schema.json?v=2"}
    root = make_catalog({EVENT: schema})
    code, report = _lint(root)
    assert code == 2
    assert [f["rule"] for f in report["findings"] if f["severity"] == "error"] == ["ref-missing"]
    result = CliRunner().invoke(main, ["diff", str(root / EVENT), str(root / EVENT)])
    assert result.exit_code == 2, result.output
    assert "Money_v1.schema.json?v=2" in result.output


def test_diff_resolves_through_a_fragments_id_like_lint(make_catalog: Any) -> None:
    root = make_catalog({EVENT: _event()})
    (root / "_shared" / "User_v1.schema.json").write_text(
        json.dumps(_user("license.schema.json")), encoding="utf-8"
    )
    (root / "_shared" / "License_v1.schema.json").write_text(json.dumps(LICENSE), encoding="utf-8")
    assert _lint(root)[0] == 0
    new = event_schema()
    new["properties"]["user"] = {"$ref": "../_shared/User_v1.schema.json"}
    new["properties"]["site"] = {"$ref": "../_shared/User_v1.schema.json#/$defs/site"}
    (root / "orders" / "OrderPlaced_v2.schema.json").write_text(json.dumps(new), encoding="utf-8")
    result = CliRunner().invoke(
        main, ["diff", str(root / EVENT), str(root / "orders/OrderPlaced_v2.schema.json")]
    )
    assert result.exit_code == 0, result.output
