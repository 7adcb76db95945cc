"""The gate's verdict on a change that exists only in memory."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from eventcat.design import open_catalog
from tests.design.conftest import tree_digest

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def test_gate_verdicts_for_additive_and_breaking_changes(catalog_copy: Path) -> None:
    before = tree_digest(catalog_copy)
    event = open_catalog(catalog_copy).event("AIGenerationJobRequested")
    additive = event.schema()
    additive["properties"]["negativePrompt"] = {"type": "string"}
    assert event.gate(additive).exit_code == 0

    breaking = event.schema()
    breaking["properties"]["maxSamples"]["maximum"] = 4
    gate = event.gate(breaking)
    assert gate.exit_code == 1
    (finding,) = gate.findings
    assert finding.rule == "MAXIMUM_DECREASED"
    assert finding.file == "ai-generation/AIGenerationJobRequested_v1.schema.json"
    assert "workflow.n8n" in finding.message  # the gate names the consumer that reads the field
    assert str(catalog_copy) in repr(gate)  # files named in the caller's catalog
    assert tree_digest(catalog_copy) == before
    assert not (catalog_copy / ".git").exists()


def test_gate_accepts_a_bump(catalog_copy: Path) -> None:
    event = open_catalog(catalog_copy).event("AIGenerationJobRequested")
    schema = event.schema()
    schema["properties"]["maxSamples"]["maximum"] = 4
    changes = event.bump_changes(schema, deprecate=True)
    assert list(changes) == [
        "ai-generation/AIGenerationJobRequested_v2.schema.json",
        "ai-generation/AIGenerationJobRequested_v1.schema.json",
    ]
    assert event.catalog.gate(changes).exit_code == 0
