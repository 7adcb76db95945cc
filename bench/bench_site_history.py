"""Benchmark: the catalog site with git history, on GitHub's webhook schemas (issue 17.14).

Commits several published versions of ``@octokit/webhooks-schemas`` one after the other in a
real git repository (bench/realworld_webhooks.py; tarballs cached in ``~/.cache/eventcat-bench/``,
nothing else from outside) and runs ``mkdocs build`` (mkdocs-material, the eventcat plugin) in a
child process, timed in CPU seconds of that child:

- without history (``history: false``): the baseline;
- with history, first build (empty comparison cache);
- with history again, unchanged catalog (warm comparison cache in ``.eventcat-cache/``).

Targets: the first history build within 3x the no-history build; the warm build about equal to
the no-history build. Printed per build: the plugin's ``compare`` timing (seconds spent
comparing, engine and cache together) and the number of pairs in the cache folder. Run: python bench/bench_site_history.py [--versions N] [--keep DIR]
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_realworld import git
from realworld_webhooks import VERSIONS, bundle, convert, tarball, write

TOOLING = Path(__file__).resolve().parents[1] / "tooling"

MKDOCS_YML = """\
site_name: GitHub webhooks
docs_dir: docs
theme:
  name: material
  font: false
plugins:
  - search
  - eventcat:
      catalog: catalog
      history: {history}
      cache: .eventcat-cache
"""

# Run in the child: build, then print the plugin's own timings as one JSON line.
CHILD = """\
import json, logging, sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
logging.getLogger("mkdocs").setLevel(logging.ERROR)
config = load_config(sys.argv[1], site_dir=sys.argv[2])
build(config)
print(json.dumps(config.plugins["eventcat"].timings))
"""


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def site_build(repo: Path, history: bool) -> tuple[float, float, dict[str, float]]:
    """CPU-s and wall-s of one ``mkdocs build`` in a child process, and the plugin's timings."""
    config = repo / f"mkdocs-{'history' if history else 'plain'}.yml"
    config.write_text(MKDOCS_YML.format(history=str(history).lower()), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(TOOLING), "NO_MKDOCS_2_WARNING": "1"}
    cpu, wall = child_cpu(), time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(config), str(repo / "site")],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    cpu, wall = child_cpu() - cpu, time.perf_counter() - wall
    if proc.returncode != 0:
        raise SystemExit(f"mkdocs build failed:\n{proc.stderr[-2000:]}")
    timings = json.loads(proc.stdout.strip().splitlines()[-1])
    return cpu, wall, timings


def history_repo(repo: Path, versions: tuple[str, ...]) -> None:
    repo.mkdir(parents=True)
    (repo / "docs").mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "Bench")
    git(repo, "config", "user.email", "bench@example.com")
    for version in versions:
        write(convert(bundle(tarball(version))), repo / "catalog")
        git(repo, "add", "-A", "catalog")
        git(repo, "commit", "-q", "--allow-empty", "-m", f"@octokit/webhooks-schemas {version}")


def main() -> None:
    count = int(sys.argv[sys.argv.index("--versions") + 1]) if "--versions" in sys.argv else 5
    keep = sys.argv[sys.argv.index("--keep") + 1] if "--keep" in sys.argv else None
    versions = VERSIONS[:count]
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(keep or tmp) / "webhooks-site"
        history_repo(repo, versions)
        files = len(list((repo / "catalog").rglob("*.schema.json")))
        print(
            f"{len(versions)} versions committed ({versions[0]} .. {versions[-1]}), {files} files"
        )
        cache = repo / ".eventcat-cache" / "compare"
        figures: dict[str, float] = {}
        for label, history, fresh in (
            ("no history", False, True),
            ("history, first build", True, True),
            ("history, warm cache", True, False),
        ):
            if fresh:  # an empty cache folder: every comparison is computed
                shutil.rmtree(cache, ignore_errors=True)
            cpu, wall, timings = site_build(repo, history)
            figures[label] = cpu
            entries = len(list(cache.rglob("*.json"))) if cache.is_dir() else 0
            print(
                f"  {label:<22} CPU {cpu:8.2f} s  wall {wall:8.2f} s  "
                f"comparisons {timings.get('compare', 0.0):6.2f} s  cached pairs {entries:5d}",
                flush=True,
            )
        plain = figures["no history"]
        first, warm = figures["history, first build"], figures["history, warm cache"]
        print(
            f"  history/no-history: first {first / plain:.2f}x (target <= 3x), "
            f"warm {warm / plain:.2f}x (target ~ 1x)"
        )


if __name__ == "__main__":
    main()
