"""The one Jinja environment of the site's pages: templates under ``templates/``, autoescaped.

Everything a catalog author wrote reaches a template as plain text and is escaped there; HTML that
eventcat composed itself (links, badges, sanitised Markdown) arrives as :class:`markupsafe.Markup`.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from eventcat.docsite import html as h
from eventcat.docsite.page import anchor, plural, stem


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("eventcat.docsite", "templates"),
        autoescape=True,  # everything a catalog author wrote is text, never markup
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.globals.update(
        badge=h.badge,
        code=h.code,
        code_spans=h.code_spans,
        markdown=h.markdown_html,
        json_block=h.json_block,
        plural=plural,
        stem=stem,
        anchor=anchor,
        wbr=h.wbr,
    )
    env.filters["wbr"] = h.wbr
    return env


def render(template: str, **context: Any) -> Markup:
    """``template`` rendered with ``context``; the result is safe to embed in another one."""
    return Markup(_environment().get_template(template).render(**context).strip())
