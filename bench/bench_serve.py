"""``mkdocs serve``: the rebuild after one schema file of a 1,000-version catalog changes.

Issue 12.5 asks for the rebuild of one changed file on a 1,000-version catalog (goal: under 3 s,
only the affected pages rebuilt where MkDocs allows). This drives MkDocs the way ``mkdocs serve``
does (mkdocs/commands/serve.py): one ``on_startup(command="serve")``, then per rebuild a fresh
``load_config`` (MkDocs keeps the same plugin instance across rebuilds: it has ``on_startup``)
and ``build(config, serve_url=…, dirty=…)``. Between the first build and the rebuild one event
schema's description is edited, as an author would. Printed: CPU seconds of this process (MkDocs
and the plugin run in it), the plugin's share, and how many pages MkDocs wrote.

Run: python bench/bench_serve.py [--dirty]   (--dirty: as ``mkdocs serve --dirty``)

Before (63d369e: every page generated in memory, always rebuilt; nothing kept across rebuilds),
on the 2-core machine: first build 21.7 CPU-s; rebuild 19.4 CPU-s, all 1,514 pages written;
--dirty 20.7 CPU-s, all pages written.
After (version pages kept by key across rebuilds, docsite/memo.py; in dirty builds generated
files staged as files that keep their mtime while unchanged, docsite/sources.py): see the
README's site section and the numbers printed here.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tooling"))

from bench_site import MKDOCS_YML
from synthetic import write_catalog

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def _written(site: Path, since: float) -> int:
    return sum(1 for p in site.rglob("*.html") if p.stat().st_mtime >= since)


def rebuild(root: Path, dirty: bool) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    catalog = write_catalog(root / "catalog", 250, 4)
    (root / "docs").mkdir()
    config_file = root / "mkdocs.yml"
    config_file.write_text(MKDOCS_YML.format(catalog=catalog), encoding="utf-8")
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    site = root / "site"

    def config() -> object:
        return load_config(str(config_file), site_dir=str(site))

    first = config()
    first.plugins.on_startup(command="serve", dirty=dirty)  # type: ignore[attr-defined]
    serve_url = "http://127.0.0.1:8000/"
    cpu = time.process_time()
    build(first, serve_url=serve_url, dirty=False)  # type: ignore[arg-type]  # serve's first build
    initial = time.process_time() - cpu
    pages = sum(1 for _ in site.rglob("*.html"))

    # the author edits one schema: a new description for one event version
    schema_file = next(
        p for p in sorted(catalog.rglob("*_v2.schema.json")) if p.parent.name[0] != "_"
    )
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    schema["description"] = "Edited while serving."
    time.sleep(0.05)  # a later mtime than the first build's output
    schema_file.write_text(json.dumps(schema, indent=2), encoding="utf-8")

    again = config()
    plugin = again.plugins["eventcat"]  # type: ignore[attr-defined]
    since = time.time()
    cpu = time.process_time()
    build(again, serve_url=serve_url, dirty=dirty)  # type: ignore[arg-type]
    seconds = time.process_time() - cpu
    edited = schema_file.relative_to(catalog)
    print(f"{pages} HTML pages from 1,000 event versions; edited {edited}")
    print(f"  first build: {initial:.1f} CPU-s")
    print(
        f"  rebuild{' (--dirty)' if dirty else ''}: {seconds:.1f} CPU-s (goal < 3 s), "
        f"{_written(site, since)} HTML pages written; plugin {plugin.seconds:.1f} s: "
        + ", ".join(f"{k} {v:.2f} s" for k, v in plugin.timings.items())
        + f"; version pages from the memo {plugin.memo.hits}, rendered {plugin.memo.misses}"
    )
    plugin.on_shutdown()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        rebuild(Path(tmp), dirty="--dirty" in sys.argv)


if __name__ == "__main__":
    main()
