"""The whitespace Material's templates leave around tags, squeezed out of every page.

Material renders each nav entry with ~400 bytes of indentation and blank lines; on a catalog with
many domains (GitHub's webhooks: 60) the open nav of an event's landing page was 42 KB, more than
half of it whitespace. Where whitespace collapses, a run of it that holds a line break renders
exactly as one line break, so it becomes one. Elements whose whitespace is kept are left as they
are: ``<pre>``, ``<textarea>``, ``<script>``, ``<style>``, ``<code>`` and ``<kbd>`` (Material sets
``white-space: pre-wrap`` on inline code) and the site's plain-text paragraphs (``ec-plain``).
"""

from __future__ import annotations

import re

_VERBATIM = re.compile(
    r"<(pre|textarea|script|style|code|kbd)\b.*?</\1\s*>|<p class=\"ec-plain\">.*?</p>",
    re.IGNORECASE | re.DOTALL,
)
_LINE_BREAK = re.compile(r"[ \t\r\f]*\n\s*")


def squeeze(html: str) -> str:
    """``html`` with the theme's whitespace squeezed; the page's own content (Material's
    ``<article>``, eventcat's templates trim their blocks already) is left exactly as it is,
    which is also where nearly all ``<code>`` is, so the work per page stays small."""
    start, end = html.find("<article"), html.rfind("</article>")
    if start < 0 or end < start:
        return _squeezed(html)
    return _squeezed(html[:start]) + html[start:end] + _squeezed(html[end:])


def _squeezed(html: str) -> str:
    parts = []
    at = 0
    for verbatim in _VERBATIM.finditer(html):
        parts.append(_LINE_BREAK.sub("\n", html[at : verbatim.start()]))
        parts.append(verbatim.group())
        at = verbatim.end()
    parts.append(_LINE_BREAK.sub("\n", html[at:]))
    return "".join(parts)
