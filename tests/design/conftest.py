"""Fixtures of the design tests: a writable copy of the example catalog, and sample payloads
modelled on the two event-catalog specifications in ../shared/seeds (000 CreativeFlow, 001
AdManager), with the mixed and missing fields real samples have."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLE_CATALOG

# Seed 000, EVT-AIGR-001 AIGenerationJobRequested: styleGuidance, brandKitId, customDimensions and
# uploadedImageReferences are optional; maxSamples is an integer; initialResolution e.g. '512x512'.
JOB_REQUESTED: list[dict[str, Any]] = [
    {
        "userId": "a531db5f-c0de-4404-8d06-1afc9eb05dd2",
        "projectId": "d59e14d5-89b4-41e9-8ccb-a19f76f588f9",
        "generationRequestId": "9382bd6c-ab84-4b28-ae2d-8347daac0ee3",
        "prompt": "Autumn sale banner with a steaming coffee cup",
        "styleGuidance": "photorealistic",
        "brandKitId": "547069b1-2660-48e6-bd59-9abb20b653b9",
        "outputFormats": [
            {"platform": "instagram-post", "aspectRatio": "4:5"},
            {"platform": "instagram-story", "aspectRatio": "9:16"},
        ],
        "customDimensions": {"width": 1080, "height": 1350, "unit": "px"},
        "uploadedImageReferences": ["cf-uploads/a531db5f/cup.png"],
        "maxSamples": 4,
        "initialResolution": "512x512",
    },
    {
        "userId": "a531db5f-c0de-4404-8d06-1afc9eb05dd2",
        "projectId": "d59e14d5-89b4-41e9-8ccb-a19f76f588f9",
        "generationRequestId": "77ff9920-ffba-4c31-875d-b52447dd4777",
        "prompt": "Minimal logo-style icon of a coffee bean",
        "outputFormats": [{"platform": "web-banner", "aspectRatio": "1:1"}],
        "maxSamples": 2,
        "initialResolution": "512x512",
    },
    {
        "userId": "0c7e3f1a-5b2d-4e8f-9a6c-1d2e3f4a5b6c",
        "projectId": "e2f3a4b5-c6d7-4e8f-9a0b-1c2d3e4f5a6b",
        "generationRequestId": "3c1a9e4d-6f2b-4d8a-b7e5-1f0c2d3e4a5b",
        "prompt": "Spring collection lookbook cover",
        "styleGuidance": None,
        "outputFormats": [{"platform": "instagram-post", "aspectRatio": "1:1"}],
        "uploadedImageReferences": [],
        "maxSamples": 8,
        "initialResolution": "768x768",
    },
]

# Seed 001, evt_prod_core_upd_001 ProductCoreDataUpdatedEvent: productId, operationType and
# timestamp required, changedAttributes optional.
PRODUCT_UPDATED: list[dict[str, Any]] = [
    {
        "productId": "prod-18273",
        "merchantId": "8c5a2f0e-7d3b-4c1a-9e6f-2b4d6f8a0c1e",
        "operationType": "update",
        "changedAttributes": {"price": {"amount": "24.90", "currency": "EUR"}, "stock": 12},
        "timestamp": "2026-11-20T09:15:02.123Z",
        "sourceUrl": "https://shop.example/products/prod-18273",
    },
    {
        "productId": "prod-99120",
        "merchantId": "8c5a2f0e-7d3b-4c1a-9e6f-2b4d6f8a0c1e",
        "operationType": "create",
        "timestamp": "2026-11-20T10:01:00Z",
        "sourceUrl": "https://shop.example/products/prod-99120",
    },
    {
        "productId": "prod-18273",
        "merchantId": "1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a10",
        "operationType": "update",
        "changedAttributes": None,
        "timestamp": "2026-11-21T16:40:00+01:00",
        "sourceUrl": "https://shop.example/products/prod-18273?variant=2",
    },
    {
        "productId": "prod-5521",
        "merchantId": "1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a10",
        "operationType": "delete",
        "timestamp": "2026-11-22T08:00:00Z",
        "sourceUrl": "https://shop.example/products/prod-5521",
    },
]


def tree_digest(root: Path) -> str:
    """One digest of every file's path and bytes under ``root``."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.fixture
def catalog_copy(tmp_path: Path) -> Path:
    """A writable copy of the example catalog."""
    target = tmp_path / "catalog"
    shutil.copytree(EXAMPLE_CATALOG, target)
    return target
