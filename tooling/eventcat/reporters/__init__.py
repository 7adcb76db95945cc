"""Every output format, in one registry: ``--format NAME`` and ``--report NAME=FILE`` of every
command, and the library, render a :class:`~eventcat.report.render.Result` through it.

``text`` and ``json`` are the plain reports (:mod:`eventcat.report.render`); ``markdown``,
``github``, ``junit`` and ``sarif`` are the formats CI systems read (:mod:`.ci`). A new format is
one function ``Result -> str`` added to ``REPORTERS``.
"""

from __future__ import annotations

from collections.abc import Callable

from eventcat.report.render import Result, render_json, render_text
from eventcat.reporters.ci import (
    render_gate_github,
    render_gate_markdown,
    render_junit,
    render_sarif,
)

__all__ = ["REPORTERS", "render"]

REPORTERS: dict[str, Callable[[Result], str]] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_gate_markdown,
    "github": render_gate_github,
    "junit": render_junit,
    "sarif": render_sarif,
}


def render(result: Result, output_format: str, *, colour: bool = False) -> str:
    """``result`` in ``output_format`` (text may be coloured for a terminal)."""
    if output_format == "text":
        return render_text(result, colour=colour)
    return REPORTERS[output_format](result)
