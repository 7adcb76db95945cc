"""Gate messages a person can act on in one read (issue 14, "Gate messages").

Each finding leads with the verdict and who breaks, names only the consumer fields the change
touches, shows a minimal counterexample that is valid JSON, says "policy: additive-only" for a
policy refusal, and reads a removal plus a same-shaped addition as one rename.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventcat.compat import CHANGE_TYPES, compare
from eventcat.gate.messages import Audience, describe_change, field_of, focus, inline
from eventcat.gate.reporters import render
from tests.conftest import event_schema
from tests.gate.conftest import EVENT, GateRepo, seeded_repo

FIXTURES = Path(__file__).parents[1] / "compat" / "fixtures"
FOLDERS = sorted(p for p in FIXTURES.iterdir() if p.is_dir() and p.name != "peer")
FORMATS = ("text", "json", "markdown", "github", "junit", "sarif")

VERDICT_WORDS = ("breaks ", "breaking", "policy: additive-only", "unknown:")


def _schema(**consumers: list[str]) -> dict[str, Any]:
    schema = event_schema()
    schema["properties"]["note"] = {"type": "string", "maxLength": 200}
    schema["x-eventcat"]["consumers"] = [
        {"service": name, "fields": fields} for name, fields in consumers.items()
    ]
    return schema


@pytest.fixture
def readers(tmp_path: Path) -> GateRepo:
    """billing reads total.amount; notes reads note and orderId; audit reads total.currency."""
    return seeded_repo(
        tmp_path / "repo",
        _schema(billing=["total.amount"], notes=["orderId", "note"], audit=["total.currency"]),
    )


def _inline_example(message: str) -> Any:
    """The counterexample a one-line message shows, parsed: it must be JSON."""
    start = message.index("Counterexample (")
    start = message.index("): ", start) + 3
    value, _ = json.JSONDecoder().raw_decode(message[start:])
    return value


# -- the finding of a break, in every format ---------------------------------------------------


def test_a_break_leads_with_the_consumer_it_breaks_and_only_its_touched_field(
    readers: GateRepo,
) -> None:
    def shorten_note(schema: dict[str, Any]) -> None:
        schema["properties"]["note"]["maxLength"] = 10

    readers.edit(EVENT, shorten_note)
    [finding] = readers.check().failing
    message = finding.message
    assert finding.rule == "MAX_LENGTH_DECREASED"
    assert message.startswith("breaks notes, which reads `note`: `maxLength` decreased at `note`")
    # notes also reads orderId, which this change does not touch; billing and audit read nothing
    # it touches: none of them is named.
    assert "orderId" not in message.split("Counterexample")[0]
    assert "billing" not in message and "audit" not in message
    assert "safe" not in message and "policy" not in message and "compatible" not in message
    # The counterexample keeps `note` and elides the rest at a property boundary, as JSON.
    shown = _inline_example(message)
    assert set(shown) == {"note", "…"} and len(shown["note"]) > 10
    assert shown["…"] == "2 more properties"
    whole = dict(finding.details)["counterexample"]
    assert set(whole) == {"orderId", "total", "note"}  # the instance itself is complete
    assert "eventcat rules MAX_LENGTH_DECREASED" in message


def test_every_format_shows_the_verdict_first(readers: GateRepo) -> None:
    def shorten_note(schema: dict[str, Any]) -> None:
        schema["properties"]["note"]["maxLength"] = 10

    readers.edit(EVENT, shorten_note)
    result = readers.check()
    lead = "breaks notes, which reads `note`"

    text = render(result, "text")
    assert re.search(r"\[MAX_LENGTH_DECREASED\] " + re.escape(lead), text)
    line = next(x for x in text.splitlines() if "MAX_LENGTH_DECREASED" in x)
    assert _inline_example(line)["note"]

    data = json.loads(render(result, "json"))
    [entry] = data["findings"]
    assert entry["message"].startswith(lead)
    assert entry["details"]["counterexample_shown"]["…"] == "2 more properties"

    github = render(result, "github")
    assert re.search(r"::error [^:]*::/properties/note/maxLength: " + re.escape(lead), github)

    sarif = json.loads(render(result, "sarif"))
    [item] = sarif["runs"][0]["results"]
    assert item["message"]["text"].startswith(lead)

    junit = ET.fromstring(render(result, "junit"))
    failure = junit.find(".//failure")
    assert failure is not None and failure.get("message", "").startswith(lead)

    markdown = render(result, "markdown")
    row = next(
        x for x in markdown.splitlines() if "MAX_LENGTH_DECREASED" in x and x.startswith("|")
    )
    assert "breaks notes, which reads" in row
    assert "Counterexample below." in row and "{" not in row  # no inline JSON in the table
    block = markdown[markdown.index("<details><summary>") :]
    fenced = re.findall(r"```json\n(.*?)\n```", block, re.DOTALL)
    focused = json.loads(fenced[0])
    assert set(focused) == {"note", "…"}
    assert fenced[0].startswith("{\n  ")  # pretty-printed


def test_a_long_instance_is_cut_between_properties_never_inside_a_key(tmp_path: Path) -> None:
    schema = event_schema()
    schema["properties"] = {
        f"field{n:02d}WithAFairlyLongName": {"type": "string"} for n in range(30)
    }
    schema["required"] = list(schema["properties"])
    schema["examples"] = [dict.fromkeys(schema["properties"], "value " * 5)]
    schema["x-eventcat"]["consumers"] = [
        {"service": "indexer", "fields": list(schema["properties"])[:12]}
    ]
    repo = seeded_repo(tmp_path / "repo", schema)

    def add_bound(value: dict[str, Any]) -> None:
        value["maxProperties"] = 5  # the whole object is what breaks: nothing to focus on

    repo.edit(EVENT, add_bound)
    [finding] = repo.check().failing
    assert finding.rule == "MAX_PROPERTIES_ADDED"
    # The whole payload changed: the consumer is named, not its twelve fields.
    assert finding.message.startswith("breaks indexer: `maxProperties` added at the payload's root")
    assert "field00" not in finding.message.split("Counterexample")[0]
    shown = _inline_example(finding.message)
    assert isinstance(shown, dict) and "…" in shown
    names = [k for k in shown if k != "…"]
    assert names and all(k in schema["properties"] for k in names)  # whole keys only
    assert re.fullmatch(r"\d+ more properties", shown["…"])
    assert len(names) + int(shown["…"].split()[0]) == 30


# -- policy --------------------------------------------------------------------------------------


def test_a_policy_refusal_says_policy_and_never_breaks(readers: GateRepo) -> None:
    def relax(schema: dict[str, Any]) -> None:
        schema["required"].remove("orderId")

    readers.edit(EVENT, relax)
    [finding] = readers.check().failing
    message = finding.message
    assert finding.rule == "REQUIRED_ATTRIBUTE_REMOVED"
    assert message.startswith(
        "policy: additive-only: a required property became optional at "
        "`orderId`: compatible under BACKWARD LENIENT"
    )
    assert "notes reads `orderId`" in message  # the one field of notes' that it touches
    assert "`note`" not in message and "billing" not in message
    assert "break" not in message.replace("evolution `additive`", "")
    assert "[policy, not a proven break]" not in message
    assert dict(finding.details)["basis"] == "policy"


# -- renames -------------------------------------------------------------------------------------


def _rename(schema: dict[str, Any], old: str, new: str) -> None:
    props = schema["properties"]
    props[new] = props.pop(old)
    if old in schema["required"]:
        schema["required"] = [new if r == old else r for r in schema["required"]]


def test_a_removed_and_a_same_shaped_added_property_are_one_rename(readers: GateRepo) -> None:
    readers.edit(EVENT, lambda s: _rename(s, "note", "remark"))
    result = readers.check()
    [finding] = result.failing
    assert finding.rule == "property-renamed"
    message = finding.message
    assert message.startswith("policy: additive-only: looks like `note` → `remark`")
    assert "notes reads `note`" in message
    assert "keep both" in message and "`OrderPlaced_v2.schema.json`" in message
    assert dict(finding.details)["changes"] == [
        "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL",
        "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
    ]
    assert finding.line == readers.line_of(EVENT, '"remark": {')
    sarif = json.loads(render(result, "sarif"))
    rule = sarif["runs"][0]["tool"]["driver"]["rules"][0]
    assert rule["id"] == "property-renamed" and "Keep both" in rule["help"]["text"]


def test_a_rename_of_a_required_property_breaks_with_a_counterexample(readers: GateRepo) -> None:
    readers.edit(EVENT, lambda s: _rename(s, "orderId", "orderRef"))
    [finding] = readers.check().failing
    assert finding.rule == "property-renamed"
    assert finding.message.startswith(
        "breaks notes, which reads `orderId`: looks like `orderId` → `orderRef`"
    )
    shown = _inline_example(finding.message)
    assert "orderRef" not in dict(finding.details)["counterexample"]
    assert shown["…"].endswith("no `orderRef`")


def test_a_removal_and_an_addition_of_different_shapes_stay_two_findings(readers: GateRepo) -> None:
    def swap(schema: dict[str, Any]) -> None:
        del schema["properties"]["note"]
        schema["properties"]["remark"] = {"type": "integer"}

    readers.edit(EVENT, swap)
    rules = sorted(f.rule for f in readers.check().findings)
    assert rules == ["PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL"]  # the addition is additive
    assert "property-renamed" not in rules


# -- every rule's wording ------------------------------------------------------------------------


def _load(folder: Path) -> tuple[Any, Any]:
    return (
        json.loads((folder / "old.json").read_text()),
        json.loads((folder / "new.json").read_text()),
    )


def _rendered() -> list[tuple[str, str, str, Any, str]]:
    """(type, mode/rules/policy, basis, change, message) for every change a fixture makes that the
    gate reports under evolution `additive`, in both directions and every rule set and policy."""
    out = []
    for folder in FOLDERS:
        old, new = _load(folder)
        for mode in ("BACKWARD", "FORWARD"):
            for rules in ("sound", "confluent"):
                for policy in ("STRICT", "LENIENT"):
                    report = compare(old, new, mode=mode, policy=policy, rules=rules)
                    for change in report.changes:
                        if not (change.breaking or not change.additive):
                            continue
                        field = field_of(change.pointer)
                        reads = (field,) if field else ()  # the root: every field
                        audience = Audience((("reader", reads),), (), True)
                        said = describe_change(
                            change,
                            audience=audience,
                            rule_set=f"{mode} {policy}",
                            fix="publish `X_v2.schema.json`",
                            field=field,
                        )
                        out.append(
                            (
                                change.type,
                                f"{mode}/{rules}/{policy}",
                                said.basis,
                                change,
                                said.text.message,
                            )
                        )
    return out


RENDERED = _rendered()


def test_every_reportable_change_type_is_rendered() -> None:
    rendered = {t for t, *_ in RENDERED}
    reportable = {
        t
        for t, rule in CHANGE_TYPES.items()
        if rule.emitted
        and not rule.unknown
        and t != "COMPARISON_BUDGET_EXCEEDED"
        and (
            not rule.additive
            or not all(rule.is_compatible("sound", policy) for policy in ("STRICT", "LENIENT"))
        )
    }
    assert reportable <= rendered, sorted(reportable - rendered)


@pytest.mark.parametrize("case", RENDERED, ids=[f"{t}-{combo}" for t, combo, *_ in RENDERED])
def test_each_rule_reads_verdict_first_without_contradiction(
    case: tuple[str, str, str, Any, str],
) -> None:
    change_type, _, basis, change, message = case
    lowered = message.lower()
    if change.breaking:
        assert message.startswith(("breaks ", "breaking")), message
        assert "safe" not in lowered and "compatible under" not in lowered
        assert "policy" not in lowered
    elif basis == "policy":
        assert message.startswith("policy: additive-only: "), message
        assert "breaks" not in lowered and "breaking" not in lowered and "rejects" not in lowered
    else:
        assert basis == "unknown" and message.startswith("unknown: "), message
        assert "breaks" not in lowered and "safe" not in lowered and "policy" not in lowered
    forward = case[1].startswith("FORWARD")
    assert ("from the new schema to the old one" in message) == forward
    if change.breaking:
        reader = (
            "on the old schema rejects some new"
            if forward
            else "on the new schema rejects some old"
        )
        assert reader in message
    # One verdict only: the lead's words appear once.
    assert sum(lowered.count(w.strip()) for w in ("policy: additive-only", "unknown:")) <= 1
    assert not re.search(r"\bat #?/", message), "no raw pointer opens the explanation"
    assert f"eventcat rules {change_type}" in message
    if change.has_counterexample and change.breaking:
        _inline_example(message)  # parses
    assert len(message.split(". Fix:")[0]) < 400, "the verdict fits in one or two sentences"


def test_the_rule_named_in_a_message_explains_itself_on_the_command_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "eventcat.cli", "rules", "property-renamed", "MAX_LENGTH_DECREASED"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "id: property-renamed" in done.stdout and "Keep both properties" in done.stdout
    assert "id: MAX_LENGTH_DECREASED" in done.stdout
    wrong = subprocess.run(
        [sys.executable, "-m", "eventcat.cli", "rules", "NO_SUCH_RULE"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert wrong.returncode == 2 and "unknown rule 'NO_SUCH_RULE'" in wrong.stderr


# -- the shortener -------------------------------------------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=300),
    lambda inner: (
        st.lists(inner, max_size=8) | st.dictionaries(st.text(max_size=40), inner, max_size=12)
    ),
    max_leaves=60,
)


@settings(max_examples=300, deadline=None)
@given(JSON, st.lists(st.sampled_from(["a", "b", "[]", "*"]), max_size=3))
def test_an_inlined_counterexample_is_always_json_and_short(value: Any, path: list[str]) -> None:
    text = inline(focus(value, path))
    parsed = json.loads(text)
    if isinstance(value, dict) and isinstance(parsed, dict):
        # Every key shown is a whole key of the instance (or the elision marker).
        assert all(k in value or k == "…" for k in parsed)
    assert len(text) < 2_000


def test_focus_keeps_the_path_and_counts_what_it_elides() -> None:
    value = {"a": 1, "b": {"c": [1, 2], "d": "x"}, "e": None}
    assert focus(value, ["b", "c"]) == {
        "b": {"c": [1, 2], "…": "1 more property"},
        "…": "2 more properties",
    }
    assert focus(value, ["z"]) == {"…": "3 more properties, no `z`"}
    assert focus(value, []) == value
    items = {"lines": [{"sku": "a", "qty": 1}, {"sku": "b", "qty": 2}]}
    assert focus(items, ["lines", "[]", "qty"]) == {
        "lines": [{"qty": 1, "…": "1 more property"}, {"qty": 2, "…": "1 more property"}]
    }
