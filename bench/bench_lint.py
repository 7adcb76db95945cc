"""Lint cost on synthetic catalogs of growing size, and the CLI's start-up time.

Targets: 3,000 files in under 10 s on a 2-core machine, 30,000 files in under 60 s and 1 GiB
(issue 20), cost per 1,000 files flat as the catalog grows (linear), `eventcat --help` under
0.5 s. CPU seconds and peak RSS are the child process's own (``resource.getrusage``), so a busy
machine changes wall time but not the figures printed.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from synthetic import write_catalog

SIZES = ((100, 3), (1000, 3), (2000, 3), (10000, 3))  # events x versions: 300 … 30,000 files


def run_lint(root: Path) -> tuple[float, float]:
    """(CPU seconds, peak RSS in MiB) of one `eventcat lint` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(
        [sys.executable, "-m", "eventcat.cli", "lint", "--catalog", str(root)],
        capture_output=True,
        text=True,
        check=False,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(
            f"lint failed on the synthetic catalog:\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
        )
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    # ru_maxrss of RUSAGE_CHILDREN is the largest child so far (KiB on Linux); sizes only grow.
    return cpu, after.ru_maxrss / 1024


def main() -> None:
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "eventcat.cli", "--help"], capture_output=True, check=True
        )
        runs.append(time.perf_counter() - started)
    print(
        f"eventcat --help: median {statistics.median(runs) * 1000:.0f} ms over 5 runs (target < 500 ms)"
    )

    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'files':>7} {'CPU s':>8} {'peak MiB':>9} {'CPU s / 1,000 files':>20}")
        figures = []
        for events, versions in SIZES:
            root = write_catalog(Path(tmp) / f"c{events}", events, versions)
            files = events * versions
            cpu, rss = run_lint(root)
            figures.append((files, cpu, rss))
            print(f"{files:>7} {cpu:>8.2f} {rss:>9.0f} {cpu / files * 1000:>20.3f}")
        # The 300-file run is mostly start-up: cost per file is compared with the 3,000-file run.
        base_files, base, _ = figures[1]
        for files, cpu, rss in figures[2:]:
            ratio = (cpu / files) / (base / base_files)
            print(
                f"{files:,}-file lint: {cpu:.1f} CPU s, {rss:.0f} MiB; cost per 1,000 files "
                f"vs {base_files:,} files: {ratio:.2f}x (1.0 = linear)"
            )
        files, cpu, rss = figures[-1]
        print(
            f"target at {files:,} files: < 60 CPU s and < 1024 MiB: "
            f"{'met' if cpu < 60 and rss < 1024 else 'MISSED'}"
        )


if __name__ == "__main__":
    main()
