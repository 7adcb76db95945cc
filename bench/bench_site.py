"""Docs-site build time on a synthetic catalog of 1,000 event versions.

Targets (issue 6): the site of 1,000 event versions builds in under 60 s on a 2-core machine, its
HTML pages average under 30 KB, and the eventcat plugin's own share of the build is under a third.
The build is a real ``mkdocs build --strict`` (MkDocs' Python API, mkdocs-material, search).
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from synthetic import write_catalog

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

MKDOCS_YML = """\
site_name: Synthetic catalog
docs_dir: docs
theme:
  name: material
  font: false
  features: [content.code.copy, search.suggest, search.highlight]
plugins:
  - search
  - eventcat:
      catalog: {catalog}
      history: false
markdown_extensions:
  - toc:
      permalink: true
nav:
  - Home: index.md
  - Events: events/index.md
  - Domains: domains/index.md
  - Services: services/index.md
  - Teams: teams/index.md
  - Shared schemas: fragments/index.md
  - Field index: fields.md
  - Rules: rules/index.md
"""


def build(root: Path, events: int, versions: int) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    catalog = write_catalog(root / "catalog", events, versions)
    (root / "docs").mkdir()
    (root / "mkdocs.yml").write_text(MKDOCS_YML.format(catalog=catalog), encoding="utf-8")
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    started = time.perf_counter()
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"), strict=True)
    mkdocs_build(config)
    total = time.perf_counter() - started
    plugin = config.plugins["eventcat"]
    pages = list((root / "site").rglob("*.html"))
    sizes = [p.stat().st_size for p in pages]
    event_pages = [p.stat().st_size for p in (root / "site" / "events").rglob("v*/index.html")]
    index = (root / "site" / "search" / "search_index.json").stat().st_size
    share = plugin.seconds / total
    print(f"{events * versions} event versions ({events} events x {versions} versions), "
          f"{len(pages)} HTML pages")
    print(f"  build: {total:.1f} s (target < 60 s)")
    print(f"  plugin: {plugin.seconds:.1f} s = {share:.0%} of the build (target < 33%); "
          + ", ".join(f"{k} {v:.2f} s" for k, v in plugin.timings.items()))
    print(f"  HTML: {sum(sizes) / len(sizes) / 1024:.1f} KB per page on average (target < 30 KB); "
          f"event pages {sum(event_pages) / max(1, len(event_pages)) / 1024:.1f} KB; "
          f"largest {max(sizes) / 1024:.0f} KB; total {sum(sizes) / 1e6:.1f} MB; "
          f"search index {index / 1e6:.1f} MB")
    ok = total < 60 and share < 1 / 3 and sum(sizes) / len(sizes) < 30 * 1024
    print("  " + ("all targets met" if ok else "TARGET MISSED"))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        build(Path(tmp) / "c1000", 250, 4)


if __name__ == "__main__":
    main()
