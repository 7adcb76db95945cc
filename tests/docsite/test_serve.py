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
from typing import Any

import pytest

from tests.conftest import ROOT, event_schema
from tests.docsite.conftest import MKDOCS_YML, without_wbr

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


# -- dirty rebuilds, driven as ``mkdocs serve --dirty`` drives MkDocs ------------------------------
#
# mkdocs/commands/serve.py: one ``on_startup(command="serve", dirty=True)``, then for the first
# build and each rebuild a fresh ``load_config`` (the plugin instance is kept: it has on_startup)
# and ``build(config, serve_url=…, dirty=True)``. In-process, so the test can look at the plugin.

SERVE_URL = "http://127.0.0.1:8000/"
_FRESH_BUILD = """\
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
build(load_config(sys.argv[1], site_dir=sys.argv[2]))
"""


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def _project(catalog: Path, tmp_path: Path) -> Path:
    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)
    (project / "docs" / "guide.md").write_text("# Guide\n", encoding="utf-8")
    config_file = project / "mkdocs.yml"
    config_file.write_text(MKDOCS_YML.format(catalog=catalog, history="false"), encoding="utf-8")
    return config_file


def _edit(catalog: Path, description: str) -> None:
    """The author edits OrderPlaced v2: a new description and a new property."""
    edited = catalog / "orders" / "OrderPlaced_v2.schema.json"
    schema = json.loads(edited.read_text(encoding="utf-8"))
    schema["description"] = description
    schema["properties"]["giftWrap"] = {"type": "boolean"}
    time.sleep(0.01)  # MkDocs compares mtimes; a coarse clock must see the edit as later
    edited.write_text(json.dumps(schema, indent=2), encoding="utf-8")


def _shutdown(config: Any) -> None:
    config.plugins.on_shutdown()
    # Material's search plugin keeps a dirty build's index for the next one, for the whole
    # process (a new ``mkdocs serve`` starts without it): later builds of this process must too.
    search = config.plugins["material/search"]
    search.is_dirty, search.search_index_prev = False, None


@pytest.fixture
def four_versions(make_catalog: Callable[..., Path]) -> Path:
    """OrderPlaced v1 to v3 and an unrelated OrderCancelled v1."""
    from tests.docsite.site12 import three_versions

    unrelated = event_schema(
        "orders.order_cancelled.v1", title="Order cancelled", description="It was cancelled."
    )
    return make_catalog({**three_versions(), "orders/OrderCancelled_v1.schema.json": unrelated})


def test_serve_rebuild_renders_only_changed_versions_and_equals_a_fresh_build(
    four_versions: Path, tmp_path: Path
) -> None:
    """``mkdocs serve`` (not dirty): every page is rebuilt, but the version pages whose inputs
    did not change come from the plugin's memo; the site is byte for byte a fresh build's."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config_file = _project(four_versions, tmp_path)
    site = tmp_path / "site"
    config = load_config(str(config_file), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        build(config, serve_url=SERVE_URL)
        plugin = config.plugins["eventcat"]
        assert plugin.memo is not None and (plugin.memo.hits, plugin.memo.misses) == (0, 4)
        _edit(four_versions, "Edited while serving.")
        again = load_config(str(config_file), site_dir=str(site))
        assert again.plugins["eventcat"] is plugin  # as under serve: the same instance
        build(again, serve_url=SERVE_URL)
        # v2 (its file) and v3 (its changes from v2) rendered; v1 and OrderCancelled kept
        assert (plugin.memo.hits, plugin.memo.misses) == (2, 2)
    finally:
        _shutdown(config)
    assert plugin.memo is None  # later builds in this process are plain builds

    fresh = tmp_path / "fresh"
    subprocess.run(
        [sys.executable, "-c", _FRESH_BUILD, str(config_file), str(fresh)],
        check=True,
        cwd=config_file.parent,
        env={
            **os.environ,
            "NO_MKDOCS_2_WARNING": "1",
            "PYTHONPATH": os.pathsep.join(
                [str(ROOT / "tooling"), os.environ.get("PYTHONPATH", "")]
            ),
        },
    )
    ours, theirs = _files(site), _files(fresh)
    assert "Edited while serving." in ours["events/OrderPlaced/v2/index.html"].decode()
    assert sorted(ours) == sorted(theirs)
    assert [name for name in ours if ours[name] != theirs[name]] == []


def test_dirty_serve_rebuild_rewrites_only_the_pages_an_edit_changes(
    four_versions: Path, tmp_path: Path
) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config_file = _project(four_versions, tmp_path)
    site = tmp_path / "site"
    config = load_config(str(config_file), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=True)
    try:
        build(config, serve_url=SERVE_URL, dirty=True)  # serve --dirty's first build is dirty too
        plugin = config.plugins["eventcat"]
        other = site / "events" / "OrderCancelled" / "v1" / "index.html"
        before = other.stat()
        pages = {p: p.stat().st_mtime_ns for p in site.rglob("*.html")}

        _edit(four_versions, "Now with gift wrapping, edited while serving.")
        build(load_config(str(config_file), site_dir=str(site)), serve_url=SERVE_URL, dirty=True)

        assert plugin.memo is not None and (plugin.memo.hits, plugin.memo.misses) == (2, 2)
        v2 = (site / "events" / "OrderPlaced" / "v2" / "index.html").read_text(encoding="utf-8")
        assert "Now with gift wrapping, edited while serving." in v2
        v3 = (site / "events" / "OrderPlaced" / "v3" / "index.html").read_text(encoding="utf-8")
        assert "giftWrap" in without_wbr(v3)  # v3's changes from v2: the property is gone again
        after = other.stat()  # the unrelated event's page was not written at all
        assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
        rewritten = sorted(
            p.relative_to(site).as_posix()
            for p, mtime in pages.items()
            if p.stat().st_mtime_ns != mtime
        )
        assert "events/OrderPlaced/v2/index.html" in rewritten
        assert len(rewritten) < len(pages) / 2, rewritten
        # Material's search keeps the entries of the pages it did not see again
        index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
        assert "It was cancelled." in index and "Now with gift wrapping" in index
    finally:
        _shutdown(config)
    assert plugin.memo is None and plugin.sources is None
