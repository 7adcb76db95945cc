"""Every failure is one line and exit 2; the exit codes are stated once; colour obeys the
environment; long work shows progress on a terminal only."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import event_schema

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "CI")}
    return subprocess.run(
        [sys.executable, "-m", "eventcat.cli", *args],
        cwd=cwd,
        env={**base, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    from tests.gate.conftest import seeded_repo

    return seeded_repo(tmp_path / "repo", event_schema()).root


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["check", "--output", "missing/report.md"], "--output: folder missing does not exist"),
        (["check", "--output", "catalog"], "--output: is a folder"),
        (["check", "--report", "sarif=missing/g.sarif"], "--report sarif: folder missing"),
        (["lint", "--catalog", "missing"], "does not exist"),
        (["check", "--waivers", "missing.yaml"], "does not exist"),
        (["gen", "python", "--out", "a-file/pkg"], "--out: a-file is a file"),
        (["export", "asyncapi", "--out", "a-file/docs"], "--out: a-file is a file"),
        (["export", "asyncapi", "--out", "a-file"], "--out"),
        (["import", "asyncapi", "missing.yml"], "missing.yml"),
        (["diff", "missing.json", "catalog/catalog.yaml"], "missing.json"),
    ],
)
def test_a_bad_path_is_one_line_and_exit_2(repo: Path, args: list[str], expected: str) -> None:
    (repo / "a-file").write_text("not a folder\n")
    done = run(*args, cwd=repo)
    assert done.returncode == 2, done.stderr
    [line] = done.stderr.splitlines()
    assert expected in line and "internal error" not in line
    assert not (repo / "missing").exists()


def test_exit_codes_are_stated_once_and_alike_in_readme_and_help(repo: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| `(\d+)` \| (.+?) \|$", readme, re.MULTILINE))
    shown = run("--help", cwd=repo).stdout
    listed = dict(re.findall(r"^\s+(\d+)\s{2,}(.+)$", shown, re.MULTILINE))
    assert set(table) == {"0", "1", "2", "3", "130"}
    assert table == listed


def _broken(make_catalog: Callable[..., Path]) -> Path:
    schema = event_schema()
    schema["examples"] = [{"orderId": 3}]
    return make_catalog({"orders/OrderPlaced_v1.schema.json": schema})


def test_force_color_colours_piped_output_and_no_color_wins(
    make_catalog: Callable[..., Path], tmp_path: Path
) -> None:
    catalog = _broken(make_catalog)
    forced = run("lint", "--catalog", str(catalog), cwd=tmp_path, FORCE_COLOR="1")
    assert "\x1b[31merror\x1b[0m" in forced.stdout
    assert "\x1b[" not in run("lint", "--catalog", str(catalog), cwd=tmp_path).stdout
    both = run("lint", "--catalog", str(catalog), cwd=tmp_path, FORCE_COLOR="1", NO_COLOR="1")
    assert "\x1b[" not in both.stdout and "error" in both.stdout
    machine = run(
        "lint", "--catalog", str(catalog), "--format", "json", cwd=tmp_path, FORCE_COLOR="1"
    )
    assert json.loads(machine.stdout)["ok"] is False


def _on_a_terminal(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, str, str]:
    """Run with stderr on a pseudo-terminal (stdout piped); return (code, stdout, stderr)."""
    leader, follower = pty.openpty()
    with subprocess.Popen(
        argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=follower, text=True
    ) as process:
        os.close(follower)
        chunks = []
        while True:
            try:
                data = os.read(leader, 65536)
            except OSError:  # the terminal closes when the process ends
                break
            if not data:
                break
            chunks.append(data)
        out = process.stdout.read() if process.stdout else ""
        code = process.wait(timeout=300)
    os.close(leader)
    return code, out, b"".join(chunks).decode("utf-8", "replace")


def test_check_shows_progress_on_a_terminal_and_nothing_in_ci(tmp_path: Path) -> None:
    from tests.gate.conftest import seeded_repo

    repo = seeded_repo(tmp_path / "repo", event_schema())
    for n in range(2, 5):
        repo.write(
            f"orders/Other{n}_v1.schema.json",
            event_schema(f"orders.other{n}.v1", title=f"Other {n}"),
        )
    argv = [sys.executable, "-m", "eventcat.cli", "check", "--against", "main"]
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "EVENTCAT_NO_PROGRESS")}
    code, out, err = _on_a_terminal(argv, repo.root, env)
    assert code == 0, out + err
    assert "eventcat check: judging 3/3" in err
    assert err.endswith("\r\x1b[K")  # erased: the terminal is left clean
    code, out, err = _on_a_terminal(argv, repo.root, {**env, "CI": "true"})
    assert code == 0 and "judging" not in err
    piped = run("check", "--against", "main", cwd=repo.root)
    assert piped.returncode == 0 and "judging" not in piped.stderr + piped.stdout


def test_gen_shows_progress_on_a_terminal(
    make_catalog: Callable[..., Path], tmp_path: Path
) -> None:
    pytest.importorskip("datamodel_code_generator")
    catalog = make_catalog(
        {
            "orders/OrderPlaced_v1.schema.json": event_schema(),
            "orders/OrderShipped_v1.schema.json": event_schema("orders.order_shipped.v1"),
        }
    )
    argv = [
        sys.executable,
        "-m",
        "eventcat.cli",
        "gen",
        "python",
        "--catalog",
        str(catalog),
        "--out",
        str(tmp_path / "out"),
        "--jobs",
        "1",
    ]
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "EVENTCAT_NO_PROGRESS")}
    code, out, err = _on_a_terminal(argv, tmp_path, env)
    assert code == 0, out + err
    assert "eventcat gen: generating modules 4/4" in err  # two events, the envelope, Money
