"""Hostile input to lint, new and diff: one clear line and the documented exit code, bounded time
and memory, nothing written outside the catalog (issue 18 items 7, 8, 10, 11)."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, event_schema

EVENT = "orders/OrderPlaced_v1.schema.json"
#: Generous: each case finishes in about a second; a hang or a backtracking regex never would.
TIMEOUT = 20
#: Address space of the child: reading a 1 GiB file whole cannot fit, a capped read does.
MEMORY_LIMIT = 1024 * 1024 * 1024


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def eventcat(
    *args: str, cwd: Path | None = None, memory: bool = False
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "tooling"), str(ROOT)])}
    env.pop("EVENTCAT_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "eventcat.cli", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=TIMEOUT,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        preexec_fn=_limit_memory if memory else None,
    )


def assert_one_clear_line(result: subprocess.CompletedProcess[str], rule: str, name: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert "Traceback" not in output and "internal error" not in output, output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, output
    assert f"[{rule}]" in lines[0] and name in lines[0], output


# -- item 7: only regular files, capped before reading -----------------------------------------


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_new_refuses_a_device_as_sample(make_catalog: Callable[..., Path], device: str) -> None:
    root = make_catalog()
    result = eventcat("new", "ThingHappened", "-d", "orders", "-s", device, "--catalog", str(root))
    assert_one_clear_line(result, "file-unreadable", device)
    assert not (root / "orders" / "ThingHappened_v1.schema.json").exists()


def test_new_does_not_hang_on_a_fifo_sample(
    make_catalog: Callable[..., Path], tmp_path: Path
) -> None:
    root = make_catalog()
    fifo = tmp_path / "samples.json"
    os.mkfifo(fifo)  # nobody ever writes to it: a blocking open would wait forever
    result = eventcat(
        "new", "ThingHappened", "-d", "orders", "-s", str(fifo), "--catalog", str(root)
    )
    assert_one_clear_line(result, "file-unreadable", str(fifo))


@pytest.mark.parametrize("old", ["/dev/zero", "fifo"])
def test_diff_refuses_devices_and_fifos(
    make_catalog: Callable[..., Path], tmp_path: Path, old: str
) -> None:
    root = make_catalog()
    if old == "fifo":
        old = str(tmp_path / "old.schema.json")
        os.mkfifo(old)
    result = eventcat("diff", old, str(root / EVENT), memory=True)
    assert_one_clear_line(result, "file-unreadable", old)


def test_a_huge_sparse_schema_is_refused_before_it_is_read(
    make_catalog: Callable[..., Path],
) -> None:
    root = make_catalog()
    with (root / "orders" / "Huge_v1.schema.json").open("wb") as handle:
        handle.truncate(1024 * 1024 * 1024)  # 1 GiB of holes: no disk, but read() returns it all
    result = eventcat("lint", "--catalog", str(root), memory=True)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    line = next(x for x in result.stdout.splitlines() if "[file-too-large]" in x)
    assert "orders/Huge_v1.schema.json" in line


def test_a_huge_catalog_yaml_is_refused_before_it_is_read(
    make_catalog: Callable[..., Path],
) -> None:
    root = make_catalog()
    with (root / "catalog.yaml").open("r+b") as handle:
        handle.truncate(1024 * 1024 * 1024)
    result = eventcat("lint", "--catalog", str(root), memory=True)
    assert result.returncode == 2, result.stdout + result.stderr
    assert any("catalog.yaml" in x and "[file-too-large]" in x for x in result.stdout.splitlines())


def test_a_symlink_loop_in_the_catalog_is_one_finding(make_catalog: Callable[..., Path]) -> None:
    root = make_catalog()
    (root / "orders" / "Loop_v1.schema.json").symlink_to(root / "orders" / "Loop_v1.schema.json")
    (root / "orders" / "A_v1.schema.json").symlink_to(root / "orders" / "B_v1.schema.json")
    (root / "orders" / "B_v1.schema.json").symlink_to(root / "orders" / "A_v1.schema.json")
    result = eventcat("lint", "--catalog", str(root))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    for name in ("Loop_v1", "A_v1", "B_v1"):
        line = next(x for x in result.stdout.splitlines() if f"orders/{name}.schema.json" in x)
        assert "[file-unreadable]" in line and "loop" in line


def test_a_fifo_inside_the_catalog_never_blocks_lint(make_catalog: Callable[..., Path]) -> None:
    root = make_catalog()
    os.mkfifo(root / "orders" / "Pipe_v1.schema.json")
    (root / "orders" / "Linked_v1.schema.json").symlink_to(root / "orders" / "Pipe_v1.schema.json")
    result = eventcat("lint", "--catalog", str(root))
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 2  # the link to the FIFO is reported, the FIFO is not read
    assert "orders/Linked_v1.schema.json" in result.stdout


# -- item 8: no backtracking regex ever runs ---------------------------------------------------


def _with_pattern(pattern: str, value: str, keyed: bool = False) -> dict[str, Any]:
    schema = event_schema()
    if keyed:
        schema["properties"]["codes"] = {"type": "object", "patternProperties": {pattern: {}},
                                         "additionalProperties": False}  # fmt: skip
        schema["examples"][0]["codes"] = {value: 1}
    else:
        schema["properties"]["code"] = {"type": "string", "pattern": pattern}
        schema["examples"][0]["code"] = value
    return schema


@pytest.mark.parametrize(
    ("pattern", "keyed"), [("^(a+)+$", False), ("^(a+)+b$", False), ("^(a+)+$", True)]
)
def test_catastrophic_patterns_are_matched_in_linear_time(
    make_catalog: Callable[..., Path], pattern: str, keyed: bool
) -> None:
    root = make_catalog({EVENT: _with_pattern(pattern, "a" * 30 + "!", keyed)})
    result = eventcat("lint", "--catalog", str(root), "--format", "json")  # times out if it hangs
    report = json.loads(result.stdout)
    assert result.returncode == 1, report
    assert [f["rule"] for f in report["findings"] if f["severity"] == "error"] == [
        "example-invalid"
    ]


@pytest.mark.parametrize("pattern", ["^(?=(a+)+$)a*$", "^(a+)\\1+$", "^(?!(a+)+!)a+$"])
def test_backtracking_only_patterns_are_reported_not_run(
    make_catalog: Callable[..., Path], pattern: str
) -> None:
    root = make_catalog({EVENT: _with_pattern(pattern, "a" * 30 + "!")})
    result = eventcat("lint", "--catalog", str(root), "--format", "json")
    report = json.loads(result.stdout)
    assert result.returncode == 1, report
    unsupported = [f for f in report["findings"] if f["rule"] == "pattern-unsupported"]
    assert [f["pointer"] for f in unsupported] == ["/properties/code/pattern"]


# -- items 10 and 11: names, and writes confined like reads ------------------------------------


def test_new_never_writes_through_a_linked_domain_folder(
    make_catalog: Callable[..., Path], tmp_path: Path
) -> None:
    root = make_catalog()
    outside = tmp_path / "outside"
    outside.mkdir()
    for child in (root / "orders").iterdir():
        child.rename(outside / child.name)
    (root / "orders").rmdir()
    (root / "orders").symlink_to(outside)
    before = sorted(p.name for p in outside.iterdir())
    result = eventcat("new", "ThingHappened", "-d", "orders", "--catalog", str(root))
    assert_one_clear_line(result, "symlink-outside", "orders")
    assert sorted(p.name for p in outside.iterdir()) == before


def test_the_library_refuses_a_linked_domain_folder_with_a_located_error(
    make_catalog: Callable[..., Path], tmp_path: Path
) -> None:
    from eventcat.design.api import open_catalog
    from eventcat.errors import InputError

    root = make_catalog({})
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "orders").symlink_to(outside)
    design = open_catalog(root)
    draft = design.new_event("ThingHappened", "orders")
    with pytest.raises(InputError) as raised:
        design.add(draft)
    assert raised.value.problems[0].rule == "symlink-outside"
    assert not list(outside.iterdir())


def test_the_example_catalog_lints_clean_even_strictly() -> None:
    result = eventcat("lint", "--catalog", str(ROOT / "catalog"), "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
