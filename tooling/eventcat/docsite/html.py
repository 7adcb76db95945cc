"""Small HTML helpers: escaping, sanitised Markdown from catalog authors, links between pages.

Everything a catalog author wrote reaches a page through one of two doors: :func:`esc` (plain
text, HTML-escaped) or :func:`markdown_html` (their Markdown, rendered and then sanitised with
nh3: no script, no event handler attributes, no ``javascript:`` links, no images or other
elements that would make a browser request another host).
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from functools import lru_cache
from typing import Any

__all__ = [
    "Links",
    "badge",
    "code",
    "esc",
    "json_block",
    "markdown_html",
    "safe_title",
    "safe_url",
]

_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "dd", "dl", "dt", "em", "h3", "h4", "h5",
    "h6", "hr", "i", "kbd", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody",
    "td", "th", "thead", "tr", "ul",
}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}
_URL_SCHEMES = {"http", "https", "mailto"}
# Elements whose text content is dropped along with them (the rest keep their text).
_CLEAN_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "svg", "math", "noscript"}


def esc(value: Any) -> str:
    """Plain text for an element's content or a quoted attribute."""
    return html.escape(str(value), quote=True)


def code(value: Any) -> str:
    return f"<code>{esc(value)}</code>"


def badge(text: str, kind: str = "") -> str:
    cls = f"ec-badge ec-{kind}" if kind else "ec-badge"
    return f'<span class="{cls}">{esc(text)}</span>'


def safe_url(value: Any) -> str | None:
    """An http(s) or mailto URL from the catalog, or None (``javascript:`` and friends are dropped)."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    scheme = text.split(":", 1)[0].lower() if ":" in text else ""
    if scheme in ("http", "https", "mailto") and not re.search(r"[\s<>\"'`]", text):
        return text
    return None


_markdown: Any = None
# Authors write lists right under a sentence, as on GitHub; Python-Markdown wants a blank line.
_LIST_AFTER_TEXT = re.compile(r"(?m)^((?![ \t]*(?:[-*+]|\d+\.)[ \t]).*\S.*)\n([ \t]*(?:[-*+]|\d+\.)[ \t])")


def _converter() -> Any:
    global _markdown
    if _markdown is None:
        import markdown

        _markdown = markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists"])
    return _markdown


@lru_cache(maxsize=8192)
def markdown_html(text: str | None, inline: bool = False) -> str:
    """Render an author's Markdown and sanitise the HTML it produces."""
    if not text:
        return ""
    import nh3

    converter = _converter()
    converter.reset()
    rendered = converter.convert(_LIST_AFTER_TEXT.sub(r"\1\n\n\2", text))
    if inline and rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        rendered = rendered[3:-4]
    return str(
        nh3.clean(
            rendered,
            tags=_ALLOWED_TAGS,
            clean_content_tags=_CLEAN_CONTENT,
            attributes=_ALLOWED_ATTRIBUTES,
            url_schemes=_URL_SCHEMES,
            link_rel="noopener noreferrer nofollow",
            strip_comments=True,
        )
    )


_TITLE_UNSAFE = re.compile(r"[<>&\"'`\\\[\]{}*_#|!]")


def safe_title(value: str) -> str:
    """A page title free of markup characters.

    MkDocs and mkdocs-material put page titles into templates without escaping (and
    ``striptags`` un-escapes entities), so titles given to MkDocs must not contain markup at all.
    """
    cleaned = _TITLE_UNSAFE.sub(" ", value)
    cleaned = re.sub(r"\s+", " ", "".join(c for c in cleaned if c.isprintable())).strip()
    return cleaned[:120] or "Untitled"


def json_text(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def json_block(value: Any, title: str | None = None) -> str:
    """A JSON code block (mkdocs-material adds its copy button to ``pre > code``)."""
    head = f'<span class="filename">{esc(title)}</span>' if title else ""
    return f'<div class="highlight">{head}<pre><code class="language-json">{esc(json_text(value))}</code></pre></div>'


class Links:
    """Relative URLs between pages given by their source path (``services/x.md``)."""

    def __init__(self, use_directory_urls: bool = True) -> None:
        self.directory_urls = use_directory_urls

    def url(self, src: str) -> str:
        """The site-relative URL of a page or file (``services/x/``)."""
        if not src.endswith(".md"):
            return src
        stem = src[:-3]
        if stem == "index" or stem.endswith("/index"):
            return stem[: -len("index")] if self.directory_urls else stem + ".html"
        return stem + "/" if self.directory_urls else stem + ".html"

    def rel(self, from_src: str, to_src: str, anchor: str = "") -> str:
        source = self.url(from_src)
        base = source if source.endswith("/") or source == "" else posixpath.dirname(source) + "/"
        target = self.url(to_src)
        relative = posixpath.relpath("/" + target, "/" + base) if target else posixpath.relpath("/", "/" + base)
        if target.endswith("/") or target == "":
            relative = relative.rstrip("/") + "/"
            if relative == "./":
                relative = "./"
        return relative + (f"#{anchor}" if anchor else "")

    def a(self, from_src: str, to_src: str, text: str, anchor: str = "", html_text: bool = False) -> str:
        label = text if html_text else esc(text)
        return f'<a href="{esc(self.rel(from_src, to_src, anchor))}">{label}</a>'
