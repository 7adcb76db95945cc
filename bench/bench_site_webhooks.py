"""Page weight of the site of a real catalog: GitHub's webhook payload schemas (issues 12, 17.15).

Converts one cached version of ``@octokit/webhooks-schemas`` (bench/realworld_webhooks.py; the
newest in ``VERSIONS`` unless one is given) into a catalog, builds its site with a real
``mkdocs build --strict`` (mkdocs.yml as bench/bench_site.py's, ``history: false``) and prints:
page count, average and largest HTML pages, the field index pages, the explorer's data files,
MkDocs' search index, and the build's CPU seconds. Targets: every HTML page under 30 KB on average
and the largest under 100 KB; the field index paged (no page over 100 KB); the search index under
2 MB (it was 14 MB, every payload table repeated in it).
Run: python bench/bench_site_webhooks.py [VERSION] [--keep DIR]
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tooling"))

from bench_site import MKDOCS_YML
from realworld_webhooks import VERSIONS, bundle, convert, tarball, write

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def build(root: Path, version: str) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    write(convert(bundle(tarball(version))), root / "catalog")
    (root / "docs").mkdir(parents=True, exist_ok=True)
    yml = MKDOCS_YML.format(catalog=root / "catalog").replace("Synthetic", "GitHub webhooks")
    (root / "mkdocs.yml").write_text(yml, encoding="utf-8")
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    cpu = time.process_time()
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"), strict=True)
    mkdocs_build(config)
    cpu = time.process_time() - cpu
    site = root / "site"
    sizes = {str(p.relative_to(site)): p.stat().st_size for p in site.rglob("*.html")}
    largest = sorted(sizes.items(), key=lambda item: -item[1])[:5]
    fields = {k: v for k, v in sizes.items() if k.startswith("fields")}
    schemas = [
        p.stat().st_size
        for folder in ("schemas", "fragments")
        for p in (site / "assets/eventcat" / folder).rglob("*.json")
    ]
    index = (site / "search" / "search_index.json").stat().st_size
    plugin = config.plugins["eventcat"]
    average = sum(sizes.values()) / len(sizes)
    print(f"@octokit/webhooks-schemas {version}: {len(sizes)} HTML pages")
    print(f"  build: {cpu:.1f} CPU-s (plugin {plugin.seconds:.1f} s wall)")
    print(
        f"  HTML: {average / 1024:.1f} KB per page on average (target < 30 KB); total "
        f"{sum(sizes.values()) / 1e6:.1f} MB; largest: "
        + ", ".join(f"{name} {size / 1024:.0f} KB" for name, size in largest)
    )
    print(
        f"  field index: {len(fields)} pages, {sum(fields.values()) / 1024:.0f} KB in all, "
        f"largest {max(fields.values(), default=0) / 1024:.0f} KB"
    )
    print(
        f"  explorer data: {len(schemas)} files, largest {max(schemas, default=0) / 1024:.0f} KB, "
        f"{sum(schemas) / 1e6:.1f} MB in all (fetched by the page that shows it)"
    )
    print(f"  search index: {index / 1e6:.2f} MB (target < 2 MB; was 14 MB)")
    ok = (
        average < 30 * 1024
        and largest[0][1] < 100 * 1024
        and max(fields.values(), default=0) < 100 * 1024
        and index < 2e6
    )
    print("  " + ("all targets met" if ok else "TARGET MISSED"))


def main() -> None:
    args = sys.argv[1:]
    keep = None
    if "--keep" in args:
        at = args.index("--keep")
        keep = Path(args[at + 1])
        del args[at : at + 2]
    version = args[0] if args else VERSIONS[-1]
    if keep is not None:
        build(keep, version)
        return
    with tempfile.TemporaryDirectory() as tmp:
        build(Path(tmp), version)


if __name__ == "__main__":
    main()
