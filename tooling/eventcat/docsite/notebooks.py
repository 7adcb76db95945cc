"""Pages for the design notebooks: each rendered as HTML, with a link to download it.

Rendering without running shows the notebooks as stored (fast, no kernel); with
``execute_notebooks: true`` each runs on a fresh kernel against a temporary copy of the catalog,
so the pages show real outputs (about 5 s a notebook).
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from eventcat.docsite.build import Page


def notebook_pages(
    folder: Path, catalog: Path, *, execute: bool
) -> tuple[dict[str, Page], dict[str, bytes]]:
    """(pages by src, files by path) for every ``*.ipynb`` in ``folder``; empty without one."""
    notebooks = sorted(folder.glob("*.ipynb")) if folder.is_dir() else []
    if not notebooks:
        return {}, {}
    from eventcat.design.notebook import render_notebook

    pages: dict[str, Page] = {}
    files: dict[str, bytes] = {}
    index = Page("notebooks/index.md", "Notebooks")
    index.parts.append(
        "Design and evolve events in Jupyter: each notebook runs against a copy of the catalog "
        "and shows the verdict the CI gate would give before a pull request. "
        "Open one with `nox -s lab`, or download it below."
    )
    rows = []
    for path in notebooks:
        title = _title(path)
        src = f"notebooks/{path.stem}.md"
        files[f"notebooks/{path.name}"] = path.read_bytes()
        page = Page(src, title)
        mode = (
            "with the outputs of a run at build time"
            if execute
            else "as stored (run it to see outputs)"
        )
        page.parts.append(f"[Download {path.name}]({path.name}) · shown {mode}.")
        page.html(render_notebook(path, catalog=catalog, execute=execute))
        pages[src] = page
        rows.append(f"- [{title}]({path.stem}.md) — [{path.name}]({path.name})")
    index.parts.append("\n".join(rows))
    pages[index.src] = index
    return pages, files


def _title(path: Path) -> str:
    """The notebook's first Markdown heading, else its file name."""
    try:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        cells = []
    for cell in cells:
        if cell.get("cell_type") == "markdown":
            source = "".join(cell.get("source", []))
            for line in source.splitlines():
                if line.startswith("#"):
                    # Titles go into templates unescaped: keep them plain text.
                    return (
                        html.unescape(line.lstrip("# ").strip()).replace("<", "").replace(">", "")
                    )
    return path.stem.replace("_", " ").capitalize()
