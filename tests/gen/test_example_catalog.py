"""The example catalog's generated package: every example, every eventType, typed consumers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from eventcat.catalog.loader import read_catalog
from eventcat.gen import generate_python
from tests.gen.conftest import EXAMPLE_CATALOG, run_python

pytestmark = pytest.mark.skipif(
    not (EXAMPLE_CATALOG / "catalog.yaml").exists(), reason="the example catalog is not there yet"
)

PACKAGE = "catalog_events"


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gen") / "out"
    result = generate_python(EXAMPLE_CATALOG, out, PACKAGE)
    assert result.written and result.modules == len(read_catalog(EXAMPLE_CATALOG).files)
    return out


def _cases() -> list[dict[str, object]]:
    catalog = read_catalog(EXAMPLE_CATALOG)
    return [
        {
            "eventType": v.event_type,
            "examples": list(v.file.examples),
            "required": list(v.schema.get("required", [])),
            "path": v.path,
        }
        for v in catalog.versions()
    ]


def test_package_is_installable_layout(package: Path) -> None:
    import tomllib

    project = tomllib.loads((package / "pyproject.toml").read_text("utf-8"))
    assert project["project"]["name"] == "catalog-events"
    assert any(d.startswith("pydantic") for d in project["project"]["dependencies"])
    assert (package / PACKAGE / "py.typed").exists()
    catalog = read_catalog(EXAMPLE_CATALOG)
    for version in catalog.versions():
        from eventcat.gen.naming import domain_module, snake

        module = (
            package
            / PACKAGE
            / domain_module(version.domain)
            / (f"{snake(version.name)}_v{version.version}.py")
        )
        text = module.read_text("utf-8")
        assert f"class {version.name}V{version.version}(" in text
        assert "x-eventcat" not in text and "examples=" not in text


def test_every_example_parses_and_round_trips(package: Path) -> None:
    cases = _cases()
    assert sum(len(c["examples"]) for c in cases) > 0  # type: ignore[arg-type]
    code = f"""
import json
from {PACKAGE} import EVENT_TYPES
cases = json.loads({json.dumps(json.dumps(cases))})
report = []
for case in cases:
    model = EVENT_TYPES[case["eventType"]]
    for example in case["examples"]:
        back = model.model_validate(example).to_json()
        report.append([case["path"], back == example, back])
print(json.dumps(report))
"""
    report = run_python(package, code)
    assert len(report) == sum(len(c["examples"]) for c in cases)  # type: ignore[arg-type]
    mismatches = [(path, back) for path, same, back in report if not same]
    assert mismatches == []


def test_example_without_a_required_field_is_refused(package: Path) -> None:
    cases = [c for c in _cases() if c["examples"] and c["required"]]
    assert cases
    code = f"""
import json
from pydantic import ValidationError
from {PACKAGE} import EVENT_TYPES
cases = json.loads({json.dumps(json.dumps(cases))})
refused = []
for case in cases:
    model = EVENT_TYPES[case["eventType"]]
    for field in case["required"]:
        broken = {{k: v for k, v in case["examples"][0].items() if k != field}}
        try:
            model.model_validate(broken)
        except ValidationError as err:
            locs = [e["loc"] for e in err.errors()]
            refused.append([case["path"], field, [field] in [list(l) for l in locs]])
        else:
            refused.append([case["path"], field, False])
print(json.dumps(refused))
"""
    refused = run_python(package, code)
    assert len(refused) == sum(len(c["required"]) for c in cases)  # type: ignore[arg-type]
    assert [r for r in refused if not r[2]] == []


def test_parse_event_routes_every_event_type(package: Path) -> None:
    catalog = read_catalog(EXAMPLE_CATALOG)
    assert catalog.envelope is not None
    template = catalog.envelope.file.examples[0]
    messages = [
        (f"{v.name}V{v.version}", {**template, "type": v.event_type, "payload": v.file.examples[0]})
        for v in catalog.versions()
        if v.file.examples
    ]
    assert len(messages) == sum(1 for v in catalog.versions() if v.file.examples)
    code = f"""
import json
from {PACKAGE} import EVENT_TYPES, Envelope, parse_event
messages = json.loads({json.dumps(json.dumps(messages))})
out = []
for expected, message in messages:
    event = parse_event(json.dumps(message))
    out.append([expected, type(event.payload).__name__, isinstance(event, Envelope),
                event.to_json() == message, EVENT_TYPES[message["type"]] is type(event.payload)])
print(json.dumps(out))
"""
    routed = run_python(package, code)
    assert [r[0] for r in routed] == [r[1] for r in routed]
    assert all(r[2] and r[3] and r[4] for r in routed), routed
    # the envelope's own examples too
    code = f"""
import json
from {PACKAGE} import parse_event
examples = json.loads({json.dumps(json.dumps(list(catalog.envelope.file.examples)))})
print(json.dumps([parse_event(e).to_json() == e for e in examples]))
"""
    assert all(run_python(package, code))


def test_unknown_type_and_invalid_payload_raise_one_clear_error(package: Path) -> None:
    catalog = read_catalog(EXAMPLE_CATALOG)
    assert catalog.envelope is not None
    version = next(v for v in catalog.versions() if v.file.examples and v.schema.get("required"))
    message = {
        **catalog.envelope.file.examples[0],
        "type": version.event_type,
        "payload": version.file.examples[0],
    }
    missing = version.schema["required"][0]
    broken = {**message, "payload": {k: v for k, v in message["payload"].items() if k != missing}}
    code = f"""
import json
from {PACKAGE} import EventError, InvalidEvent, UnknownEventType, parse_event
message = json.loads({json.dumps(json.dumps(message))})
broken = json.loads({json.dumps(json.dumps(broken))})
out = {{}}
for name, value in (("unknown", {{**message, "type": "no.such.event.v9"}}), ("invalid", broken),
                    ("not-json", "{{nope"), ("not-object", "[1]"), ("no-type", {{"payload": {{}}}})):
    try:
        parse_event(value)
    except EventError as err:
        out[name] = [type(err).__name__, str(err), isinstance(err, ValueError)]
print(json.dumps(out))
"""
    out = run_python(package, code)
    assert out["unknown"][0] == "UnknownEventType" and "no.such.event.v9" in out["unknown"][1]
    assert out["invalid"][0] == "InvalidEvent"
    assert version.event_type in out["invalid"][1] and f"payload.{missing}" in out["invalid"][1]
    assert "\n" not in out["invalid"][1]
    assert {k: v[0] for k, v in out.items()} == {
        "unknown": "UnknownEventType",
        "invalid": "InvalidEvent",
        "not-json": "EventError",
        "not-object": "EventError",
        "no-type": "EventError",
    }
    assert all(v[2] for v in out.values())


def test_constants_name_the_event_on_the_wire(package: Path) -> None:
    catalog = read_catalog(EXAMPLE_CATALOG)
    expected = {
        v.event_type: [
            v.channel.get("exchange") or v.channel.get("topic"),
            v.channel.get("routingKey"),
        ]
        for v in catalog.versions()
    }
    code = f"""
import importlib, json
from {PACKAGE} import EVENTS
out = {{}}
for event_type, spec in EVENTS.items():
    module = importlib.import_module(spec.module)
    assert module.EVENT_TYPE == event_type
    assert getattr(module, "ROUTING_KEY", None) == spec.routing_key
    out[event_type] = [spec.exchange or spec.topic, spec.routing_key]
print(json.dumps(out))
"""
    assert run_python(package, code) == expected


CONSUMER = """\
from __future__ import annotations

import {package} as events
import {package}.{module} as version


def handle(raw: bytes) -> str:
    try:
        event = events.parse_event(raw, events.{model})
    except events.InvalidEvent as err:
        return str(err)
    typed: events.Envelope[events.{model}] = event
    payload: events.{model} = typed.payload
    assert events.EVENT_TYPES[version.EVENT_TYPE] is events.{model}
    return payload.model_dump_json()


def route(raw: bytes) -> str:
    event = events.parse_event(raw)
    match event.payload:
        case events.{model}():
            return "{model}"
        case _:
            return type(event.payload).__name__
"""


def test_consumer_code_passes_ruff_and_mypy_strict(package: Path, tmp_path: Path) -> None:
    catalog = read_catalog(EXAMPLE_CATALOG)
    version = next(iter(catalog.versions()))
    from eventcat.gen.naming import domain_module, snake

    module = f"{domain_module(version.domain)}.{snake(version.name)}_v{version.version}"
    model = f"{version.name}V{version.version}"
    good = tmp_path / "consumer.py"
    good.write_text(CONSUMER.format(package=PACKAGE, model=model, module=module), "utf-8")
    bad = tmp_path / "bad_consumer.py"
    bad.write_text(
        f"from {PACKAGE} import parse_event\n\n\ndef f(raw: bytes) -> int:\n"
        f"    return parse_event(raw).payload\n",
        "utf-8",
    )
    bin_dir = Path(sys.executable).parent
    env_path = {"MYPYPATH": str(package)}
    import os

    ruff = subprocess.run(
        [str(bin_dir / "ruff"), "check", "--isolated", str(good)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ruff.returncode == 0, ruff.stdout
    common = [str(bin_dir / "mypy"), "--strict", "--no-incremental", "--cache-dir", os.devnull]
    mypy = subprocess.run(
        [*common, str(good)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **env_path},
        cwd=tmp_path,
    )
    assert mypy.returncode == 0, mypy.stdout
    # the check can fail: returning a payload model where an int is declared is caught
    mypy_bad = subprocess.run(
        [*common, str(bad)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **env_path},
        cwd=tmp_path,
    )
    assert mypy_bad.returncode == 1 and "Incompatible return value" in mypy_bad.stdout


def test_generated_package_itself_passes_ruff_and_mypy_strict(package: Path) -> None:
    bin_dir = Path(sys.executable).parent
    import os

    ruff = subprocess.run(
        [str(bin_dir / "ruff"), "check", "--isolated", PACKAGE],
        capture_output=True,
        text=True,
        check=False,
        cwd=package,
    )
    assert ruff.returncode == 0, ruff.stdout
    mypy = subprocess.run(
        [
            str(bin_dir / "mypy"),
            "--strict",
            "--no-incremental",
            "--cache-dir",
            os.devnull,
            "-p",
            PACKAGE,
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=package,
    )
    assert mypy.returncode == 0, mypy.stdout
