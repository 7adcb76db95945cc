"""A notebook view of HTML whose Mermaid flow diagrams are drawn, offline.

The docs site bundles Mermaid (``eventcat/docsite/assets/mermaid.min.js``); this anywidget sends
that file to JupyterLab with the HTML, and ``static/page_view.js`` draws each
``<pre class="mermaid">`` block. Where anywidget is missing the HTML is shown as it is (the
diagram as its source).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any


@cache
def _asset(package: str, name: str) -> str:
    return files(package).joinpath(name).read_text(encoding="utf-8")


def available() -> bool:
    try:
        import anywidget  # noqa: F401
    except ImportError:
        return False
    return True


@cache
def _widget_class() -> type:
    import anywidget
    import traitlets

    class PageView(anywidget.AnyWidget):
        _esm = _asset("eventcat.display", "static/page_view.js")
        _library = traitlets.Unicode("").tag(sync=True)
        html = traitlets.Unicode("").tag(sync=True)

    return PageView


def page_view(html: str = "") -> Any:
    """A widget that shows ``html`` (already escaped/sanitised) with its diagrams drawn."""
    library = _asset("eventcat.docsite", "assets/mermaid.min.js")
    return _widget_class()(html=html, _library=library)


def has_diagram(html: str) -> bool:
    return '<pre class="mermaid">' in html
