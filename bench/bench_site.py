"""Docs-site build time on a synthetic catalog of 1,000 event versions.

Targets (issue 6): the site of 1,000 event versions builds in under 60 s on a 2-core machine, its
HTML pages average under 30 KB, and the eventcat plugin's own share of the build is under a third.
The build is a real ``mkdocs build --strict`` (MkDocs' Python API, mkdocs-material, search).

Also (issues 18 and 20): one event whose description is a single 20k / 80k / 300k-character line
builds in time linear in its length (it was quadratic: 20k 2.6 s, 80k 54 s, 300k > 600 s); texts
over ``MAX_MARKDOWN_CHARS`` are shown as plain text, and the worst text at the cap is timed too.
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
    heaviest = sorted(pages, key=lambda p: -p.stat().st_size)[:5]
    over = [p for p in pages if p.stat().st_size > 30 * 1024]
    event_pages = [p.stat().st_size for p in (root / "site" / "events").rglob("v*/index.html")]
    index = (root / "site" / "search" / "search_index.json").stat().st_size
    share = plugin.seconds / total
    print(
        f"{events * versions} event versions ({events} events x {versions} versions), "
        f"{len(pages)} HTML pages"
    )
    print(f"  build: {total:.1f} s (target < 60 s)")
    print(
        f"  plugin: {plugin.seconds:.1f} s = {share:.0%} of the build (target < 33%); "
        + ", ".join(f"{k} {v:.2f} s" for k, v in plugin.timings.items())
    )
    print(
        f"  HTML: {sum(sizes) / len(sizes) / 1024:.1f} KB per page on average (target < 30 KB); "
        f"event pages {sum(event_pages) / max(1, len(event_pages)) / 1024:.1f} KB; "
        f"largest {max(sizes) / 1024:.0f} KB; total {sum(sizes) / 1e6:.1f} MB; "
        f"search index {index / 1e6:.1f} MB"
    )
    print(f"  pages over 30 KB (issue 12: none): {len(over)}")
    print(
        "  largest pages: "
        + ", ".join(
            f"{p.relative_to(root / 'site')} {p.stat().st_size / 1024:.0f} KB" for p in heaviest
        )
    )
    ok = total < 60 and share < 1 / 3 and sum(sizes) / len(sizes) < 30 * 1024
    print("  " + ("all targets met" if ok else "TARGET MISSED"))


def long_description(root: Path, chars: int) -> float:
    """CPU seconds of a strict site build of one event whose description is one line of ``chars``."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    catalog = write_catalog(root / "catalog", 1, 1)
    schema_path = next(
        p for p in catalog.rglob("*.schema.json") if not p.parent.name.startswith("_")
    )
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema["description"] = ("Lorem [ipsum](dolor *sit* <amet> " * (chars // 30 + 1))[:chars]
    schema_path.write_text(json.dumps(schema), encoding="utf-8")
    (root / "docs").mkdir()
    (root / "mkdocs.yml").write_text(MKDOCS_YML.format(catalog=catalog), encoding="utf-8")
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    started = time.process_time()
    mkdocs_build(load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"), strict=False))
    return time.process_time() - started


def worst_at_the_cap() -> float:
    """CPU seconds to render the slowest text Python-Markdown gets: the cap's length of ``[x](``."""
    from eventcat.docsite.html import MAX_MARKDOWN_CHARS, markdown_html

    started = time.process_time()
    markdown_html(("[x](" * MAX_MARKDOWN_CHARS)[:MAX_MARKDOWN_CHARS])
    return time.process_time() - started


def main() -> None:
    from eventcat.docsite.html import MAX_MARKDOWN_CHARS

    with tempfile.TemporaryDirectory() as tmp:
        build(Path(tmp) / "c1000", 250, 4)
    if "--site-only" in sys.argv:
        return
    print("one event with a single-line description (CPU seconds of the whole site build)")
    seconds = {}
    for chars in (20_000, 80_000, 300_000):
        with tempfile.TemporaryDirectory() as tmp:
            seconds[chars] = long_description(Path(tmp), chars)
        print(f"  {chars:>7,} chars: {seconds[chars]:.2f} s")
    print(
        f"  ratio 300k/20k: {seconds[300_000] / seconds[20_000]:.2f} for 15x the text "
        f"(was > 230 when quadratic)"
    )
    print(
        f"  worst text at the cap ({MAX_MARKDOWN_CHARS:,} chars of '[x]('): "
        f"{worst_at_the_cap():.2f} s to render as Markdown"
    )


if __name__ == "__main__":
    main()
