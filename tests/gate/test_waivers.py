"""Waivers: valid ones accept a break, expired and stale ones fail, bad files exit 2."""

from __future__ import annotations

from typing import Any

import pytest

from eventcat.errors import InputError
from eventcat.report.findings import Severity
from tests.gate.conftest import EVENT, GateRepo, failing_rules

RULE = "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"


def add_required(schema: dict[str, Any]) -> None:
    schema["properties"]["customerId"] = {"type": "string"}
    schema["required"].append("customerId")


def waiver(
    expires: str = "2026-12-31",
    pointer: str = "#/properties/customerId",
    event: str = "OrderPlaced",
    change: str = RULE,
) -> str:
    return (
        "waivers:\n"
        f"  - event: {event}\n"
        "    version: 1\n"
        f"    change: {change}\n"
        f"    pointer: '{pointer}'\n"
        "    reason: every producer already sends customerId\n"
        "    owner: team-a\n"
        f"    expires: {expires}\n"
    )


def test_valid_waiver_accepts_the_break_and_still_shows_it(repo: GateRepo) -> None:
    repo.edit(EVENT, add_required)
    repo.write("waivers.yaml", waiver())
    result = repo.check()
    assert result.exit_code == 0, [f.render() for f in result.findings]
    [finding] = [f for f in result.findings if f.rule == RULE]
    assert finding.severity is Severity.INFO
    assert finding.message.startswith("waived until 2026-12-31 by team-a")
    assert result.run.waivers["used"][0]["owner"] == "team-a"


def test_waiver_pointer_may_be_omitted(repo: GateRepo) -> None:
    repo.edit(EVENT, add_required)
    text = "\n".join(line for line in waiver().splitlines() if "pointer" not in line) + "\n"
    repo.write("waivers.yaml", text)
    assert repo.check().exit_code == 0


def test_waiver_for_another_pointer_does_not_apply_and_is_stale(repo: GateRepo) -> None:
    repo.edit(EVENT, add_required)
    repo.write("waivers.yaml", waiver(pointer="#/properties/somethingElse"))
    result = repo.check()
    assert sorted(failing_rules(result)) == [RULE, "waiver-stale"]


def test_expired_waiver_fails_and_does_not_waive(repo: GateRepo) -> None:
    repo.edit(EVENT, add_required)
    repo.write("waivers.yaml", waiver(expires="2026-02-28"))
    result = repo.check()
    assert result.exit_code == 1
    assert sorted(failing_rules(result)) == [RULE, "waiver-expired"]
    [expired] = [f for f in result.findings if f.rule == "waiver-expired"]
    assert expired.file == "waivers.yaml" and expired.line == 2
    assert "expired on 2026-02-28" in expired.message


def test_stale_waiver_fails_when_its_break_is_gone(repo: GateRepo) -> None:
    repo.edit(EVENT, lambda s: s["properties"].update(channel={"type": "string"}))  # compatible
    repo.write("waivers.yaml", waiver())
    result = repo.check()
    assert failing_rules(result) == ["waiver-stale"]
    assert "no longer contains that break" in result.failing[0].message


def test_waiver_for_a_missing_event_is_stale(repo: GateRepo) -> None:
    repo.write("waivers.yaml", waiver(event="NoSuchEvent"))
    result = repo.check()
    assert failing_rules(result) == ["waiver-stale"]
    assert "no such event version" in result.failing[0].message


def test_waiver_for_an_untouched_event_is_left_alone(repo: GateRepo) -> None:
    """A waiver merged with its break stays quiet until it expires."""
    repo.write("waivers.yaml", waiver())
    assert repo.check().exit_code == 0


def test_waiver_for_a_deletion(repo: GateRepo) -> None:
    repo.delete(EVENT)
    repo.write("waivers.yaml", waiver(change="version-deleted", pointer=""))
    assert repo.check().exit_code == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("waivers:\n  - event: OrderPlaced\n    version: 1\n", "'change' is a required property"),
        (waiver(expires="soon"), "does not match"),
        (waiver(expires="2026-02-30"), "not a date"),
        ("waivers: [\n", "invalid YAML"),
    ],
)
def test_invalid_waivers_file_is_unreadable_input(repo: GateRepo, text: str, expected: str) -> None:
    repo.write("waivers.yaml", text)
    with pytest.raises(InputError) as caught:
        repo.check()
    assert expected in str(caught.value)
    assert all(p.file == "waivers.yaml" for p in caught.value.problems)
