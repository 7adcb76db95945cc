"""The designer notebook in real JupyterLab and Chromium: the form is filled through the page and a
new event is written into a copy of the catalog.

JupyterLab runs on 127.0.0.1 on a free port with token auth, started and stopped by the test, with
a kernel of this interpreter. Skipped, with the reason, where JupyterLab, Playwright or Debian's
chromium is missing (CI installs all three). The screenshots go to test-artifacts/.
"""

from __future__ import annotations

import importlib.util
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from eventcat.catalog.loader import read_catalog
from eventcat.lint import lint_catalog
from tests.conftest import EXAMPLE_CATALOG, ROOT
from tests.design.conftest import JOB_REQUESTED

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]  # fmt: skip
ARTIFACTS = ROOT / "test-artifacts"
KERNEL = "eventcat-tests"
NEW = "ai-generation/AIGenerationRenderQueued_v1.schema.json"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason=f"Debian's chromium is not installed at {CHROMIUM} (apt-get install -y chromium)",
    ),
]


def jupyter_lab() -> list[str] | None:
    """How to start JupyterLab: from this environment (CI), else ``jupyter-lab`` on PATH."""
    if importlib.util.find_spec("jupyterlab") is not None:
        return [sys.executable, "-m", "jupyterlab"]
    found = shutil.which("jupyter-lab")
    return [found] if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A running JupyterLab on a copy of the designer notebook and of the catalog."""
    command = jupyter_lab()
    if command is None:
        pytest.skip(
            "JupyterLab is not installed (it is in the dev dependency group: nox installs it)"
        )
    catalog = tmp_path / "catalog"
    shutil.copytree(EXAMPLE_CATALOG, catalog)
    work = tmp_path / "notebooks"
    work.mkdir()
    notebook = json.loads((ROOT / "notebooks" / "designer.ipynb").read_text(encoding="utf-8"))
    notebook["metadata"]["kernelspec"] = {
        "name": KERNEL,
        "display_name": KERNEL,
        "language": "python",
    }
    (work / "designer.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    kernels = tmp_path / "jupyter" / "kernels" / KERNEL
    kernels.mkdir(parents=True)
    spec = {"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": KERNEL, "language": "python"}  # fmt: skip
    (kernels / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    env = {**os.environ, "JUPYTER_PATH": str(tmp_path / "jupyter"),
           "JUPYTER_CONFIG_DIR": str(tmp_path / "config"), "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
           "IPYTHONDIR": str(tmp_path / "ipython"), "EVENTCAT_CATALOG": str(catalog),
           "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces")}  # fmt: skip
    # No news pop-up, and every cell drawn (JupyterLab 4 otherwise renders only what is in view).
    settings = {"apputils-extension/notification": {"fetchNews": "false"},
                "notebook-extension/tracker": {"windowingMode": "none"}}  # fmt: skip
    for name, values in settings.items():
        target = tmp_path / "settings" / "@jupyterlab" / f"{name}.jupyterlab-settings"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values), encoding="utf-8")
    token, port = secrets.token_hex(16), free_port()
    args = [*command, "--no-browser", "--ip=127.0.0.1", f"--port={port}", f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={work}", "--LabApp.expose_app_in_browser=True",
            "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]  # fmt: skip
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--allow-root")
    log = (tmp_path / "lab.log").open("wb")
    server = subprocess.Popen(
        args, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        "JupyterLab did not start:\n"
                        + (tmp_path / "lab.log").read_text(errors="replace")[-3000:]
                    )
                time.sleep(0.5)
        yield f"{base}/lab/tree/designer.ipynb?token={token}", catalog
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def test_design_a_new_event_in_jupyterlab(lab: tuple[str, Path]) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    url, catalog = lab
    outside: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            page.on("request", lambda r: outside.append(r.url)
                    if not r.url.startswith(("http://127.0.0.1:", "ws://127.0.0.1:", "data:", "blob:")) else None)  # fmt: skip
            page.goto(url)
            page.wait_for_function("window.jupyterapp && window.jupyterapp.shell.currentWidget"
                                   " && window.jupyterapp.shell.currentWidget.sessionContext"
                                   " && window.jupyterapp.shell.currentWidget.sessionContext.session",
                                   timeout=120_000)  # fmt: skip
            page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
            page.get_by_role("button", name="Infer fields").wait_for(timeout=120_000)

            page.locator("textarea[placeholder^='Paste sample payloads']").fill(
                "\n".join(json.dumps(s) for s in JOB_REQUESTED))  # fmt: skip
            page.get_by_role("button", name="Infer fields").click()
            page.get_by_text("Inferred from 3 sample(s)").wait_for(timeout=60_000)
            name = page.locator(".widget-text:has(label:text-is('Name')) input")
            name.fill("AIGenerationRenderQueued")
            name.press("Enter")
            page.locator(".widget-dropdown:has(label:text-is('Domain')) select").select_option(
                "ai-generation"
            )
            page.locator(".widget-select-multiple:has(label:text-is('Producers')) select").select_option(
                "services.aigeneration")  # fmt: skip
            page.get_by_text("ready to write").wait_for(timeout=60_000)
            prompt = page.locator(".ecd-field-prompt").nth(6).locator("input")
            prompt.scroll_into_view_if_needed()
            prompt.fill("What to draw.")
            prompt.press("Enter")

            page.locator(".lm-TabBar-tab:has-text('Docs page')").click()
            page.locator(".lm-TabBar-tab:has-text('Docs page')").scroll_into_view_if_needed()
            page.locator(".ecd-page-view .ecd-diagram svg").first.wait_for(timeout=60_000)
            assert (
                "AI Generation Orchestration Service"
                in page.locator(".ecd-page-view .ecd-diagram").first.inner_text()
            )
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "designer-docs-page.png"))

            page.get_by_role("button", name="Write to catalog").click()
            page.get_by_text("written:").wait_for(timeout=60_000)
            page.locator("pre:has-text('new file mode 100644')").wait_for(timeout=30_000)
            page.get_by_text("written:").scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "designer-written.png"))
        finally:
            browser.close()

    schema = json.loads((catalog / NEW).read_text(encoding="utf-8"))
    assert schema["x-eventcat"]["eventType"] == "ai.generation.render_queued.v1"
    assert schema["x-eventcat"]["producers"] == ["services.aigeneration"]
    assert schema["properties"]["prompt"]["description"] == "What to draw."
    assert [f.render() for f in lint_catalog(read_catalog(catalog)) if f.severity == "error"] == []
    assert outside == [], "JupyterLab or the designer fetched something from the network"
