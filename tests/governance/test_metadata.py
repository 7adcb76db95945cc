"""x-eventcat and catalog.yaml changes in the gate, in real git repositories, both directions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from tests.governance.conftest import EVENT, SETTINGS, GateRepo, described_event, start_as

from eventcat.report.findings import Finding, Severity
from eventcat.report.render import Result

Edit = Callable[[dict[str, Any]], None]


def meta(edit: Callable[[dict[str, Any]], None]) -> Edit:
    def apply(schema: dict[str, Any]) -> None:
        edit(schema["x-eventcat"])

    return apply


def only(result: Result, rule: str) -> list[Finding]:
    return [f for f in result.findings if f.rule == rule]


def governance(result: Result) -> list[str]:
    """Rules of the findings other than the payload engine's (upper-case change types)."""
    return sorted(f.rule for f in result.findings if not f.rule.isupper())


# -- channel ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("broker", "kafka"),
        ("exchange", "orders.v2.topic"),
        ("exchangeType", "fanout"),
        ("routingKey", "order.created"),
        ("deadLetterQueue", "orders.dead"),
    ],
)
def test_channel_change_of_an_active_version_is_breaking(
    gov: GateRepo, key: str, value: str
) -> None:
    gov.edit(EVENT, meta(lambda m: m["channel"].__setitem__(key, value)))
    result = gov.check()
    assert result.exit_code == 1
    [finding] = result.failing
    assert finding.rule == "channel-changed" and finding.severity is Severity.ERROR
    assert finding.file == EVENT
    assert finding.pointer == f"/x-eventcat/channel/{key}"
    assert finding.line == gov.line_of(EVENT, f'"{key}": "{value}"')
    details = dict(finding.details)
    assert details["event"] == "OrderPlaced" and details["version"] == 1
    if key == "deadLetterQueue":
        # shipping-service has its own DLQ; only billing-service uses the event's
        assert details["affected"] == ["billing-service"]
        assert "billing-service (OnOrderPlaced)" in finding.message
    else:
        assert set(details["affected"]) == {
            "order-service",
            "legacy-order-service",
            "billing-service",
            "shipping-service",
        }
        assert "shipping-service (ScheduleShipment)" in finding.message


def test_channel_key_documented_for_the_first_time_is_not_a_change(gov: GateRepo) -> None:
    gov.edit(
        EVENT,
        meta(
            lambda m: m["channel"].update(
                deadLetterExchange="orders.dlx", queues=[*m["channel"]["queues"], "audit"]
            )
        ),
    )
    result = gov.check()
    assert result.exit_code == 0
    assert governance(result) == []


def test_channel_key_removed_is_breaking(gov: GateRepo) -> None:
    gov.edit(EVENT, meta(lambda m: m["channel"].pop("routingKey")))
    [finding] = gov.check().failing
    assert finding.rule == "channel-changed"
    assert "'order.placed' was removed" in finding.message
    assert finding.pointer == "/x-eventcat/channel"  # the nearest part of the file that remains


def test_queue_removed_names_the_consumer_reading_it(gov: GateRepo) -> None:
    gov.edit(EVENT, meta(lambda m: m["channel"].__setitem__("queues", ["billing.orders"])))
    [finding] = gov.check().failing
    assert finding.rule == "channel-changed"
    assert "'shipping.orders'" in finding.message
    assert "shipping-service (ScheduleShipment)" in finding.message
    assert dict(finding.details)["affected"] == ["shipping-service"]


def test_consumer_queue_changed_names_that_consumer(gov: GateRepo) -> None:
    def move(m: dict[str, Any]) -> None:
        m["consumers"][1]["deadLetterQueue"] = "shipping.dead"

    gov.edit(EVENT, meta(move))
    [finding] = gov.check().failing
    assert finding.rule == "channel-changed"
    assert finding.pointer == "/x-eventcat/consumers/1/deadLetterQueue"
    assert dict(finding.details)["affected"] == ["shipping-service"]


def test_channel_change_of_a_draft_is_exempt(gov: GateRepo) -> None:
    start_as(gov, described_event("draft"))
    gov.edit(EVENT, meta(lambda m: m["channel"].__setitem__("routingKey", "order.created")))
    result = gov.check()
    assert result.exit_code == 0
    assert governance(result) == ["lifecycle-draft-exempt"]


def test_unrelated_metadata_edit_is_silent(gov: GateRepo) -> None:
    def edit(m: dict[str, Any]) -> None:
        m["summary"] = "An order was placed (now with a summary)."
        m["consumers"][0]["fields"] = ["total.amount", "orderId"]
        m["tags"] = ["orders"]

    gov.edit(EVENT, meta(edit))
    result = gov.check()
    assert result.exit_code == 0
    assert result.findings == ()


# -- producers, consumers, handlers, owner ------------------------------------------------------


def test_producer_removed_warns_and_names_the_consumers(gov: GateRepo) -> None:
    gov.edit(EVENT, meta(lambda m: m.__setitem__("producers", ["order-service"])))
    result = gov.check()
    assert result.exit_code == 0
    [finding] = result.findings
    assert (finding.rule, finding.severity) == ("producer-removed", Severity.WARNING)
    assert "legacy-order-service" in finding.message
    assert "billing-service, shipping-service" in finding.message
    assert finding.line == gov.line_of(EVENT, '"producers"')


def test_producer_added_is_silent(gov: GateRepo) -> None:
    gov.edit(EVENT, meta(lambda m: m["producers"].append("audit-service")))
    assert gov.check().findings == ()


def test_consumer_added_and_removed_warn(gov: GateRepo) -> None:
    def swap(m: dict[str, Any]) -> None:
        m["consumers"] = [m["consumers"][0], {"service": "audit-service", "handler": "Record"}]

    gov.edit(EVENT, meta(swap))
    result = gov.check()
    assert result.exit_code == 0
    assert governance(result) == ["consumer-added", "consumer-removed"]
    [added] = only(result, "consumer-added")
    assert "audit-service (Record) now consumes the event" in added.message
    assert "owner team-a and producers legacy-order-service, order-service" in added.message
    assert added.line == gov.line_of(EVENT, '"service": "audit-service"') - 1
    [removed] = only(result, "consumer-removed")
    assert "shipping-service (ScheduleShipment)" in removed.message
    assert removed.severity is Severity.WARNING


def test_handler_renamed_warns(gov: GateRepo) -> None:
    gov.edit(EVENT, meta(lambda m: m["consumers"][0].__setitem__("handler", "HandleOrderPlaced")))
    [finding] = gov.check().findings
    assert finding.rule == "handler-renamed"
    assert "'OnOrderPlaced' to 'HandleOrderPlaced'" in finding.message
    assert finding.pointer == "/x-eventcat/consumers/0/handler"
    assert dict(finding.details)["affected"] == ["billing-service"]


def test_consumers_reordered_is_silent(gov: GateRepo) -> None:
    gov.edit(EVENT, meta(lambda m: m.__setitem__("consumers", m["consumers"][::-1])))
    assert gov.check().findings == ()


def test_owner_changed_warns(gov: GateRepo) -> None:
    gov.edit(EVENT, meta(lambda m: m.__setitem__("owner", "team-b")))
    [finding] = gov.check().findings
    assert finding.rule == "owner-changed" and finding.severity is Severity.WARNING
    assert "from team-a to team-b" in finding.message
    assert {"team-a", "team-b", "billing-service", "shipping-service"} <= set(
        dict(finding.details)["affected"]
    )


# -- criticality and delivery -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("edit", "rule"),
    [
        (lambda m: m.__setitem__("criticality", "low"), "criticality-lowered"),
        (lambda m: m.pop("criticality"), "criticality-lowered"),
        (lambda m: m["delivery"].__setitem__("guarantee", "at-most-once"), "delivery-weakened"),
        (lambda m: m["delivery"].__setitem__("ordering", "none"), "delivery-weakened"),
    ],
)
def test_weakened_levels_warn(
    gov: GateRepo, edit: Callable[[dict[str, Any]], None], rule: str
) -> None:
    gov.edit(EVENT, meta(edit))
    result = gov.check()
    assert result.exit_code == 0
    [finding] = result.findings
    assert finding.rule == rule and finding.severity is Severity.WARNING
    assert "billing-service, shipping-service" in finding.message


@pytest.mark.parametrize(
    "edit",
    [
        lambda m: m.__setitem__("criticality", "critical"),
        lambda m: m["delivery"].__setitem__("guarantee", "exactly-once"),
        lambda m: m["delivery"].__setitem__("ordering", "global"),
    ],
)
def test_strengthened_levels_are_silent(
    gov: GateRepo, edit: Callable[[dict[str, Any]], None]
) -> None:
    gov.edit(EVENT, meta(edit))
    assert gov.check().findings == ()


# -- catalog.yaml declarations ------------------------------------------------------------------


def settings_without(*names: str) -> str:
    """SETTINGS without the named declarations (the ``  id:`` line and its indented body)."""
    kept: list[str] = []
    skipping = False
    for line in SETTINGS.splitlines(keepends=True):
        if line.startswith("  ") and not line.startswith("    "):
            skipping = line.strip().rstrip(":") in names
        elif not line.startswith("    "):
            skipping = False
        if not skipping:
            kept.append(line)
    return "".join(kept)


def test_removed_service_still_produced_fails_at_catalog_yaml(gov: GateRepo) -> None:
    gov.write("catalog.yaml", settings_without("legacy-order-service"))
    result = gov.check()
    assert result.exit_code == 1
    [finding] = result.failing
    assert finding.rule == "declaration-removed"
    assert finding.file == "catalog.yaml" and finding.pointer == "/services"
    assert finding.line == gov.line_of("catalog.yaml", "services:")
    assert "service 'legacy-order-service'" in finding.message
    assert f"{EVENT} (producer)" in finding.message
    # the event file itself did not change: it was found by searching the work tree
    assert [j.path for j in result.run.judged] == []


def test_removed_consumer_service_fails(gov: GateRepo) -> None:
    gov.write("catalog.yaml", settings_without("shipping-service"))
    [finding] = gov.check().failing
    assert f"{EVENT} (consumer)" in finding.message


def test_removed_team_named_by_events_and_declarations_fails(gov: GateRepo) -> None:
    gov.write("catalog.yaml", settings_without("team-a"))
    [finding] = gov.check().failing
    assert "team 'team-a'" in finding.message
    assert f"{EVENT} (owner)" in finding.message
    assert "catalog.yaml services.order-service (owner)" in finding.message
    assert "catalog.yaml domains.orders (owner)" in finding.message


def test_removed_domain_with_events_fails(gov: GateRepo) -> None:
    gov.write("catalog.yaml", settings_without("orders"))
    [finding] = gov.check().failing
    assert "domain 'orders'" in finding.message
    assert "orders/OrderPlaced_v1.schema.json (in its folder)" in finding.message


def test_removing_unused_declarations_passes(gov: GateRepo) -> None:
    gov.write("catalog.yaml", settings_without("unused-service", "team-unused", "archive"))
    result = gov.check()
    assert result.exit_code == 0, [f.render() for f in result.findings]
    assert governance(result) == []


def test_service_removed_together_with_its_last_use_passes(gov: GateRepo) -> None:
    gov.write("catalog.yaml", settings_without("legacy-order-service"))
    gov.edit(EVENT, meta(lambda m: m.__setitem__("producers", ["order-service"])))
    result = gov.check()
    assert result.exit_code == 0
    assert governance(result) == ["producer-removed"]


def test_metadata_break_can_be_waived(gov: GateRepo) -> None:
    gov.edit(EVENT, meta(lambda m: m["channel"].__setitem__("routingKey", "order.created")))
    gov.write(
        "waivers.yaml",
        (
            "waivers:\n"
            "  - event: OrderPlaced\n"
            "    version: 1\n"
            "    change: channel-changed\n"
            "    pointer: /x-eventcat/channel/routingKey\n"
            "    reason: both consumers bind order.created since release 42\n"
            "    owner: team-a\n"
            "    expires: 2026-12-31\n"
        ),
    )
    result = gov.check()
    assert result.exit_code == 0, [f.render() for f in result.findings]
    [finding] = only(result, "channel-changed")
    assert finding.severity is Severity.INFO and "waived" in finding.message
