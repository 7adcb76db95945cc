"""A failed or interrupted ``mkdocs build`` leaves the previous site exactly as it was."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_CATALOG, ROOT, event_schema
from tests.docsite.conftest import build

pytestmark = pytest.mark.xdist_group("site")


def snapshot(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def leftovers(folder: Path) -> list[str]:
    """Anything the build left beside the site (staging or old trees)."""
    return sorted(p.name for p in folder.glob(".site.eventcat-*"))


def written_since(folder: Path, started: int) -> bool:
    """Has a build written (or deleted) a page under ``folder`` since ``started``?"""
    try:
        return any(p.stat().st_mtime_ns >= started for p in folder.glob("**/*.html"))
    except OSError:  # a page vanished: the site is being cleaned
        return True


def mkdocs(*args: str) -> list[str]:
    return [sys.executable, "-m", "mkdocs", *args]


def environment() -> dict[str, str]:
    import eventcat  # the subprocess runs the eventcat these tests import

    tooling = Path(eventcat.__file__).resolve().parents[1]
    return {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "PYTHONPATH": os.pathsep.join([str(tooling), str(ROOT)]),
    }


def test_a_strict_build_with_lint_errors_keeps_the_previous_site(
    make_catalog: Callable[..., Path], tmp_path: Path
) -> None:
    root = make_catalog()
    first = build(tmp_path / "out", root)
    assert first.ok, first.error + first.log
    # hidden files survive, as in MkDocs
    (first.site / ".nojekyll").write_text("", encoding="utf-8")
    before = snapshot(first.site)
    assert "index.html" in before and "events/OrderPlaced/v1/index.html" in before

    broken = event_schema()
    broken["examples"] = [{"orderId": "not-a-uuid"}]
    make_catalog({"orders/OrderPlaced_v1.schema.json": broken})
    failed = build(tmp_path / "out", root)
    assert not failed.ok and "example-invalid" in failed.log
    assert snapshot(first.site) == before  # byte for byte
    assert leftovers(tmp_path / "out") == []

    make_catalog({"orders/OrderPlaced_v1.schema.json": event_schema(description="Second build.")})
    again = build(tmp_path / "out", root)
    assert again.ok, again.error + again.log
    assert "Second build." in again.html("events/OrderPlaced/v1/")
    assert (again.site / ".nojekyll").exists()
    assert leftovers(tmp_path / "out") == []


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_an_interrupted_build_keeps_the_previous_site(tmp_path: Path, sig: signal.Signals) -> None:
    folder = tmp_path / "out"
    first = build(folder, EXAMPLE_CATALOG)  # writes mkdocs.yml; the example site takes seconds
    assert first.ok, first.error + first.log
    before = snapshot(first.site)
    started = time.time_ns()

    process = subprocess.Popen(
        mkdocs("build", "-q", "-f", str(folder / "mkdocs.yml")),
        cwd=folder,
        env=environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # interrupt once the new build has written its first page, wherever it writes
        while process.poll() is None:
            if written_since(folder, started):
                break
            time.sleep(0.005)
        process.send_signal(sig)
        code = process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert code != 0, "the build finished before it could be interrupted"
    assert snapshot(first.site) == before

    again = build(folder, EXAMPLE_CATALOG)  # the next build succeeds and clears what was left
    assert again.ok, again.error + again.log
    assert leftovers(folder) == []


def test_mkdocs_serve_still_serves_the_site(
    make_catalog: Callable[..., Path], tmp_path: Path
) -> None:
    folder = tmp_path / "out"
    assert build(folder, make_catalog()).ok
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            mkdocs(
                "serve",
                "--no-livereload",
                "-a",
                f"127.0.0.1:{port}",
                "-f",
                str(folder / "mkdocs.yml"),
            ),
            cwd=folder,
            env=environment(),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        page = ""
        deadline = time.monotonic() + 120
        while not page and time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/events/OrderPlaced/v1/", timeout=5
                ) as r:
                    page = r.read().decode("utf-8")
            except OSError:
                time.sleep(0.2)
        assert "OrderPlaced" in page, log.read_text(encoding="utf-8", errors="replace")
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert leftovers(folder) == []


def test_the_next_build_puts_back_a_site_whose_swap_was_killed(tmp_path: Path) -> None:
    from eventcat.docsite.staging import recover

    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead = int(finished.stdout)  # a build process that no longer runs
    old = tmp_path / f".site.eventcat-old-{dead}-x1"  # killed between its two renames
    old.mkdir()
    (old / "index.html").write_text("previous site", encoding="utf-8")
    (tmp_path / f".site.eventcat-new-{dead}-x2").mkdir()
    running = tmp_path / f".site.eventcat-new-{os.getpid()}-x3"  # a build still running: kept
    running.mkdir()
    recover(tmp_path / "site")
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "previous site"
    assert leftovers(tmp_path) == [running.name]
