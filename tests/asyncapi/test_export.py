"""eventcat export asyncapi: documents the official AsyncAPI 3.0 schema and parser accept."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from eventcat.cli import main
from tests.asyncapi.conftest import FIXTURES, Checker, errors
from tests.conftest import EXAMPLE_CATALOG, event_schema

pytestmark = pytest.mark.xdist_group("asyncapi-node")


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def brokers_catalog(make_catalog: Callable[..., Path]) -> Path:
    """Kafka and Redis Streams (absent from the example catalog) and a deprecated version."""
    v1 = event_schema()
    v1["x-eventcat"]["channel"] = {"broker": "kafka", "topic": "orders", "partitionKey": "orderId"}
    v1["x-eventcat"]["lifecycle"] = {
        "status": "deprecated",
        "sunset": "2030-01-01",
        "replacement": "orders.order_placed.v2",
    }
    v2 = copy.deepcopy(v1)
    v2["x-eventcat"].update(eventType="orders.order_placed.v2", lifecycle={"status": "active"})
    shipped = event_schema("orders.order_shipped.v1")
    shipped["x-eventcat"]["channel"] = {"broker": "redis-streams", "topic": "orders-stream"}
    shipped["x-eventcat"]["consumers"][0]["queue"] = "billing-group"
    return make_catalog(
        {
            "orders/OrderPlaced_v1.schema.json": v1,
            "orders/OrderPlaced_v2.schema.json": v2,
            "orders/OrderShipped_v1.schema.json": shipped,
        }
    )


@pytest.fixture(scope="module")
def exported(
    tmp_path_factory: pytest.TempPathFactory, asyncapi_check: Checker
) -> tuple[dict[str, Path], dict[str, Any]]:
    """Every document to check, exported once and checked by one node process."""
    base = tmp_path_factory.mktemp("export")
    example = base / "example"
    assert (
        run(
            "export",
            "asyncapi",
            "--catalog",
            str(EXAMPLE_CATALOG),
            "--out",
            str(example),
            "--whole",
        ).exit_code
        == 0
    )
    from tests.conftest import ENVELOPE, MONEY, SETTINGS, write_json

    small = base / "small-catalog"
    small.mkdir()
    (small / "catalog.yaml").write_text(SETTINGS, encoding="utf-8")
    write_json(small / "_envelope/Envelope_v1.schema.json", ENVELOPE)
    write_json(small / "_shared/Money_v1.schema.json", MONEY)
    brokers_catalog(lambda events: _write_events(small, events))
    brokers = base / "brokers"
    assert (
        run(
            "export", "asyncapi", "--catalog", str(small), "--out", str(brokers), "--whole"
        ).exit_code
        == 0
    )
    # A real foreign document, imported and exported again, must be valid AsyncAPI 3.0 too.
    imported = base / "imported"
    assert (
        run(
            "import",
            "asyncapi",
            str(FIXTURES / "streetlights-kafka-2.6.yml"),
            "--catalog",
            str(imported),
        ).exit_code
        == 0
    )
    reexported = base / "reexported"
    assert (
        run(
            "export", "asyncapi", "--catalog", str(imported), "--out", str(reexported), "--whole"
        ).exit_code
        == 0
    )
    # The checker must fail a document that is wrong: an AMQP exchange type that does not exist.
    broken_doc = yaml.safe_load((example / "workflow.n8n.asyncapi.yaml").read_text("utf-8"))
    channel = next(
        c for c in broken_doc["channels"].values() if "exchange" in c["bindings"].get("amqp", {})
    )
    channel["bindings"]["amqp"]["exchange"]["type"] = "round-robin"
    broken = base / "broken.asyncapi.yaml"
    broken.write_text(yaml.safe_dump(broken_doc), encoding="utf-8")
    files = {
        f"{folder.name}/{p.name}": p
        for folder in (example, brokers, reexported)
        for p in sorted(folder.glob("*.asyncapi.yaml"))
    }
    files["broken"] = broken
    report = asyncapi_check(files.values())
    return files, {name: report[str(path)] for name, path in files.items()}


def _write_events(root: Path, events: dict[str, Any]) -> Path:
    from tests.conftest import write_json

    for rel, value in events.items():
        write_json(root / rel, value)
    return root


def _doc(files: dict[str, Path], name: str) -> Any:
    return yaml.safe_load(files[name].read_text("utf-8"))


def test_every_exported_document_passes_the_official_schema_and_parser(
    exported: tuple[dict[str, Path], dict[str, Any]],
) -> None:
    files, report = exported
    documents = [name for name in files if name != "broken"]
    # one per declared service of the example catalog, plus the whole catalog
    services = yaml.safe_load((EXAMPLE_CATALOG / "catalog.yaml").read_text("utf-8"))["services"]
    assert sum(n.startswith("example/") for n in documents) == len(services) + 1
    assert {n: errors(report[n]) for n in documents if errors(report[n])} == {}


def test_the_checker_catches_an_invalid_document(
    exported: tuple[dict[str, Path], dict[str, Any]],
) -> None:
    _, report = exported
    assert any("exchange" in e for e in errors(report["broken"]))


def test_a_service_document_sends_and_receives_with_bindings(
    exported: tuple[dict[str, Path], dict[str, Any]],
) -> None:
    files, _ = exported
    doc = _doc(files, "example/workflow.n8n.asyncapi.yaml")
    assert doc["asyncapi"] == "3.0.0"
    assert doc["info"]["title"] == "n8n Workflow Engine"
    assert doc["info"]["contact"]["email"] == "ai-platform@creativeflow.example"
    receive = doc["operations"]["receive.AIGenerationJobRequested_v1.queue.n8n.ai.generation.queue"]
    assert receive["action"] == "receive"
    assert receive["x-eventcat"]["handler"] == "AI Generation Workflow Trigger"
    queue = doc["channels"]["queue.n8n.ai.generation.queue"]["bindings"]["amqp"]
    assert queue == {
        "is": "queue",
        "queue": {"name": "n8n.ai.generation.queue"},
        "bindingVersion": "0.3.0",
    }
    send = doc["operations"]["send.AIGenerationFailed_v1"]
    channel = doc["channels"][send["channel"]["$ref"].rsplit("/", 1)[1]]
    assert channel["address"] == "ai.generation.failed"
    assert channel["bindings"]["amqp"]["exchange"] == {
        "name": "creativeflow.topic.exchange",
        "type": "topic",
    }
    message = doc["components"]["messages"]["AIGenerationFailed_v1"]
    # the envelope wraps the payload, as catalog.yaml declares
    assert message["payload"]["allOf"][0] == {"$ref": "#/components/schemas/Envelope_v1"}
    typed = message["payload"]["allOf"][1]["properties"]
    assert typed["payload"] == {"$ref": "#/components/schemas/AIGenerationFailed_v1"}
    assert typed["type"] == {"const": "ai.generation.failed.v1"}
    assert message["examples"][0]["payload"]["payload"]["errorCode"] == "MODEL_TIMEOUT"


def test_sns_sqs_kafka_redis_and_deprecation(
    exported: tuple[dict[str, Path], dict[str, Any]],
) -> None:
    files, _ = exported
    whole = _doc(files, "example/catalog.asyncapi.yaml")
    sns = whole["channels"]["PerformanceDataTopic"]["bindings"]["sns"]
    assert sns["name"] == "PerformanceDataTopic"
    sqs = whole["channels"]["DataRetentionJobQueue"]["bindings"]["sqs"]
    assert sqs["queue"]["name"] == "DataRetentionJobQueue"
    assert sqs["deadLetterQueue"]["name"] == "DataRetentionJobDLQ"
    assert whole["components"]["messages"]["SubscriptionTierChanged_v1"]["deprecated"] is True
    assert "deprecated" not in whole["components"]["messages"]["SubscriptionTierChanged_v2"]
    # fragments are bundled and referenced inside the document
    job = whole["components"]["schemas"]["AIGenerationJobRequested_v1"]
    assert job["properties"]["customDimensions"]["$ref"] == "#/components/schemas/Dimensions_v1"
    assert "Dimensions_v1" in whole["components"]["schemas"]

    small = _doc(files, "brokers/catalog.asyncapi.yaml")
    assert small["channels"]["orders"]["bindings"]["kafka"]["topic"] == "orders"
    placed = small["components"]["messages"]["OrderPlaced_v1"]
    assert placed["deprecated"] is True
    assert placed["bindings"]["kafka"]["key"]["type"] == "string"
    stream = small["channels"]["orders-stream.billing-group"]
    assert stream["bindings"]["x-redis-streams"] == {
        "stream": "orders-stream",
        "consumerGroup": "billing-group",
    }


def test_export_is_deterministic_and_replaces_its_own_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert (
        run(
            "export",
            "asyncapi",
            "--catalog",
            str(EXAMPLE_CATALOG),
            "--out",
            str(out),
            "--service",
            "workflow.n8n",
        ).exit_code
        == 0
    )
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    result = run(
        "export",
        "asyncapi",
        "--catalog",
        str(EXAMPLE_CATALOG),
        "--out",
        str(out),
        "--service",
        "workflow.n8n",
    )
    assert result.exit_code == 0, result.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first
    assert sorted(first) == [".eventcat-asyncapi.json", "workflow.n8n.asyncapi.yaml"]
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no staging folder left behind


def test_export_refuses_a_folder_it_did_not_write(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    result = run("export", "asyncapi", "--catalog", str(EXAMPLE_CATALOG), "--out", str(out))
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1
    assert "not written by eventcat export" in result.output
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_export_refuses_a_catalog_with_lint_errors_and_keeps_the_old_output(
    tmp_path: Path, make_catalog: Callable[..., Path]
) -> None:
    catalog = make_catalog()
    out = tmp_path / "out"
    assert run("export", "asyncapi", "--catalog", str(catalog), "--out", str(out)).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (catalog / "orders/OrderPlaced_v1.schema.json").write_text(
        '{"type": "object", "x-eventcat": {"eventType": "Bad"}}', encoding="utf-8"
    )
    result = run("export", "asyncapi", "--catalog", str(catalog), "--out", str(out))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_unknown_service_is_a_usage_error(tmp_path: Path) -> None:
    result = run(
        "export",
        "asyncapi",
        "--catalog",
        str(EXAMPLE_CATALOG),
        "--out",
        str(tmp_path / "o"),
        "--service",
        "nope",
    )
    assert result.exit_code == 2
    assert "'nope' is not declared" in result.output
