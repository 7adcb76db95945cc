"""The design API's costs: inference from samples, validating a change (lint with the change in
place, plus the compatibility check of an in-place edit), the gate preview, and running each
notebook on a fresh kernel.

Run by `nox -s bench` (or `python bench/bench_design.py [--no-notebooks]`); prints figures only.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(function: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def samples(count: int) -> list[dict[str, object]]:
    rng = random.Random(7)
    out: list[dict[str, object]] = []
    for i in range(count):
        sample: dict[str, object] = {
            "id": f"{rng.getrandbits(32):08x}-0000-4000-8000-{i:012d}",
            "at": f"2026-01-{1 + i % 28:02d}T10:00:00Z",
            "status": rng.choice(["new", "paid", "shipped"]),
            "total": rng.choice([1, 2.5, 10]),
            "lines": [{"sku": f"S{j}", "qty": j} for j in range(rng.randint(0, 4))],
        }
        if i % 3:
            sample["note"] = None if i % 2 else "x"
        out.append(sample)
    return out


def main() -> None:
    from eventcat.design import infer_schema, open_catalog

    for count in (3, 100, 1000):
        batch = samples(count)
        print(
            f"infer_schema, {count:>4} samples: {timed(lambda b=batch: infer_schema(b)) * 1000:7.1f} ms"
        )

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "catalog"
        shutil.copytree(ROOT / "catalog", copy)
        cat = open_catalog(copy)
        draft = cat.new_event("OrderShippedBench", "ai-generation", samples=samples(3))
        print(f"check a new event (lint x2):     {timed(lambda: cat.check(draft)) * 1000:7.1f} ms")
        event = cat.event("AIGenerationJobRequested")
        edited = event.schema()
        edited["properties"]["maxSamples"]["maximum"] = 4
        print(
            f"review an in-place edit:          {timed(lambda: event.review(edited)) * 1000:7.1f} ms"
        )
        if shutil.which("git"):
            print(
                f"gate preview (temp git + gate):   {timed(lambda: event.gate(edited), 3) * 1000:7.1f} ms"
            )

    if "--no-notebooks" in sys.argv:
        return
    import nbformat
    from nbclient import NotebookClient

    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "catalog"
            shutil.copytree(ROOT / "catalog", copy)
            os.environ["EVENTCAT_CATALOG"] = str(copy)
            notebook = nbformat.read(path, as_version=4)
            started = time.perf_counter()
            NotebookClient(notebook, timeout=300, kernel_name="python3",
                           resources={"metadata": {"path": str(path.parent)}}).execute()  # fmt: skip
            print(f"notebook {path.stem:<20} {time.perf_counter() - started:6.2f} s (fresh kernel)")


if __name__ == "__main__":
    main()
