"""``mkdocs serve`` watches the catalog: editing a schema or catalog.yaml rebuilds the site.

A real ``mkdocs serve`` subprocess on 127.0.0.1 serves a small catalog; the test edits files the
way an author does and reads the pages again over HTTP until they change (or a minute passes).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, event_schema
from tests.docsite.conftest import MKDOCS_YML

pytestmark = pytest.mark.xdist_group("site")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, OSError):
        return None


def _wait_for(url: str, wanted: str, seconds: float = 90) -> str:
    deadline = time.monotonic() + seconds
    page = None
    while time.monotonic() < deadline:
        page = _get(url)
        if page is not None and wanted in page:
            return page
        time.sleep(0.5)
    raise AssertionError(f"{url} never showed {wanted!r}; last: {(page or '')[:200]!r}")


@pytest.fixture
def served(make_catalog: Callable[..., Path], tmp_path: Path) -> Iterator[tuple[Path, str]]:
    catalog = make_catalog()
    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)
    (project / "docs" / "guide.md").write_text("# Guide\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        MKDOCS_YML.format(catalog=catalog, history="false"), encoding="utf-8"
    )
    address = f"127.0.0.1:{_free_port()}"
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "tooling"), os.environ.get("PYTHONPATH", "")]),
    }
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-f", str(project / "mkdocs.yml"), "-a", address],
        cwd=project,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield catalog, f"http://{address}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def test_serve_rebuilds_when_a_schema_or_catalog_yaml_changes(served: tuple[Path, str]) -> None:
    catalog, base = served
    page = f"{base}/events/OrderPlaced/v1/"
    _wait_for(page, "OrderPlaced")
    assert "Placed by a shopper who just read this sentence" not in (_get(page) or "")

    schema_file = catalog / "orders" / "OrderPlaced_v1.schema.json"
    schema = event_schema()
    schema["description"] = "Placed by a shopper who just read this sentence."
    schema_file.write_text(json.dumps(schema, indent=2), encoding="utf-8")
    _wait_for(page, "Placed by a shopper who just read this sentence.")

    settings = catalog / "catalog.yaml"
    text = settings.read_text(encoding="utf-8")
    assert "name:" in text
    settings.write_text(
        "\n".join(
            "name: Renamed while serving" if line.startswith("name:") else line
            for line in text.splitlines()
        )
        + "\n",
        encoding="utf-8",
    )
    _wait_for(f"{base}/", "Renamed while serving")
