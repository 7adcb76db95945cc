"""One fixture folder per change type: exact changes, verdicts, dead-rule and label audits."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis_jsonschema import from_schema

from eventcat.compat import CHANGE_TYPES, compare
from tests.compat.witness import NONE, boundary_instances, violation

FIXTURES = Path(__file__).parent / "fixtures"
# One folder per change type; `peer` holds the peer suite (test_peer_suite.py).
FOLDERS = sorted(p for p in FIXTURES.iterdir() if p.is_dir() and p.name != "peer")


def _load(folder: Path) -> tuple[Any, Any, dict[str, Any]]:
    return tuple(
        json.loads((folder / f).read_text())
        for f in ("old.json", "new.json", "expected.json")  # type: ignore[return-value]
    )


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_fixture_changes_and_verdicts(folder: Path) -> None:
    old, new, expected = _load(folder)
    report = compare(
        old, new, mode=expected["mode"], policy=expected["policy"], rules=expected["rules"]
    )
    got = sorted(f"{c.type} {c.pointer}" for c in report.changes)
    assert got == expected["changes"]
    assert folder.name in {c.type for c in report.changes}, "the fixture must fire its own type"
    for combo, verdict in expected["verdicts"].items():
        rules, policy = combo.split("/")
        assert compare(old, new, rules=rules, policy=policy).verdict == verdict, combo


def test_every_change_type_fires_on_a_fixture() -> None:
    """Dead-rule audit: every type the engine can emit has a folder that fires it."""
    emitted = {t for t, rule in CHANGE_TYPES.items() if rule.emitted}
    # The budget's answer needs a hostile-sized schema: tests/security/test_compat_safety.py.
    assert emitted - {"COMPARISON_BUDGET_EXCEEDED"} == {f.name for f in FOLDERS}
    never = {t for t, rule in CHANGE_TYPES.items() if not rule.emitted}
    assert never == {
        "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
        "RESERVED_PROPERTY_REMOVED",
        "RESERVED_PROPERTY_CONFLICTS_WITH_PROPERTY",
    }


def _compatible_labels() -> list[tuple[Path, str]]:
    out = []
    for folder in FOLDERS:
        _, _, expected = _load(folder)
        for policy in ("STRICT", "LENIENT"):
            if expected["verdicts"][f"sound/{policy}"] == "compatible":
                out.append((folder, policy))
    return out


LABELS = _compatible_labels()


@pytest.mark.parametrize("folder,policy", LABELS, ids=[f"{f.name}-{p}" for f, p in LABELS])
def test_compatible_label_survives_witnesses(folder: Path, policy: str) -> None:
    """Label audit: a fixture sound rules call compatible is checked against generated instances
    of the old schema (boundary-aimed candidates, then Hypothesis)."""
    old, new, _ = _load(folder)
    bad = violation(old, new, policy, boundary_instances(old, new))
    assert bad is NONE, f"counterexample: {bad!r}"

    @settings(
        max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(from_schema(old))
    def check(instance: Any) -> None:
        found = violation(old, new, policy, [instance])
        assert found is NONE, f"counterexample: {found!r}"

    check()


def _disagreements() -> list[Path]:
    out = []
    for folder in FOLDERS:
        _, _, expected = _load(folder)
        v = expected["verdicts"]
        if v["confluent/STRICT"] == "compatible" and v["sound/STRICT"] == "breaking":
            out.append(folder)
    return out


DISAGREE = _disagreements()


@pytest.mark.parametrize("folder", DISAGREE, ids=[f.name for f in DISAGREE])
def test_sound_corrections_are_proved(folder: Path) -> None:
    """Where sound rules overrule Confluent's "compatible", an instance proves it."""
    old, new, _ = _load(folder)
    report = compare(old, new, policy="STRICT")
    proofs = [c.counterexample for c in report.changes if c.breaking and c.has_counterexample]
    assert proofs, "expected a verified counterexample"
    bad = violation(old, new, "STRICT", proofs)
    assert bad is not NONE


def test_breaking_fixtures_mostly_carry_counterexamples() -> None:
    with_example = without = 0
    for folder in FOLDERS:
        old, new, _ = _load(folder)
        for c in compare(old, new, policy="STRICT").changes:
            if c.breaking:
                if c.has_counterexample:
                    with_example += 1
                else:
                    without += 1
    assert with_example >= 2 * without, Counter(with_example=with_example, without=without)
