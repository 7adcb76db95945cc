"""GitHub's webhook payload schemas for the tests that use them (npm ``@octokit/webhooks-schemas``,
MIT): a cached version converted to a catalog, or a skip that says how to fetch it.

The tarballs are not vendored: ``python bench/bench_realworld.py`` fetches every pinned version
into ``~/.cache/eventcat-bench`` (or ``npm pack @octokit/webhooks-schemas@VERSION
--pack-destination ~/.cache/eventcat-bench``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))

from realworld_webhooks import CACHE, VERSIONS, bundle, convert, versioned, write

__all__ = ["VERSIONS", "catalog_files", "versioned", "write", "write_catalog"]


def catalog_files(version: str) -> dict[str, Any]:
    """The catalog files of ``version`` (path -> content), or skip the test when not cached."""
    tarball = CACHE / f"octokit-webhooks-schemas-{version}.tgz"
    if not tarball.exists():
        pytest.skip(
            f"{tarball} is not cached: run `npm pack @octokit/webhooks-schemas@{version} "
            f"--pack-destination {CACHE}` (or bench/bench_realworld.py)"
        )
    return convert(bundle(tarball))


def write_catalog(version: str, folder: Path) -> Path:
    """``version`` written as a catalog into ``folder``; returns it."""
    write(catalog_files(version), folder)
    return folder
