"""eventcat import asyncapi: real documents, the round trip, merging, and bad input."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from eventcat.catalog.loader import read_catalog
from eventcat.cli import main
from eventcat.lint import lint_catalog
from tests.asyncapi.conftest import FIXTURES
from tests.conftest import EXAMPLE_CATALOG, SETTINGS


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def lint_errors(catalog: Path) -> list[str]:
    return [f.render() for f in lint_catalog(read_catalog(catalog)) if f.severity.name == "ERROR"]


@pytest.mark.parametrize("which", ["whole", "per-service"])
def test_round_trip_export_import_export_gives_the_same_documents(
    tmp_path: Path, which: str
) -> None:
    first = tmp_path / "first"
    assert (
        run(
            "export", "asyncapi", "--catalog", str(EXAMPLE_CATALOG), "--out", str(first), "--whole"
        ).exit_code
        == 0
    )
    documents = sorted(first.glob("*.asyncapi.yaml"))
    if which == "whole":
        documents = [first / "catalog.asyncapi.yaml"]
    else:
        documents = [p for p in documents if p.name != "catalog.asyncapi.yaml"]
    catalog = tmp_path / "catalog"
    result = run("import", "asyncapi", *map(str, documents), "--catalog", str(catalog))
    assert result.exit_code == 0, result.output
    assert lint_errors(catalog) == []
    original = read_catalog(EXAMPLE_CATALOG)
    assert sorted(tree(catalog)) == sorted([*original.files, "catalog.yaml"])
    second = tmp_path / "second"
    assert (
        run(
            "export", "asyncapi", "--catalog", str(catalog), "--out", str(second), "--whole"
        ).exit_code
        == 0
    )
    assert tree(second) == tree(first)


def test_reimporting_the_same_document_is_a_no_op(tmp_path: Path) -> None:
    doc = FIXTURES / "streetlights-kafka-3.0.yml"
    catalog = tmp_path / "catalog"
    assert run("import", "asyncapi", str(doc), "--catalog", str(catalog)).exit_code == 0
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in catalog.rglob("*") if p.is_file()}
    result = run("import", "asyncapi", str(doc), "--catalog", str(catalog))
    assert result.exit_code == 0, result.output
    assert "nothing to do" in result.output
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in catalog.rglob("*") if p.is_file()}
    assert after == before


@pytest.mark.parametrize(
    ("fixture", "broker", "sender"),
    [
        ("streetlights-kafka-2.6.yml", "kafka", "TurnOn"),
        ("rpc-server-2.x.yml", "rabbitmq", "SendSumResult"),
        ("streetlights-kafka-3.0.yml", "kafka", "TurnOn"),
        ("slack-rtm-3.0.yml", None, "Hello"),
    ],
)
def test_real_documents_import_and_lint_clean(
    tmp_path: Path, fixture: str, broker: str | None, sender: str
) -> None:
    catalog = tmp_path / "catalog"
    result = run("import", "asyncapi", str(FIXTURES / fixture), "--catalog", str(catalog))
    assert result.exit_code == 0, result.output
    assert lint_errors(catalog) == []
    model = read_catalog(catalog)
    assert model.events
    for version in model.versions():
        assert version.producers and version.event_type
        assert version.event_type.endswith(f".v{version.version}")
        assert version.path.split("/")[0] in model.domains
    app = next(s for s in model.services.values() if not s.external)
    produced = [v.name for v in model.produced_by(app.id)]
    assert any(name.startswith(sender) for name in produced), produced
    if broker:
        assert {v.channel.get("broker") for v in model.versions()} == {broker}


def test_streetlights_2x_maps_operations_channels_and_payloads(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    assert (
        run(
            "import",
            "asyncapi",
            str(FIXTURES / "streetlights-kafka-2.6.yml"),
            "--catalog",
            str(catalog),
        ).exit_code
        == 0
    )
    model = read_catalog(catalog)
    measured = next(v for v in model.versions() if v.name == "LightMeasured")
    # 2.x "publish": other applications send it, this application receives it
    assert [c.handler for c in measured.consumers] == ["receiveLightMeasurement"]
    assert model.services[measured.producers[0]].external
    assert (
        measured.channel["topic"]
        == "smartylighting.streetlights.1.0.event.{streetlightId}.lighting.measured"
    )
    lumens = measured.schema["properties"]["lumens"]
    assert lumens == {
        "type": "integer",
        "minimum": 0,
        "description": "Light intensity measured in lumens.",
    }
    # a referenced component schema became a shared fragment with a relative $ref
    assert measured.schema["properties"]["sentAt"] == {"$ref": "../_shared/SentAt_v1.schema.json"}


def test_a_document_whose_examples_do_not_match_is_refused_precisely(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    result = run(
        "import", "asyncapi", str(FIXTURES / "kraken-websocket-3.0.yml"), "--catalog", str(catalog)
    )
    assert result.exit_code == 1
    assert "SubscriptionStatus_v1.schema.json" in result.output
    assert "#/examples/0" in result.output
    assert "Traceback" not in result.output
    assert not catalog.exists()  # nothing written


def test_merging_into_an_existing_catalog_keeps_catalog_yaml_text(
    make_catalog: Callable[..., Path],
) -> None:
    catalog = make_catalog()
    commented = "# hand-written, keep this comment\n" + SETTINGS
    (catalog / "catalog.yaml").write_text(commented, encoding="utf-8")
    before = tree(catalog)
    result = run(
        "import", "asyncapi", str(FIXTURES / "rpc-server-2.x.yml"), "--catalog", str(catalog)
    )
    assert result.exit_code == 0, result.output
    after = tree(catalog)
    for path, data in before.items():
        if path != "catalog.yaml":
            assert after[path] == data
    text = after["catalog.yaml"].decode()
    old_lines = commented.splitlines()
    new_lines = text.splitlines()
    assert [line for line in new_lines if line in old_lines] == old_lines  # only additions
    settings = yaml.safe_load(text)
    assert "order-service" in settings["services"] and "rpc-server-example" in settings["services"]
    assert lint_errors(catalog) == []


def test_an_existing_file_with_other_content_is_not_overwritten(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    doc = FIXTURES / "rpc-server-2.x.yml"
    assert run("import", "asyncapi", str(doc), "--catalog", str(catalog)).exit_code == 0
    target = next(p for p in catalog.rglob("*.schema.json") if "_shared" not in p.parts)
    edited = json.loads(target.read_text("utf-8"))
    edited["description"] = "edited by hand"
    target.write_text(json.dumps(edited), encoding="utf-8")
    before = tree(catalog)
    result = run("import", "asyncapi", str(doc), "--catalog", str(catalog))
    assert result.exit_code == 1
    assert "not overwritten" in result.output
    assert tree(catalog) == before


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("asyncapi: 3.0.0\ninfo: [unclosed\n", "invalid YAML"),
        ("asyncapi: 1.2.0\ninfo: {title: Old, version: '1'}\n", "#/asyncapi"),
        (
            "asyncapi: 3.0.0\ninfo: {title: T, version: '1'}\noperations:\n  op:\n    action: send\n"
            "    channel: {$ref: '#/channels/c'}\nchannels:\n  c:\n    address: a\n    messages:\n"
            "      m: {$ref: 'https://example.com/m.yaml'}\n",
            "leaves the document",
        ),
    ],
)
def test_unreadable_documents_exit_2_with_one_line(
    tmp_path: Path, content: str, expected: str
) -> None:
    doc = tmp_path / "doc.yaml"
    doc.write_text(content, encoding="utf-8")
    catalog = tmp_path / "catalog"
    result = run("import", "asyncapi", str(doc), "--catalog", str(catalog))
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and str(doc) in lines[0] and expected in lines[0], result.output
    assert not catalog.exists()
