"""Lifecycle rules in the gate, in real git repositories, both directions (today is injected)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests.governance.conftest import (
    EVENT,
    TODAY,
    GateRepo,
    deprecated,
    described_event,
    start_as,
)

from eventcat.report.findings import Severity
from eventcat.report.render import Result

BREAKING = "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"
V2 = "orders/OrderPlaced_v2.schema.json"


def add_required(schema: dict[str, Any]) -> None:
    schema["properties"]["customerId"] = {"type": "string"}
    schema["required"].append("customerId")


def set_status(status: str, **extra: Any) -> Any:
    def edit(schema: dict[str, Any]) -> None:
        schema["x-eventcat"]["lifecycle"] = {"status": status, **extra}

    return edit


def rules_of(result: Result) -> list[str]:
    return sorted(f.rule for f in result.findings)


def days(n: int) -> str:
    return (TODAY + dt.timedelta(days=n)).isoformat()


# -- draft ---------------------------------------------------------------------------------------


def test_draft_is_exempt_from_compatibility_checks(gov: GateRepo) -> None:
    start_as(gov, described_event("draft"))
    gov.edit(EVENT, add_required)
    gov.edit(EVENT, lambda s: s["x-eventcat"].__setitem__("eventType", "orders.order_created.v1"))
    result = gov.check()
    assert result.exit_code == 0, [f.render() for f in result.findings]
    [finding] = result.findings
    assert (finding.rule, finding.severity) == ("lifecycle-draft-exempt", Severity.INFO)
    assert "draft at main" in finding.message


def test_the_same_change_to_an_active_version_fails(gov: GateRepo) -> None:
    gov.edit(EVENT, add_required)
    result = gov.check()
    assert result.exit_code == 1
    assert [f.rule for f in result.failing] == [BREAKING]
    assert "lifecycle-draft-exempt" not in rules_of(result)


def test_draft_becoming_active_in_the_change_is_still_exempt(gov: GateRepo) -> None:
    start_as(gov, described_event("draft"))
    gov.edit(EVENT, add_required)
    gov.edit(EVENT, set_status("active"))
    assert gov.check().exit_code == 0


def test_once_active_the_next_change_is_judged(gov: GateRepo) -> None:
    start_as(gov, described_event("draft"))
    gov.edit(EVENT, set_status("active"))
    gov.commit("release it")
    gov.git("branch", "-f", "released")
    gov.edit(EVENT, add_required)
    assert [f.rule for f in gov.check(against="released").failing] == [BREAKING]


def test_active_version_turned_back_into_a_draft_fails_and_is_still_judged(gov: GateRepo) -> None:
    gov.edit(EVENT, set_status("draft"))
    gov.edit(EVENT, add_required)
    result = gov.check()
    assert result.exit_code == 1
    assert sorted(f.rule for f in result.failing) == [BREAKING, "lifecycle-status-regressed"]
    [regressed] = [f for f in result.failing if f.rule == "lifecycle-status-regressed"]
    assert regressed.pointer == "/x-eventcat/lifecycle/status"
    assert regressed.line == gov.line_of(EVENT, '"status": "draft"')


def test_retired_version_revived_fails(gov: GateRepo) -> None:
    start_as(gov, described_event("retired"))
    gov.edit(EVENT, set_status("active"))
    assert [f.rule for f in gov.check().failing] == ["lifecycle-status-regressed"]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("active", "deprecated"),
        ("deprecated", "retired"),
        ("draft", "active"),
        ("deprecated", "active"),
    ],
)
def test_forward_transitions_pass(gov: GateRepo, start: str, end: str) -> None:
    extra = {"sunset": "2026-12-31", "replacement": "orders.order_placed.v2"}
    start_as(gov, described_event(start, **(extra if start == "deprecated" else {})))
    gov.edit(EVENT, set_status(end, **(extra if end == "deprecated" else {})))
    result = gov.check()
    assert result.exit_code == 0, [f.render() for f in result.findings]
    assert "lifecycle-status-regressed" not in rules_of(result)


# -- deprecated ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "missing"),
    [
        ({"sunset": "2026-12-31"}, "a replacement eventType"),
        ({"replacement": "orders.order_placed.v2"}, "a sunset date"),
        ({"sunset": "next spring", "replacement": "orders.order_placed.v2"}, "a sunset date"),
    ],
)
def test_deprecated_needs_sunset_and_replacement(
    gov: GateRepo, extra: dict[str, str], missing: str
) -> None:
    gov.edit(EVENT, set_status("deprecated", **extra))
    [finding] = gov.check().failing
    assert finding.rule == "lifecycle-deprecated-incomplete"
    assert missing in finding.message
    assert finding.line == gov.line_of(EVENT, '"lifecycle"')


def test_deprecated_with_sunset_and_replacement_passes(gov: GateRepo) -> None:
    gov.edit(
        EVENT, set_status("deprecated", sunset="2026-12-31", replacement="orders.order_placed.v2")
    )
    result = gov.check()
    assert result.exit_code == 0 and result.findings == ()


def test_deprecated_version_may_not_gain_consumers(gov: GateRepo) -> None:
    start_as(gov, deprecated())
    gov.edit(EVENT, lambda s: s["x-eventcat"]["consumers"].append({"service": "audit-service"}))
    result = gov.check()
    assert result.exit_code == 1
    [finding] = result.findings  # the lifecycle error replaces the consumer-added warning
    assert finding.rule == "lifecycle-consumer-added"
    assert "consume orders.order_placed.v2 instead" in finding.message
    assert finding.pointer == "/x-eventcat/consumers/2"


def test_deprecated_version_may_lose_consumers(gov: GateRepo) -> None:
    start_as(gov, deprecated())
    gov.edit(
        EVENT, lambda s: s["x-eventcat"].__setitem__("consumers", s["x-eventcat"]["consumers"][:1])
    )
    result = gov.check()
    assert result.exit_code == 0
    assert rules_of(result) == ["consumer-removed"]


def test_active_version_gaining_a_consumer_only_warns(gov: GateRepo) -> None:
    gov.edit(EVENT, lambda s: s["x-eventcat"]["consumers"].append({"service": "audit-service"}))
    result = gov.check()
    assert result.exit_code == 0
    assert rules_of(result) == ["consumer-added"]


# -- sunsets (judged every run, also for versions the change does not touch) ------------------------


def test_sunset_near_warns_even_when_the_version_is_untouched(gov: GateRepo) -> None:
    start_as(gov, deprecated(sunset=days(12)))
    result = gov.check()  # nothing changed on the branch
    assert result.exit_code == 0
    [finding] = result.findings
    assert (finding.rule, finding.severity) == ("lifecycle-sunset-near", Severity.WARNING)
    assert "in 12 days" in finding.message
    assert "billing-service, shipping-service" in finding.message
    assert finding.line == gov.line_of(EVENT, '"sunset"')


@pytest.mark.parametrize("offset", [31, 400])
def test_sunset_far_away_is_silent(gov: GateRepo, offset: int) -> None:
    start_as(gov, deprecated(sunset=days(offset)))
    assert gov.check().findings == ()


def test_sunset_today_warns_and_the_day_after_fails(gov: GateRepo) -> None:
    start_as(gov, deprecated(sunset=TODAY.isoformat()))
    assert [f.rule for f in gov.check().findings] == ["lifecycle-sunset-near"]
    result = gov.check(today=TODAY + dt.timedelta(days=1))
    assert result.exit_code == 1
    [finding] = result.failing
    assert finding.rule == "lifecycle-sunset-passed"
    assert "set lifecycle.status: retired" in finding.message
    assert "order-service" in finding.message


def test_retiring_the_version_clears_the_passed_sunset(gov: GateRepo) -> None:
    start_as(gov, deprecated(sunset=days(-10)))
    assert gov.check().exit_code == 1
    gov.edit(EVENT, set_status("retired", sunset=days(-10), replacement="orders.order_placed.v2"))
    result = gov.check()
    assert result.exit_code == 0, [f.render() for f in result.findings]


def test_passed_sunset_can_be_waived(gov: GateRepo) -> None:
    start_as(gov, deprecated(sunset=days(-3)))
    gov.write(
        "waivers.yaml",
        (
            "waivers:\n  - event: OrderPlaced\n    version: 1\n    change: lifecycle-sunset-passed\n"
            "    reason: shipping moves in the April release\n    owner: team-a\n"
            "    expires: 2026-04-30\n"
        ),
    )
    assert gov.check().exit_code == 0


# -- retired -------------------------------------------------------------------------------------


def test_retired_version_may_not_gain_producers(gov: GateRepo) -> None:
    start_as(gov, described_event("retired"))
    gov.edit(EVENT, lambda s: s["x-eventcat"]["producers"].append("audit-service"))
    [finding] = gov.check().failing
    assert finding.rule == "lifecycle-retired-produced"
    assert "audit-service" in finding.message


def test_retired_version_keeps_its_producer_record(gov: GateRepo) -> None:
    start_as(gov, described_event("retired"))
    gov.edit(EVENT, lambda s: s["x-eventcat"].__setitem__("summary", "Retired in 2026."))
    assert gov.check().findings == ()


# -- deleting a version file ---------------------------------------------------------------------


@pytest.mark.parametrize("status", ["retired", "draft"])
def test_deleting_a_retired_or_draft_version_is_allowed(gov: GateRepo, status: str) -> None:
    start_as(gov, described_event(status))
    gov.delete(EVENT)
    result = gov.check()
    assert result.exit_code == 0, [f.render() for f in result.findings]
    [finding] = result.findings
    assert (finding.rule, finding.severity) == ("lifecycle-version-deleted", Severity.INFO)
    assert f"was {status} at main" in finding.message


@pytest.mark.parametrize("schema", [described_event("active"), deprecated()])
def test_deleting_an_active_or_deprecated_version_fails(
    gov: GateRepo, schema: dict[str, Any]
) -> None:
    start_as(gov, schema)
    gov.delete(EVENT)
    assert [f.rule for f in gov.check().failing] == ["version-deleted"]


def test_retiring_and_deleting_in_one_change_fails(gov: GateRepo) -> None:
    gov.delete(EVENT)  # active at the baseline: retire it first, delete it in a later change
    assert [f.rule for f in gov.check().failing] == ["version-deleted"]


def test_new_version_published_beside_a_deprecated_one(gov: GateRepo) -> None:
    """The usual flow: v2 added active, v1 deprecated pointing at it: passes."""
    v2 = described_event()
    v2["x-eventcat"]["eventType"] = "orders.order_placed.v2"
    add_required(v2)
    gov.write(V2, v2)
    gov.edit(
        EVENT, set_status("deprecated", sunset="2026-12-31", replacement="orders.order_placed.v2")
    )
    result = gov.check()
    assert result.exit_code == 0, [f.render() for f in result.findings]
