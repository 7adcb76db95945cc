"""One rule registry: every rule complete, and the CLI and SARIF say what the registry says."""

from __future__ import annotations

import json
import subprocess
import sys

from eventcat.report.findings import Finding, Severity
from eventcat.report.render import Result
from eventcat.reporters import render
from eventcat.rules.registry import FAMILIES, all_rules, find, registry

VERDICTS = ("compatible", "breaking", "LENIENT only", "STRICT only", "unknown")


def test_every_rule_has_all_six_fields() -> None:
    rules = all_rules()
    assert len(rules) == len(registry()) > 200
    for rule in rules:
        fields = rule.describe()
        assert set(fields) == {"id", "family", "level", "summary", "explanation", "fix"}
        assert all(isinstance(v, str) and v.strip() for v in fields.values()), fields
        assert rule.family in FAMILIES


def test_each_family_states_its_level() -> None:
    for rule in all_rules():
        if rule.family == "compat":
            assert rule.level.startswith(VERDICTS), (rule.id, rule.level)
        else:
            assert rule.level.split()[0] in ("error", "warning", "info"), (rule.id, rule.level)
    assert find("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL") is not None
    assert find("version-gap") is not None and find("version-gap").family == "lint"  # type: ignore[union-attr]


def test_eventcat_rules_json_is_the_registry() -> None:
    run = subprocess.run([sys.executable, "-m", "eventcat.cli", "rules", "--format", "json"],
                         capture_output=True, text=True, check=True)  # fmt: skip
    assert json.loads(run.stdout) == [rule.describe() for rule in all_rules()]


def test_eventcat_rules_text_shows_levels() -> None:
    run = subprocess.run([sys.executable, "-m", "eventcat.cli", "rules", "--family", "compat"],
                         capture_output=True, text=True, check=True)  # fmt: skip
    line = next(ln for ln in run.stdout.splitlines() if "TYPE_CHANGED " in ln)
    assert "breaking" in line


def test_sarif_describes_rules_of_every_family_from_the_registry() -> None:
    ids = ("version-gap", "TYPE_CHANGED", "version-deleted")
    findings = tuple(
        Finding(
            file="billing/X_v1.schema.json",
            line=1,
            pointer="/type",
            rule=rule_id,
            severity=Severity.ERROR,
            message=f"{rule_id} happened",
        )
        for rule_id in ids
    )
    log = json.loads(render(Result("check", findings), "sarif"))
    described = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert set(described) == set(ids)
    for rule_id, entry in described.items():
        rule = find(rule_id)
        assert rule is not None
        assert entry["shortDescription"]["text"] == rule.summary
        assert entry["fullDescription"]["text"] == rule.explanation
        assert entry["help"]["text"] == rule.fix
        assert entry["properties"] == {"family": rule.family, "level": rule.level}
