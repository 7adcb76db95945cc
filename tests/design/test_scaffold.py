"""Scaffolding a new event: names by the catalog's conventions, x-eventcat from catalog.yaml."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from eventcat.catalog.loader import read_catalog
from eventcat.design import event_type_for, open_catalog, scaffold_event, title_for
from eventcat.errors import UsageError
from eventcat.lint import lint_catalog
from tests.design.conftest import PRODUCT_UPDATED


@pytest.mark.parametrize(
    ("domain", "name", "expected"),
    [
        ("ai-generation", "AIGenerationJobRequested", "ai.generation.job_requested.v1"),
        (
            "campaign-management",
            "CampaignBudgetExhausted",
            "campaign.management.budget_exhausted.v1",
        ),
        (
            "notifications",
            "NotificationDispatchRequested",
            "notifications.notification_dispatch_requested.v1",
        ),
        ("orders", "OrderPlaced", "orders.order_placed.v1"),
        ("user-account", "UserEmailVerified", "user.account.email_verified.v1"),
        ("billing", "HTTPWebhookFailed", "billing.http_webhook_failed.v1"),
    ],
)
def test_event_type_convention(domain: str, name: str, expected: str) -> None:
    assert event_type_for(domain, name) == expected


def test_title_keeps_acronyms() -> None:
    assert title_for("AIGenerationJobRequested") == "AI generation job requested"
    assert title_for("OrderPlaced") == "Order placed"


def test_defaults_come_from_catalog_yaml(catalog_copy: Path) -> None:
    catalog = read_catalog(catalog_copy)
    draft = scaffold_event(
        catalog, "ProductPriceDropped", "product-catalog", samples=PRODUCT_UPDATED,
        today=dt.date(2026, 1, 2),
    )  # fmt: skip
    meta = draft.schema["x-eventcat"]
    assert draft.path == "product-catalog/ProductPriceDropped_v1.schema.json"
    assert meta["eventType"] == "product.catalog.price_dropped.v1"
    assert meta["owner"] == catalog.domains["product-catalog"].owner
    first_service = next(k for k, s in catalog.services.items() if s.domain == "product-catalog")
    assert meta["producers"] == [first_service]
    assert meta["lifecycle"] == {"status": "draft", "since": "2026-01-02"}
    assert draft.schema["examples"] == PRODUCT_UPDATED
    assert draft.schema["title"] == "Product price dropped"


@pytest.mark.parametrize(
    ("name", "domain", "rule", "message"),
    [
        (
            "order_placed",
            "ai-generation",
            "event-name",
            "event name 'order_placed' is not PascalCase",
        ),
        (
            "OrderPlaced_v2",
            "ai-generation",
            "event-name",
            "carries a version; name it 'OrderPlaced'",
        ),
        ("Order Placed", "ai-generation", "event-name", "is not PascalCase"),
        ("../Evil", "ai-generation", "event-name", "is not PascalCase"),
        (
            "OrderPlaced",
            "Orders",
            "domain-undeclared",
            "domain 'Orders' is not a kebab-case folder",
        ),
        (
            "OrderPlaced",
            "warehouse",
            "domain-undeclared",
            "domain folder 'warehouse' is not declared",
        ),
        ("AIGenerationJobRequested", "ai-generation", "event-name-duplicate", "already exists"),
    ],
)
def test_bad_names_are_refused_with_lint_rule_ids(
    catalog_copy: Path, name: str, domain: str, rule: str, message: str
) -> None:
    with pytest.raises(UsageError) as caught:
        scaffold_event(read_catalog(catalog_copy), name, domain)
    (problem,) = caught.value.problems
    assert problem.rule == rule
    assert message in problem.message


def test_empty_scaffold_lints_clean(catalog_copy: Path) -> None:
    cat = open_catalog(catalog_copy)
    version = cat.add(cat.new_event("CampaignArchived", "campaign-management"))
    assert version.schema["properties"] == {}
    assert not [f for f in lint_catalog(read_catalog(catalog_copy)) if f.severity == "error"]


def test_unknown_kind_is_refused(catalog_copy: Path) -> None:
    with pytest.raises(UsageError, match="kind 'event' is not one of domain, command"):
        scaffold_event(read_catalog(catalog_copy), "CampaignArchived", "campaign-management",
                       kind="event")  # fmt: skip
