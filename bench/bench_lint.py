"""Lint time on synthetic catalogs of growing size, and the CLI's start-up time.

Targets (issue 2): a 3,000-file catalog lints in under 10 s on a 2-core machine, time grows
linearly with the catalog, and `eventcat --help` answers in under 0.5 s.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from synthetic import write_catalog


def time_lint(root: Path) -> tuple[float, int]:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "eventcat.cli", "lint", "--catalog", str(root)],
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(
            f"lint failed on the synthetic catalog:\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
        )
    return elapsed, result.returncode


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
        print(f"{'files':>6} {'events x versions':>18} {'lint s':>8} {'ms/file':>8}")
        figures = []
        for events, versions in ((100, 3), (300, 3), (1000, 3)):
            root = write_catalog(Path(tmp) / f"c{events}", events, versions)
            files = events * versions
            elapsed, _ = time_lint(root)
            figures.append((files, elapsed))
            print(
                f"{files:>6} {f'{events} x {versions}':>18} {elapsed:>8.2f} {elapsed / files * 1000:>8.2f}"
            )
        (small_files, small), (big_files, big) = figures[0], figures[-1]
        ratio = (big / big_files) / (small / small_files)
        print(
            f"3,000-file lint: {big:.2f} s (target < 10 s); per-file cost at 3,000 vs 300 files: "
            f"{ratio:.2f}x (1.0 = linear)"
        )


if __name__ == "__main__":
    main()
