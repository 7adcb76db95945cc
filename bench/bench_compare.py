"""Benchmark of eventcat.compat.compare, in-process.

Prints the median time per comparison over Confluent's 263 corpus cases (both rule sets), the time
for a schema of 2,000 properties, and a size sweep that shows how time grows with schema size.
Run: .venv/bin/python bench/bench_compare.py  (EVENTCAT_CONFLUENT_CORPUS overrides the corpus path)
"""

from __future__ import annotations

import json
import os
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tooling"))

from eventcat.compat import compare

FILES = (
    "diff-schema-examples.json",
    "diff-schema-examples-2020-12.json",
    "diff-combined-schema-examples.json",
    "diff-combined-schema-examples-2020-12.json",
)


def corpus() -> list[tuple[Any, Any]]:
    folder = Path(
        os.environ.get("EVENTCAT_CONFLUENT_CORPUS")
        or Path(__file__).resolve().parents[1] / ".." / "shared" / "corpora" / "confluent"
    )
    cases = []
    for name in FILES:
        path = folder / name
        if not path.exists():
            return []
        text = re.sub(r",(\s*[}\]])", r"\1", path.read_text(encoding="utf-8"))
        cases += [(c["original_schema"], c["update_schema"]) for c in json.loads(text)]
    return cases


def per_case_median(cases: list[tuple[Any, Any]], rules: str, rounds: int = 30) -> float:
    """Median over cases of each case's best-of-rounds time, in milliseconds."""
    times = []
    for old, new in cases:
        best = float("inf")
        for _ in range(rounds):
            start = time.perf_counter()
            compare(old, new, rules=rules, policy="STRICT")
            best = min(best, time.perf_counter() - start)
        times.append(best)
    return statistics.median(times) * 1000


def wide(n: int, variant: int = 0, everywhere: bool = False) -> dict[str, Any]:
    """A flat event of ``n`` properties; ``variant`` changes a quarter of them (every one with
    ``everywhere``)."""
    v = variant if everywhere else 0
    props: dict[str, Any] = {}
    for i in range(n):
        kind = i % 4
        if kind == 0:
            props[f"p{i}"] = {"type": "string", "maxLength": 10 + variant}
        elif kind == 1:
            props[f"p{i}"] = {"type": "integer", "minimum": 0 - v}
        elif kind == 2:
            props[f"p{i}"] = {"type": "array", "items": {"type": "string", "maxLength": 5 + v}}
        else:
            props[f"p{i}"] = {
                "type": "object",
                "properties": {"x": {"type": "number", "maximum": 9 + v}},
                "required": ["x"],
            }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": props,
        "required": [f"p{i}" for i in range(0, n, 3)],
        "additionalProperties": False,
    }


def timed(old: Any, new: Any, rounds: int = 5) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        compare(old, new)
        best = min(best, time.perf_counter() - start)
    return best * 1000


def main() -> None:
    cases = corpus()
    if cases:
        for rules in ("confluent", "sound"):
            print(
                f"corpus ({len(cases)} cases), rules={rules}: median "
                f"{per_case_median(cases, rules):.4f} ms per comparison (target < 0.15 ms)"
            )
    else:
        print("corpus not found: set EVENTCAT_CONFLUENT_CORPUS")
    same = timed(wide(2000), wide(2000))
    changed = timed(wide(2000), wide(2000, variant=1))
    every = timed(wide(2000), wide(2000, variant=1, everywhere=True))
    # The same edits the other way round: every change breaks (and carries a lazy counterexample).
    broken = timed(wide(2000, variant=1, everywhere=True), wide(2000))
    print(
        f"2,000 properties: {same:.1f} ms unchanged, {changed:.1f} ms with 500 changed, "
        f"{every:.1f} ms with all 2,000 changed, {broken:.1f} ms with all 2,000 breaking "
        "(target < 50 ms)"
    )
    print("size sweep, every property changed (properties -> ms, ms per 1,000 properties):")
    for n in (250, 500, 1000, 2000, 4000, 8000):
        ms = timed(wide(n), wide(n, variant=1, everywhere=True), rounds=3)
        print(f"  {n:>5} -> {ms:8.2f} ms   {ms / n * 1000:6.2f}")


if __name__ == "__main__":
    main()
