"""Objects render in Jupyter (through IPython's formatters); catalog text is escaped."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from IPython.core.interactiveshell import InteractiveShell

from eventcat.catalog.loader import read_catalog
from eventcat.design import open_catalog
from eventcat.display import (
    field_index,
    flow_graph,
    register,
    schema_table,
    show,
    versions_over_time,
)
from eventcat.errors import UsageError
from eventcat.report.findings import Finding


@pytest.fixture(scope="module")
def jupyter_html() -> Iterator[Callable[[Any], str]]:
    """What a notebook shows for an object: IPython's text/html formatter output."""
    shell = InteractiveShell.instance()
    assert register(shell)

    def html(obj: Any) -> str:
        data, _ = shell.display_formatter.format(obj)
        return str(data["text/html"])

    yield html
    InteractiveShell.clear_instance()  # other tests expect no running IPython


def test_importing_eventcat_in_a_kernel_registers_the_renderings(catalog_copy: Path) -> None:
    # As in Jupyter: IPython runs first, then the user imports eventcat and displays a catalog.
    script = (
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "shell = InteractiveShell.instance()\n"
        "import eventcat\n"
        f"catalog = eventcat.load_catalog({str(catalog_copy)!r})\n"
        "data, _ = shell.display_formatter.format(catalog)\n"
        "print(data.get('text/html', 'NO HTML')[:6000])\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert "<table class='ecd-t'>" in out.stdout and "AIGenerationJobRequested" in out.stdout


def test_the_cli_never_imports_ipython_or_the_renderers() -> None:
    script = (
        "import sys\nfrom eventcat.cli import main\n"
        "print(sorted(m for m in sys.modules if m.startswith(('IPython', 'eventcat.display', 'jinja2'))))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_catalog_event_and_version_render(
    catalog_copy: Path, jupyter_html: Callable[[Any], str]
) -> None:
    catalog = read_catalog(catalog_copy)
    overview = jupyter_html(catalog)
    assert overview.count("<tr>") == len(catalog.events) + 1
    assert "AIGenerationJobRequested" in overview and "ai.generation.job_requested.v1" in overview
    event = catalog.event("AIGenerationJobRequested")
    assert event is not None
    # On its own a version cannot resolve $refs into _shared/: the table names the target ...
    html = jupyter_html(event)
    assert "$ref ../_shared/Dimensions_v1.schema.json" in html
    assert "workflow.n8n" in html
    # ... with its catalog it resolves them and lists the fragment's fields
    table = schema_table(event.latest.schema, path=event.latest.path, catalog=catalog)
    rows = {row[0]: row for row in table.rows}
    assert rows["customDimensions"][5] == "_shared/Dimensions_v1.schema.json"
    assert rows["customDimensions.width"][1:3] == ("integer", True)
    assert "customDimensions.width" in show(event, catalog)._repr_html_()
    assert repr(catalog).startswith("Catalog('eventcat example catalog'")


def test_author_text_is_escaped(catalog_copy: Path, jupyter_html: Callable[[Any], str]) -> None:
    path = catalog_copy / "ai-generation/AIGenerationJobRequested_v1.schema.json"
    schema = json.loads(path.read_text())
    schema["properties"]["prompt"]["description"] = "<script>alert(1)</script>"
    schema["x-eventcat"]["summary"] = "<img src=x onerror=alert(1)>"
    path.write_text(json.dumps(schema))
    event = read_catalog(catalog_copy).event("AIGenerationJobRequested")
    assert event is not None
    html = jupyter_html(event)
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_schema_table_rows() -> None:
    table = schema_table(
        {
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": "string", "format": "uuid", "description": "Id."},
                "tags": {"type": "array", "items": {"type": "string"}},
                "kind": {"enum": ["a", "b"]},
            },
        }
    )
    assert table.rows == (
        ("id", "string", True, 'format: "uuid"', "Id.", ""),
        ("tags", "array of string", False, "", "", ""),
        ("kind", "enum", False, 'enum: "a", "b"', "", ""),
    )


def test_flow_graph_edges(catalog_copy: Path) -> None:
    graph = flow_graph(read_catalog(catalog_copy), service="workflow.n8n")
    assert ("produces", "workflow.n8n", "AIGenerationSamplesReady") in graph.edges
    assert ("consumes", "workflow.n8n", "AIGenerationJobRequested") in graph.edges
    svg = graph._repr_svg_()
    assert svg.startswith("<svg") and "AIGenerationJobRequested" in svg
    assert "workflow.n8n -> AIGenerationSamplesReady" in repr(graph)


def test_field_index_and_versions_over_time(catalog_copy: Path) -> None:
    catalog = read_catalog(catalog_copy)
    index = field_index(catalog)
    row = next(r for r in index.rows if r[0] == "generationRequestId")
    assert row[1] >= 4 and row[2] == "string"
    timeline = versions_over_time(catalog)
    assert timeline.rows[-1][2] == sum(len(e.versions) for e in catalog.events)


def test_show_findings_errors_and_results(
    catalog_copy: Path, jupyter_html: Callable[[Any], str]
) -> None:
    finding = Finding(file="a.json", line=3, pointer="/x", rule="r", message="<bad>")
    shown = show([finding])
    assert "&lt;bad&gt;" in shown._repr_html_()
    assert repr(shown) == "a.json:3 #/x: error [r] <bad>"
    error = UsageError.at("no event 'X'", rule="usage")
    assert repr(show(error)) == "eventcat: <input>: error [usage] no event 'X'"
    lint = open_catalog(catalog_copy).lint()
    assert lint.ok and lint.exit_code == 0
    assert repr(lint).startswith("lint: ok:")
    assert "ok:" in jupyter_html(lint)
