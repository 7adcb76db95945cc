"""The docs site against hostile sizes: a text too long for Markdown is shown, not rendered.

Python-Markdown is quadratic on some long paragraphs (and eventcat's own list regex was on any
long line: a 300,000-character description stalled the build for more than ten minutes), so texts
over ``MAX_MARKDOWN_CHARS`` are shown as escaped plain text with a notice; the benchmark
(bench/bench_site.py) times 20k / 80k / 300k characters.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from eventcat.docsite.html import MAX_MARKDOWN_CHARS
from tests.conftest import event_schema
from tests.docsite.conftest import build

pytestmark = pytest.mark.xdist_group("site")

HOSTILE = "[x](<script>window.__pwned=1</script> "


def text_of(length: int) -> str:
    return (HOSTILE * (length // len(HOSTILE) + 1))[:length]


def test_a_description_over_the_cap_is_shown_as_plain_text(
    make_catalog: Callable[..., Path], tmp_path: Path
) -> None:
    long, at_cap = text_of(MAX_MARKDOWN_CHARS + 1), "**bold** " + text_of(MAX_MARKDOWN_CHARS - 9)
    v1 = event_schema(description=long)
    v2 = event_schema("orders.order_placed.v2", description=at_cap)
    root = make_catalog(
        {"orders/OrderPlaced_v1.schema.json": v1, "orders/OrderPlaced_v2.schema.json": v2}
    )
    # not strict: whether lint reports over-long texts is lint's business, not the page's
    built = build(tmp_path / "out", root, strict=False)
    assert built.ok, built.error + built.log
    page = built.html("events/OrderPlaced/v1/")
    assert f"more than the {MAX_MARKDOWN_CHARS:,} the site renders as Markdown" in page
    # every character, as text
    assert "[x](&lt;script&gt;window.__pwned=1&lt;/script&gt; [x](" in page
    assert "<script>window.__pwned" not in page
    rendered = built.html("events/OrderPlaced/v2/")  # at the cap: still Markdown
    assert "<strong>bold</strong>" in rendered and "renders as Markdown" not in rendered
