"""How eventcat's objects look in Jupyter: tables, HTML views and flow graphs.

The catalog and design objects carry no HTML of their own; :mod:`.formatters` registers the
renderings of :mod:`.views` with IPython (automatically when ``eventcat`` is imported in a
kernel), :class:`Designer` is the JupyterLab form for designing an event, :mod:`.tables` holds the tables notebooks explore, :mod:`.flow` the producer/consumer
graph. Everything a catalog author wrote is escaped by the templates; nothing is fetched.
"""

from __future__ import annotations

from typing import Any

from eventcat.display.flow import FlowGraph, flow_graph
from eventcat.display.formatters import html_for, load_ipython_extension, register
from eventcat.display.tables import (
    Table,
    catalog_overview,
    field_index,
    schema_sizes,
    schema_table,
    versions_over_time,
)
from eventcat.display.views import (
    Shown,
    catalog_html,
    draft_html,
    event_html,
    findings_html,
    inference_html,
    result_html,
    review_html,
    show,
    version_html,
)

__all__ = [
    "Designer",
    "FlowGraph",
    "Shown",
    "Table",
    "catalog_html",
    "catalog_overview",
    "draft_html",
    "event_html",
    "field_index",
    "findings_html",
    "flow_graph",
    "html_for",
    "inference_html",
    "load_ipython_extension",
    "register",
    "result_html",
    "review_html",
    "schema_sizes",
    "schema_table",
    "show",
    "version_html",
    "versions_over_time",
]


def __getattr__(name: str) -> Any:
    # The form needs ipywidgets (the notebooks extra): imported only when asked for.
    if name == "Designer":
        from eventcat.display.designer_widget import Designer

        return Designer
    raise AttributeError(f"module 'eventcat.display' has no attribute {name!r}")
