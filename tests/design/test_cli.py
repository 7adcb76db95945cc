"""``eventcat new`` and ``eventcat bump``: the same functions as the library, the same errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from eventcat.catalog.loader import read_catalog
from eventcat.cli import main
from eventcat.design import open_catalog
from eventcat.design.notebook import error_lines
from eventcat.errors import EventcatError
from tests.design.conftest import PRODUCT_UPDATED, tree_digest


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_new_from_samples_writes_a_clean_file(catalog_copy: Path, tmp_path: Path) -> None:
    samples = tmp_path / "samples.json"
    samples.write_text(json.dumps(PRODUCT_UPDATED), encoding="utf-8")
    code, out, err = run(
        "new", "ProductCoreDataRefreshed", "--domain", "core-platform-integration",
        "--sample", str(samples), "--enums", "--consumer", "product-catalog-service",
        "--catalog", str(catalog_copy),
    )  # fmt: skip
    assert (code, err) == (0, "")
    path = "core-platform-integration/ProductCoreDataRefreshed_v1.schema.json"
    assert f"wrote {path}" in out
    schema = json.loads((catalog_copy / path).read_text())
    assert schema["properties"]["operationType"]["enum"] == ["create", "delete", "update"]
    assert schema["x-eventcat"]["consumers"] == [{"service": "product-catalog-service"}]
    assert run("lint", "--catalog", str(catalog_copy))[0] == 0


def test_new_dry_run_writes_nothing(catalog_copy: Path) -> None:
    before = tree_digest(catalog_copy)
    code, out, _ = run("new", "CampaignArchived", "-d", "campaign-management", "--dry-run",
                       "--catalog", str(catalog_copy))  # fmt: skip
    assert code == 0
    assert "campaign-management/CampaignArchived_v1.schema.json (not written: --dry-run)" in out
    assert '"eventType": "campaign.management.archived.v1"' in out
    assert tree_digest(catalog_copy) == before


def test_new_refused_by_lint_exits_1_and_writes_nothing(catalog_copy: Path) -> None:
    before = tree_digest(catalog_copy)
    code, out, _ = run("new", "CampaignArchived", "-d", "campaign-management", "--producer",
                       "nobody", "--format", "json", "--catalog", str(catalog_copy))  # fmt: skip
    assert code == 1
    report = json.loads(out)
    assert report["ok"] is False and report["written"] == []
    assert [f["rule"] for f in report["findings"]] == ["service-undeclared"]
    assert tree_digest(catalog_copy) == before


@pytest.mark.parametrize(
    ("args", "library"),
    [
        (("new", "campaign_archived", "-d", "campaign-management"),
         lambda cat: cat.new_event("campaign_archived", "campaign-management")),
        (("new", "CampaignArchived_v1", "-d", "campaign-management"),
         lambda cat: cat.new_event("CampaignArchived_v1", "campaign-management")),
        (("new", "CampaignArchived", "-d", "warehouse"),
         lambda cat: cat.new_event("CampaignArchived", "warehouse")),
        (("bump", "NoSuchEvent"), lambda cat: cat.event("NoSuchEvent")),
    ],
)  # fmt: skip
def test_bad_arguments_get_the_same_lines_as_the_library(
    catalog_copy: Path, args: tuple[str, ...], library: object
) -> None:
    code, _, err = run(*args, "--catalog", str(catalog_copy))
    assert code == 2
    with pytest.raises(EventcatError) as caught:
        library(open_catalog(catalog_copy))  # type: ignore[operator]
    assert err.strip() == error_lines(caught.value)


def test_sample_that_is_not_json_exits_2_with_the_file_and_line(
    catalog_copy: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "a": 1,\n}\n', encoding="utf-8")
    code, _, err = run("new", "CampaignArchived", "-d", "campaign-management", "-s", str(bad),
                       "--catalog", str(catalog_copy))  # fmt: skip
    assert code == 2
    assert err.startswith(f"eventcat: {bad}:3: error [json-syntax] invalid JSON")


def test_bump_with_deprecation(catalog_copy: Path) -> None:
    code, out, err = run("bump", "ai.generation.job_requested.v1", "--deprecate", "--sunset",
                         "2027-06-30", "--catalog", str(catalog_copy))  # fmt: skip
    assert (code, err) == (0, "")
    assert "wrote ai-generation/AIGenerationJobRequested_v2.schema.json" in out
    catalog = read_catalog(catalog_copy)
    event = catalog.event("AIGenerationJobRequested")
    assert event is not None and [v.version for v in event.versions] == [1, 2]
    assert event.versions[1].event_type == "ai.generation.job_requested.v2"
    assert event.versions[0].lifecycle["replacement"] == "ai.generation.job_requested.v2"
    assert event.versions[0].lifecycle["sunset"] == "2027-06-30"


def test_bump_from_a_file_that_breaks_lint_is_refused(catalog_copy: Path, tmp_path: Path) -> None:
    schema = json.loads(
        (catalog_copy / "ai-generation/AIGenerationJobRequested_v1.schema.json").read_text()
    )
    schema["properties"]["maxSamples"]["type"] = "string"  # the examples no longer validate
    new = tmp_path / "v2.json"
    new.write_text(json.dumps(schema), encoding="utf-8")
    before = tree_digest(catalog_copy)
    code, out, _ = run("bump", "AIGenerationJobRequested", "--from", str(new), "--deprecate",
                       "--catalog", str(catalog_copy))  # fmt: skip
    assert code == 1
    assert "[example-invalid]" in out and "refused, nothing was written" in out
    assert tree_digest(catalog_copy) == before


def test_sunset_without_deprecate_is_a_usage_error(catalog_copy: Path) -> None:
    code, _, err = run("bump", "AIGenerationJobRequested", "--sunset", "2027-01-01",
                       "--catalog", str(catalog_copy))  # fmt: skip
    assert code == 2 and "--sunset needs --deprecate" in err
