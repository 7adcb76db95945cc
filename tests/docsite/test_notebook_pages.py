"""Notebook pages: rendered by nbconvert with their outputs, run at build time when asked, and
cached by content so an unchanged notebook is not rendered (or run) again."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.docsite.conftest import build, text_of

pytestmark = pytest.mark.xdist_group("site")

EXECUTE = "execute_notebooks: true"


def _notebook(expression: str) -> str:
    return json.dumps(
        {
            "cells": [
                {
                    "cell_type": "markdown",
                    "metadata": {},
                    "source": ["# A sum\n", "What the kernel says:"],
                },
                {
                    "cell_type": "code",
                    "metadata": {},
                    "execution_count": None,
                    "outputs": [],
                    "source": [f"print({expression})"],
                },
            ],
            "metadata": {
                "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
            },
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    )


def _page(folder: Path) -> str:
    return (folder / "site" / "notebooks" / "sum" / "index.html").read_text(encoding="utf-8")


def test_a_notebook_runs_at_build_time_and_shows_its_output(
    make_catalog: Callable[..., Path], tmp_path: Path
) -> None:
    root = make_catalog()
    folder = tmp_path / "out"
    (folder / "notebooks").mkdir(parents=True)
    (folder / "notebooks" / "sum.ipynb").write_text(_notebook("6 * 7 * 1000 + 1"), encoding="utf-8")

    stored = build(folder, root)  # not run: shown as stored, without outputs
    assert stored.ok, stored.error + stored.log
    assert "42001" not in text_of(_page(folder)) and "print" in text_of(_page(folder))

    ran = build(folder, root, options=EXECUTE)
    assert ran.ok, ran.error + ran.log
    page = _page(folder)
    assert "42001" in text_of(page)  # the kernel's output
    assert '<span class="nb">print</span>' in page  # the code, coloured by Pygments
    body = page.split('<div class="ec-nb">', 1)[1]
    assert "<h3>A sum</h3>" in body and "<h1" not in body  # its heading below the page's title


def test_an_unchanged_notebook_comes_from_the_cache(
    make_catalog: Callable[..., Path], tmp_path: Path
) -> None:
    root = make_catalog()
    folder = tmp_path / "out"
    (folder / "notebooks").mkdir(parents=True)
    notebook = folder / "notebooks" / "sum.ipynb"
    notebook.write_text(_notebook("6 * 7 * 1000 + 1"), encoding="utf-8")
    assert build(folder, root, options=EXECUTE).ok
    cached = list((folder / ".eventcat-cache" / "notebooks").glob("*.html"))
    assert len(cached) == 1 and "42001" in cached[0].read_text(encoding="utf-8")

    # the next build takes the page from the cache: no kernel runs (a planted mark shows)
    cached[0].write_text(
        cached[0].read_text(encoding="utf-8").replace("42001", "FROM-THE-CACHE"), encoding="utf-8"
    )
    assert build(folder, root, options=EXECUTE).ok
    assert "FROM-THE-CACHE" in _page(folder)

    # a changed notebook is rendered and run again
    notebook.write_text(_notebook("6 * 7 * 1000 + 2"), encoding="utf-8")
    assert build(folder, root, options=EXECUTE).ok
    assert "42002" in text_of(_page(folder)) and "FROM-THE-CACHE" not in _page(folder)

    # and so is an unchanged notebook when the catalog it runs against changed
    (root / "catalog.yaml").write_text(
        (root / "catalog.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8"
    )
    before = set((folder / ".eventcat-cache" / "notebooks").glob("*.html"))
    assert build(folder, root, options=EXECUTE).ok
    assert len(set((folder / ".eventcat-cache" / "notebooks").glob("*.html")) - before) == 1
