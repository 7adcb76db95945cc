"""Hostile catalog copy, and catalogs with errors: the site runs nothing and --strict stops."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

import pytest

from eventcat.catalog.loader import read_catalog
from eventcat.lint import lint_catalog
from eventcat.report.findings import Severity
from tests.conftest import event_schema
from tests.docsite.conftest import build, elements, html_pages
from tests.docsite.hostile import (
    MARK,
    NOTEBOOK_NAMES,
    RUN,
    SETTINGS,
    hostile_event,
    hostile_notebook,
)

pytestmark = pytest.mark.xdist_group("site")


def assert_inert(site: Path) -> None:
    """No page of the site holds a handler, script of ours, frame, foreign image or script link."""
    pages = list(html_pages(site))
    assert len(pages) > 10
    for page in pages:
        text = page.read_text(encoding="utf-8")
        found = elements(text)
        where = page.relative_to(site)
        for tag, attrs in found.tags:
            assert tag not in (
                "iframe",
                "object",
                "embed",
                "image",
                "use",
                "foreignobject",
                "set",
                "animate",
            ), (where, tag)
            assert not (tag == "meta" and "http-equiv" in attrs), (where, attrs)
            for name, value in attrs.items():
                assert not name.startswith("on"), (where, tag, name, value)
                # Author text may sit, escaped, in attributes that only ever show text.
                if name not in ("aria-label", "title", "alt", "placeholder"):
                    assert RUN not in value, (where, tag, name, value)
                assert "evil.example" not in value, (where, tag, name, value)
                if name in ("href", "src", "action", "formaction"):
                    assert (
                        not value.strip().lower().startswith(("javascript:", "data:", "vbscript:"))
                    ), (where, value)
            if tag == "script":
                src = attrs.get("src", "")
                assert not src or not src.startswith(("http:", "https:", "//")), (where, src)
        for script in found.scripts:
            assert MARK not in script, (where, script[:200])
        assert "ECBLOCK" not in text.replace("ECBLOCK0X", ""), where  # no placeholder left behind
        assert "evil.example/b.png" not in text and "@import" not in text, (
            where
        )  # no stylesheet of theirs


def test_hostile_catalog_is_valid_and_its_site_runs_nothing(
    make_catalog: Callable[..., Path], tmp_path: Path
) -> None:
    root = make_catalog({"orders/OrderPlaced_v1.schema.json": hostile_event()}, settings=SETTINGS)
    errors = [f for f in lint_catalog(read_catalog(root)) if f.severity is Severity.ERROR]
    assert not errors, errors  # the copy is hostile, the catalog is valid: the build must succeed
    built = build(tmp_path / "out", root)
    assert built.ok, built.error + built.log
    assert_inert(built.site)
    event = built.html("events/OrderPlaced/v1/")
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in event  # shown, as text
    assert "ECBLOCK0X" in event  # author text that looks like a placeholder stays text
    # the Mermaid source carries labels as entity codes: no quote or bracket can end a label
    diagram = event.split('<pre class="mermaid"><code>', 1)[1].split("</code>", 1)[0]
    assert "#34;#93;#59; click ev #34;javascript:" in diagram  # the label's quote, ] and ; encoded
    assert not any(line.strip().startswith("click") for line in diagram.splitlines())
    assert all(line.count("&quot;") % 2 == 0 for line in diagram.splitlines())


def write_hostile_notebooks(folder: Path) -> None:
    """The hostile notebooks in ``folder/notebooks``, where the test mkdocs.yml looks for them."""
    (folder / "notebooks").mkdir(parents=True, exist_ok=True)
    for name in NOTEBOOK_NAMES:
        (folder / "notebooks" / name).write_text(hostile_notebook(), encoding="utf-8")


def test_hostile_notebooks_render_inert(make_catalog: Callable[..., Path], tmp_path: Path) -> None:
    root = make_catalog({"orders/OrderPlaced_v1.schema.json": event_schema()})
    write_hostile_notebooks(tmp_path / "out")
    built = build(
        tmp_path / "out", root
    )  # stored outputs shown, no kernel (execute_notebooks: false)
    assert built.ok, built.error + built.log
    assert_inert(built.site)
    index = built.html("notebooks/")
    pages = sorted(p.parent.name for p in (built.site / "notebooks").glob("*/index.html"))
    assert len(pages) == len(NOTEBOOK_NAMES), pages  # "index.ipynb" has its own page too
    assert "x&lt;img src=x onerror=window.__pwned=1&gt;.ipynb" in index  # the name, shown as text
    for page in pages:
        text = built.html(f"notebooks/{page}/")
        # what survives sanitising is still shown: the SVG's text, the table, the script as text
        assert "<svg" in text and "kept svg text" in text, page
        assert "kept html cell" in text and "only script" in text, page
        assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in text, (
            page
        )  # stream output, as text
    downloads = sorted(p.name for p in (built.site / "notebooks").glob("*.ipynb"))
    assert len(downloads) == len(NOTEBOOK_NAMES)


def _events_with(change: Callable[[dict[str, object]], None]) -> dict[str, object]:
    schema = copy.deepcopy(event_schema())
    change(schema)
    return {"orders/OrderPlaced_v1.schema.json": schema}


def test_invalid_example_fails_the_strict_build_naming_the_file(
    make_catalog: Callable[..., Path], tmp_path: Path
) -> None:
    def bad_example(schema: dict[str, object]) -> None:
        schema["examples"] = [{"orderId": "not-a-uuid-and-no-total"}]

    root = make_catalog(_events_with(bad_example))
    built = build(tmp_path / "strict", root)
    assert not built.ok
    assert "orders/OrderPlaced_v1.schema.json" in built.log and "example-invalid" in built.log
    # without --strict the site is still built, and the page says the example is invalid
    lenient = build(tmp_path / "lenient", root, strict=False)
    assert lenient.ok
    assert "does not validate" in lenient.html("events/OrderPlaced/v1/")


def test_unresolvable_ref_fails_the_strict_build_naming_the_file(
    make_catalog: Callable[..., Path], tmp_path: Path
) -> None:
    def missing_ref(schema: dict[str, object]) -> None:
        properties = schema["properties"]
        assert isinstance(properties, dict)
        properties["total"] = {"$ref": "../_shared/Nope_v1.schema.json"}

    root = make_catalog(_events_with(missing_ref))
    built = build(tmp_path / "strict", root)
    assert not built.ok
    assert "orders/OrderPlaced_v1.schema.json" in built.log and "ref-missing" in built.log


def test_a_missing_catalog_fails_with_one_clear_line(tmp_path: Path) -> None:
    built = build(tmp_path / "out", tmp_path / "nowhere")
    assert not built.ok
    assert "catalog-missing" in built.log and "nowhere" in built.log
    assert "Traceback" not in built.error + built.log


def test_a_notebook_that_cannot_be_read_fails_the_strict_build_in_one_line(
    make_catalog: Callable[..., Path], tmp_path: Path
) -> None:
    (tmp_path / "out" / "notebooks").mkdir(parents=True)
    (tmp_path / "out" / "notebooks" / "broken\nname.ipynb").write_text(
        '{"cells": [', encoding="utf-8"
    )
    built = build(tmp_path / "out", make_catalog())
    assert not built.ok
    lines = [line for line in built.log.splitlines() if "cannot be rendered" in line]
    assert len(lines) == 1 and "notebooks/broken name.ipynb" in lines[0], built.log
    assert "Traceback" not in built.error + built.log
