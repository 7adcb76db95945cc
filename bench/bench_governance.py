"""Benchmark: what the metadata and lifecycle checks add to the gate.

On a synthetic catalog of ~3,000 event files with the same 20 changed files as bench_gate.py,
times ``run_check`` (in-process, median of 5) when:
  - no version is deprecated (the sunset scan is one ``git grep``),
  - 10% of the versions are deprecated (the scan reads ~300 files),
  - catalog.yaml also drops a service every event names (the declaration check reads its users),
and the same runs with the governance checks switched off, for the difference.
Target: the governance checks stay a small part of the gate's < 2 s budget.
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

from eventcat.gate.checks import DEFAULT_POLICY
from eventcat.gate.context import Policy
from eventcat.gate.core import CheckOptions, run_check
from eventcat.gate.governed import CATALOG_CHECKS, PAIR_CHECKS, PREFETCH_CHECKS

CHANGED = 20
RUNS = 5
BASE_POLICY = Policy(
    tuple(c for c in DEFAULT_POLICY.pair_checks if c not in (*PREFETCH_CHECKS, *PAIR_CHECKS)),
    tuple(c for c in DEFAULT_POLICY.catalog_checks if c not in CATALOG_CHECKS),
)


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def make_repo(root: Path, deprecated_every: int | None) -> Path:
    root.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Bench")
    git(root, "config", "user.email", "bench@example.com")
    catalog = write_catalog(root / "catalog", 1500, 2)
    if deprecated_every:
        firsts = sorted(
            p for p in catalog.glob("*/*_v1.schema.json") if not p.parent.name.startswith("_")
        )
        for index, path in enumerate(firsts):
            if index % (deprecated_every // 2) == 0:
                schema = json.loads(path.read_text())
                schema["x-eventcat"]["lifecycle"] = {
                    "status": "deprecated",
                    "sunset": "2030-01-01",
                    "replacement": schema["x-eventcat"]["eventType"][:-1] + "2",
                }
                path.write_text(json.dumps(schema, indent=2))
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "catalog")
    git(root, "checkout", "-q", "-b", "change")
    for index in range(CHANGED):
        domain = DOMAINS[index % len(DOMAINS)]
        path = catalog / domain / f"Thing{index}Happened_v1.schema.json"
        schema = json.loads(path.read_text())
        schema["properties"][f"benchField{index}"] = {"type": "string"}
        schema["x-eventcat"]["consumers"] = schema["x-eventcat"].get("consumers", [])[:1]
        path.write_text(json.dumps(schema, indent=2))
    return catalog


def timed(catalog: Path, policy: Policy) -> float:
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        run_check(CheckOptions(catalog_dir=str(catalog), against="main"), policy)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        plain = make_repo(Path(tmp) / "plain", None)
        deprecated = make_repo(Path(tmp) / "deprecated", 10)
        files = sum(1 for _ in plain.rglob("*.schema.json"))
        rows = [("no deprecated versions", plain), ("10% deprecated", deprecated)]
        worst = 0.0
        for label, catalog in rows:
            with_checks, without = timed(catalog, DEFAULT_POLICY), timed(catalog, BASE_POLICY)
            worst = max(worst, with_checks)
            print(
                f"gate, {files} files, {CHANGED} changed, {label}: {with_checks:.3f} s with "
                f"governance checks, {without:.3f} s without (+{with_checks - without:.3f} s)"
            )
        settings = plain / "catalog.yaml"
        text = settings.read_text()
        settings.write_text(
            text.replace("  service-0:\n    name: Service 0\n    owner: team-a\n", "")
        )
        removed = timed(plain, DEFAULT_POLICY)
        worst = max(worst, removed)
        print(
            f"gate, {files} files, {CHANGED} changed + a service removed from catalog.yaml: "
            f"{removed:.3f} s"
        )
        print(
            "targets met" if worst < 1.0 else "TARGETS MISSED",
            f"(worst {worst:.3f} s; < 1 s in-process leaves the command well inside 2 s)",
        )


if __name__ == "__main__":
    main()
