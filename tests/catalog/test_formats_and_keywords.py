"""Every format eventcat claims is asserted in examples (issue 17 item 8); unknown keywords are
warned about once per keyword (item 9); lint rejects text and names gen cannot carry (issue 20
item 5)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from eventcat.catalog.validation import FORMATS
from eventcat.cli import main
from tests.conftest import event_schema

EVENT = "orders/OrderPlaced_v1.schema.json"

#: format -> (a valid value, an invalid value)
SAMPLES = {
    "date-time": ("2026-01-01T10:00:00.000-04:00", "2026-13-01T00:00:00Z"),
    "date": ("2026-01-31", "2026-02-30"),
    "time": ("12:30:00Z", "25:00:00Z"),
    "duration": ("P1DT2H", "1 day"),
    "email": ("a@example.com", "not-an-email"),
    "idn-email": ("ü@例え.jp", "no-at-sign"),
    "hostname": ("api.example.com", "-bad-.example.com"),
    "idn-hostname": ("例え.jp", "-bad-"),
    "ipv4": ("192.168.0.1", "256.1.1.1"),
    "ipv6": ("::1", "::g"),
    "uri": ("https://example.com/a?b=1", ""),
    "uri-reference": ("../a/b#c", "\\\\bad"),
    "iri": ("https://例え.jp/パス", "relative/iri"),
    "iri-reference": ("パス/a", "\\\\bad"),
    "uri-template": ("https://x/{id}", "https://x/{id"),
    "uuid": ("3f1c1c9e-6a43-4c58-9a3f-2b1b8f0f6d11", "3f1c1c9e"),
    "json-pointer": ("/a/b", "a/b"),
    "relative-json-pointer": ("1/a", "/a"),
    "regex": ("^a+$", "[a-"),
}


def _lint(root: Path) -> tuple[int, list[dict[str, Any]]]:
    result = CliRunner().invoke(main, ["lint", "--catalog", str(root), "--format", "json"])
    return result.exit_code, json.loads(result.output)["findings"]


def test_every_claimed_format_has_samples() -> None:
    assert set(SAMPLES) == set(FORMATS)


@pytest.mark.parametrize("fmt", sorted(SAMPLES))
def test_examples_are_checked_for_every_format(make_catalog: Callable[..., Path], fmt: str) -> None:
    good, bad = SAMPLES[fmt]
    for value, valid in ((good, True), (bad, False)):
        schema = event_schema()
        schema["properties"]["value"] = {"type": "string", "format": fmt}
        schema["examples"][0]["value"] = value
        code, findings = _lint(make_catalog({EVENT: schema}))
        invalid = [f for f in findings if f["rule"] == "example-invalid"]
        if valid:
            assert code == 0 and not invalid, (value, findings)
        else:
            assert code == 1, (value, findings)
            assert [f["pointer"] for f in invalid] == ["/examples/0/value"]
            assert fmt in invalid[0]["message"]


def test_unknown_keywords_are_warned_once_per_keyword_with_the_first_pointer(
    make_catalog: Callable[..., Path],
) -> None:
    schema = event_schema(tsAdditionalProperties=False, requried=["orderId"])
    schema["properties"]["note"]["tsAdditionalProperties"] = False
    schema["properties"]["extra"] = {"type": "object", "tsAdditionalProperties": False}
    schema["x-annotation"] = {"anything": True}  # x- keywords are annotations
    schema["properties"]["with-x"] = {"type": "string", "x-go-type": "string"}
    code, findings = _lint(make_catalog({EVENT: schema}))
    assert code == 0
    unknown = sorted(
        (f["pointer"], f["message"]) for f in findings if f["rule"] == "keyword-unknown"
    )
    assert [pointer for pointer, _ in unknown] == ["/requried", "/tsAdditionalProperties"]
    assert "2 more" in unknown[1][1]


@pytest.mark.parametrize(
    ("where", "pointer"),
    [
        ("description", "/description"),
        ("enum", "/properties/kind/enum/0"),
        ("property", "/properties/bad\\ud800"),  # shown as an escape: no output can encode it
    ],
)
def test_a_lone_surrogate_anywhere_is_an_error(
    make_catalog: Callable[..., Path], where: str, pointer: str
) -> None:
    schema = event_schema()
    if where == "description":
        schema["description"] = "half a pair: \ud800"
    elif where == "enum":
        schema["properties"]["kind"] = {"enum": ["\ud800"]}
    else:
        schema["properties"]["bad\ud800"] = {"type": "string"}
    root = make_catalog()
    # json.dumps writes the escape \ud800, as a hostile file would.
    (root / EVENT).write_text(json.dumps(schema), encoding="utf-8")
    code, findings = _lint(root)
    assert code == 1
    assert [f["pointer"] for f in findings if f["rule"] == "text-surrogate"] == [pointer]


@pytest.mark.parametrize(
    ("first", "twin"), [("model_config", "ｍｏｄｅｌ＿ｃｏｎｆｉｇ"), ("field", "\ufb01eld")]
)
def test_nfkc_twin_property_names_are_an_error(
    make_catalog: Callable[..., Path], first: str, twin: str
) -> None:
    schema = event_schema()
    schema["properties"][first] = {"type": "string"}
    schema["properties"][twin] = {"type": "string"}
    code, findings = _lint(make_catalog({EVENT: schema}))
    assert code == 1
    twins = [f for f in findings if f["rule"] == "property-name-twin"]
    assert len(twins) == 1 and twins[0]["pointer"] == f"/properties/{twin}"


@pytest.mark.parametrize(
    "name", ["_shared", "_envelope", "order-management", "_shared-things", "v2_events"]
)
def test_plain_folder_names_pass(make_catalog: Callable[..., Path], name: str) -> None:
    from tests.conftest import MONEY

    _, findings = _lint(make_catalog({f"_x{name}/Money_v1.schema.json": MONEY}))
    assert not [f for f in findings if f["rule"] == "path-name"], findings
