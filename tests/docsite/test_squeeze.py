"""The whitespace between tags is squeezed; whitespace that shows is kept (docsite/squeeze.py)."""

from __future__ import annotations

from eventcat.docsite.squeeze import squeeze


def test_indentation_between_tags_becomes_one_line_break() -> None:
    nav = '<li class="x">\n      \n    <a href="a/">\n  <span>\n    \n  Orders\n\n  </span></a>\n</li>'
    assert squeeze(nav) == '<li class="x">\n<a href="a/">\n<span>\nOrders\n</span></a>\n</li>'
    assert squeeze("<b>a</b> <i>b</i>") == "<b>a</b> <i>b</i>"  # no line break: untouched


def test_preformatted_code_and_plain_text_keep_their_whitespace() -> None:
    kept = [
        '<pre><code><span>{</span>\n    <span>"a"</span>\n\n}</code></pre>',
        "<code>a\n    b</code>",
        "<textarea>x\n\n  y</textarea>",
        "<script>const a = `x\n\n  y`;</script>",
        '<p class="ec-plain">para one\n\n    indented</p>',
    ]
    for markup in kept:
        assert squeeze(f"<div>\n   {markup}\n   </div>") == f"<div>\n{markup}\n</div>"


def test_the_page_content_is_left_exactly_as_rendered() -> None:
    page = "<nav>\n   <a>x</a>\n   </nav><article class='md-content__inner'>\n\n   text\n</article>\n  <footer>"
    assert (
        squeeze(page)
        == "<nav>\n<a>x</a>\n</nav><article class='md-content__inner'>\n\n   text\n</article>\n<footer>"
    )
