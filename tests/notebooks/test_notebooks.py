"""Every notebook runs top to bottom on a fresh kernel against a copy of the catalog; the tests
check what it wrote, that its error cells print what the CLI prints, and that the real catalog is
untouched."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest
from click.testing import CliRunner

from eventcat.catalog.loader import read_catalog
from eventcat.cli import main
from eventcat.lint import lint_catalog
from tests.conftest import EXAMPLE_CATALOG, ROOT
from tests.design.conftest import tree_digest

NOTEBOOKS = ROOT / "notebooks"
KERNEL = "eventcat-tests"


@pytest.fixture
def catalog_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example catalog, and a kernel environment that writes only under tmp_path."""
    target = tmp_path / "catalog"
    shutil.copytree(EXAMPLE_CATALOG, target)
    kernels = tmp_path / "jupyter" / "kernels" / KERNEL
    kernels.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "eventcat tests",
        "language": "python",
    }
    (kernels / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    (tmp_path / "tmp").mkdir()
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    monkeypatch.setenv("EVENTCAT_CATALOG", str(target))
    monkeypatch.setenv("NO_COLOR", "1")
    return target


def execute(name: str) -> Any:
    from nbclient import NotebookClient

    notebook = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    real = tree_digest(EXAMPLE_CATALOG)
    NotebookClient(
        notebook,
        timeout=300,
        kernel_name=KERNEL,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    ).execute()
    assert tree_digest(EXAMPLE_CATALOG) == real, "the notebook changed the real catalog"
    return notebook


def error_cells(notebook: Any) -> dict[str, str]:
    """Source -> stderr of the cells tagged ``raises-exception``; each must print and not crash."""
    found = {}
    for cell in notebook.cells:
        if "raises-exception" in cell.metadata.get("tags", []):
            assert not [o for o in cell.outputs if o.output_type == "error"], cell.source
            found[cell.source] = "".join(
                o.text for o in cell.outputs if o.output_type == "stream" and o.name == "stderr"
            )
    return found


def lint_errors(root: Path) -> list[str]:
    return [f.render() for f in lint_catalog(read_catalog(root)) if f.severity == "error"]


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.stem)
def test_notebooks_are_stored_without_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    stored = [c.source[:60] for c in notebook.cells
              if c.cell_type == "code" and (c.outputs or c.execution_count is not None)]  # fmt: skip
    assert not stored, (
        f"{path.name} was saved with outputs (JupyterLab autosaves them): strip them with "
        f"`nbstripout {path}` (or `jupyter nbconvert --clear-output --inplace {path}`); "
        "`pre-commit install` runs nbstripout on every commit. Cells: " + repr(stored)
    )


def test_every_notebook_is_tested() -> None:
    tested = {"design_new_event", "designer", "evolve_event", "explore_catalog"}
    assert {p.stem for p in NOTEBOOKS.glob("*.ipynb")} == tested


def test_design_new_event(catalog_copy: Path) -> None:
    notebook = execute("design_new_event")
    path = catalog_copy / "ai-generation/AIGenerationSampleSelected_v1.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["x-eventcat"]["eventType"] == "ai.generation.sample_selected.v1"
    assert schema["properties"]["outputFormat"]["enum"] == ["jpeg", "png"]
    assert schema["properties"]["feedback"]["type"] == ["string", "null"]
    assert "feedback" not in schema["required"] and "selectedAt" in schema["required"]
    assert len(schema["examples"]) == 3
    assert lint_errors(catalog_copy) == []

    errors = error_cells(notebook)
    not_json = next(v for k, v in errors.items() if "cat.infer" in k)
    assert not_json.startswith("eventcat: sample 1:1: error [json-syntax] invalid JSON")
    # the bad name prints exactly what `eventcat new` prints for it
    bad_name = next(v for k, v in errors.items() if "ai_generation_sample_selected" in k)
    cli = CliRunner().invoke(main, ["new", "ai_generation_sample_selected", "-d", "ai-generation",
                                    "--catalog", str(catalog_copy)])  # fmt: skip
    assert cli.exit_code == 2
    assert bad_name == cli.stderr
    assert "[event-name]" in bad_name

    # a warning is reported and does not block; an error refuses the draft (cell 19's prose)
    html = {c.source: "".join(o.get("data", {}).get("text/html", "") for o in c.outputs)
            for c in notebook.cells if c.cell_type == "code"}  # fmt: skip
    warned = next(v for k, v in html.items() if "finalResolution" in k)
    assert "ok: the change passes every check" in warned and "[field-unknown]" not in warned
    assert "field-unknown" in warned and "warning" in warned
    refused = next(v for k, v in html.items() if "business.unknown" in k)
    assert refused.count("refused") == 1 and "business.unknown" in refused

    # the generated model accepted the first sample
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert any("AIGenerationSampleSelectedV1(generationRequestId='" in
               o.get("data", {}).get("text/plain", "") for o in outputs)  # fmt: skip


def test_evolve_event(catalog_copy: Path) -> None:
    notebook = execute("evolve_event")
    catalog = read_catalog(catalog_copy)
    event = catalog.event("AIGenerationJobRequested")
    assert event is not None and [v.version for v in event.versions] == [1, 2]
    v1, v2 = event.versions
    assert v2.event_type == "ai.generation.job_requested.v2"
    assert (
        v2.schema["properties"]["initialResolution"]["$ref"]
        == "../_shared/Dimensions_v1.schema.json"
    )
    assert dict(v1.lifecycle) | {"since": None} == {
        "status": "deprecated", "since": None, "sunset": "2027-06-30",
        "replacement": "ai.generation.job_requested.v2",
        "reason": "initialResolution is now structured",
    }  # fmt: skip
    # the additive change went in place; the breaking one did not
    assert "negativePrompt" in v1.schema["properties"]
    assert v1.schema["properties"]["initialResolution"]["type"] == "string"
    assert lint_errors(catalog_copy) == []

    (refusal,) = error_cells(notebook).values()
    assert refusal.startswith("eventcat: ai-generation/AIGenerationJobRequested_v1.schema.json:")
    assert "error [TYPE_CHANGED]" in refusal
    assert "Fix: publish `ai-generation/AIGenerationJobRequested_v2.schema.json`" in refusal
    printed = "".join(
        o.get("text", "") for c in notebook.cells if c.cell_type == "code" for o in c.outputs
    )
    assert printed.count("gate exit code: 0") == 2 and printed.count("gate exit code: 1") == 1


def test_designer_notebook_shows_the_form_and_writes_nothing(catalog_copy: Path) -> None:
    before = tree_digest(catalog_copy)
    notebook = execute("designer")
    assert tree_digest(catalog_copy) == before  # nothing is written until the form says so
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    views = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert len(views) == 1
    assert "Designer" in views[0]["data"]["text/plain"]


def test_explore_catalog_writes_nothing(catalog_copy: Path) -> None:
    before = tree_digest(catalog_copy)
    notebook = execute("explore_catalog")
    assert tree_digest(catalog_copy) == before
    svg = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs
           if "image/svg+xml" in o.get("data", {})]  # fmt: skip
    assert len(svg) == 2
    # the whole catalog is drawn between domains; one service's view keeps its events
    whole, n8n = (o["data"]["image/svg+xml"] for o in svg)
    assert "producer domains" in whole and "ai-generation (" in whole
    assert "AIGenerationJobRequested" in n8n and "producer domains" not in n8n


def test_render_for_the_docs_site(catalog_copy: Path) -> None:
    from eventcat.design.notebook import render_notebook

    real = tree_digest(EXAMPLE_CATALOG)
    page = render_notebook(NOTEBOOKS / "explore_catalog.ipynb", catalog=catalog_copy,
                           kernel_name=KERNEL)  # fmt: skip
    assert page.count("<svg") == 2  # the two flow graphs, from a real run
    assert "<h3>Explore the catalog</h3>" in page and "<h4>The field index</h4>" in page
    assert "ecd-t" in page and "generationRequestId" in page  # the field index table
    assert tree_digest(EXAMPLE_CATALOG) == real
    stored = render_notebook(NOTEBOOKS / "evolve_event.ipynb", execute=False)
    assert "event.bump(" in stored and "ecd-nb-out" not in stored
