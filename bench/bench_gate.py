"""Benchmark: the gate's cost grows with the change, not with the catalog.

Builds synthetic catalogs of ~300 and ~3,000 schema files in git repositories, changes the same
20 event files in each (additive changes, one a breaking one), and times ``eventcat check
--against main`` in-process and through the real command line. Targets (issue 4): under 2 s on
3,000 files, and under 1.5x the time on 300 files.

Then the worst case for "cost follows the change" (issue 20): one shared fragment that every event
uses gains a required property, in catalogs of 3,000, 6,000 and 30,000 files; prints the CPU
seconds and the peak memory of ``eventcat check`` as a command, and the ratios. Target: 30,000
files under 60 s. ``--quick`` skips the 30,000-file catalog.
"""

from __future__ import annotations

import json
import os
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
        subprocess.run(
            [
                sys.executable,
                "-m",
                "eventcat.cli",
                "check",
                "--catalog",
                str(catalog),
                "--against",
                "main",
                "--format",
                "json",
            ],
            capture_output=True,
            check=False,
        )
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def make_fragment_repo(root: Path, files: int) -> Path:
    """``files`` event files, all using _shared/Address_v1; the change makes a field of Address
    required (one breaking change, in one file, reaching every event)."""
    root.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Bench")
    git(root, "config", "user.email", "bench@example.com")
    catalog = write_catalog(root / "catalog", files // 2, 2)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "catalog")
    git(root, "checkout", "-q", "-b", "change")
    path = catalog / "_shared" / "Address_v1.schema.json"
    schema = json.loads(path.read_text())
    schema["properties"]["postcode"] = {"type": "string"}
    schema["required"].append("postcode")
    path.write_text(json.dumps(schema, indent=2))
    return catalog


def run_process(catalog: Path) -> tuple[float, float, int, int]:
    args = [
        sys.executable,
        "-m",
        "eventcat.cli",
        "check",
        "--catalog",
        str(catalog),
        "--against",
        "main",
        "--format",
        "json",
    ]
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(args, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        findings = len(json.loads(out.read())["findings"])
    return (usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode, findings)


def fragment_bench(sizes: tuple[int, ...]) -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for files in sizes:
            catalog = make_fragment_repo(Path(tmp) / str(files), files)
            cpu, rss, code, findings = run_process(catalog)
            rows.append((files, cpu))
            print(
                f"gate, shared fragment used by {files:6d} event files changed: {cpu:7.2f} CPU-s, "
                f"peak {rss:6.0f} MiB, exit {code}, {findings} findings"
            )
    base_files, base_cpu = rows[0]
    for files, cpu in rows[1:]:
        print(
            f"{files:,} vs {base_files:,} files: {cpu / base_cpu:.2f}x CPU for "
            f"{files / base_files:.0f}x files"
        )
    largest, cpu = rows[-1]
    print(
        f"{largest:,} files in {cpu:.1f} CPU-s (target < 60 s): "
        + ("target met" if cpu < 60 else "TARGET MISSED")
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        small = make_repo(Path(tmp) / "small", events=150, versions=2)  # 300 event files
        large = make_repo(Path(tmp) / "large", events=1500, versions=2)  # 3,000 event files
        rows = []
        for label, catalog in (("300", small), ("3,000", large)):
            files = sum(1 for _ in catalog.rglob("*.schema.json"))
            seconds, judged, code = timed(catalog)
            cli = timed_cli(catalog)
            rows.append((label, files, seconds, cli, judged, code))
            print(
                f"gate, {files:5d} schema files, {CHANGED} changed: {seconds:.3f} s in-process "
                f"(median of {RUNS}), {cli:.3f} s as a command; {judged} judged, exit {code}"
            )
        ratio = rows[1][2] / rows[0][2]
        cli_ratio = rows[1][3] / rows[0][3]
        print(
            f"3,000 vs 300 files: {ratio:.2f}x in-process, {cli_ratio:.2f}x as a command "
            f"(target < 1.5x); 3,000 files in {rows[1][3]:.3f} s as a command (target < 2 s)"
        )
        ok = rows[1][3] < 2.0 and ratio < 1.5 and cli_ratio < 1.5
        print("targets met" if ok else "TARGETS MISSED")
    fragment_bench((3000, 6000) if "--quick" in sys.argv else (3000, 6000, 30000))


if __name__ == "__main__":
    main()
