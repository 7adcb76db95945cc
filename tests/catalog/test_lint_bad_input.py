"""Every kind of bad input gets a located finding, the documented exit code and no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from eventcat.cli import main
from tests.conftest import MONEY, SETTINGS, event_schema

EVENT = "orders/OrderPlaced_v1.schema.json"
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b]\n"


def _deep(depth: int) -> dict[str, Any]:
    node: dict[str, Any] = {"type": "string"}
    for _ in range(depth):
        node = {"type": "object", "properties": {"x": node}}
    return node


def _with(**extra: Any) -> dict[str, Any]:
    return event_schema(**extra)


def _properties(**props: Any) -> dict[str, Any]:
    schema = event_schema()
    schema["properties"].update(props)
    return schema


# (case id, files to write over the valid catalog, settings override, exit code, rule, file named)
CASES: list[tuple[str, dict[str, Any], str | None, int, str, str]] = [
    ("malformed-json", {EVENT: '{"type": "object",'}, None, 2, "json-syntax", EVENT),
    ("empty-json", {EVENT: ""}, None, 2, "json-syntax", EVENT),
    ("not-an-object", {EVENT: "[1, 2]"}, None, 2, "schema-invalid", EVENT),
    ("invalid-schema", {EVENT: _with(type="strng")}, None, 1, "schema-invalid", EVENT),
    (
        "invalid-regex",
        {EVENT: _properties(code={"type": "string", "pattern": "[a-"})},
        None,
        1,
        "schema-invalid",
        EVENT,
    ),
    (
        "duplicate-keys",
        {EVENT: '{"type": "object", "type": "string"}'},
        None,
        2,
        "json-duplicate-key",
        EVENT,
    ),
    ("non-utf8", {EVENT: b'{"title": "caf\xe9"}'}, None, 2, "encoding", EVENT),
    ("nan", {EVENT: '{"maximum": NaN}'}, None, 2, "json-syntax", EVENT),
    # Python alone would read it as infinity and compare with it; every other parser disagrees
    ("huge-number", {EVENT: '{"maximum": 1e400}'}, None, 2, "json-syntax", EVENT),
    (
        "not-pascal-case",
        {EVENT: None, "orders/orderPlaced_v1.schema.json": _with()},
        None,
        1,
        "event-name",
        "orders/orderPlaced_v1.schema.json",
    ),
    (
        "bad-file-name",
        {EVENT: None, "orders/OrderPlaced-v1.schema.json": _with()},
        None,
        1,
        "file-name",
        "orders/OrderPlaced-v1.schema.json",
    ),
    (
        "version-gap",
        {"orders/OrderPlaced_v3.schema.json": event_schema("orders.order_placed.v3")},
        None,
        1,
        "version-gap",
        "orders/OrderPlaced_v3.schema.json",
    ),
    (
        "duplicate-event-type",
        {"orders/OrderShipped_v1.schema.json": event_schema()},
        None,
        1,
        "event-type-duplicate",
        "orders/OrderShipped_v1.schema.json",
    ),
    (
        "event-type-suffix",
        {EVENT: event_schema("orders.order_placed.v2")},
        None,
        1,
        "event-type-version",
        EVENT,
    ),
    (
        "remote-ref",
        {EVENT: _properties(x={"$ref": "https://example.com/schemas/x.json"})},
        None,
        2,
        "ref-remote",
        EVENT,
    ),
    (
        "file-uri-ref",
        {EVENT: _properties(x={"$ref": "file:///etc/passwd"})},
        None,
        2,
        "ref-remote",
        EVENT,
    ),
    (
        "ref-leaves-catalog",
        {EVENT: _properties(x={"$ref": "../../outside.schema.json"})},
        None,
        2,
        "ref-outside",
        EVENT,
    ),
    (
        "ref-missing-file",
        {EVENT: _properties(x={"$ref": "../_shared/Nope_v1.schema.json"})},
        None,
        2,
        "ref-missing",
        EVENT,
    ),
    (
        "ref-missing-pointer",
        {EVENT: _properties(x={"$ref": "#/$defs/Nope"})},
        None,
        2,
        "ref-missing",
        EVENT,
    ),
    (
        "ref-cycle",
        {
            EVENT: _with(
                **{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}},
                properties={"x": {"$ref": "#/$defs/a"}},
            )
        },
        None,
        2,
        "ref-cycle",
        EVENT,
    ),
    (
        "ref-cycle-across-files",
        {
            EVENT: _properties(x={"$ref": "../_shared/Loop_v1.schema.json"}),
            "_shared/Loop_v1.schema.json": {
                "allOf": [{"$ref": "../orders/OrderPlaced_v1.schema.json#/properties/x"}]
            },
        },
        None,
        2,
        "ref-cycle",
        EVENT,
    ),
    ("deep-nesting", {EVENT: _properties(x=_deep(400))}, None, 2, "nesting-too-deep", EVENT),
    (
        "invalid-example",
        {
            EVENT: _with(
                examples=[{"orderId": "not-a-uuid", "total": {"amount": "1", "currency": "EUR"}}]
            )
        },
        None,
        1,
        "example-invalid",
        EVENT,
    ),
    (
        "example-missing-required",
        {EVENT: _with(examples=[{"orderId": "3f1c1c9e-6a43-4c58-9a3f-2b1b8f0f6d11"}])},
        None,
        1,
        "example-invalid",
        EVENT,
    ),
    (
        "undeclared-service",
        {EVENT: _with(**{"x-eventcat": {**event_schema()["x-eventcat"], "producers": ["ghost"]}})},
        None,
        1,
        "service-undeclared",
        EVENT,
    ),
    (
        "undeclared-domain",
        {EVENT: None, "shipping/OrderPlaced_v1.schema.json": _with()},
        None,
        1,
        "domain-undeclared",
        "shipping/OrderPlaced_v1.schema.json",
    ),
    (
        "bad-x-eventcat",
        {
            EVENT: _with(
                **{"x-eventcat": {"eventType": "Orders Placed", "kind": "fact", "producers": []}}
            )
        },
        None,
        1,
        "x-eventcat-invalid",
        EVENT,
    ),
    (
        "schema-dialect",
        {EVENT: _with(**{"$schema": "http://json-schema.org/draft-03/schema#"})},
        None,
        1,
        "schema-dialect",
        EVENT,
    ),
    (
        "x-eventcat-missing",
        {EVENT: {k: v for k, v in event_schema().items() if k != "x-eventcat"}},
        None,
        1,
        "x-eventcat-missing",
        EVENT,
    ),
    (
        "example-missing",
        {EVENT: {k: v for k, v in event_schema().items() if k != "examples"}},
        None,
        0,
        "example-missing",
        EVENT,
    ),
    ("stray-file", {"orders/notes.json": "{}"}, None, 0, "stray-file", "orders/notes.json"),
    (
        "file-location",
        {"orders/deeper/OrderPlaced_v2.schema.json": {"type": "object"}},
        None,
        1,
        "file-location",
        "orders/deeper/OrderPlaced_v2.schema.json",
    ),
    (
        "event-name-duplicate",
        {"billing/OrderPlaced_v1.schema.json": event_schema("billing.order_placed.v1")},
        SETTINGS.replace("domains:\n", "domains:\n  billing:\n    name: Billing\n"),
        1,
        "event-name-duplicate",
        EVENT,
    ),
    (
        "team-undeclared",
        {EVENT: _with(**{"x-eventcat": {**event_schema()["x-eventcat"], "owner": "nobody"}})},
        None,
        1,
        "team-undeclared",
        EVENT,
    ),
    (
        "lifecycle-replacement-unknown",
        {
            EVENT: _with(
                **{
                    "x-eventcat": {
                        **event_schema()["x-eventcat"],
                        "lifecycle": {
                            "status": "deprecated",
                            "sunset": "2027-01-01",
                            "replacement": "orders.nothing.v2",
                        },
                    }
                }
            )
        },
        None,
        1,
        "lifecycle-replacement-unknown",
        EVENT,
    ),
    (
        "field-unknown",
        {
            EVENT: _with(
                **{
                    "x-eventcat": {
                        **event_schema()["x-eventcat"],
                        "consumers": [{"service": "billing-service", "fields": ["total.amuont"]}],
                    }
                }
            )
        },
        None,
        0,
        "field-unknown",
        EVENT,
    ),
    (
        "pii-path-unknown",
        {
            EVENT: _with(
                **{"x-eventcat": {**event_schema()["x-eventcat"], "pii": ["customer.email"]}}
            )
        },
        None,
        0,
        "field-unknown",
        EVENT,
    ),
    (
        "ref-to-event",
        {
            "orders/OrderShipped_v1.schema.json": event_schema(
                "orders.order_shipped.v1",
                properties={"order": {"$ref": "OrderPlaced_v1.schema.json"}},
            )
        },
        None,
        0,
        "ref-to-event",
        "orders/OrderShipped_v1.schema.json",
    ),
    (
        "envelope-missing",
        {},
        SETTINGS.replace(
            "envelope:\n  schema: _envelope/Envelope_v1.schema.json\n"
            "  payloadProperty: payload\n  typeProperty: type\n",
            "",
        ),
        0,
        "envelope-missing",
        "catalog.yaml",
    ),
    (
        "envelope-invalid",
        {},
        SETTINGS.replace("payloadProperty: payload", "payloadProperty: body"),
        1,
        "envelope-invalid",
        "_envelope/Envelope_v1.schema.json",
    ),
    (
        "file-too-large",
        {EVENT: '{"description": "' + "x" * (9 * 1024 * 1024) + '"}'},
        None,
        2,
        "file-too-large",
        EVENT,
    ),
    (
        "encoding-cookie-folder",
        {"_coding=utf-7/Note_v1.schema.json": MONEY},
        None,
        1,
        "path-name",
        "_coding=utf-7/Note_v1.schema.json",
    ),
    (
        "fragment-name-with-space",
        {"_shared/Money Amount_v1.schema.json": MONEY},
        None,
        1,
        "path-name",
        "_shared/Money Amount_v1.schema.json",
    ),
    (
        "case-only-twins",
        {"orders/Orderplaced_v1.schema.json": event_schema("orders.orderplaced.v1")},
        None,
        0,
        "name-case-twin",
        "orders/Orderplaced_v1.schema.json",
    ),
    (
        "windows-reserved-name",
        {"orders/Con_v1.schema.json": event_schema("orders.con.v1")},
        None,
        0,
        "name-reserved",
        "orders/Con_v1.schema.json",
    ),
    (
        "lone-surrogate-enum",
        {EVENT: _properties(kind={"enum": ["\ud800"]})},
        None,
        1,
        "text-surrogate",
        EVENT,
    ),
    (
        "nfkc-twin-properties",
        {EVENT: _properties(field={"type": "string"}, **{"\ufb01eld": {"type": "string"}})},
        None,
        1,
        "property-name-twin",
        EVENT,
    ),
    ("unknown-keyword", {EVENT: _with(requried=["orderId"])}, None, 0, "keyword-unknown", EVENT),
    (
        "unknown-format",
        {EVENT: _properties(site={"type": "string", "format": "url"})},
        None,
        0,
        "format-unknown",
        EVENT,
    ),
    (
        "backtracking-pattern",
        {EVENT: _properties(code={"type": "string", "pattern": "^(?=a)a+$"})},
        None,
        1,
        "pattern-unsupported",
        EVENT,
    ),
    ("broken-yaml", {}, "name: [unclosed\n", 2, "yaml-syntax", "catalog.yaml"),
    ("alias-bomb-yaml", {}, BOMB, 2, "yaml-syntax", "catalog.yaml"),
    (
        "yaml-object-tag",
        {},
        "name: !!python/object/apply:os.system ['touch /tmp/pwned']\n",
        2,
        "yaml-syntax",
        "catalog.yaml",
    ),
    ("yaml-not-a-mapping", {}, "- just\n- a list\n", 1, "catalog-invalid", "catalog.yaml"),
    (
        "catalog-yaml-unknown-key",
        {},
        "name: x\nservices: {order-service: {nam: typo}}\n",
        1,
        "catalog-invalid",
        "catalog.yaml",
    ),
]


def _write(root: Path, files: dict[str, Any], settings: str | None) -> None:
    for rel, value in files.items():
        path = root / rel
        if value is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(value, bytes):
            path.write_bytes(value)
        elif isinstance(value, str):
            path.write_text(value, encoding="utf-8")
        else:
            path.write_text(json.dumps(value), encoding="utf-8")
    if settings is not None:
        (root / "catalog.yaml").write_text(settings, encoding="utf-8")


@pytest.mark.parametrize(
    ("files", "settings", "code", "rule", "file"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input_is_reported_with_rule_file_and_exit_code(
    make_catalog: Callable[..., Path],
    files: dict[str, Any],
    settings: str | None,
    code: int,
    rule: str,
    file: str,
) -> None:
    root = make_catalog()
    _write(root, files, settings)
    result = CliRunner().invoke(main, ["lint", "--catalog", str(root), "--format", "json"])
    assert result.exit_code == code, result.output
    # no uncaught exception, so no traceback (click reports exit 0 as no exception at all)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    report = json.loads(result.output)
    assert report["ok"] is (code == 0)
    matching = [f for f in report["findings"] if f["rule"] == rule]
    assert matching, report["findings"]
    assert any(f["file"] == f"{root}/{file}" for f in matching), matching


def test_valid_catalog_is_clean(make_catalog: Callable[..., Path]) -> None:
    root = make_catalog()
    result = CliRunner().invoke(main, ["lint", "--catalog", str(root)])
    assert result.exit_code == 0, result.output
    assert "lint: ok" in result.output


def test_symlink_out_of_the_catalog_is_not_followed(
    make_catalog: Callable[..., Path], tmp_path: Path
) -> None:
    root = make_catalog()
    secret = tmp_path / "secret.schema.json"
    secret.write_text('{"title": "secret"}', encoding="utf-8")
    (root / "orders" / "Secret_v1.schema.json").symlink_to(secret)
    result = CliRunner().invoke(main, ["lint", "--catalog", str(root)])
    assert result.exit_code == 2
    assert "symlink-outside" in result.output
    assert "orders/Secret_v1.schema.json" in result.output


def test_missing_catalog_folder_exits_2_with_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "eventcat.cli", "lint", "--catalog", str(tmp_path / "nowhere")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.strip().count("\n") == 0
    assert "nowhere" in result.stderr


@pytest.mark.parametrize(
    "case", ["malformed-json", "alias-bomb-yaml", "deep-nesting", "remote-ref"]
)
def test_real_process_prints_one_line_per_problem_and_no_traceback(
    make_catalog: Callable[..., Path],
    case: str,
) -> None:
    files, settings, code, rule, file = next(c[1:] for c in CASES if c[0] == case)
    root = make_catalog()
    _write(root, files, settings)
    result = subprocess.run(
        [sys.executable, "-m", "eventcat.cli", "lint", "--catalog", str(root)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    output = result.stdout + result.stderr
    assert result.returncode == code
    assert "Traceback" not in output
    problem_lines = [line for line in result.stdout.splitlines() if f"[{rule}]" in line]
    assert problem_lines and all(file in line for line in problem_lines)


def test_findings_carry_lines_for_annotations(make_catalog: Callable[..., Path]) -> None:
    schema = event_schema()
    schema["x-eventcat"]["producers"] = ["ghost"]
    root = make_catalog({EVENT: schema})
    result = CliRunner().invoke(main, ["lint", "--catalog", str(root), "--format", "github"])
    assert result.exit_code == 1
    line = next(x for x in result.output.splitlines() if "service-undeclared" in x)
    assert line.startswith("::error file=")
    number = int(line.split("line=")[1].split(",")[0])
    text = (root / EVENT).read_text(encoding="utf-8").splitlines()
    assert '"ghost"' in text[number - 1]


def test_dangling_link_is_reported_as_unreadable(make_catalog: Callable[..., Path]) -> None:
    root = make_catalog()
    (root / "orders" / "Gone_v1.schema.json").symlink_to(root / "orders" / "missing.json")
    result = CliRunner().invoke(main, ["lint", "--catalog", str(root)])
    assert result.exit_code == 2
    assert "file-unreadable" in result.output


def test_every_lint_rule_has_a_case() -> None:
    from eventcat.catalog.rules import LINT_RULES

    covered = {case[4] for case in CASES} | {
        "symlink-outside",
        "catalog-missing",
        "file-unreadable",
    }
    assert set(LINT_RULES) == covered


def test_catalog_yaml_findings_carry_lines(make_catalog: Callable[..., Path]) -> None:
    settings = SETTINGS.replace(
        "    name: Billing service\n", "    name: Billing service\n    nam: typo\n"
    )
    root = make_catalog(settings=settings)
    result = CliRunner().invoke(main, ["lint", "--catalog", str(root), "--format", "json"])
    finding = next(
        f for f in json.loads(result.output)["findings"] if f["rule"] == "catalog-invalid"
    )
    assert settings.splitlines()[finding["line"] - 1].strip().startswith("billing-service")
