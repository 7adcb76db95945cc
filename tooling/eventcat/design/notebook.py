"""What a notebook needs besides the design API: a catalog it may write to, and errors shown the
way the CLI shows them (one ``eventcat: file:line #pointer: error [rule] message`` line each, no
traceback)."""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from eventcat.errors import CatalogError, EventcatError

ENV = "EVENTCAT_CATALOG"


def _find_catalog(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / "catalog"
        if (candidate / "catalog.yaml").is_file():
            return candidate
    return None


def working_copy(source: str | Path | None = None) -> Path:
    """The catalog folder a notebook works on.

    ``$EVENTCAT_CATALOG`` when set (the tests point it at a temporary copy); otherwise a fresh
    temporary copy of ``source`` (default: the nearest ``catalog/`` folder above the current
    one), so that running a notebook never changes the real catalog.
    """
    chosen = os.environ.get(ENV)
    if chosen:
        path = Path(chosen)
        if not (path / "catalog.yaml").is_file():
            raise CatalogError.at(
                f"{ENV}={chosen!r} is not a catalog folder (no catalog.yaml)",
                rule="catalog-missing",
                file=chosen,
            )
        return path
    origin = Path(source) if source is not None else _find_catalog(Path.cwd())
    if origin is None or not (origin / "catalog.yaml").is_file():
        raise CatalogError.at(
            f"no catalog found from {Path.cwd()}; set {ENV} to a copy of one",
            rule="catalog-missing",
        )
    target = Path(tempfile.mkdtemp(prefix="eventcat-notebook-")) / "catalog"
    shutil.copytree(origin, target, ignore=shutil.ignore_patterns(".*"))
    return target


def error_lines(error: EventcatError) -> str:
    """The lines ``eventcat`` prints on stderr for this error."""
    return "\n".join(f"eventcat: {problem.render()}" for problem in error.problems)


def show_errors_like_the_cli() -> bool:
    """In IPython/Jupyter, show an uncaught eventcat error as the CLI's lines instead of a
    traceback. Returns False outside IPython."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None:
        return False

    def handler(
        shell: Any, etype: type[BaseException], value: BaseException, tb: Any, tb_offset: Any = None
    ) -> None:
        assert isinstance(value, EventcatError)
        print(error_lines(value), file=sys.stderr)

    shell.set_custom_exc((EventcatError,), handler)
    return True


def render_notebook(
    path: str | Path,
    *,
    catalog: str | Path | None = None,
    execute: bool = True,
    timeout: int = 300,
    kernel_name: str = "python3",
) -> str:
    """One notebook as an HTML fragment for a docs page: prose rendered from Markdown (sanitised
    like catalog text), code cells, and their outputs from a run on a fresh kernel against a
    temporary copy of ``catalog`` (default: the nearest ``catalog/``). With ``execute=False`` the
    notebook is shown as stored, without outputs. The catalog itself is only read."""
    import html

    import nbformat

    from eventcat.docsite.html import markdown_html

    notebook_path = Path(path)
    read: Any = nbformat.read  # untyped
    notebook = read(notebook_path, as_version=4)
    if execute:
        from nbclient import NotebookClient

        origin = Path(catalog) if catalog is not None else _find_catalog(notebook_path.parent)
        with tempfile.TemporaryDirectory(prefix="eventcat-render-") as tmp:
            copy = Path(tmp) / "catalog"
            if origin is None:
                raise CatalogError.at(
                    f"no catalog found for {notebook_path}", rule="catalog-missing"
                )
            shutil.copytree(origin, copy, ignore=shutil.ignore_patterns(".*"))
            previous = os.environ.get(ENV)
            os.environ[ENV] = str(copy)
            try:
                NotebookClient(
                    notebook,
                    timeout=timeout,
                    kernel_name=kernel_name,
                    resources={"metadata": {"path": str(notebook_path.parent)}},
                ).execute()
            finally:
                if previous is None:
                    os.environ.pop(ENV, None)
                else:
                    os.environ[ENV] = previous
    parts: list[str] = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            # The page has its own title; notebook headings move two levels down (# -> h3),
            # which is also what the sanitiser allows.
            source = re.sub(r"(?m)^(#{1,4}) ", r"##\1 ", _text(cell.source))
            parts.append(f'<div class="ecd-nb-md">{markdown_html(source)}</div>')
            continue
        if cell.cell_type != "code":
            continue
        parts.append(f'<pre class="ecd-nb-code"><code class="language-python">'
                     f"{html.escape(_text(cell.source))}</code></pre>")  # fmt: skip
        for output in cell.get("outputs", []):
            parts.append(_output_html(output))
    return "\n".join(p for p in parts if p)


def _output_html(output: Any) -> str:
    """One stored or fresh output. Notebooks come from pull requests, so their outputs are
    untrusted: HTML and SVG go through the site's sanitiser (``eventcat.docsite.html``); an output
    whose markup does not survive it is shown as its plain text instead."""
    import html

    from eventcat.docsite.html import sanitise_html

    kind = output.get("output_type")
    if kind == "stream":
        cls = "ecd-nb-stderr" if output.get("name") == "stderr" else "ecd-nb-stdout"
        return f'<pre class="{cls}">{html.escape(_text(output.get("text")))}</pre>'
    if kind == "error":
        text = f"{_text(output.get('ename'))}: {_text(output.get('evalue'))}"
        return f'<pre class="ecd-nb-stderr">{html.escape(text)}</pre>'
    data = output.get("data", {})
    if not isinstance(data, dict):
        return ""
    for mime, profile in (("image/svg+xml", "svg"), ("text/html", "output")):
        if mime in data:
            markup = _text(data[mime])
            cleaned = sanitise_html(markup, profile)
            if cleaned.strip() or not markup.strip():
                return f'<div class="ecd-nb-out">{cleaned}</div>'
    if "text/plain" in data:
        return f'<pre class="ecd-nb-out">{html.escape(_text(data["text/plain"]))}</pre>'
    return ""


def _text(value: Any) -> str:
    """nbformat stores multi-line strings as lists of lines."""
    if isinstance(value, list):
        return "".join(str(v) for v in value)
    return "" if value is None else str(value)
