"""Governance findings in every output format of the gate, in ``eventcat rules``, and through the
public functions the docs site and the notebooks call."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from importlib import resources
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from jsonschema import Draft202012Validator
from tests.conftest import EXAMPLE_CATALOG
from tests.governance.conftest import EVENT, TODAY, GateRepo, deprecated, described_event, start_as

from eventcat.governance.lifecycle import (
    deletion_allowed,
    draft_exempt,
    lifecycle_findings,
    lifecycle_state,
    lifecycle_transition,
)
from eventcat.governance.metadata import metadata_changes, removed_declarations
from eventcat.governance.rules import GOVERNANCE_RULES
from eventcat.report.render import Result
from eventcat.reporters import render

NEW_RULES = {
    "channel-changed",
    "producer-removed",
    "consumer-added",
    "consumer-removed",
    "handler-renamed",
    "owner-changed",
    "criticality-lowered",
    "delivery-weakened",
    "declaration-removed",
    "metadata-changed",
    "lifecycle-draft-exempt",
    "lifecycle-status-regressed",
    "lifecycle-deprecated-incomplete",
    "lifecycle-consumer-added",
    "lifecycle-sunset-near",
    "lifecycle-sunset-passed",
    "lifecycle-retired-produced",
    "lifecycle-version-deleted",
}


@pytest.fixture
def governed(gov: GateRepo) -> tuple[GateRepo, Result]:
    """A channel break (error) and a handler rename (warning) in one change."""
    start_as(gov, deprecated(sunset=(TODAY + dt.timedelta(days=5)).isoformat()))

    def edit(schema: dict[str, Any]) -> None:
        schema["x-eventcat"]["channel"]["routingKey"] = "order.created"
        schema["x-eventcat"]["consumers"][0]["handler"] = "HandleOrderPlaced"

    gov.edit(EVENT, edit)
    result = gov.check()
    assert sorted(f.rule for f in result.findings) == [
        "channel-changed",
        "handler-renamed",
        "lifecycle-sunset-near",
    ]
    return gov, result


def test_json_report_validates_and_carries_the_details(governed: tuple[GateRepo, Result]) -> None:
    _, result = governed
    document = json.loads(render(result, "json"))
    schema = json.loads(
        resources.files("eventcat.schemas").joinpath("check-report.schema.json").read_text("utf-8")
    )
    assert list(Draft202012Validator(schema).iter_errors(document)) == []
    assert document["ok"] is False
    channel = next(f for f in document["findings"] if f["rule"] == "channel-changed")
    assert (
        channel["details"]["old"] == "order.placed" and channel["details"]["new"] == "order.created"
    )
    assert channel["details"]["fix"] == GOVERNANCE_RULES["channel-changed"].fix


def test_github_annotations_point_at_the_changed_lines(governed: tuple[GateRepo, Result]) -> None:
    repo, result = governed
    text = render(result, "github")
    error = re.search(
        r"^::error file=([^,]+),line=(\d+),title=eventcat channel-changed", text, re.MULTILINE
    )
    warning = re.search(
        r"^::warning file=([^,]+),line=(\d+),title=eventcat handler-renamed", text, re.MULTILINE
    )
    assert error and warning
    assert error.group(1).endswith(EVENT) and int(error.group(2)) == repo.line_of(
        EVENT, '"routingKey"'
    )
    assert int(warning.group(2)) == repo.line_of(EVENT, '"handler": "HandleOrderPlaced"')
    assert re.search(
        r"^::warning file=[^,]+,line=\d+,title=eventcat lifecycle-sunset-near", text, re.MULTILINE
    )


@pytest.mark.parametrize("output_format", ["text", "markdown", "junit", "sarif"])
def test_every_format_shows_the_governance_findings(
    governed: tuple[GateRepo, Result], output_format: str
) -> None:
    _, result = governed
    text = render(result, output_format)
    for rule in ("channel-changed", "handler-renamed", "lifecycle-sunset-near"):
        assert rule in text, (output_format, rule)
    if output_format == "junit":
        ET.fromstring(text)
    if output_format == "sarif":
        sarif = json.loads(text)
        described = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
        assert "channel-changed" in described
        levels = {r["ruleId"]: r["level"] for r in sarif["runs"][0]["results"]}
        assert levels["channel-changed"] == "error" and levels["handler-renamed"] == "warning"


def test_every_new_rule_is_listed_with_explanation_and_fix() -> None:
    from eventcat.rules.registry import all_rules

    listed = {r.id: r for r in all_rules() if r.family == "governance"}
    assert set(listed) >= NEW_RULES
    for rule in NEW_RULES:
        assert listed[rule].explanation and listed[rule].fix and listed[rule].summary


def test_eventcat_rules_command_lists_them() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "eventcat.cli",
            "rules",
            "--family",
            "governance",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    ids = {r["id"] for r in json.loads(done.stdout)}
    assert ids >= NEW_RULES


def test_every_emitted_rule_is_declared() -> None:
    """The modules emit only rule ids the registry knows (their severity comes from there): the
    governance rules, and lint's version-gap, which the gate applies to new version files."""
    pattern = re.compile(r'(?:Notice\(|rule_finding\()\s*"([a-z-]+)"')
    emitted: set[str] = set()
    for package, name in (
        ("eventcat.governance", "metadata.py"),
        ("eventcat.governance", "lifecycle.py"),
        ("eventcat.gate", "governed.py"),
        ("eventcat.gate", "checks.py"),
    ):
        emitted |= set(pattern.findall(resources.files(package).joinpath(name).read_text("utf-8")))
    assert emitted - {"metadata-changed", "version-gap"} <= set(GOVERNANCE_RULES)
    assert "version-gap" not in GOVERNANCE_RULES  # one id, one rule: lint's
    assert NEW_RULES - {"declaration-removed"} <= emitted | {"metadata-changed"}


# -- the functions the site and notebooks call ------------------------------------------------------


def test_metadata_changes_between_two_raw_revisions() -> None:
    old, new = described_event(), described_event()
    new["x-eventcat"]["channel"]["exchange"] = "orders.v2"
    new["x-eventcat"]["summary"] = "Now summarised."
    new["x-eventcat"]["delivery"]["timeoutMs"] = 5000
    notes = metadata_changes(old, new)
    assert [(n.rule, n.pointer, n.old, n.new) for n in notes] == [
        ("channel-changed", "/x-eventcat/channel/exchange", "orders.topic", "orders.v2")
    ]
    everything = metadata_changes(old["x-eventcat"], new["x-eventcat"], everything=True)
    assert [(n.rule, n.pointer) for n in everything] == [
        ("channel-changed", "/x-eventcat/channel/exchange"),
        ("metadata-changed", "/x-eventcat/delivery/timeoutMs"),
        ("metadata-changed", "/x-eventcat/summary"),
    ]
    assert everything[1].as_json()["severity"] == "info"
    assert metadata_changes(old, old) == []


def test_removed_declarations() -> None:
    old = {"services": {"a": {}, "b": {}}, "teams": {"t": {}}, "domains": {"d": {}}}
    new = {"services": {"a": {}}, "domains": {"d": {}}}
    assert removed_declarations(old, new) == [("services", "b"), ("teams", "t")]


def test_lifecycle_state_with_an_injected_today() -> None:
    version = deprecated(sunset="2026-03-11")
    state = lifecycle_state(version, TODAY)
    assert state.status == "deprecated" and state.days_to_sunset == 10
    assert state.banner == (
        "Deprecated: sunset on 2026-03-11 (in 10 days). Move to orders.order_placed.v2."
    )
    assert [n.rule for n in state.notices] == ["lifecycle-sunset-near"]
    later = lifecycle_state(version, dt.date(2026, 3, 12))
    assert later.banner.startswith("Deprecated: sunset passed on 2026-03-11")
    assert [n.rule for n in later.notices] == ["lifecycle-sunset-passed"]
    assert lifecycle_findings(version, dt.date(2026, 1, 1)) == []
    assert (
        lifecycle_findings(version, dt.date(2026, 1, 1), warn_days=90)[0].rule
        == "lifecycle-sunset-near"
    )
    assert lifecycle_state(described_event("draft"), TODAY).banner.startswith("Draft")
    assert lifecycle_state(described_event(), TODAY).banner == ""
    assert json.dumps(state.as_json())


def test_lifecycle_predicates_and_transitions() -> None:
    assert draft_exempt(described_event("draft")) and not draft_exempt(described_event())
    assert deletion_allowed(described_event("retired")) and not deletion_allowed(deprecated())
    assert [
        n.rule for n in lifecycle_transition(described_event("retired"), described_event())
    ] == ["lifecycle-status-regressed"]
    assert lifecycle_transition(described_event(), deprecated()) == []


def test_the_example_catalog_deprecated_version() -> None:
    """The functions work on the loaded catalog model too (what the site and notebooks hold)."""
    from eventcat.catalog.loader import read_catalog

    catalog = read_catalog(EXAMPLE_CATALOG)
    deprecated_versions = [v for v in catalog.versions() if v.status == "deprecated"]
    assert deprecated_versions
    for version in deprecated_versions:
        state = lifecycle_state(version, dt.date(2000, 1, 1))
        assert state.sunset is not None and state.replacement
        assert state.notices == ()  # complete, and the sunset is far from 2000
        assert catalog.by_event_type(state.replacement) is not None
