"""The gate's per-file policy, in real git repositories with real commits (core called in-process)."""

from __future__ import annotations

from typing import Any

import pytest

from eventcat.errors import InputError
from eventcat.report.findings import Severity
from eventcat.report.run import Changed
from tests.gate.conftest import EVENT, MONEY, GateRepo, event_schema, failing_rules, rules


def add_optional(schema: dict[str, Any]) -> None:
    schema["properties"]["channel"] = {"type": "string"}


def add_required(schema: dict[str, Any]) -> None:
    schema["properties"]["customerId"] = {"type": "string"}
    schema["required"].append("customerId")


def test_additive_change_passes(repo: GateRepo) -> None:
    repo.edit(EVENT, add_optional)
    result = repo.check()
    assert result.exit_code == 0, [f.render() for f in result.findings]
    assert [j.event for j in result.run.judged] == ["OrderPlaced_v1"]
    assert result.run.changed == (Changed(EVENT, "M"),)


def test_no_change_passes_and_judges_nothing(repo: GateRepo) -> None:
    result = repo.check()
    assert result.exit_code == 0
    assert result.findings == ()
    assert result.run.judged == ()


def test_breaking_change_in_place_fails_and_names_the_next_version(repo: GateRepo) -> None:
    repo.edit(EVENT, add_required)
    result = repo.check()
    assert result.exit_code == 1
    [finding] = result.failing
    assert finding.rule == "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"
    assert finding.file == EVENT
    assert finding.line == repo.line_of(EVENT, '"customerId": {')
    assert "publish `OrderPlaced_v2.schema.json`" in finding.message
    assert "Counterexample" in finding.message
    details = dict(finding.details)
    assert details["event"] == "OrderPlaced" and details["version"] == 1
    # the counterexample is a real old event the new schema rejects
    assert "customerId" not in details["counterexample"]
    assert "orderId" in details["counterexample"]


def test_committed_change_on_the_branch_counts_too(repo: GateRepo) -> None:
    repo.edit(EVENT, add_required)
    repo.commit("break it")
    assert failing_rules(repo.check()) == ["REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"]
    # against the branch itself nothing changed
    assert repo.check(against="HEAD").exit_code == 0


def test_breaking_change_names_the_consumer_that_reads_the_field(repo: GateRepo) -> None:
    def retype_total(schema: dict[str, Any]) -> None:
        schema["properties"]["total"] = {"type": "string"}

    repo.edit(EVENT, retype_total)
    result = repo.check()
    assert result.exit_code == 1
    messages = " ".join(f.message for f in result.failing)
    assert "billing-service (OnOrderPlaced), which reads `total.amount`" in messages
    assert any("billing-service" in dict(f.details)["consumers"] for f in result.failing)


def test_change_to_an_unread_field_does_not_name_the_consumer(repo: GateRepo) -> None:
    def retype_note(schema: dict[str, Any]) -> None:
        schema["properties"]["note"] = {"type": "integer"}

    repo.edit(EVENT, retype_note)
    result = repo.check()
    assert result.exit_code == 1
    [finding] = result.failing
    assert "billing-service" not in finding.message
    assert dict(finding.details)["consumers"] == []


def test_same_change_as_a_new_version_file_passes(repo: GateRepo) -> None:
    schema = event_schema("orders.order_placed.v2")
    add_required(schema)
    schema["examples"][0]["customerId"] = "c-1"
    repo.write("orders/OrderPlaced_v2.schema.json", schema)  # untracked: counts as added
    result = repo.check()
    assert result.exit_code == 0, [f.render() for f in result.findings]
    assert result.run.changed == (Changed("orders/OrderPlaced_v2.schema.json", "A"),)


def test_new_version_compatible_with_the_previous_one_warns(repo: GateRepo) -> None:
    schema = event_schema("orders.order_placed.v2")
    add_optional(schema)
    repo.write("orders/OrderPlaced_v2.schema.json", schema)
    result = repo.check()
    assert result.exit_code == 0
    assert rules(result) == ["version-unneeded"]
    assert result.findings[0].severity is Severity.WARNING
    assert repo.check(strict=True).exit_code == 1


def test_new_version_must_follow_the_highest(repo: GateRepo) -> None:
    repo.write("orders/OrderPlaced_v3.schema.json", event_schema("orders.order_placed.v3"))
    result = repo.check()
    assert failing_rules(result) == ["version-gap"]
    assert "OrderPlaced_v2.schema.json" in result.failing[0].message


def test_deleted_version_fails(repo: GateRepo) -> None:
    repo.delete(EVENT)
    result = repo.check()
    assert result.exit_code == 1
    [finding] = result.failing
    assert finding.rule == "version-deleted"
    assert finding.file == EVENT
    assert "billing-service" in finding.message and "retired" in finding.message


def test_removal_fails_under_additive_and_passes_under_compatible(repo: GateRepo) -> None:
    def drop_note(schema: dict[str, Any]) -> None:
        del schema["properties"]["note"]

    repo.edit(EVENT, drop_note)
    result = repo.check()
    assert result.exit_code == 1
    [finding] = result.failing
    assert finding.rule == "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL"
    assert "additive" in finding.message and "OrderPlaced_v2.schema.json" in finding.message
    assert dict(finding.details)["breaking"] is False

    # The same removal in an event whose settings (at the baseline) say evolution: compatible.
    def relax(schema: dict[str, Any]) -> None:
        schema["x-eventcat"]["compatibility"] = {"evolution": "compatible"}

    repo.git("checkout", "-q", "--", ".")
    repo.git("checkout", "-q", "main")
    repo.edit(EVENT, relax)
    repo.commit("relax evolution")
    repo.git("checkout", "-q", "-b", "drop")
    repo.edit(EVENT, drop_note)
    assert repo.check().exit_code == 0


def test_settings_are_taken_from_the_baseline(repo: GateRepo) -> None:
    """A change cannot switch its own gate off."""
    repo.write(
        "catalog.yaml",
        (repo.catalog / "catalog.yaml").read_text() + "compatibility:\n  mode: NONE\n",
    )
    repo.edit(EVENT, add_required)
    result = repo.check()
    assert "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL" in failing_rules(result)
    assert "settings-changed" in rules(result)


def test_event_type_change_is_reported(repo: GateRepo) -> None:
    def rename(schema: dict[str, Any]) -> None:
        schema["x-eventcat"]["eventType"] = "orders.order_created.v1"

    repo.edit(EVENT, rename)
    result = repo.check()
    [finding] = result.failing
    assert finding.rule == "event-type-changed"
    assert finding.line == repo.line_of(EVENT, '"eventType"')
    assert "orders.order_placed.v1" in finding.message


def test_move_between_domains_is_reported_as_a_move(repo: GateRepo) -> None:
    repo.write("billing/OrderPlaced_v1.schema.json", repo.read(EVENT))
    repo.delete(EVENT)
    result = repo.check()
    assert rules(result) == ["event-moved"]
    assert result.exit_code == 0
    assert result.run.judged[0].status == "moved"


def test_changed_fragment_is_judged_through_every_user(repo: GateRepo) -> None:
    repo.git("checkout", "-q", "main")
    second = event_schema("orders.order_shipped.v1")
    second["x-eventcat"]["consumers"] = [{"service": "order-service", "fields": ["orderId"]}]
    repo.write("orders/OrderShipped_v1.schema.json", second)
    repo.write(
        "orders/Unrelated_v1.schema.json",
        {**event_schema("orders.unrelated.v1"), "properties": {"x": {"type": "string"}}},
    )
    repo.commit("more events")
    repo.git("checkout", "-q", "-b", "fragment")
    money = dict(MONEY, properties={**MONEY["properties"], "amount": {"type": "number"}})
    repo.write("_shared/Money_v1.schema.json", money)
    result = repo.check()
    assert result.exit_code == 1
    # One cause, one finding: the change in Money, with the events it reaches.
    [finding] = result.failing
    assert finding.file == "_shared/Money_v1.schema.json"
    assert finding.line == repo.line_of("_shared/Money_v1.schema.json", '"amount": {')
    assert dict(finding.details)["blast_radius"] == ["OrderPlaced_v1", "OrderShipped_v1"]
    assert "OrderPlaced_v1, OrderShipped_v1" in finding.message
    assert "billing-service" in finding.message  # reads total.amount
    assert "order-service" not in finding.message  # reads only orderId
    [info] = [f for f in result.findings if f.rule == "fragment-changed"]
    assert dict(info.details)["blast_radius"] == ["OrderPlaced_v1", "OrderShipped_v1"]
    assert "Unrelated" not in " ".join(j.event for j in result.run.judged)


def test_transitive_mode_checks_every_earlier_revision(repo: GateRepo) -> None:
    def transitive(schema: dict[str, Any]) -> None:
        schema["x-eventcat"]["compatibility"] = {
            "mode": "BACKWARD_TRANSITIVE",
            "evolution": "compatible",
        }
        schema["properties"]["code"] = {"type": "string"}

    def drop_code(schema: dict[str, Any]) -> None:
        del schema["properties"]["code"]

    def readd_code_as_integer(schema: dict[str, Any]) -> None:
        schema["properties"]["code"] = {"type": "integer"}

    repo.git("checkout", "-q", "main")
    repo.edit(EVENT, transitive)
    first = repo.commit("code is a string")
    repo.edit(EVENT, drop_code)
    repo.commit("drop code")
    repo.git("checkout", "-q", "-b", "readd")
    repo.edit(EVENT, readd_code_as_integer)
    result = repo.check()
    assert result.exit_code == 1
    [finding] = result.failing
    assert finding.rule == "TYPE_CHANGED"
    assert first[:10] in finding.message
    # without the transitive mode the same change passes against main alone
    repo.edit(EVENT, lambda s: s["x-eventcat"]["compatibility"].update(mode="BACKWARD"))
    repo.commit("not transitive on the branch")  # settings come from main: still transitive
    assert repo.check().exit_code == 1


def test_unknown_revision_is_one_clear_input_error(repo: GateRepo) -> None:
    with pytest.raises(InputError) as caught:
        repo.check(against="no-such-branch")
    [problem] = caught.value.problems
    assert "unknown revision 'no-such-branch'" in problem.message
    assert "fetch" in problem.message


def test_unreadable_changed_file_exits_2(repo: GateRepo) -> None:
    repo.write(EVENT, '{"type": "object",')
    result = repo.check()
    assert result.exit_code == 2
    assert [f.file for f in result.findings] == [EVENT]
    assert "version-deleted" not in rules(result)


def test_unrelated_files_are_not_read(repo: GateRepo) -> None:
    """Cost grows with the change: a broken file nobody touched is never opened."""
    repo.git("checkout", "-q", "main")
    repo.write("orders/Broken_v1.schema.json", "{ not json")
    repo.commit("a broken file elsewhere")
    repo.git("checkout", "-q", "-b", "next")
    repo.edit(EVENT, add_optional)
    assert repo.check().exit_code == 0


def test_symlink_in_the_baseline_tree_is_not_followed(repo: GateRepo, tmp_path: Any) -> None:
    secret = tmp_path / "secret.json"
    secret.write_text('{"type": "object"}')
    (repo.catalog / "orders" / "Linked_v1.schema.json").symlink_to(secret)
    repo.commit("a link")
    repo.delete("orders/Linked_v1.schema.json")
    result = repo.check()
    # the link was never a schema file of the baseline, so deleting it deletes no version
    assert "version-deleted" not in rules(result)
    assert result.exit_code == 0


def test_catalog_in_a_subfolder_and_run_from_elsewhere(repo: GateRepo) -> None:
    repo.edit(EVENT, add_required)
    result = repo.check()
    assert result.run.catalog_path == "catalog"
    assert result.failing[0].file == EVENT


def test_first_catalog_commit_against_an_empty_baseline(tmp_path: Any) -> None:
    from tests.gate.conftest import init_repo

    repo = init_repo(tmp_path / "fresh")
    (repo.root / "README.md").write_text("hello\n")
    repo.commit("start")
    from tests.conftest import ENVELOPE, SETTINGS

    repo.write("catalog.yaml", SETTINGS)
    repo.write("_envelope/Envelope_v1.schema.json", ENVELOPE)
    repo.write("_shared/Money_v1.schema.json", MONEY)
    repo.write(EVENT, event_schema())
    result = repo.check(against="HEAD")
    assert result.exit_code == 0, [f.render() for f in result.findings]
    assert {j.status for j in result.run.judged} == {"added"}
