"""Fixtures for the generator tests: generate into tmp folders, run the result in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from eventcat.gen import GenResult, generate_python

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_CATALOG = ROOT / "catalog"


@pytest.fixture(scope="session", autouse=True)
def warm_generator() -> Iterator[None]:
    """Warm datamodel-code-generator up once: forked workers inherit it (saves ~1 s a run)."""
    from eventcat.gen.engine import _WARM_UP, generate_one

    generate_one(_WARM_UP)
    yield


def run_python(out: Path, code: str, cwd: Path | None = None) -> Any:
    """Run ``code`` with the generated package importable; return what it prints as JSON."""
    env = {**os.environ, "PYTHONPATH": str(out), "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd or out,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout) if result.stdout.strip() else None


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.fixture
def gen(tmp_path: Path) -> Callable[..., GenResult]:
    def run(
        catalog: Path, out: Path | None = None, package: str = "events_pkg", **kwargs: Any
    ) -> GenResult:
        return generate_python(catalog, out or tmp_path / "out", package, **kwargs)

    return run
