"""Hostile schema text stays text: nothing in a schema can run when the package is imported."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conftest import event_schema
from tests.gen.conftest import run_python


def evil(marker: Path) -> str:
    command = f"import os; os.system('touch {marker}')"
    return f'"""\n{command}\n\'\'\'\n"; {command} #\\ ü名 \u2028 \x00 end'


def hostile_schema(marker: Path) -> dict[str, Any]:
    text = evil(marker)
    names = [
        "class",
        "import",
        "__init__",
        "__class__",
        "model_config",
        "json",
        "def",
        'x"y',
        "a b",
        "ü名",
        "__import__('os').system('x')",
        "None",
        "self",
        "1abc",
        "_private",
        "model_dump",
        "schema",
        text,
    ]
    properties: dict[str, Any] = {name: {"type": "string", "description": text} for name in names}
    properties["choice"] = {"enum": [text, "import os", "a"], "default": text, "title": text}
    properties["fixed"] = {"const": text}
    properties["withDefault"] = {"type": "string", "default": text}
    properties["nested"] = {
        "title": text,
        "description": text,
        "type": "object",
        "properties": {text: {"type": "integer", "description": text}},
    }
    example = dict.fromkeys(names, text)
    example.update(
        {
            "choice": text,
            "fixed": text,
            "withDefault": text,
            "nested": {text: 1},
            "orderId": "3f1c1c9e-6a43-4c58-9a3f-2b1b8f0f6d11",
            "total": {"amount": "1.00", "currency": "EUR"},
        }
    )
    schema = event_schema(title=text, description=text)
    schema["properties"].update(properties)
    schema["properties"]["note"]["default"] = text
    schema["required"] = [*schema["required"], "class", text]
    schema["examples"] = [example]
    schema["x-eventcat"]["channel"] = {"broker": "rabbitmq", "exchange": text, "routingKey": text}
    schema["x-python-import"] = {"module": "os", "name": "system"}  # a generator extension
    schema["properties"]["sneaky"] = {"customTypePath": "os.system", "type": "string"}
    return schema


def test_hostile_text_stays_text(
    make_catalog: Callable[..., Path], gen: Callable[..., Any], tmp_path: Path
) -> None:
    marker = tmp_path / "PWNED"
    schema = hostile_schema(marker)
    catalog = make_catalog({"orders/OrderPlaced_v1.schema.json": schema})
    result = gen(catalog, tmp_path / "out", package="events_pkg")
    assert result.written
    module = tmp_path / "out" / "events_pkg" / "orders" / "order_placed_v1.py"
    text = module.read_text("utf-8")
    assert "import os" not in text.splitlines()  # only ever inside string literals
    assert "from os" not in text and "customTypePath" not in text
    code = f"""
import json, pathlib
import events_pkg
from events_pkg import OrderPlacedV1, EVENTS
from events_pkg.orders import order_placed_v1 as module
example = json.loads({json.dumps(json.dumps(schema["examples"][0]))})
model = OrderPlacedV1.model_validate(example)
spec = EVENTS["orders.order_placed.v1"]
print(json.dumps({{
    "doc": OrderPlacedV1.__doc__,
    "round_trip": model.to_json() == example,
    "aliases": sorted(f.alias or name for name, f in OrderPlacedV1.model_fields.items()),
    "default": OrderPlacedV1.model_fields["withDefault"].default,
    "exchange": spec.exchange, "routing_key": module.ROUTING_KEY,
    "marker": pathlib.Path({str(marker)!r}).exists(),
}}))
"""
    out = run_python(tmp_path / "out", code, cwd=tmp_path)
    text_value = schema["description"]
    assert out["marker"] is False and not marker.exists()
    assert out["round_trip"] is True
    assert text_value.strip() in out["doc"] or text_value.splitlines()[1] in out["doc"]
    assert out["default"] == text_value
    assert out["exchange"] == text_value and out["routing_key"] == text_value
    assert set(schema["properties"]) - {"sneaky"} <= set(out["aliases"])


def test_hostile_catalog_name_stays_a_toml_string(
    make_catalog: Callable[..., Path], gen: Callable[..., Any], tmp_path: Path
) -> None:
    import tomllib

    from tests.conftest import SETTINGS

    name = 'x"\n[tool.evil]\nrun = "rm -rf /"\u007f'
    catalog = make_catalog(
        settings=SETTINGS.replace("name: Test catalog", f"name: {json.dumps(name)}")
    )
    gen(catalog, tmp_path / "out")
    project = tomllib.loads((tmp_path / "out" / "pyproject.toml").read_text("utf-8"))
    assert set(project["tool"]) == {"hatch"} and name in project["project"]["description"]
    out = run_python(
        tmp_path / "out", "import json, events_pkg; print(json.dumps(events_pkg.CATALOG_NAME))"
    )
    assert out == name
