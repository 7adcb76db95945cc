"""`eventcat diff` on files copied out of a catalog, on two major versions, and in FULL mode,
run as a user does (a subprocess in the folder holding the copies)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.conftest import EXAMPLE_CATALOG

EVENT = EXAMPLE_CATALOG / "ad-network-integration" / "AdPerformanceDataIngested_v1.schema.json"


def diff(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR",)}
    return subprocess.run(
        [sys.executable, "-m", "eventcat.cli", "diff", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def _copy_out(tmp_path: Path) -> tuple[Path, Path]:
    """The event file copied out of the catalog twice, the second with a breaking change."""
    old = tmp_path / "copies" / EVENT.name
    old.parent.mkdir()
    shutil.copyfile(EVENT, old)
    schema = json.loads(old.read_text(encoding="utf-8"))
    schema.setdefault("required", []).append("addedField")
    schema["properties"]["addedField"] = {"type": "string"}
    new = old.with_name("changed.schema.json")
    new.write_text(json.dumps(schema), encoding="utf-8")
    return old, new


def test_copies_need_the_catalog_and_the_error_says_what_refs_resolved_against(
    tmp_path: Path,
) -> None:
    old, new = _copy_out(tmp_path)
    assert "../_shared/" in old.read_text(encoding="utf-8")
    done = diff(old.name, new.name, cwd=old.parent)
    assert done.returncode == 2
    [line] = done.stderr.splitlines()
    assert "_shared" in line and f"the file's own folder {old.parent}" in line
    assert "--catalog DIR" in line


def test_copies_resolve_against_the_catalog_given(tmp_path: Path) -> None:
    old, new = _copy_out(tmp_path)
    done = diff(old.name, new.name, "--catalog", str(EXAMPLE_CATALOG), cwd=old.parent)
    assert done.returncode == 1, done.stderr
    assert "addedField" in done.stdout
    same = diff(old.name, old.name, "--catalog", str(EXAMPLE_CATALOG), cwd=old.parent)
    assert same.returncode == 0, same.stderr


def test_two_major_versions_need_no_third(tmp_path: Path) -> None:
    v1 = {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}
    v2 = {"type": "object", "properties": {"id": {"type": "integer"}}, "required": ["id"]}
    (tmp_path / "Order_v1.schema.json").write_text(json.dumps(v1))
    (tmp_path / "Order_v2.schema.json").write_text(json.dumps(v2))
    done = diff("Order_v1.schema.json", "Order_v2.schema.json", cwd=tmp_path)
    assert done.returncode == 1  # the verdict stays: v2 does break v1
    assert "_v3" not in done.stdout
    assert "Order_v1 and Order_v2 are different major versions" in done.stdout
    # the same change in place (two copies of one version) still advises the next version
    (tmp_path / "edited").mkdir()
    (tmp_path / "edited" / "Order_v2.schema.json").write_text(json.dumps(v1))
    in_place = diff("edited/Order_v2.schema.json", "Order_v2.schema.json", cwd=tmp_path)
    assert "Order_v3" in in_place.stdout


def _findings(done: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    findings: list[dict[str, Any]] = json.loads(done.stdout)["findings"]
    return findings


def test_full_mode_names_each_direction_and_keeps_old_and_new(tmp_path: Path) -> None:
    old = {"type": "object", "properties": {"a": {"type": "string"}, "c": {"type": "string"}}}
    new = {
        "type": "object",
        "properties": {"a": {"type": "string"}, "b": {"type": "integer"}},
        "required": ["b"],
    }
    (tmp_path / "old.json").write_text(json.dumps(old))
    (tmp_path / "new.json").write_text(json.dumps(new))
    done = diff(
        "old.json",
        "new.json",
        "--mode",
        "FULL",
        "--policy",
        "STRICT",
        "--format",
        "json",
        cwd=tmp_path,
    )
    assert done.returncode == 1
    by_direction = {f["message"].split(":")[0]: f for f in _findings(done)}
    assert set(by_direction) == {"BACKWARD", "FORWARD"}
    backward, forward = by_direction["BACKWARD"], by_direction["FORWARD"]
    # BACKWARD: new requires b, which old events lack; it is in new.json
    assert backward["file"] == "new.json" and backward["pointer"] == "/properties/b"
    assert "consumer on the new schema reading old events" in backward["message"]
    # FORWARD: old declares c, which new (open) events may carry with any value; it is in old.json
    assert forward["file"] == "old.json" and forward["pointer"] == "/properties/c"
    assert "consumer on the old schema reading new events" in forward["message"]
    assert "The new schema let events carry any extra property" in forward["message"]
    assert "swapped" not in forward["message"]
