"""The ``eventcat`` MkDocs plugin: the catalog's pages, generated at build time.

mkdocs.yml::

    plugins:
      - search
      - eventcat:
          catalog: catalog          # the catalog folder, relative to mkdocs.yml
          package: eventcat_events  # the package name `eventcat gen python` is run with
          execute_notebooks: false  # true: run notebooks at build time (cached in .eventcat-cache/)
          cache: .eventcat-cache    # kept between builds: rendered notebooks, comparisons ("" off)

The MkDocs surface is kept small on purpose (``on_config``, ``on_files``, ``on_nav``,
``on_page_content``, and ``on_serve``, which watches the catalog and notebook folders):
the pages themselves come from :func:`eventcat.docsite.build.build_site`, plain Python.
Under ``mkdocs serve`` (``on_startup``) the instance lives across rebuilds and keeps the version
pages by what they show (:mod:`eventcat.docsite.memo`); in dirty builds (``--dirty``) it hands
MkDocs its generated files as files that keep their mtime while unchanged, so MkDocs skips their
pages (:mod:`eventcat.docsite.sources`). ``on_shutdown`` drops both.
Lint errors (an invalid example, an unresolvable ``$ref`` …) are logged as warnings naming the
file, so ``mkdocs build --strict`` fails on them.

``mkdocs build`` writes into a staging folder beside ``site_dir`` (``on_config``) that replaces
the previous site only when the build succeeded (``on_post_build``, the last hook MkDocs runs
before ``--strict`` counts warnings), so a failed or interrupted build leaves the previous site
as it was (:mod:`eventcat.docsite.staging`). ``mkdocs serve`` and ``--dirty`` builds write in
place, as MkDocs does.
"""

from __future__ import annotations

import logging
import re
import time
from importlib import resources
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import CountHandler

from eventcat.docsite.memo import VersionMemo
from eventcat.docsite.sources import SourceFolder
from eventcat.docsite.staging import StagedSite
from eventcat.errors import EventcatError
from eventcat.report.findings import Severity

log = logging.getLogger("mkdocs.plugins.eventcat")

ASSETS = "assets/eventcat"
# Issue 12: maps, compare view and schema explorer. The small scripts run on every page and do
# nothing without their placeholder; Cytoscape is loaded by eventcat-maps.js on map pages only.
SITE_CSS = "eventcat-site.css"
SITE_SCRIPTS = ("eventcat-maps.js", "eventcat-compare.js", "eventcat-explorer.js")
LAZY_SCRIPTS = ("cytoscape.min.js", "cytoscape-dagre.min.js")
_PLACEHOLDER = re.compile(r"<p>ECBLOCK(\d+)X</p>")


# MkDocs' Config.__init_subclass__ is untyped.
class EventcatPluginConfig(base.Config):  # type: ignore[no-untyped-call]
    catalog = c.Type(str, default="catalog")
    package = c.Type(str, default="eventcat_events")
    history = c.Type(bool, default=True)
    history_commits = c.Type(int, default=200)
    history_depth = c.Type(int, default=10)
    notebooks = c.Type(str, default="notebooks")
    execute_notebooks = c.Type(bool, default=False)
    #: where rendered notebooks and the engine's comparisons are kept between builds (relative to
    #: mkdocs.yml; "" for nowhere)
    cache = c.Type(str, default=".eventcat-cache")
    #: the nav's "Events" entry becomes a domain → event tree (with Material's navigation.prune,
    #: so each page carries only its own branch of it)
    nav_tree = c.Type(bool, default=True)


class EventcatPlugin(BasePlugin[EventcatPluginConfig]):  # type: ignore[no-untyped-call]
    """Generates the catalog's pages as MkDocs files; nothing generated is written to docs/."""

    def __init__(self) -> None:
        self.blocks: dict[str, list[str]] = {}
        self.seconds = 0.0
        self.timings: dict[str, float] = {}
        self.command = "build"
        self.dirty = False
        self.staged: StagedSite | None = None
        self.warnings: CountHandler | None = None
        self.tree: list[tuple[str, list[str]]] = []
        #: dirty builds (``mkdocs serve --dirty``): the generated files as files, kept unchanged
        #: while their content is, so MkDocs skips their pages (docsite/sources.py)
        self.sources: SourceFolder | None = None
        #: ``mkdocs serve``: version pages by what they show, kept across rebuilds (docsite/memo.py)
        self.memo: VersionMemo | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Not called by MkDocs' Python API (mkdocs.commands.build.build): that is a clean build.
        self.command, self.dirty = command, dirty
        # the same instance builds again after each edit: keep what an edit leaves unchanged
        self.memo = VersionMemo() if command == "serve" else None

    def on_shutdown(self) -> None:
        # MkDocs keeps this instance for the process (its plugin cache): later builds are clean
        self.command, self.dirty, self.memo = "build", False, None
        if self.sources is not None:
            self.sources.remove()
            self.sources = None

    @event_priority(100)  # first, so every other plugin sees the staging folder as site_dir
    def on_config(self, config: Any) -> Any:
        from mkdocs.config.config_options import ExtraScriptValue

        started = time.perf_counter()
        self.seconds = 0.0
        self._end_staging()  # a previous build of this instance that never reached its end
        if self.command != "serve" and not self.dirty:
            self.staged = StagedSite(Path(config.site_dir))
            config.site_dir = str(self.staged.staging)
            if config.strict:  # MkDocs' own count is checked only after on_post_build
                self.warnings = CountHandler()
                self.warnings.setLevel(logging.WARNING)
                logging.getLogger("mkdocs").addHandler(self.warnings)
        for css in (f"{ASSETS}/eventcat.css", f"{ASSETS}/{SITE_CSS}"):
            if css not in config.extra_css:
                config.extra_css.append(css)
        features = config.theme.get("features") if config.theme.name == "material" else None
        if (
            self.config.nav_tree
            and isinstance(features, list)
            and "navigation.prune" not in features
        ):
            features.append("navigation.prune")  # or every page would embed every event's link
        for script in (f"{ASSETS}/mermaid.min.js", *(f"{ASSETS}/{name}" for name in SITE_SCRIPTS)):
            if not any(str(getattr(s, "path", s)) == script for s in config.extra_javascript):
                config.extra_javascript.append(ExtraScriptValue(script))
        self.seconds += time.perf_counter() - started
        return config

    @event_priority(-100)  # last: after every other plugin has written into the staging folder
    def on_post_build(self, config: Any) -> None:
        if self.staged is not None:
            config.site_dir = str(self.staged.target)  # for what runs after the build (gh-deploy)
        # With --strict, MkDocs aborts right after this hook when anything logged a warning.
        failed = bool(self.warnings is not None and self.warnings.get_counts())
        self._end_staging(commit=not failed)

    def on_build_error(self, error: Exception) -> None:
        self._end_staging()

    def _end_staging(self, commit: bool = False) -> None:
        if self.warnings is not None:
            logging.getLogger("mkdocs").removeHandler(self.warnings)
            self.warnings = None
        staged, self.staged = self.staged, None
        if staged is not None and commit:
            staged.commit()
        elif staged is not None:
            staged.abandon()

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        """``mkdocs serve`` rebuilds when a schema, ``catalog.yaml`` or a notebook changes."""
        for folder in (self.catalog_path(config), self._folder(self.config.notebooks, config)):
            if folder.is_dir():
                server.watch(str(folder))
        return server

    def catalog_path(self, config: Any) -> Path:
        return self._folder(self.config.catalog, config)

    @staticmethod
    def _folder(name: str, config: Any) -> Path:
        """A folder named in the plugin's options, relative to mkdocs.yml."""
        folder = Path(name)
        if not folder.is_absolute():
            folder = Path(config.config_file_path or ".").resolve().parent / folder
        return folder

    def on_files(self, files: Files, config: Any) -> Files:
        from eventcat.docsite.build import Options, build_site

        started = time.perf_counter()
        if self.dirty and self.sources is None:
            self.sources = _source_folder()
        if self.sources is not None:
            self.sources.start()
        existing = {f.src_uri for f in files}
        options = Options(
            catalog=self.catalog_path(config),
            package=self.config.package,
            history=self.config.history,
            history_commits=self.config.history_commits,
            history_depth=self.config.history_depth,
            directory_urls=config.use_directory_urls,
            site_url=config.site_url or "",
            docs_pages=frozenset(existing),
            cache=self._folder(self.config.cache, config) if self.config.cache else None,
        )
        try:
            site = build_site(options, self.memo)
        except (
            EventcatError
        ) as err:  # the catalog cannot be read at all (no folder, no catalog.yaml)
            raise PluginError("eventcat: " + "\n".join(p.render() for p in err.problems)) from err
        self.timings = dict(site.seconds)
        self.tree = site.tree
        self._add_notebooks(site, config)
        for finding in site.findings:
            if finding.severity is Severity.ERROR:
                log.warning("eventcat: %s", finding.render())
            else:
                log.info("eventcat: %s", finding.render())
        self.blocks = {}
        in_nav = _nav_pages(config.nav)
        for src, page in site.pages.items():
            if src in existing:
                log.info("eventcat: docs/%s is hand-written and replaces the generated page", src)
                continue
            # Generated pages reached through the index pages, not the nav, are not "omitted".
            inclusion = (
                InclusionLevel.UNDEFINED
                if src in in_nav or not in_nav
                else InclusionLevel.NOT_IN_NAV
            )
            files.append(self._generated(config, src, page.markdown, page.blocks, inclusion))
            self.blocks[src] = page.blocks
        for path, data in site.files.items():
            if path not in existing:
                files.append(self._generated(config, path, data))
        assets = resources.files("eventcat.docsite") / "assets"
        for name in ("mermaid.min.js", "eventcat.css", SITE_CSS, *SITE_SCRIPTS, *LAZY_SCRIPTS):
            src = f"{ASSETS}/{name}"
            if src not in existing:
                files.append(self._generated(config, src, (assets / name).read_bytes()))
        if self.sources is not None:
            self.sources.finish()
        self.seconds += time.perf_counter() - started
        return files

    def _generated(
        self,
        config: Any,
        src: str,
        content: str | bytes,
        blocks: list[str] | None = None,
        inclusion: InclusionLevel = InclusionLevel.UNDEFINED,
    ) -> File:
        """A generated file for MkDocs: in memory (always built), or in a dirty build a file of
        :attr:`sources` that MkDocs skips while its output is newer (:mod:`.sources`)."""
        if self.sources is None:
            return File.generated(config, src, content=content, inclusion=inclusion)
        path = self.sources.stage(src, content, blocks or ())
        return File.generated(config, src, abs_src_path=path, inclusion=inclusion)

    def on_nav(self, nav: Any, config: Any, files: Files) -> Any:
        """The nav's ``events/index.md`` entry becomes a section: the index, then one section per
        domain listing its events (the latest version of each)."""
        if not self.config.nav_tree or not self.tree:
            return nav
        from mkdocs.structure.nav import Section
        from mkdocs.structure.pages import Page

        position = next(
            (
                i
                for i, item in enumerate(nav.items)
                if isinstance(item, Page) and item.file.src_uri == "events/index.md"
            ),
            None,
        )
        if position is None:  # no explicit "Events" entry: the nav is the author's
            return nav
        item = nav.items[position]
        events = Section(item.title or "Events", [item])
        events.parent, item.parent = item.parent, events
        for title, sources in self.tree:
            pages = [
                f.page for f in map(files.get_file_from_path, sources) if f is not None and f.page
            ]
            if pages:
                domain = Section(title, list(pages))
                domain.parent = events
                for page in pages:
                    page.parent = domain
                events.children.append(domain)
        nav.items[position] = events
        return nav

    def _add_notebooks(self, site: Any, config: Any) -> None:
        from eventcat.docsite.html import Links
        from eventcat.docsite.notebooks import notebook_pages

        folder = self._folder(self.config.notebooks, config)
        started = time.perf_counter()
        pages, files, problems = notebook_pages(
            folder,
            self.catalog_path(config),
            execute=self.config.execute_notebooks,
            links=Links(config.use_directory_urls),
            cache=self._folder(self.config.cache, config) if self.config.cache else None,
        )
        for problem in problems:
            log.warning("eventcat: %s", problem)
        site.pages.update(pages)
        site.files.update(files)
        self.timings["notebooks"] = time.perf_counter() - started

    def on_page_content(self, html: str, page: Any, config: Any, files: Files) -> str:
        blocks = self.blocks.get(page.file.src_uri)
        if blocks is None:  # a hand-written page from docs/
            return html
        started = time.perf_counter()

        def substitute(match: re.Match[str]) -> str:
            index = int(match.group(1))
            return blocks[index] if index < len(blocks) else ""

        from eventcat.docsite.html import sanitise_html

        # Every Markdown rendering path ends in the one sanitiser: eventcat's generated Markdown
        # holds no author text, and this keeps it so if that ever changes.
        result = _PLACEHOLDER.sub(substitute, sanitise_html(html, "page"))
        self.seconds += time.perf_counter() - started
        return result

    def on_post_page(self, output: str, page: Any, config: Any) -> str:
        """Every page (Material's nav included) without the blank lines between its tags."""
        from eventcat.docsite.squeeze import squeeze

        started = time.perf_counter()
        result = squeeze(output)
        self.seconds += time.perf_counter() - started
        return result


def _source_folder() -> SourceFolder:
    """A new, empty folder for this instance's generated files, removed at shutdown (or exit)."""
    import shutil
    import tempfile
    import weakref

    folder = SourceFolder(Path(tempfile.mkdtemp(prefix="eventcat-sources-")))
    weakref.finalize(folder, shutil.rmtree, str(folder.folder), True)
    return folder


def _nav_pages(nav: Any) -> set[str]:
    """The page paths an explicit ``nav:`` lists (empty without one)."""
    found: set[str] = set()
    stack = [nav] if nav else []
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.add(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found
