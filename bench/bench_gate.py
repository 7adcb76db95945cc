"""Benchmark: the gate's cost grows with the change, not with the catalog.

Builds synthetic catalogs of ~300 and ~3,000 schema files in git repositories, changes the same
20 event files in each (additive changes, one a breaking one), and times ``eventcat check
--against main`` in-process and through the real command line. Targets (issue 4): under 2 s on
3,000 files, and under 1.5x the time on 300 files.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import DOMAINS, write_catalog

from eventcat.gate.core import CheckOptions, run_check

CHANGED = 20
RUNS = 5


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def make_repo(root: Path, events: int, versions: int) -> Path:
    root.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Bench")
    git(root, "config", "user.email", "bench@example.com")
    catalog = write_catalog(root / "catalog", events, versions)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "catalog")
    git(root, "checkout", "-q", "-b", "change")
    for index in range(CHANGED):
        domain = DOMAINS[index % len(DOMAINS)]
        path = catalog / domain / f"Thing{index}Happened_v1.schema.json"
        schema = json.loads(path.read_text())
        schema["properties"][f"benchField{index}"] = {"type": "string"}
        if index == 0:
            schema["required"].append("benchField0")  # one breaking change
        path.write_text(json.dumps(schema, indent=2))
    return catalog


def timed(catalog: Path) -> tuple[float, int, int]:
    samples = []
    result = None
    for _ in range(RUNS):
        start = time.perf_counter()
        result = run_check(CheckOptions(catalog_dir=str(catalog), against="main"))
        samples.append(time.perf_counter() - start)
    assert result is not None
    return statistics.median(samples), len(result.extra["judged"]), result.exit_code


def timed_cli(catalog: Path) -> float:
    samples = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "eventcat.cli", "check", "--catalog", str(catalog),
                        "--against", "main", "--format", "json"], capture_output=True, check=False)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        small = make_repo(Path(tmp) / "small", events=150, versions=2)   # 300 event files
        large = make_repo(Path(tmp) / "large", events=1500, versions=2)  # 3,000 event files
        rows = []
        for label, catalog in (("300", small), ("3,000", large)):
            files = sum(1 for _ in catalog.rglob("*.schema.json"))
            seconds, judged, code = timed(catalog)
            cli = timed_cli(catalog)
            rows.append((label, files, seconds, cli, judged, code))
            print(f"gate, {files:5d} schema files, {CHANGED} changed: {seconds:.3f} s in-process "
                  f"(median of {RUNS}), {cli:.3f} s as a command; {judged} judged, exit {code}")
        ratio = rows[1][2] / rows[0][2]
        cli_ratio = rows[1][3] / rows[0][3]
        print(f"3,000 vs 300 files: {ratio:.2f}x in-process, {cli_ratio:.2f}x as a command "
              f"(target < 1.5x); 3,000 files in {rows[1][3]:.3f} s as a command (target < 2 s)")
        ok = rows[1][3] < 2.0 and ratio < 1.5 and cli_ratio < 1.5
        print("targets met" if ok else "TARGETS MISSED")


if __name__ == "__main__":
    main()
