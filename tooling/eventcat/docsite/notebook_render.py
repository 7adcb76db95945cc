"""One notebook as an HTML fragment for its docs page: rendered by nbconvert, sanitised, cached.

nbconvert's ``basic`` template gives the cells (Markdown rendered, code coloured by Pygments in
the ``.highlight`` markup Material styles) and their outputs. Notebooks arrive in pull requests,
so the whole fragment goes through the site's one sanitiser (:func:`sanitise_html`, profile
``notebook``): nothing in it runs, loads or styles.

With ``execute`` the notebook first runs on a fresh kernel against a temporary copy of the catalog
(``$EVENTCAT_CATALOG`` points the kernel at it), so the page shows real outputs; without, it is
shown as stored. Either way the result is cached under ``cache/notebooks/`` by a hash of what it
depends on (the notebook's bytes; when executed, also every catalog file), so an unchanged
notebook costs nothing on the next build.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import warnings
from pathlib import Path
from typing import Any

from eventcat.docsite.html import sanitise_html

#: part of every cache key: bump it when the rendering changes, so cached pages are rebuilt
RENDERING = "nbconvert-basic/2"
_HEADING = re.compile(r"(?m)^(#{1,4}) ")


def render(
    path: Path, catalog: Path, *, execute: bool, cache: Path | None, timeout: int = 300
) -> str:
    """The notebook at ``path`` as sanitised HTML (from ``cache`` when it holds this version)."""
    data = path.read_bytes()
    target = (
        cache / "notebooks" / f"{_key(data, catalog, execute)}.html" if cache is not None else None
    )
    if target is not None and target.is_file():
        return target.read_text(encoding="utf-8")
    html = _render(data, path.parent, catalog, execute=execute, timeout=timeout)
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(html, encoding="utf-8")
        partial.replace(target)  # whole or not at all, also with two builds at once
    return html


def _key(data: bytes, catalog: Path, execute: bool) -> str:
    import nbconvert

    digest = hashlib.sha256(
        f"{RENDERING} nbconvert {nbconvert.__version__} execute={execute}\n".encode()
    )
    digest.update(hashlib.sha256(data).digest())
    if execute:  # the outputs depend on the catalog the notebook reads
        for file in sorted(
            p for p in catalog.rglob("*") if p.is_file() and not _hidden(p, catalog)
        ):
            digest.update(file.relative_to(catalog).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()[:32]


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _render(data: bytes, folder: Path, catalog: Path, *, execute: bool, timeout: int) -> str:
    import nbformat
    from nbconvert import HTMLExporter
    from nbformat.warnings import MissingIDFieldWarning

    reads: Any = nbformat.reads  # untyped
    with warnings.catch_warnings():  # cells written without ids (nbformat < 4.5) get them below
        warnings.simplefilter("ignore", MissingIDFieldWarning)
        notebook = reads(data.decode("utf-8"), as_version=4)
    for index, cell in enumerate(notebook.cells):
        cell.setdefault("id", f"cell-{index}")
    if execute:
        _execute(notebook, folder, catalog, timeout)
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            # the page has its own title: notebook headings move two levels down (# -> h3)
            cell.source = _HEADING.sub(r"##\1 ", cell.source)
        for output in cell.get("outputs", []):
            data = output.get("data")
            if isinstance(data, dict) and "image/svg+xml" in data:
                # nbconvert would embed the drawing as an <img> data URL, which the sanitiser
                # drops; shown inline instead, cleaned with the SVG profile (shapes and text only)
                svg = data.pop("image/svg+xml")
                markup = "".join(svg) if isinstance(svg, list) else str(svg)
                cleaned = sanitise_html(markup, "svg")
                data["text/html"] = f'<div class="ec-nb-svg">{cleaned}</div>'
            elif isinstance(data, dict) and "text/html" in data:
                # each output cleaned on its own (its markup cannot reach the next one); one
                # whose markup does not survive is shown as its plain text
                html = data["text/html"]
                markup = "".join(html) if isinstance(html, list) else str(html)
                cleaned = sanitise_html(markup, "output")
                if cleaned.strip() or not markup.strip():
                    data["text/html"] = cleaned
                else:
                    del data["text/html"]
    exporter_class: Any = HTMLExporter  # untyped
    exporter = exporter_class(
        template_name="basic",
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_anchor_links=True,
    )
    body, _ = exporter.from_notebook_node(notebook)
    return f'<div class="ec-nb">{sanitise_html(str(body), "notebook")}</div>'


def _execute(notebook: Any, folder: Path, catalog: Path, timeout: int) -> None:
    """Run ``notebook`` on a fresh kernel against a temporary copy of ``catalog``."""
    from nbclient import NotebookClient

    from eventcat.design.notebook import ENV  # the variable the notebooks read their catalog from

    with tempfile.TemporaryDirectory(prefix="eventcat-notebook-") as tmp:
        copy = Path(tmp) / "catalog"
        shutil.copytree(catalog, copy, ignore=shutil.ignore_patterns(".*"))
        previous = os.environ.get(ENV)
        os.environ[ENV] = str(copy)  # the kernel inherits it
        try:
            NotebookClient(
                notebook,
                timeout=timeout,
                kernel_name="python3",
                resources={"metadata": {"path": str(folder)}},
            ).execute()
        finally:
            if previous is None:
                os.environ.pop(ENV, None)
            else:
                os.environ[ENV] = previous
