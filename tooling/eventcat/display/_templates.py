"""The Jinja environment of the notebook renderings: templates beside this file, autoescaped."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("eventcat.display", "templates"),
        autoescape=True,  # everything a catalog author wrote is text, never markup
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def render(template: str, **context: Any) -> Markup:
    """``template`` rendered with ``context``; the result is safe to embed in another one."""
    return Markup(_environment().get_template(template).render(**context).strip())
