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

from markupsafe import Markup

__all__ = [
    "Links",
    "badge",
    "code",
    "code_spans",
    "esc",
    "highlight",
    "json_block",
    "markdown_html",
    "safe_title",
    "safe_url",
    "sanitise_html",
    "wbr",
]

_ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "del",
        "dd",
        "dl",
        "dt",
        "em",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "kbd",
        "li",
        "ol",
        "p",
        "pre",
        "s",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
        "wbr",
    }
)
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}
# Links keep these schemes only: ``javascript:``, ``data:``, ``vbscript:`` and the rest are dropped
# (relative links stay: they point into the site).
_URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Elements whose text content is dropped along with them (the rest keep their text).
_CLEAN_CONTENT = frozenset(
    {
        "script",
        "style",
        "iframe",
        "object",
        "embed",
        "template",
        "svg",
        "math",
        "noscript",
        "foreignobject",
    }
)
# A notebook's HTML output (tables, <details>, eventcat's own previews): a little more than
# Markdown gives, still nothing that runs, loads or styles (no style, img, form, iframe).
_OUTPUT_TAGS = _ALLOWED_TAGS | {"caption", "details", "div", "h1", "h2", "span", "summary", "tfoot"}
_OUTPUT_ATTRIBUTES = {**_ALLOWED_ATTRIBUTES, "*": {"class", "title"}}
# A notebook's SVG output: shapes and text only. No <a>, <use>, <image>, <foreignObject>,
# animation or style, so nothing in it can run, navigate or request another resource.
_SVG_TAGS = frozenset(
    {
        "circle",
        "defs",
        "desc",
        "ellipse",
        "g",
        "line",
        "lineargradient",
        "marker",
        "path",
        "polygon",
        "polyline",
        "radialgradient",
        "rect",
        "stop",
        "svg",
        "text",
        "tspan",
    }
)
_SVG_PRESENTATION = {
    "class",
    "clip-rule",
    "cx",
    "cy",
    "d",
    "dominant-baseline",
    "dx",
    "dy",
    "fill",
    "fill-opacity",
    "fill-rule",
    "font-family",
    "font-size",
    "font-style",
    "font-weight",
    "height",
    "id",
    "marker-end",
    "marker-mid",
    "marker-start",
    "markerHeight",
    "markerWidth",
    "offset",
    "opacity",
    "orient",
    "points",
    "preserveAspectRatio",
    "r",
    "refX",
    "refY",
    "rx",
    "ry",
    "stop-color",
    "stop-opacity",
    "stroke",
    "stroke-dasharray",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-opacity",
    "stroke-width",
    "text-anchor",
    "transform",
    "viewBox",
    "width",
    "x",
    "x1",
    "x2",
    "xmlns",
    "y",
    "y1",
    "y2",
}
_SVG_ATTRIBUTES = dict.fromkeys(_SVG_TAGS, _SVG_PRESENTATION)
_SVG_CLEAN_CONTENT = _CLEAN_CONTENT - {"svg"}
# url() may only name something in the same SVG (a marker, a gradient): never another resource.
_LOCAL_URL = re.compile(r"url\(\s*#[\w.-]+\s*\)")

# The Markdown MkDocs rendered for a generated page (headings with their ids and permalinks,
# the placeholders of the HTML blocks): sanitised too, in case author text ever reaches it.
_PAGE_TAGS = _ALLOWED_TAGS | {"h1", "h2", "div", "span"}
_PAGE_ATTRIBUTES = {**_ALLOWED_ATTRIBUTES, "*": {"id", "class", "title"}}

# A whole notebook as nbconvert renders it (cells, Pygments-coloured code, outputs, SVG drawings):
# the output profile and the SVG profile together, no ids (a notebook's heading ids could clash
# with the page's own), nothing that runs, loads or styles.
_NOTEBOOK_TAGS = _OUTPUT_TAGS | _SVG_TAGS
_NOTEBOOK_ATTRIBUTES = {**_SVG_ATTRIBUTES, **_OUTPUT_ATTRIBUTES}

_PROFILES: dict[str, dict[str, Any]] = {
    "markdown": {
        "tags": _ALLOWED_TAGS,
        "attributes": _ALLOWED_ATTRIBUTES,
        "clean_content_tags": _CLEAN_CONTENT,
    },
    "output": {
        "tags": _OUTPUT_TAGS,
        "attributes": _OUTPUT_ATTRIBUTES,
        "clean_content_tags": _CLEAN_CONTENT,
    },
    "page": {
        "tags": _PAGE_TAGS,
        "attributes": _PAGE_ATTRIBUTES,
        "clean_content_tags": _CLEAN_CONTENT,
    },
    "svg": {
        "tags": _SVG_TAGS,
        "attributes": _SVG_ATTRIBUTES,
        "clean_content_tags": _SVG_CLEAN_CONTENT,
    },
    "notebook": {
        "tags": _NOTEBOOK_TAGS,
        "attributes": _NOTEBOOK_ATTRIBUTES,
        "clean_content_tags": _SVG_CLEAN_CONTENT,
    },
}


def _attribute_filter(tag: str, name: str, value: str) -> str | None:
    if "url(" in value.lower() and not _LOCAL_URL.fullmatch(value.strip()):
        return None
    return value


def sanitise_html(fragment: str, profile: str = "markdown") -> str:
    """The one sanitiser for HTML that did not come from eventcat's own templates.

    ``markdown``: an author's rendered Markdown; ``output``: a notebook's ``text/html`` output;
    ``svg``: a notebook's ``image/svg+xml`` output; ``notebook``: a whole notebook as nbconvert
    renders it (both of those, plus its cells); ``page``: what MkDocs rendered from a generated
    page's Markdown, before eventcat's own blocks go in. Every profile drops script, event handler
    attributes, style, embedded frames and images, and every link whose scheme is not http(s) or
    mailto (nh3's ``url_schemes``; relative links into the site stay).
    """
    import nh3

    return str(
        nh3.clean(
            fragment,
            **_PROFILES[profile],
            attribute_filter=_attribute_filter,
            url_schemes=_URL_SCHEMES,
            link_rel="noopener noreferrer nofollow",
            strip_comments=True,
        )
    )


def esc(value: Any) -> str:
    """Plain text for an element's content or a quoted attribute."""
    return html.escape(str(value), quote=True)


def code(value: Any, *, dots: bool = False) -> Markup:
    """Inline code; an identifier in it may wrap after a separator (:func:`wbr`), never mid-word
    (``dots``: after a ``.`` only on a phone)."""
    return Markup(f"<code>{wbr(value, dots=dots)}</code>")


def badge(text: str, kind: str = "") -> Markup:
    cls = f"ec-badge ec-{kind}" if kind else "ec-badge"
    return Markup(f'<span class="{cls}">{esc(text)}</span>')


# After a separator that is followed by something other than a separator (and not at the end).
_BREAK_AFTER = re.compile(r"([./_:,|)\]-])(?=[^./_:,|)\]\s-])")
# Between the words of a camelCase or PascalCase name (``Subscription|Tier|Changed``).
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_INLINE_CODE = re.compile(r"(?<!<pre>)<code>([^<]*)</code>")


def wbr(value: Any, *, dots: bool = False) -> Markup:
    """An identifier, escaped, with a line-break opportunity (``<wbr>``) after each ``.``, ``_``,
    ``/``, ``:``, ``-`` (and ``,|)]``) and between the words of a camelCase name, so a narrow
    column wraps it between its parts, never inside a word (the site's CSS keeps code from
    breaking anywhere else). With ``dots``, each part between dots is a ``span.ec-part`` that
    the site's CSS keeps on one line on a phone: an eventType
    (``github.deployment_protection_rule.requested.v1``) wraps after its dots only there, rather
    than taking five lines of a table cell (on a laptop its parts may still wrap, so that a table
    fits its column)."""
    if dots:
        return Markup(".<wbr>").join(
            Markup('<span class="ec-part">{}</span>').format(wbr(part))
            for part in str(value).split(".")
        )
    return Markup(_CAMEL.sub("<wbr>", _BREAK_AFTER.sub(r"\1<wbr>", esc(value))))


_CODE_SPAN = re.compile(r"`([^`]+)`")


def code_spans(text: str) -> Markup:
    """One line of plain text whose ``backticked`` parts become inline code: the rule summaries.
    Hand-written on purpose: full Markdown would take their ``<EventName>`` placeholders for
    HTML tags and drop them."""
    parts = _CODE_SPAN.split(text)  # text, code, text, code, … text
    return Markup("").join(
        code(part) if index % 2 else part for index, part in enumerate(parts)
    )  # join escapes


def _wbr_code(rendered: str) -> str:
    """:func:`wbr` inside every inline ``<code>`` of sanitised HTML (its text is escaped already;
    none of the separators occurs in an entity)."""
    return _INLINE_CODE.sub(
        lambda m: "<code>" + _BREAK_AFTER.sub(r"\1<wbr>", m[1]) + "</code>", rendered
    )


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
# "[^\S\n]*\S.*" (not ".*\S.*", which backtracks quadratically on a long line) keeps this linear.
_LIST_AFTER_TEXT = re.compile(
    r"(?m)^((?![ \t]*(?:[-*+]|\d+\.)[ \t])[^\S\n]*\S.*)\n([ \t]*(?:[-*+]|\d+\.)[ \t])"
)
#: Author text longer than this many characters is shown as escaped plain text with a notice
#: instead of being rendered as Markdown: Python-Markdown's inline patterns are quadratic on some
#: long paragraphs (10,000 "[x](" characters take about 1.3 s, 20,000 about 5 s), so the cap bounds
#: every text's cost. ``eventcat lint`` reports texts over it.
MAX_MARKDOWN_CHARS = 10_000


def _converter() -> Any:
    global _markdown
    if _markdown is None:
        import markdown

        _markdown = markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists"])
    return _markdown


@lru_cache(maxsize=8192)
def markdown_html(text: str | None, inline: bool = False) -> Markup:
    """Render an author's Markdown and sanitise the HTML it produces."""
    if not text:
        return Markup("")
    if len(text) > MAX_MARKDOWN_CHARS:
        return Markup(_plain_text(text, inline))
    converter = _converter()
    converter.reset()
    rendered = converter.convert(_LIST_AFTER_TEXT.sub(r"\1\n\n\2", text))
    if (
        inline
        and rendered.startswith("<p>")
        and rendered.endswith("</p>")
        and rendered.count("<p>") == 1
    ):
        rendered = rendered[3:-4]
    return Markup(_wbr_code(sanitise_html(rendered)))


def _plain_text(text: str, inline: bool) -> str:
    if inline:
        return esc(text)
    notice = (
        f"This text has {len(text):,} characters, more than the {MAX_MARKDOWN_CHARS:,} the site "
        "renders as Markdown; it is shown as plain text."
    )
    return f'<p class="ec-too-long"><em>{esc(notice)}</em></p><p class="ec-plain">{esc(text)}</p>'


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


def json_block(value: Any, title: str | None = None) -> Markup:
    """A JSON code block (mkdocs-material adds its copy button to ``pre > code``)."""
    return highlight(json_text(value), "json", title)


@lru_cache(maxsize=8)
def _lexer(language: str) -> Any:
    from pygments.lexers import get_lexer_by_name

    return get_lexer_by_name(language)


@lru_cache(maxsize=1)
def _formatter() -> Any:
    """One Pygments formatter for every block: building one reads every style (half the cost)."""
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(nowrap=True)


@lru_cache(maxsize=4096)
def _coloured(text: str, language: str) -> str:
    # Kept per text: every version page shows the same envelope and many the same examples.
    from pygments import highlight as pygmentize

    return str(pygmentize(text, _lexer(language), _formatter()))


def highlight(text: str, language: str, title: str | None = None) -> Markup:
    """A code block coloured by Pygments, in the markup pymdownx.highlight gives fenced code (so
    Material's ``.highlight`` token colours and copy button apply). Pygments escapes the text."""
    body = _coloured(text, language)
    head = f'<span class="filename">{esc(title)}</span>' if title else ""
    return Markup(
        f'<div class="language-{esc(language)} highlight">{head}<pre><span></span>'
        f'<code class="language-{esc(language)}">{body}</code></pre></div>'
    )


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
        relative = (
            posixpath.relpath("/" + target, "/" + base)
            if target
            else posixpath.relpath("/", "/" + base)
        )
        if target.endswith("/") or target == "":
            relative = relative.rstrip("/") + "/"
            if relative == "./":
                relative = "./"
        return relative + (f"#{anchor}" if anchor else "")

    def a(
        self, from_src: str, to_src: str, text: str, anchor: str = "", html_text: bool = False
    ) -> Markup:
        label = text if html_text else wbr(text)  # a long name wraps between its words
        return Markup(f'<a href="{esc(self.rel(from_src, to_src, anchor))}">{label}</a>')
