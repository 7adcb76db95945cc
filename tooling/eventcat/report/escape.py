"""Escaping for every report format: what a file name or a message may hold never changes the
shape of a report (one line per problem, one cell per field, one JSON document, one workflow
command per problem) and never becomes markup, a command or an invalid document.

File names come from pull requests: they may hold newlines, ``::``, ``%``, markdown, HTML,
terminal escapes, bidi controls and, decoded with ``surrogateescape``, bytes that are not UTF-8.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

# C0/C1 controls, DEL, line/paragraph separators, bidi embeddings/overrides/isolates, BOM,
# and lone surrogates (a name that is not UTF-8, decoded with surrogateescape).
_INVISIBLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the original byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` on one line, every control or invisible character shown as a backslash escape."""
    return _INVISIBLE.sub(_escape, text)


def unicode_safe(text: str) -> str:
    """``text`` with lone surrogates (bytes that were not UTF-8) shown as ``\\xNN``; newlines kept."""
    return re.sub("[\ud800-\udfff]", _escape, text)


def text_line(line: str) -> str:
    """One line of the text format: never a CI log command (``::cmd``, ``##[cmd]``) at its start."""
    line = visible(line)
    return "./" + line if line.startswith(("::", "##")) else line


# -- JSON -----------------------------------------------------------------------------------------

NON_FINITE_NOTE = (
    "numbers JSON cannot carry (such as 1e400, read as infinity) are given as the "
    'strings "Infinity", "-Infinity" or "NaN"'
)


def json_safe(value: Any) -> tuple[Any, bool]:
    """``value`` with non-finite floats as strings and lone surrogates escaped; and whether any
    non-finite number was replaced."""
    replaced = False

    def walk(item: Any) -> Any:
        nonlocal replaced
        if isinstance(item, float) and not math.isfinite(item):
            replaced = True
            return "NaN" if math.isnan(item) else ("Infinity" if item > 0 else "-Infinity")
        if isinstance(item, str):
            return unicode_safe(item)
        if isinstance(item, dict):
            return {walk(k) if isinstance(k, str) else k: walk(v) for k, v in item.items()}
        if isinstance(item, (list, tuple)):
            return [walk(v) for v in item]
        return item

    return walk(value), replaced


def dumps(value: Any, *, indent: int | None = 2, note: bool = False) -> str:
    """Valid JSON, always (``allow_nan=False``); with ``note``, a top-level object says what was
    replaced."""
    safe, replaced = json_safe(json.loads(json.dumps(value, default=str, allow_nan=True)))
    if note and replaced and isinstance(safe, dict):
        safe.setdefault("notes", []).append(NON_FINITE_NOTE)
    return json.dumps(safe, indent=indent, ensure_ascii=False, allow_nan=False)


# -- Markdown (GitHub-flavoured) -----------------------------------------------------------------------

_MD_PUNCTUATION = re.compile(r"([\\`\[\]])")  # escapes, code spans, links and images


def html(text: str) -> str:
    """Text for HTML content, on one line."""
    return visible(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def md_text(text: str) -> str:
    """Plain text inside markdown (a table cell, a paragraph): no markup, no cell break."""
    lines = [_MD_PUNCTUATION.sub(r"\\\1", html(line)) for line in text.split("\n")]
    return "<br>".join(lines).replace("|", "&#124;")


def md_code(text: str) -> str:
    """Inline code that nothing in ``text`` can close (backticks, pipes, newlines)."""
    if "`" not in text and visible(text) == text:
        return "`" + text.replace("|", "\\|") + "`"  # GFM reads \| inside a table's code span
    return f"<code>{html(text).replace('|', '&#124;')}</code>"


def md_fence(text: str, language: str = "") -> str:
    """A fenced block longer than any backtick run inside ``text``, so the text cannot close it."""
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{unicode_safe(text)}\n{fence}"


# -- XML ------------------------------------------------------------------------------------------------

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Text XML 1.0 can hold (ElementTree escapes markup but writes invalid characters as is)."""
    return _XML_INVALID.sub(_escape, text)
