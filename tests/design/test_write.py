"""Safe write-back: nothing that would fail lint or break an event in place reaches the catalog,
and what is written is written atomically."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from eventcat.catalog.loader import read_catalog
from eventcat.design import open_catalog, validate_changes
from eventcat.design import write as write_module
from eventcat.errors import CatalogError, UsageError
from eventcat.lint import lint_catalog
from tests.design.conftest import PRODUCT_UPDATED, tree_digest

JOB = "AIGenerationJobRequested"
JOB_V1 = "ai-generation/AIGenerationJobRequested_v1.schema.json"


def _errors(root: Path) -> list[str]:
    return [f.render() for f in lint_catalog(read_catalog(root)) if f.severity == "error"]


def test_add_writes_a_file_that_lints_clean(catalog_copy: Path) -> None:
    cat = open_catalog(catalog_copy)
    draft = cat.new_event(
        "ProductCoreDataRefreshed", "core-platform-integration", samples=PRODUCT_UPDATED,
        enums=["/properties/operationType"], consumers=["product-catalog-service"],
    )  # fmt: skip
    version = cat.add(draft)
    assert version.path == "core-platform-integration/ProductCoreDataRefreshed_v1.schema.json"
    text = (catalog_copy / version.path).read_text(encoding="utf-8")
    assert json.loads(text) == draft.schema
    assert text.endswith("}\n")
    assert _errors(catalog_copy) == []
    assert not list(catalog_copy.rglob(".*.tmp"))  # no temporary file left behind
    with pytest.raises(CatalogError, match="already exists"):
        cat.add(draft)


def test_invalid_draft_is_refused_and_nothing_is_written(catalog_copy: Path) -> None:
    cat = open_catalog(catalog_copy)
    draft = cat.new_event("ProductCoreDataRefreshed", "core-platform-integration",
                          samples=PRODUCT_UPDATED, producers=["nobody"])  # fmt: skip
    draft.meta["consumers"] = [{"service": "product-catalog-service", "fields": ["price"]}]
    before = tree_digest(catalog_copy)
    with pytest.raises(CatalogError) as caught:
        cat.add(draft)
    rendered = [p.render() for p in caught.value.problems]
    assert any("[service-undeclared] producer 'nobody' is not declared" in r for r in rendered)
    assert all(p.file == draft.path and p.line for p in caught.value.problems)
    # lint's warnings about the new file are reported too, without blocking on their own
    warnings = [f.render() for f in cat.check(draft).warnings]
    assert any("[field-unknown] consumer 'product-catalog-service' reads 'price'" in w
               for w in warnings)  # fmt: skip
    assert tree_digest(catalog_copy) == before


def test_example_that_does_not_validate_is_refused(catalog_copy: Path) -> None:
    cat = open_catalog(catalog_copy)
    draft = cat.new_event("ProductCoreDataRefreshed", "core-platform-integration",
                          samples=PRODUCT_UPDATED)  # fmt: skip
    draft.schema["examples"].append({"productId": 7})
    validation = cat.check(draft)
    assert not validation.ok
    assert {f.rule for f in validation.errors} == {"example-invalid"}
    assert {f.pointer for f in validation.errors} == {"/examples/4", "/examples/4/productId"}
    assert any('7 is not of type "string"' in f.message for f in validation.errors)
    assert not (catalog_copy / draft.path).exists()


def test_a_change_that_breaks_another_file_is_refused(catalog_copy: Path) -> None:
    # Removing a property a consumer of the same file reads would be caught by lint; here a
    # fragment loses a property that events' consumers read through it.
    money = json.loads((catalog_copy / "_shared/Money_v1.schema.json").read_text())
    del money["properties"]["currency"]
    money["required"] = ["amount"]
    validation = validate_changes(catalog_copy, {"_shared/Money_v1.schema.json": money})
    assert not validation.ok
    # the events whose examples use the fragment fail lint through it ...
    broken = {f.file for f in validation.errors if f.rule == "example-invalid"}
    assert "subscription-billing/SubscriptionPaymentFailed_v1.schema.json" in broken
    # ... and the removal itself is not additive
    (removal,) = [f for f in validation.errors if f.rule.startswith("PROPERTY_REMOVED")]
    assert (
        removal.file == "_shared/Money_v1.schema.json" and removal.pointer == "/properties/currency"
    )


def test_additive_update_in_place(catalog_copy: Path) -> None:
    event = open_catalog(catalog_copy).event(JOB)
    schema = event.schema()
    schema["properties"]["negativePrompt"] = {"type": "string", "maxLength": 2000}
    review = event.review(schema)
    assert review.ok and review.verdict == "compatible"
    updated = event.update(schema)
    assert "negativePrompt" in updated.schema["properties"]
    assert _errors(catalog_copy) == []


@pytest.mark.parametrize(
    ("edit", "rule"),
    [
        (lambda s: s["required"].append("styleGuidance"), "REQUIRED_ATTRIBUTE_ADDED"),
        (lambda s: s["properties"]["maxSamples"].update(type="string"), "TYPE_CHANGED"),
        (lambda s: s["properties"]["prompt"].update(maxLength=100), "MAX_LENGTH_DECREASED"),
    ],
)
def test_breaking_change_in_place_is_refused(catalog_copy: Path, edit: Any, rule: str) -> None:
    event = open_catalog(catalog_copy).event(JOB)
    schema = event.schema()
    edit(schema)
    for example in schema["examples"]:  # keep the examples valid: only the change is at fault
        example.setdefault("styleGuidance", "flat")
        if schema["properties"]["maxSamples"]["type"] == "string":
            example["maxSamples"] = str(example["maxSamples"])
    before = tree_digest(catalog_copy)
    with pytest.raises(CatalogError) as caught:
        event.update(schema)
    (problem,) = [p for p in caught.value.problems if p.rule == rule]
    assert problem.file == JOB_V1 and problem.line is not None
    assert "[BACKWARD LENIENT]" in problem.message
    assert "Fix: publish `ai-generation/AIGenerationJobRequested_v2.schema.json`" in problem.message
    assert tree_digest(catalog_copy) == before


def test_compatible_but_not_additive_is_refused(catalog_copy: Path) -> None:
    # Making a required property optional is a relaxation a BACKWARD reader accepts, but under
    # evolution: additive it belongs in a new version (contract §3).
    event = open_catalog(catalog_copy).event(JOB)
    schema = event.schema()
    schema["required"].remove("initialResolution")
    review = event.review(schema)
    assert not review.ok
    assert any("evolution `additive`" in f.message for f in review.validation.errors)


def test_bump_creates_v2_and_deprecates_v1(catalog_copy: Path) -> None:
    event = open_catalog(catalog_copy).event(JOB)
    schema = event.schema()
    schema["properties"]["maxSamples"]["type"] = "string"
    for example in schema["examples"]:
        example["maxSamples"] = str(example["maxSamples"])
    v2 = event.bump(schema, deprecate=True, sunset="2027-06-30", reason="strings now")
    assert v2.path == "ai-generation/AIGenerationJobRequested_v2.schema.json"
    assert v2.event_type == "ai.generation.job_requested.v2"
    assert v2.status == "active"
    v1 = event.model.version(1)
    assert v1 is not None
    assert dict(v1.lifecycle) == {
        "status": "deprecated", "since": "2025-07-01", "sunset": "2027-06-30",
        "replacement": "ai.generation.job_requested.v2", "reason": "strings now",
    }  # fmt: skip
    assert v1.schema["properties"]["maxSamples"]["type"] == "integer"  # payload untouched
    assert _errors(catalog_copy) == []


def test_bump_without_schema_copies_the_latest(catalog_copy: Path) -> None:
    event = open_catalog(catalog_copy).event(JOB)
    v2 = event.bump()
    body = {k: v for k, v in v2.schema.items() if k != "x-eventcat"}
    assert body == {k: v for k, v in event.model.version(1).schema.items() if k != "x-eventcat"}
    assert v2.status == "draft"
    assert event.model.version(1).status == "active"


def test_failed_bump_writes_neither_file(catalog_copy: Path) -> None:
    event = open_catalog(catalog_copy).event(JOB)
    schema = event.schema()
    schema["properties"]["maxSamples"]["type"] = "string"  # examples no longer validate
    before = tree_digest(catalog_copy)
    with pytest.raises(
        CatalogError, match=r"AIGenerationJobRequested_v2\.schema\.json.*example-invalid"
    ):
        event.bump(schema, deprecate=True)
    assert tree_digest(catalog_copy) == before


def test_second_write_failing_rolls_back_the_first(
    catalog_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = open_catalog(catalog_copy).event(JOB)
    real = Path.replace
    calls: list[Path] = []

    def flaky(self: Path, target: Any) -> Path:
        if str(target).endswith(".schema.json"):  # the first file is in place, the second fails
            calls.append(Path(target))
            if len(calls) == 2:
                raise OSError(28, "No space left on device")
        return real(self, target)

    monkeypatch.setattr(Path, "replace", flaky)
    before = tree_digest(catalog_copy)
    with pytest.raises(OSError, match="No space left"):
        event.bump(deprecate=True)
    monkeypatch.undo()
    assert len(calls) >= 2  # the second move failed (the roll-back moves files back after it)
    assert tree_digest(catalog_copy) == before  # every file as it was, no staged file left


def test_atomic_write_keeps_the_old_file_when_interrupted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "x.json"
    target.write_bytes(b"old")

    def boom(self: Path, other: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Path, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        write_module.write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]


@pytest.mark.parametrize("path", ["../outside.schema.json", "/etc/x.schema.json", "a/./b.json",
                                  ".hidden/A_v1.schema.json", ""])  # fmt: skip
def test_paths_outside_the_catalog_are_refused(catalog_copy: Path, path: str) -> None:
    with pytest.raises(UsageError, match="is not a catalog-relative path"):
        validate_changes(catalog_copy, {path: {}})
    assert not (catalog_copy.parent / "outside.schema.json").exists()


def test_validation_does_not_touch_the_folder(catalog_copy: Path) -> None:
    before = tree_digest(catalog_copy)
    schema = copy.deepcopy(json.loads((catalog_copy / JOB_V1).read_text()))
    schema["properties"]["x"] = {"type": "string"}
    assert validate_changes(catalog_copy, {JOB_V1: schema}).ok
    assert tree_digest(catalog_copy) == before


def test_missing_catalog_is_the_cli_error(tmp_path: Path) -> None:
    with pytest.raises(CatalogError) as caught:
        open_catalog(tmp_path / "nope")
    assert caught.value.problems[0].rule == "catalog-missing"
