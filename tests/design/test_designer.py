"""The designer: its session (plain Python) and its widget (driven headless: set values, click
buttons), each writing into a copy of the example catalog and checked on disk."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from eventcat.catalog.loader import read_catalog
from eventcat.design import DesignSession
from eventcat.design.designer import ConsumerRow, parse_samples
from eventcat.display import Designer
from eventcat.errors import CatalogError, InputError
from eventcat.lint import lint_catalog
from tests.design.conftest import JOB_REQUESTED

pytest.importorskip("ipywidgets", reason="the designer widget needs ipywidgets (notebooks extra)")

SAMPLES_JSONL = "\n".join(json.dumps(s) for s in JOB_REQUESTED)
NEW = "ai-generation/AIGenerationRenderQueued_v1.schema.json"
TIGHTER = '{"minimum": 1, "maximum": 4}'


def errors(root: Path) -> list[str]:
    return [f.render() for f in lint_catalog(read_catalog(root)) if f.severity == "error"]


def on_disk(root: Path, path: str) -> dict[str, Any]:
    data = json.loads((root / path).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


# -- the session ----------------------------------------------------------------------------------


def test_samples_as_json_array_or_json_lines() -> None:
    assert parse_samples(json.dumps(JOB_REQUESTED)) == JOB_REQUESTED
    assert parse_samples(SAMPLES_JSONL) == JOB_REQUESTED
    assert parse_samples(json.dumps(JOB_REQUESTED[0])) == [JOB_REQUESTED[0]]
    with pytest.raises(InputError) as caught:
        parse_samples('{"a": 1,}')
    assert caught.value.problems[0].render().startswith("samples:1: error [json-syntax]")


def test_session_designs_a_new_event_from_samples(catalog_copy: Path) -> None:
    session = DesignSession(catalog_copy)
    session.load_samples(SAMPLES_JSONL)
    assert session.field_names[:3] == ("userId", "projectId", "generationRequestId")
    assert session.row("userId").format == "uuid" and session.row("userId").required
    assert not session.row("styleGuidance").required and session.row("styleGuidance").nullable

    session.name, session.domain = "AIGenerationRenderQueued", "ai-generation"
    session.producers = ["services.aigeneration"]
    session.consumers = [ConsumerRow("workflow.n8n", ["generationRequestId", "prompt"])]
    session.channel = {"broker": "rabbitmq", "exchange": "creativeflow.topic.exchange",
                       "routingKey": "ai.render.queued"}  # fmt: skip
    session.set_field("prompt", description="What to draw.", extra='{"maxLength": 2000}')
    session.set_field("initialResolution", enum="512x512, 768x768")
    session.remove_field("uploadedImageReferences")
    assert session.check().ok
    assert session.gate().exit_code == 0
    assert "class AIGenerationRenderQueuedV1" in session.model().text
    page = session.docs()
    assert any(kind == "site-html" and '<pre class="mermaid">' in text for kind, text in page.parts)
    assert not (catalog_copy / NEW).exists()  # nothing is written before write()

    written = session.write()
    assert written.paths == (NEW,)
    assert written.diff.startswith(f"diff --git a/{NEW} b/{NEW}\nnew file mode 100644\n")
    schema = on_disk(catalog_copy, NEW)
    assert schema["properties"]["prompt"] == {"type": "string", "description": "What to draw.",
                                              "maxLength": 2000}  # fmt: skip
    assert schema["properties"]["initialResolution"]["enum"] == ["512x512", "768x768"]
    assert "uploadedImageReferences" not in schema["properties"]
    meta = schema["x-eventcat"]
    assert (
        meta["eventType"] == "ai.generation.render_queued.v1" and meta["owner"] == "cf-ai-platform"
    )
    assert meta["consumers"] == [
        {"service": "workflow.n8n", "fields": ["generationRequestId", "prompt"]}
    ]
    assert meta["channel"]["routingKey"] == "ai.render.queued"
    assert schema["examples"] == JOB_REQUESTED
    assert errors(catalog_copy) == []


def test_session_refuses_a_draft_with_errors_and_writes_nothing(catalog_copy: Path) -> None:
    session = DesignSession(catalog_copy)
    session.load_samples(SAMPLES_JSONL)
    session.name, session.domain = "AIGenerationRenderQueued", "ai-generation"
    session.producers = ["services.aigeneration"]
    session.set_field("maxSamples", type="string")  # the samples hold integers: examples fail
    validation = session.check()
    assert not validation.ok
    assert any(f.pointer.startswith("/examples/") for f in validation.errors)
    with pytest.raises(CatalogError):
        session.write()
    assert not (catalog_copy / NEW).exists()


def test_session_evolves_in_place_or_bumps(catalog_copy: Path) -> None:
    session = DesignSession(catalog_copy)
    v1 = "ai-generation/AIGenerationJobRequested_v1.schema.json"
    session.open("AIGenerationJobRequested")
    assert session.mode == "evolve" and session.path == v1
    original = on_disk(catalog_copy, v1)
    assert session.schema() == original  # opening and saving unchanged changes nothing

    session.add_field("negativePrompt", description="What not to draw.")
    assert session.review().ok
    written = session.write()
    assert written.paths == (v1,) and '+    "negativePrompt": {' in written.diff
    assert "negativePrompt" in on_disk(catalog_copy, v1)["properties"]

    session.set_field("maxSamples", extra=TIGHTER)  # at most 4 samples, not 8: breaking
    review = session.review()
    assert not review.ok
    (finding,) = review.findings
    assert finding.pointer == "/properties/maxSamples/maximum"
    assert "Fix: publish `ai-generation/AIGenerationJobRequested_v2.schema.json`" in finding.message
    gate = session.gate()
    assert gate.exit_code == 1
    assert any("workflow.n8n" in f.message and "Counterexample" in f.message for f in gate.findings)
    with pytest.raises(CatalogError):
        session.write()
    assert on_disk(catalog_copy, v1)["properties"]["maxSamples"]["maximum"] == 8

    written = session.bump(deprecate=True, reason="at most 4 samples")
    v2 = "ai-generation/AIGenerationJobRequested_v2.schema.json"
    assert written.paths == (v2, v1) and session.path == v2
    assert on_disk(catalog_copy, v2)["properties"]["maxSamples"]["maximum"] == 4
    lifecycle = on_disk(catalog_copy, v1)["x-eventcat"]["lifecycle"]
    assert lifecycle["status"] == "deprecated"
    assert lifecycle["replacement"] == "ai.generation.job_requested.v2"
    assert errors(catalog_copy) == []


# -- the widget, headless ------------------------------------------------------------------------


def cells(widget: Any, field: str) -> list[Any]:
    """The controls of one row of the field table."""
    grid = widget.field_box.children[0]
    return [c for c in grid.children if f"ecd-field-{field}" in c._dom_classes]


def test_widget_designs_and_writes_a_new_event(catalog_copy: Path) -> None:
    designer = Designer(catalog_copy)
    assert "Name the event" in designer.verdict.value
    designer.samples.value = SAMPLES_JSONL
    designer.infer_button.click()
    assert "Inferred from 3 sample(s)" in designer.status_line.value
    assert "3 of 3" in designer.status_line.value  # which samples each field was seen in

    designer.name.value = "AIGenerationRenderQueued"
    designer.domain.value = "ai-generation"
    assert "not ready" in designer.verdict.value and "producers" in designer.panels["Lint"].value
    designer.producers.value = ("services.aigeneration",)
    assert "ready to write" in designer.verdict.value
    assert "ok: the change passes every check" in designer.panels["Lint"].value
    assert "ok: 1 changed file(s)" in designer.panels["Gate"].value

    description, extra = cells(designer, "prompt")[6:8]
    description.value = "What to draw."
    extra.value = '{"maxLength": 2000}'
    remove_refs = cells(designer, "uploadedImageReferences")[-1]
    remove_refs.click()
    assert "uploadedImageReferences" not in designer.session.field_names

    designer.add_consumer.click()
    service, fields, _ = designer.consumer_box.children[0].children
    service.value = "workflow.n8n"
    fields.value = ("generationRequestId", "prompt")

    designer.tabs.selected_index = 2
    assert "class AIGenerationRenderQueuedV1" in designer.panels["Model"].value
    designer.tabs.selected_index = 3
    assert '<pre class="mermaid">' in designer.docs_view.html  # drawn in the browser

    designer.write_button.click()
    assert "written" in designer.status_line.value
    assert "new file mode 100644" in designer.panels["Diff"].value
    schema = on_disk(catalog_copy, NEW)
    assert schema["properties"]["prompt"]["maxLength"] == 2000
    assert schema["x-eventcat"]["consumers"] == [
        {"service": "workflow.n8n", "fields": ["generationRequestId", "prompt"]}
    ]
    assert errors(catalog_copy) == []
    assert "AIGenerationRenderQueued" in designer.event_pick.options


def test_widget_shows_bad_samples_like_the_cli(catalog_copy: Path) -> None:
    designer = Designer(catalog_copy)
    designer.samples.value = '{"a": 1,}'
    designer.infer_button.click()
    assert "refused: nothing was written" in designer.status_line.value
    assert "json-syntax" in designer.status_line.value
    assert designer.session.fields == []


def test_widget_evolve_needs_a_bump_and_creates_it(catalog_copy: Path) -> None:
    designer = Designer(catalog_copy)
    designer.mode.value = "evolve"
    designer.event_pick.value = "AIGenerationJobRequested"
    designer.open_button.click()
    assert designer.name.value == "AIGenerationJobRequested" and designer.name.disabled
    assert "can be written in place" in designer.verdict.value

    cells(designer, "maxSamples")[7].value = TIGHTER
    assert "needs a new version" in designer.verdict.value
    designer.write_button.click()
    assert "refused: nothing was written" in designer.status_line.value
    assert "/properties/maxSamples/maximum" in designer.status_line.value

    designer.bump_button.click()
    v2 = "ai-generation/AIGenerationJobRequested_v2.schema.json"
    assert v2 in designer.status_line.value
    assert on_disk(catalog_copy, v2)["properties"]["maxSamples"]["maximum"] == 4
    assert designer.session.path == v2
    assert errors(catalog_copy) == []


def test_docs_preview_draws_mermaid_in_jupyterlab(catalog_copy: Path) -> None:
    from IPython.core.interactiveshell import InteractiveShell

    from eventcat.design.preview import docs_page
    from eventcat.display import register

    shell = InteractiveShell.instance()
    try:
        assert register(shell)
        data, _ = shell.display_formatter.format(
            docs_page(catalog_copy, "AIGenerationJobRequested")
        )
    finally:
        InteractiveShell.clear_instance()
    assert "application/vnd.jupyter.widget-view+json" in data  # JupyterLab draws the view
    assert '<pre class="mermaid">' in data["text/html"]  # exports keep the page's HTML
