"""Teach IPython to render eventcat's objects: the objects carry data, this layer draws them.

:func:`register` runs when ``eventcat`` is imported inside IPython or Jupyter, and as
``%load_ext eventcat.display``; outside IPython nothing here is imported.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from eventcat.display import views


@cache
def _renderers() -> dict[type, Callable[[Any], str]]:
    # Imported here, not at the top: the design layer is optional work for this module's callers.
    from eventcat.catalog.model import Catalog, Event, EventVersion
    from eventcat.design.api import DesignCatalog, EventHandle, ResultView, Review
    from eventcat.design.infer import Inference
    from eventcat.design.preview import Preview
    from eventcat.design.scaffold import EventDraft
    from eventcat.design.write import Validation
    from eventcat.report.render import Result

    return {
        Catalog: views.catalog_html,
        Event: views.event_html,
        EventVersion: views.version_html,
        DesignCatalog: lambda c: views.catalog_html(c.model),
        EventHandle: lambda h: views.event_html(h.model, h.catalog.model),
        ResultView: lambda r: views.result_html(r.result),
        Result: views.result_html,
        Review: views.review_html,
        Inference: views.inference_html,
        EventDraft: views.draft_html,
        Validation: views.validation_html,
        Preview: views.preview_html,
    }


def html_for(obj: Any) -> str | None:
    """The HTML Jupyter shows for ``obj``, or None when eventcat does not render its type."""
    for cls in type(obj).__mro__:
        renderer = _renderers().get(cls)
        if renderer is not None:
            return renderer(obj)
    return None


def register(shell: Any = None) -> bool:
    """Register the renderers with ``shell`` (default: the running IPython). False outside IPython."""
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        shell = get_ipython()
        if shell is None:
            return False
    html = shell.display_formatter.formatters["text/html"]
    for cls, renderer in _renderers().items():
        html.for_type(cls, renderer)
    from eventcat.design.preview import Preview

    shell.display_formatter.mimebundle_formatter.for_type(Preview, preview_bundle)
    return True


def preview_bundle(preview: Any) -> dict[str, Any] | None:
    """A docs-page preview with a flow diagram: the HTML, and a view that draws the diagram with
    the site's bundled Mermaid (JupyterLab shows the view; HTML exports keep the HTML)."""
    from eventcat.display.page_view import available, has_diagram, page_view

    html = views.preview_html(preview)
    if not (has_diagram(html) and available()):
        return None
    shown = page_view(html)._repr_mimebundle_()
    bundle: dict[str, Any] = dict(shown[0] if isinstance(shown, tuple) else shown)
    bundle["text/html"] = html
    return bundle


def load_ipython_extension(shell: Any) -> None:
    """``%load_ext eventcat.display``."""
    register(shell)
