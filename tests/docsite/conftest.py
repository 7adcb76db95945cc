"""Building real sites (``mkdocs build --strict`` through MkDocs' Python API) into tmp folders."""

from __future__ import annotations

import html.parser
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLE_CATALOG

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

MKDOCS_YML = """\
site_name: Test catalog
docs_dir: docs
theme:
  name: material
  font: false
  features: [content.code.copy, search.highlight]
plugins:
  - search
  - eventcat:
      catalog: {catalog}
      history: {history}
markdown_extensions:
  - toc:
      permalink: true
nav:
  - Home: index.md
  - Events: events/index.md
  - Services: services/index.md
  - Rules: rules/index.md
  - Guide: guide.md
"""


@dataclass
class Built:
    ok: bool
    site: Path
    log: str
    error: str = ""
    plugin: Any = None
    pages: dict[str, str] = field(default_factory=dict)

    def html(self, page: str) -> str:
        """The HTML of a page given by its URL path (``events/X/v1/``), without the ``<wbr>``
        line-break hints inside identifiers (invisible; they would split what tests look for)."""
        path = self.site / page
        if page.endswith("/") or not page:
            path = path / "index.html"
        return without_wbr(path.read_text(encoding="utf-8"))


def without_wbr(markup: str) -> str:
    return markup.replace("<wbr>", "")


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname}: {record.getMessage()}")


def build(
    folder: Path, catalog: Path, *, strict: bool = True, history: bool = False, options: str = ""
) -> Built:
    """Write an mkdocs.yml for ``catalog`` into ``folder`` and build it (a real MkDocs build);
    ``options``: more lines of eventcat plugin options (``"execute_notebooks: true"``)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, BuildError, ConfigurationError

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "docs").mkdir(exist_ok=True)
    (folder / "docs" / "guide.md").write_text("# Guide\n\nHand-written.\n", encoding="utf-8")
    config_file = folder / "mkdocs.yml"
    text = MKDOCS_YML.format(catalog=str(catalog), history=str(history).lower())
    if options:
        text = text.replace(
            "      history:",
            "".join(f"      {line}\n" for line in options.splitlines()) + "      history:",
        )
    config_file.write_text(text, encoding="utf-8")
    capture = _Capture()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(capture)
    site = folder / "site"
    try:
        config = load_config(str(config_file), site_dir=str(site), strict=strict)
        mkdocs_build(config)
        plugin = config.plugins["eventcat"]
        return Built(True, site, "\n".join(capture.lines), plugin=plugin)
    except (Abort, BuildError, ConfigurationError) as err:
        return Built(False, site, "\n".join(capture.lines), error=str(err))
    finally:
        logger.removeHandler(capture)


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The example catalog's site, with git history, built once per test session (and worker)."""
    if not (EXAMPLE_CATALOG / "catalog.yaml").exists():
        pytest.skip("the example catalog is not there yet")
    built = build(tmp_path_factory.mktemp("example"), EXAMPLE_CATALOG, history=True)
    assert built.ok, built.error + "\n" + built.log
    return built


class Elements(html.parser.HTMLParser):
    """Every start tag of a page with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.scripts.append(data)


def elements(text: str) -> Elements:
    parser = Elements()
    parser.feed(text)
    return parser


class _Text(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def text_of(markup: str) -> str:
    """A page's text as a reader sees it: tags dropped, entities decoded, whitespace collapsed."""
    parser = _Text()
    parser.feed(markup)
    return " ".join("".join(parser.parts).split())


def html_pages(site: Path) -> Iterator[Path]:
    yield from sorted(site.rglob("*.html"))
