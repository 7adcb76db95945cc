"""The README's two commands: CI runs the test command word for word, and they work where pip
refuses to install into the system Python (Debian and Ubuntu: "externally-managed-environment")."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PREFIX = "python3 -m venv .venv && .venv/bin/python -m pip install nox uv"


def readme_commands() -> list[str]:
    """The commands of the README's "Two commands" section, in order."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Two commands", 1)[1].split("\n---", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", section)


def test_the_readme_shows_two_commands_that_never_touch_the_system_python() -> None:
    catalog, tests = readme_commands()
    assert catalog == f"{PREFIX} && .venv/bin/nox -s catalog"
    assert tests == f"{PREFIX} && .venv/bin/nox"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "apt-get install python3-venv" in readme


def test_ci_runs_the_readmes_test_command_word_for_word() -> None:
    _, tests = readme_commands()
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert tests in lines


def _externally_managed(python: str) -> bool:
    probe = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('stdlib'))"],
        capture_output=True,
        text=True,
        check=False,
    )
    return (Path(probe.stdout.strip()) / "EXTERNALLY-MANAGED").is_file()


@pytest.mark.slow
@pytest.mark.parametrize("python", ["python3", "/usr/bin/python3"])
def test_the_commands_prefix_installs_nox_and_uv(python: str, tmp_path: Path) -> None:
    """The README's prefix, run by bash in an empty folder as a new user would run it; with
    /usr/bin/python3 that is Debian's Python, which refuses a plain `pip install`."""
    found = shutil.which(python)
    if found is None:
        pytest.skip(f"{python} is not on this machine")
    if python.startswith("/") and not _externally_managed(found):
        pytest.skip(f"{python} is not an externally managed Python (not Debian's)")
    env = dict(os.environ)  # the user's pip configuration (index, proxy) included
    if python.startswith("/"):
        env["PATH"] = f"{Path(found).parent}:{env.get('PATH', '')}"  # `python3` is Debian's
    done = subprocess.run(
        ["bash", "-c", PREFIX],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "externally-managed-environment" not in done.stderr
    version = subprocess.run(
        [str(tmp_path / ".venv/bin/nox"), "--version"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert version.returncode == 0, version.stderr
    assert (tmp_path / ".venv/bin/uv").is_file()
