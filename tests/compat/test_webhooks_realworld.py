"""Verdicts on GitHub's real webhook schemas (npm ``@octokit/webhooks-schemas``, MIT), checked by
hand against the upstream diff.

The package tarballs are not vendored (about 50 kB each, fetched by ``npm pack``): the test reads
them from the benchmark's cache and skips, saying how to fetch them, when they are absent. Fetch:
``python bench/bench_realworld.py`` (or ``npm pack`` each of @octokit/webhooks-schemas@6.7.0,
6.10.0, 7.0.2, 7.0.3, 7.3.1, 7.4.0, 7.5.1 and 7.6.1 ``--pack-destination ~/.cache/eventcat-bench``).

Hand-checked findings, each with why it is right in its test: 16 proved breaks and 2 honest
"unknown"s (7.5.1 -> 7.6.1), 1 suspected break that is not one (7.0.2 -> 7.0.3), 6 proved breaks
and 1 policy-only change (6.7.0 -> 6.10.0), 6 proved breaks of a typo-fix rename (7.3.1 -> 7.4.0).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from eventcat.catalog.loader import read_catalog
from eventcat.catalog.validation import CatalogValidation
from eventcat.compat import compare
from tests.webhooks import write_catalog


def _catalogs(tmp_path: Path, old: str, new: str) -> tuple[Any, Any]:
    out = []
    for version in (old, new):
        out.append(read_catalog(write_catalog(version, tmp_path / version)))
    return out[0], out[1]


def _reports(old: Any, new: Any, paths: list[str]) -> dict[str, Any]:
    return {
        p: compare(
            old.files[p].schema,
            new.files[p].schema,
            policy="LENIENT",
            old_resolver=old.resolver(p),
            new_resolver=new.resolver(p),
        )
        for p in paths
    }


def _categories(value: Any) -> Any:
    """Every discussion category object in an instance (and the one ``changes`` came from)."""
    if isinstance(value, dict):
        for key, sub in value.items():
            if key == "category" and isinstance(sub, dict):
                yield sub.get("from", sub) if set(sub) == {"from"} else sub
            yield from _categories(sub)
    elif isinstance(value, list):
        for sub in value:
            yield from _categories(sub)


def test_closed_discussion_category_gaining_required_node_id_is_proved_breaking(
    tmp_path: Path,
) -> None:
    """7.5.1 -> 7.6.1: upstream moved the discussion ``category`` object into a shared
    definition and added ``node_id`` to its ``required`` list, while it stays closed
    (``additionalProperties: false``). No old event can carry ``node_id``, so every old
    discussion event is rejected: a real break, once per event that embeds a category (the
    ``discussion`` and ``discussion_comment`` webhooks, and ``changes.category.from`` /
    ``changes.new_discussion.category`` where the action has them). Each finding below is that
    one cause, proved by an instance: valid under the old catalog, rejected by the new one, and
    its category has no ``node_id``."""
    old, new = _catalogs(tmp_path, "7.5.1", "7.6.1")
    paths = sorted(p for p in new.files if p in old.files and p.startswith("discussion"))
    assert len(paths) >= 16
    checked_old, checked_new = CatalogValidation(old), CatalogValidation(new)
    proved = []
    unproved = []
    for path, report in _reports(old, new, paths).items():
        for change in report.changes:
            if change.suspected and not change.breaking:
                # The same cause through an ``allOf`` the search could not satisfy within budget:
                # a true break the engine cannot prove, so it must say "unknown", never "breaking".
                assert change.basis == "unknown" and change.reason
                unproved.append((path, change.type, change.new_pointer))
            if not change.breaking:
                continue
            assert change.basis == "proof" and change.has_counterexample
            instance = change.counterexample
            # an independent check, with the catalog's own validators
            assert checked_old.instance_errors(old.files[path], instance) == []
            assert checked_new.instance_errors(new.files[path], instance) != []
            # the cause: a category (or the category it changed ``from``) without node_id
            found = list(_categories(instance))
            assert found and all("node_id" not in c for c in found), instance
            proved.append((path, change.type, change.new_pointer))
            if change.type == "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL":
                assert re.search(
                    r"/category/properties/(from/properties/)?node_id$", change.new_pointer
                ), change.new_pointer
    assert len(proved) >= 16, proved  # measured: 16 proved, the rest "unknown"
    assert len(proved) + len(unproved) >= 18, (proved, unproved)  # measured: 16 + 2
    assert {p for p, _, _ in proved} >= {
        "discussion/DiscussionCreated_v1.schema.json",
        "discussion/DiscussionCategoryChanged_v1.schema.json",
        "discussion-comment/DiscussionCommentCreated_v1.schema.json",
    }


def test_enum_fix_that_only_widens_an_intersection_is_not_called_breaking(tmp_path: Path) -> None:
    """7.0.2 -> 7.0.3: ``secret_scanning_alert.resolved`` overrides ``alert`` with
    ``allOf: [$ref SecretScanningAlert, {resolution: enum [..., "wontfix", ...]}]``; upstream
    renamed "wontfix" to "wont_fix". The shared definition already allowed only "wont_fix", so
    under the old schema "wontfix" was in one branch but not the other: no old event carried
    it, and the fix only widens what is accepted. The rules suspect a break (a branch changed),
    but no instance proves one: the answer must not be "breaking"."""
    old, new = _catalogs(tmp_path, "7.0.2", "7.0.3")
    path = "secret-scanning-alert/SecretScanningAlertResolved_v1.schema.json"
    report = _reports(old, new, [path])[path]
    assert report.verdict != "breaking"
    assert not any(c.breaking for c in report.changes)
    [suspect] = [c for c in report.changes if c.suspected]
    assert suspect.basis == "unknown" and suspect.new_pointer == "/properties/alert"
    assert "no counterexample" in suspect.reason


def _proved(old: Any, new: Any, path: str, report: Any) -> list[tuple[Any, Any]]:
    """(change, counterexample) of every breaking change, each instance checked independently
    with the catalogs' own validators: valid under the old catalog, rejected by the new one."""
    checked_old, checked_new = CatalogValidation(old), CatalogValidation(new)
    found = []
    for change in report.changes:
        if not change.breaking:
            continue
        assert change.basis == "proof" and change.has_counterexample, change
        instance = change.counterexample
        assert checked_old.instance_errors(old.files[path], instance) == []
        assert checked_new.instance_errors(new.files[path], instance) != []
        found.append((change, instance))
    return found


def test_six_seven_to_six_ten_breaks_and_policy_changes_checked_against_the_upstream_diff(
    tmp_path: Path,
) -> None:
    """6.7.0 -> 6.10.0, seven findings, each read off the upstream diff:

    - ``package.package_type``'s enum spelled ``"container"`` as ``"CONTAINER"`` (upstream
      uppercased the value): every old ``container`` package event is rejected. Two findings,
      ``package.published`` and ``package.updated``, each proved by an instance whose
      ``package_type`` is ``"container"``.
    - ``organization.renamed`` gained a required ``changes`` object (closed payload): no old
      event has it, so each is rejected; proved by an instance without ``changes``.
    - the same event dropped ``membership`` from its properties. Under the catalog's LENIENT
      policy a consumer ignores a field it does not know, so old events still validate: not a
      break, but it is not additive either, so it is labelled *policy* (never "breaking").
    - the shared ``WorkflowJob`` object (closed) added ``workflow_name`` to ``required``: the
      three ``workflow_job`` actions reject every old event; three findings, each proved by an
      instance whose ``workflow_job`` has no ``workflow_name``.
    """
    old, new = _catalogs(tmp_path, "6.7.0", "6.10.0")
    package = ["package/PackagePublished_v1.schema.json", "package/PackageUpdated_v1.schema.json"]
    renamed = "organization/OrganizationRenamed_v1.schema.json"
    jobs = [
        f"workflow-job/WorkflowJob{action}_v1.schema.json"
        for action in ("Completed", "InProgress", "Queued")
    ]
    reports = _reports(old, new, [*package, renamed, *jobs])
    checked = 0
    for path in package:
        proofs = _proved(old, new, path, reports[path])
        assert any(i["package"]["package_type"] == "container" for _, i in proofs), path
        checked += 1

    proofs = _proved(old, new, renamed, reports[renamed])
    [(added, instance)] = [
        (c, i) for c, i in proofs if c.type == "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL"
    ]
    assert added.new_pointer.endswith("/changes") and "changes" not in instance
    [removed] = [c for c in reports[renamed].changes if c.old_pointer == "/properties/membership"]
    assert removed.type == "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL"
    assert not removed.breaking and removed.basis == "policy"
    checked += 2

    for path in jobs:
        proofs = _proved(old, new, path, reports[path])
        assert proofs and all("workflow_name" not in i["workflow_job"] for _, i in proofs), path
        checked += 1
    assert checked == 7


def test_a_typo_fix_in_a_closed_shared_object_is_a_proved_rename(tmp_path: Path) -> None:
    """7.3.1 -> 7.4.0: upstream fixed the typo ``is_custom_ammount`` -> ``is_custom_amount`` in
    the shared ``SponsorshipTier`` object, which is closed and requires the field. Every old
    sponsorship event carries ``tier.is_custom_ammount`` and no ``is_custom_amount``, so the new
    schema rejects it: a real break for each of the six sponsorship actions, proved by such an
    instance. (The gate folds the removal and the addition into one ``property-renamed``
    finding at the fragment; here each event's proof is checked.)"""
    old, new = _catalogs(tmp_path, "7.3.1", "7.4.0")
    paths = sorted(p for p in new.files if p.startswith("sponsorship/") and p in old.files)
    assert len(paths) == 6
    for path, report in _reports(old, new, paths).items():
        proofs = _proved(old, new, path, report)
        assert proofs, path
        for _, instance in proofs:
            tier = instance["sponsorship"]["tier"]
            assert "is_custom_ammount" in tier and "is_custom_amount" not in tier, tier
