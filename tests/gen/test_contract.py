"""The generated models as a contract: they accept what the schema accepts, refuse what it refuses,
and hand back the JSON they were given.

The schema's verdict is eventcat's own validator (formats asserted); instances come from
hypothesis-jsonschema (valid) and from type swaps and nulls applied to them (mostly invalid).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.provisional import urls
from hypothesis_jsonschema import from_schema

from eventcat.catalog.loader import read_catalog
from eventcat.catalog.model import Catalog
from eventcat.catalog.refs import RefChecker, Target
from eventcat.catalog.validation import compile_validator
from eventcat.gen import generate_python
from tests.conftest import event_schema
from tests.gen.conftest import EXAMPLE_CATALOG, run_python

PACKAGE = "contract_events"
#: Valid instances drawn per event version (kept modest: CI time).
EXAMPLES_PER_EVENT = 30
#: Valid instances per event whose type-swapped and nulled variants are checked.
MUTATED_PER_EVENT = 3


def bundled(catalog: Catalog, path: str) -> Any:
    """The schema of ``path`` with every ``$ref`` inlined (hypothesis-jsonschema reads one
    document). The catalog's reference graph is acyclic for the events used here."""
    checker = RefChecker(catalog.files)

    def at(target: Target) -> Any:
        node = catalog.files[target.path].schema
        for token in [
            t.replace("~1", "/").replace("~0", "~") for t in target.pointer.split("/")[1:]
        ]:
            node = node[int(token)] if isinstance(node, list) else node[token]
        return node

    def inline(origin: str, pointer: str, node: Any) -> Any:
        if isinstance(node, list):
            return [inline(origin, f"{pointer}/{i}", v) for i, v in enumerate(node)]
        if not isinstance(node, dict):
            return node
        out = {
            k: inline(origin, f"{pointer}/{k}", v)
            for k, v in node.items()
            if k not in ("$ref", "$id", "$schema", "examples", "x-eventcat", "$comment")
        }
        if isinstance(node.get("$ref"), str):
            target = checker.resolve(origin, pointer, node["$ref"])
            assert isinstance(target, Target), target
            resolved = inline(target.path, target.pointer, at(target))
            return {"allOf": [resolved, out]} if out else resolved
        return out

    return inline(path, "", catalog.files[path].schema)


#: Formats hypothesis-jsonschema does not know (uuid) or draws narrowly (uri: bare https://host).
FORMATS = {
    "uuid": st.uuids().map(str) | st.uuids().map(lambda u: str(u).upper()),
    "uri": urls()
    | st.sampled_from(
        [
            "https://example.com",
            "urn:isbn:0451450523",
            "mailto:someone@example.com",
            "https://h/p?q=1#f",
        ]
    ),
}


def draw(schema: Any, count: int) -> list[Any]:
    """``count`` instances hypothesis-jsonschema generates for ``schema``, the same every run."""
    found: list[Any] = []

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(from_schema(schema, custom_formats=FORMATS))
    def collect(instance: Any) -> None:
        found.append(instance)

    collect()
    unique = {json.dumps(i, sort_keys=True): i for i in found}
    return list(unique.values())


def swaps(value: Any) -> Iterator[Any]:
    """JSON values of another type standing where ``value`` stood, and null."""
    yield None
    if isinstance(value, bool):
        yield "true" if value else "false"
        yield int(value)
    elif isinstance(value, int | float):
        yield str(value)
        yield True
    elif isinstance(value, str):
        yield 5
        yield [value]
    else:
        yield "x"


def mutations(instance: Any) -> Iterator[Any]:
    """The instance with one value (at any depth) replaced by another type's, or by null."""

    def paths(node: Any, at: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], Any]]:
        items = (
            node.items()
            if isinstance(node, dict)
            else enumerate(node)
            if isinstance(node, list)
            else ()
        )
        for key, child in items:
            yield (*at, key), child
            yield from paths(child, (*at, key))

    for path, child in paths(instance, ()):
        for replacement in swaps(child):
            changed = copy.deepcopy(instance)
            node = changed
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = replacement
            yield changed
    yield None
    yield "x"


@pytest.fixture(scope="module")
def example_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("contract") / "out"
    generate_python(EXAMPLE_CATALOG, out, PACKAGE)
    return out


CHECK = f"""
import json, sys
from pydantic import ValidationError
from {PACKAGE} import EVENT_TYPES
cases = json.load(sys.stdin)
report = []
for event_type, instance, valid in cases:
    model = EVENT_TYPES[event_type]
    try:
        parsed = model.model_validate(instance)
    except ValidationError:
        report.append([event_type, instance, valid, False, None])
        continue
    back = parsed.to_json()
    report.append([event_type, instance, valid, True, back])
print(json.dumps(report))
"""


def run_cases(package: Path, cases: list[tuple[str, Any, bool]]) -> list[list[Any]]:
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(package), "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", CHECK],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        env=env,
        cwd=package,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    report: list[list[Any]] = json.loads(result.stdout)
    return report


@pytest.mark.filterwarnings("ignore:Overriding standard format 'uri'")
def test_models_agree_with_the_schema_on_generated_instances(example_package: Path) -> None:
    catalog = read_catalog(EXAMPLE_CATALOG)
    cases: list[tuple[str, Any, bool]] = []
    for version in catalog.versions():
        schema = bundled(catalog, version.path)
        validator = compile_validator(schema)
        valid = [i for i in draw(schema, EXAMPLES_PER_EVENT) if validator.is_valid(i)]
        assert valid, f"no valid instance drawn for {version.path}"
        cases += [(version.event_type, i, True) for i in valid]
        for instance in valid[:MUTATED_PER_EVENT]:
            cases += [(version.event_type, m, validator.is_valid(m)) for m in mutations(instance)]
    invalid = sum(1 for *_, v in cases if not v)
    assert invalid > 1000 and len(cases) - invalid > 300  # both sides are really exercised

    report = run_cases(example_package, cases)
    wrongly_refused = [(t, i) for t, i, valid, accepted, _ in report if valid and not accepted]
    wrongly_accepted = [(t, i) for t, i, valid, accepted, _ in report if accepted and not valid]
    changed = [(t, i, back) for t, i, valid, accepted, back in report if accepted and back != i]
    assert wrongly_refused == []
    assert wrongly_accepted == []
    assert changed == []


def test_every_catalog_example_round_trips_unchanged(example_package: Path) -> None:
    """A consumer that forwards a message forwards the JSON it received (content, not bytes:
    json.loads(original) == to_json())."""
    catalog = read_catalog(EXAMPLE_CATALOG)
    cases = [(v.event_type, e, True) for v in catalog.versions() for e in v.file.examples]
    assert len(cases) >= len(list(catalog.versions()))
    report = run_cases(example_package, cases)
    assert [r[1] for r in report if not r[3] or r[4] != r[1]] == []


def github_like() -> dict[str, Any]:
    """A minimal reproduction of GitHub's ``pull_request.opened`` shapes (issue 17, items 10-11)."""
    schema = event_schema("orders.pull_request_opened.v1")
    schema["properties"] = {
        "number": {"type": "integer"},
        "id": {"type": "number"},
        "created_at": {"type": "string", "format": "date-time"},
        "closed_at": {"type": ["string", "null"], "format": "date-time"},
        "html_url": {"type": "string", "format": "uri"},
        "sender": {
            "type": "object",
            "required": ["site_admin"],
            "properties": {"site_admin": {"type": "boolean"}, "id": {"type": "integer"}},
        },
        "installation": {"type": "object", "properties": {"id": {"type": "integer"}}},
        "body": {"type": ["string", "null"]},
    }
    schema["required"] = ["number", "sender", "created_at"]
    schema["examples"] = [
        {
            "number": 5,
            "id": 2202229078,
            "created_at": "2019-05-15T15:20:33.000-04:00",
            "closed_at": None,
            "html_url": "https://github.com",
            "sender": {"site_admin": False},
            "body": None,
        },
        {
            "number": 6,
            "id": 1.5,
            "created_at": "2019-05-15T19:20:33+00:00",
            "html_url": "https://github.com/o/r/pull/6?x=1#top",
            "sender": {"site_admin": True},
            "installation": {"id": 1},
        },
    ]
    return schema


def test_github_payloads_the_schema_refuses_are_refused_and_valid_ones_kept_as_sent(
    make_catalog: Callable[..., Path],
    gen: Callable[..., Any],
    tmp_path: Path,
) -> None:
    schema = github_like()
    catalog = make_catalog({"orders/PullRequestOpened_v1.schema.json": schema})
    gen(catalog, tmp_path / "out")
    first, second = schema["examples"]
    bad = {
        "number as text": {**first, "number": "5"},
        "site_admin as text": {**first, "sender": {"site_admin": "true"}},
        "installation null": {**first, "installation": None},
        "number as float": {**first, "number": 5.5},
        "id as bool": {**first, "id": True},
        "created_at without offset": {**first, "created_at": "2019-05-15T15:20:33"},
        "html_url relative": {**first, "html_url": "/o/r"},
        "sender null": {**first, "sender": None},
        "sender.id null": {**first, "sender": {"site_admin": False, "id": None}},
    }
    validator = compile_validator(
        bundled(read_catalog(catalog), "orders/PullRequestOpened_v1.schema.json")
    )
    assert not any(validator.is_valid(v) for v in bad.values())  # the schema refuses them all
    assert validator.is_valid(first) and validator.is_valid(second)
    code = f"""
import json
from pydantic import ValidationError
from events_pkg import PullRequestOpenedV1 as Model
first, second, bad = json.loads({json.dumps(json.dumps([first, second, bad]))})
refused = {{}}
for name, payload in bad.items():
    try:
        Model.model_validate(payload)
        refused[name] = False
    except ValidationError:
        refused[name] = True
text = Model.model_validate_json(json.dumps(second))
print(json.dumps({{"refused": refused,
                  "back": [Model.model_validate(first).to_json(), text.to_json()],
                  "id_types": [type(Model.model_validate(e).id).__name__ for e in (first, second)]}}))
"""
    out = run_python(tmp_path / "out", code)
    assert out["refused"] == dict.fromkeys(bad, True)
    assert out["back"] == [first, second]  # .000-04:00, +00:00, no slash added, 2202229078 an int
    assert out["id_types"] == ["int", "float"]


def test_one_of_root_event_has_the_same_api(
    make_catalog: Callable[..., Path],
    gen: Callable[..., Any],
    tmp_path: Path,
) -> None:
    card = {
        "type": "object",
        "required": ["card"],
        "additionalProperties": False,
        "properties": {"card": {"type": "string", "pattern": "^[0-9]{4}$"}},
    }
    iban = {
        "type": "object",
        "required": ["iban"],
        "additionalProperties": False,
        "properties": {"iban": {"type": "string"}},
    }
    schema = event_schema(
        "orders.payment_method_added.v1", examples=[{"card": "1234"}, {"iban": "DE1"}]
    )
    for key in ("type", "required", "properties"):
        del schema[key]
    schema["oneOf"] = [card, iban]
    catalog = make_catalog({"orders/PaymentMethodAdded_v1.schema.json": schema})
    gen(catalog, tmp_path / "out")
    code = """
import json
from pydantic import ValidationError
from events_pkg import EVENT_TYPES, EventModel, parse_event
from events_pkg._base import EventRootModel
model = EVENT_TYPES["orders.payment_method_added.v1"]
out = {"root": issubclass(model, EventRootModel)}
out["back"] = [model.model_validate(e).to_json() for e in ({"card": "1234"}, {"iban": "DE1"})]
out["json"] = model.model_validate_json('{"iban": "DE1"}').to_json()
message = {"id": "3f1c1c9e-6a43-4c58-9a3f-2b1b8f0f6d11", "type": "orders.payment_method_added.v1",
           "payload": {"card": "1234"}}
out["message"] = parse_event(message).to_json() == message
try:
    model.model_validate({"card": 1234})
    out["refused"] = False
except ValidationError:
    out["refused"] = True
try:
    model.model_validate({"card": "1234"}).root = None
    out["frozen"] = False
except ValidationError:
    out["frozen"] = True
print(json.dumps(out))
"""
    out = run_python(tmp_path / "out", code)
    assert out == {
        "root": True,
        "back": [{"card": "1234"}, {"iban": "DE1"}],
        "json": {"iban": "DE1"},
        "message": True,
        "refused": True,
        "frozen": True,
    }
