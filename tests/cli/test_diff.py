"""`eventcat diff OLD NEW` as a user runs it: exit codes, formats, $refs confined to the catalog."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from eventcat.cli import main
from tests.conftest import EXAMPLE_CATALOG


def _write(path: Path, value: Any) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(value if isinstance(value, str) else json.dumps(value), encoding="utf-8")
    return str(path)


OLD = {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}


def _diff(*args: str) -> Any:
    return CliRunner().invoke(main, ["diff", *args])


def test_additive_change_is_compatible(tmp_path: Path) -> None:
    new = {**OLD, "properties": {**OLD["properties"], "note": {"type": "string"}}}
    result = _diff(_write(tmp_path / "a.json", OLD), _write(tmp_path / "b.json", new))
    assert result.exit_code == 0, result.output
    assert "compatible" in result.output


def test_breaking_change_exits_1_with_counterexample_in_json(tmp_path: Path) -> None:
    new = {**OLD, "properties": {"id": {"type": "integer"}}}
    result = _diff(
        _write(tmp_path / "a.json", OLD), _write(tmp_path / "b.json", new), "--format", "json"
    )
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    assert report["ok"] is False and report["verdict"] == "breaking"
    assert [f["rule"] for f in report["findings"]] == ["TYPE_CHANGED"]
    assert "/properties/id" in report["findings"][0]["pointer"]


def test_forward_mode_swaps_the_schemas(tmp_path: Path) -> None:
    new = {**OLD, "required": []}  # relaxing is backward compatible, not forward
    old_file, new_file = _write(tmp_path / "a.json", OLD), _write(tmp_path / "b.json", new)
    assert _diff(old_file, new_file, "--mode", "BACKWARD").exit_code == 0
    assert _diff(old_file, new_file, "--mode", "FORWARD").exit_code == 1


def test_refs_resolve_inside_the_catalog_folder() -> None:
    folder = EXAMPLE_CATALOG / "subscription-billing"
    result = _diff(
        str(folder / "SubscriptionPaymentSucceeded_v1.schema.json"),
        str(folder / "SubscriptionPaymentSucceeded_v1.schema.json"),
    )
    assert result.exit_code == 0, result.output


def test_the_example_catalogs_v2_breaks_its_v1() -> None:
    folder = EXAMPLE_CATALOG / "subscription-billing"
    result = _diff(
        str(folder / "SubscriptionTierChanged_v1.schema.json"),
        str(folder / "SubscriptionTierChanged_v2.schema.json"),
    )
    assert result.exit_code == 1
    assert "REQUIRED_PROPERTY_ADDED" in result.output
    # two major versions: breaking changes between them are expected, no _v3 is advised
    assert "_v3" not in result.output
    assert "different major versions" in result.output


@pytest.mark.parametrize(
    ("old", "message"),
    [
        ('{"type": ', "json-syntax"),
        ({"properties": {"x": {"$ref": "https://example.com/x.json"}}}, "example.com"),
        ({"properties": {"x": {"$ref": "../../../etc/passwd"}}}, "passwd"),
    ],
    ids=["bad-json", "remote-ref", "ref-out-of-folder"],
)
def test_unreadable_input_exits_2_with_one_line(tmp_path: Path, old: Any, message: str) -> None:
    result = _diff(_write(tmp_path / "a.json", old), _write(tmp_path / "b.json", OLD))
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert message in result.output
    assert f"{tmp_path / 'a.json'}" in result.output  # the file is named


def test_missing_file_and_bad_option_exit_2(tmp_path: Path) -> None:
    assert _diff(str(tmp_path / "nope.json"), str(tmp_path / "nope.json")).exit_code == 2
    existing = _write(tmp_path / "a.json", OLD)
    assert _diff(existing, existing, "--mode", "SIDEWAYS").exit_code == 2
