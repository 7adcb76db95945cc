"""The repository's own mkdocs.yml builds the example catalog's site, notebooks included."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    site = tmp_path_factory.mktemp("repo-site") / "site"
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site), strict=True)
    mkdocs_build(config)
    return site


def test_every_notebook_has_a_page_with_its_code_and_a_download(built: Path) -> None:
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert notebooks
    index = (built / "notebooks" / "index.html").read_text(encoding="utf-8")
    for notebook in notebooks:
        page = (built / "notebooks" / notebook.stem / "index.html").read_text(encoding="utf-8")
        assert f'href="../{notebook.name}"' in page
        assert f"{notebook.stem}/" in index
        assert (built / "notebooks" / notebook.name).read_bytes() == notebook.read_bytes()
        first_code = next(
            "".join(cell["source"])
            for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]
            if cell["cell_type"] == "code"
        )
        assert first_code.splitlines()[0].split()[-1] in page


def test_the_nav_reaches_notebooks_and_the_catalog(built: Path) -> None:
    home = (built / "index.html").read_text(encoding="utf-8")
    for target in ("notebooks/", "events/", "rules/"):
        assert f'href="{target}"' in home
