"""Code generation time: a 1,000-file synthetic catalog from scratch, then after one file changes.

Targets (issue 5), on a 2-core machine: 1,000 schema files generate in under 60 s; after changing
one file, regeneration takes under 3 s; a run with nothing changed writes nothing. Then a catalog
with one very long description (issue 20): the cost must grow with the text, not its square. Each run is the
real CLI in a fresh process (`python -m eventcat.cli gen python`), as a user or CI would run it.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from synthetic import write_catalog


def run_gen(catalog: Path, out: Path) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "eventcat.cli",
            "gen",
            "python",
            "--catalog",
            str(catalog),
            "--out",
            str(out),
            "--package",
            "synthetic_events",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"gen failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return elapsed, result.stdout.strip()


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def long_descriptions(tmp: Path) -> None:
    """A description (twice in the file) of 0.2 / 0.8 / 3.2 million characters: gen's cost grows linearly.

    (The pinned generator's formatter was quadratic in a line's length: 1.6M took 114 s.)
    """
    figures: list[tuple[int, float]] = []
    for size in (200_000, 800_000, 3_200_000):
        catalog = write_catalog(tmp / f"long{size}", 1, 1)
        target = next(catalog.glob("*/Thing0Happened_v1.schema.json"))
        schema = json.loads(target.read_text("utf-8"))
        text = ("A long description, word after word. " * (size // 37 + 1))[:size]
        schema["description"] = text
        schema["properties"]["benchLong"] = {"type": "string", "description": text}
        target.write_text(json.dumps(schema), encoding="utf-8")
        before = child_cpu()
        run_gen(catalog, tmp / f"long{size}-out")
        figures.append((size, child_cpu() - before))
    base_size, base_cpu = figures[0]
    for size, cpu in figures:
        print(
            f"description of {size:>9,} chars: {cpu:6.2f} CPU-s  "
            f"(x{size / base_size:.0f} the text, x{cpu / base_cpu:.1f} the CPU)"
        )


def main() -> None:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    with tempfile.TemporaryDirectory() as tmp:
        catalog = write_catalog(Path(tmp) / "catalog", 334, 3)
        files = sum(1 for _ in catalog.rglob("*.schema.json"))
        out = Path(tmp) / "out"
        print(f"synthetic catalog: {files} schema files; {cores} cores")

        cold, summary = run_gen(catalog, out)
        print(f"full generation:        {cold:6.2f} s  (target < 60 s)  {summary}")

        again, summary = run_gen(catalog, out)
        print(f"nothing changed:        {again:6.2f} s  {summary}")

        target = catalog / "orders" / "Thing0Happened_v2.schema.json"
        schema = json.loads(target.read_text("utf-8"))
        schema["properties"]["benchAdded"] = {
            "type": "string",
            "description": "Added by the bench.",
        }
        target.write_text(json.dumps(schema, indent=2), encoding="utf-8")
        one, summary = run_gen(catalog, out)
        print(f"one file changed:       {one:6.2f} s  (target < 3 s)  {summary}")

        fragment = catalog / "_shared" / "Address_v1.schema.json"
        schema = json.loads(fragment.read_text("utf-8"))
        schema["properties"]["zip"] = {"type": "string"}
        fragment.write_text(json.dumps(schema, indent=2), encoding="utf-8")
        shared, summary = run_gen(catalog, out)
        print(f"shared fragment changed: {shared:5.2f} s  {summary}")

        long_descriptions(Path(tmp))

        ok = cold < 60 and one < 3
        print("targets met" if ok else "TARGETS MISSED")
        if not ok:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
