"""Start-up cost of the command line: `eventcat --help` in CPU seconds (target < 0.2 s, issue 13).

The CLI imports each command's module only to list it, and every layer imports its heavy parts
(the compat engine, jsonschema, the site) when a command runs, so --help stays cheap. CPU seconds
are the child process's own (``resource.getrusage``): a busy machine changes wall time, not this.
Printed beside a bare interpreter's start-up, whose cost no change to eventcat can remove.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
from pathlib import Path

TOOLING = str(Path(__file__).resolve().parents[1] / "tooling")
TARGET = 0.2
RUNS = 7


def cpu_of(args: list[str]) -> float:
    """Median CPU seconds of RUNS runs of ``python args``."""
    env = {**os.environ, "PYTHONPATH": TOOLING}
    times = []
    for _ in range(RUNS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([sys.executable, *args], capture_output=True, check=True, env=env)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append((after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime))
    return statistics.median(times)


def main() -> None:
    bare = cpu_of(["-c", "pass"])
    helped = cpu_of(["-m", "eventcat.cli", "--help"])
    verdict = "ok" if helped < TARGET else "OVER TARGET"
    print(f"eventcat --help: {helped:.3f} CPU-s median of {RUNS} (target < {TARGET} s: {verdict}); "
          f"bare python: {bare:.3f} CPU-s, x{helped / bare:.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
