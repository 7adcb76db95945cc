"""Pages for the design notebooks: each rendered as HTML, with a link to download it.

Rendering without running shows the notebooks as stored (fast, no kernel); with
``execute_notebooks: true`` each runs on a fresh kernel against a temporary copy of the catalog,
so the pages show real outputs (about 5 s a notebook, once: rendered notebooks are cached).

Notebooks arrive in pull requests like the catalog does, so nothing of theirs reaches a page's
Markdown: names and titles go into autoescaped templates, page titles through
:func:`safe_title`, URLs are built from a slug of the file name, and cells and outputs are
rendered by nbconvert and sanitised (:mod:`eventcat.docsite.notebook_render`).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

from markupsafe import Markup

from eventcat.docsite.html import Links, safe_title
from eventcat.docsite.page import Page
from eventcat.docsite.templating import render as render_template

_NOT_SLUG = re.compile(r"[^A-Za-z0-9_-]+")


def notebook_pages(
    folder: Path,
    catalog: Path,
    *,
    execute: bool,
    links: Links | None = None,
    cache: Path | None = None,
) -> tuple[dict[str, Page], dict[str, bytes], list[str]]:
    """(pages by src, files by path, problems) for every ``*.ipynb`` in ``folder``.

    A problem is one line naming a notebook that could not be rendered (its page says so).
    ``cache``: the folder rendered notebooks are kept in (see :mod:`.notebook_render`).
    """
    notebooks = sorted(p for p in folder.glob("*.ipynb") if p.is_file()) if folder.is_dir() else []
    if not notebooks:
        return {}, {}, []
    from eventcat.docsite.notebook_render import render

    links = links or Links()
    pages: dict[str, Page] = {}
    files: dict[str, bytes] = {}
    problems: list[str] = []
    index = Page("notebooks/index.md", "Notebooks")
    index.parts.append(
        "Design and evolve events in Jupyter: each notebook runs against a copy of the catalog "
        "and shows the verdict the CI gate would give before a pull request. "
        "Open one with `nox -s lab`, or download it below."
    )
    mode = "with the outputs of a run at build time" if execute else "as stored"
    rows = []
    taken = {"index"}
    for path in notebooks:
        slug = _slug(path.stem, taken)
        title = safe_title(_title(path))
        src, download = f"notebooks/{slug}.md", f"notebooks/{slug}.ipynb"
        files[download] = path.read_bytes()
        body: Markup | None
        try:
            body = Markup(render(path, catalog, execute=execute, cache=cache))  # sanitised
        # A notebook from a pull request may be anything: its page says so and the build warns,
        # one line, instead of stopping with a traceback.
        except Exception as err:
            problems.append(
                _one_line(f"notebooks/{path.name}: cannot be rendered: {type(err).__name__}: {err}")
            )
            body = None
        page = Page(src, title)
        page.html(
            render_template(
                "notebook.html.j2",
                links=links,
                src=src,
                download=download,
                name=path.name,
                mode=mode,
                body=body,
            )
        )
        pages[src] = page
        rows.append((src, title, download, path.name))
    index.html(render_template("notebooks_index.html.j2", links=links, src=index.src, rows=rows))
    pages[index.src] = index
    return pages, files, problems


def _one_line(text: str) -> str:
    """A log line that stays one line whatever the file name or error holds."""
    return " ".join(text.split())[:500]


def _slug(stem: str, taken: set[str]) -> str:
    """A URL-safe, unique page name for a notebook file (the file name itself is only shown)."""
    base = _NOT_SLUG.sub("-", stem).strip("-")[:80] or "notebook"
    slug, n = base, 1
    while slug.lower() in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug.lower())
    return slug


def _title(path: Path) -> str:
    """The notebook's first Markdown heading, else its file name (plain text: see safe_title)."""
    try:
        cells: Any = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        cells = []
    for cell in cells if isinstance(cells, list) else []:
        if isinstance(cell, dict) and cell.get("cell_type") == "markdown":
            source = cell.get("source", "")
            text = "".join(map(str, source)) if isinstance(source, list) else str(source)
            for line in text.splitlines():
                if line.startswith("#"):
                    return html.unescape(line.lstrip("# ").strip())
    return path.stem.replace("_", " ").capitalize()
