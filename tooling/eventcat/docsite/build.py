"""Every generated page and file of the catalog site, built from the loaded catalog.

:func:`build_site` is plain Python (the MkDocs plugin is a thin shell around it): it returns the
pages as Markdown with placeholders plus the HTML blocks that replace them after MkDocs has
converted the Markdown. Everything derived from catalog content is rendered by autoescaping Jinja
templates (``templates/``) or sanitised (see :mod:`eventcat.docsite.html`), so no catalog text is
ever interpreted as Markdown by MkDocs and none can smuggle markup into a page.

This module is the core: the :class:`Builder` (paths, links between pages, the comparisons and
git revisions pages share). Each kind of page is one module of :mod:`eventcat.docsite.pages`,
listed in :data:`eventcat.docsite.pages.PAGE_KINDS`, which :meth:`Builder.build` runs in order.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from markupsafe import Markup

from eventcat.catalog.model import Catalog, EventVersion
from eventcat.docsite.changes import Comparer, Comparison
from eventcat.docsite.history import History, read_history
from eventcat.docsite.html import Links, code, json_text, safe_title, wbr
from eventcat.docsite.memo import VersionMemo
from eventcat.docsite.page import COMPAT_DISAGREEMENTS, Options, Page, Site, stem
from eventcat.docsite.templating import render
from eventcat.report.findings import Finding


def build_site(options: Options, memo: VersionMemo | None = None) -> Site:
    """The site of ``options.catalog``; with ``memo`` (kept by the plugin across ``mkdocs serve``
    rebuilds), version pages whose inputs did not change are taken from the previous build."""
    from eventcat.catalog.loader import read_catalog
    from eventcat.lint import lint_catalog

    timings: dict[str, float] = {}
    started = time.perf_counter()
    catalog = read_catalog(options.catalog)
    timings["load"] = time.perf_counter() - started
    started = time.perf_counter()
    findings = lint_catalog(catalog)
    timings["lint"] = time.perf_counter() - started
    started = time.perf_counter()
    history = (
        read_history(catalog.root, options.history_commits)
        if options.history
        else History(reason="history is turned off (plugin option `history: false`)")
    )
    timings["git"] = time.perf_counter() - started
    try:
        builder = Builder(catalog, findings, history, options, memo)
        started = time.perf_counter()
        builder.build()
        timings["pages"] = time.perf_counter() - started - builder.comparer.seconds
        timings["compare"] = builder.comparer.seconds
    finally:
        history.close()
    return Site(builder.pages, builder.files, findings, timings, builder.event_tree())


class Builder:
    """What every page kind shares: the catalog, its findings and history, links, comparisons."""

    def __init__(
        self,
        catalog: Catalog,
        findings: list[Finding],
        history: History,
        options: Options,
        memo: VersionMemo | None = None,
    ) -> None:
        self.catalog = catalog
        self.memo = memo
        self.findings = findings
        self.history = history
        self.options = options
        self.links = Links(options.directory_urls)
        self.pages: dict[str, Page] = {}
        self.files: dict[str, bytes] = {}
        from eventcat.comparecache import ComparisonCache

        # by content, in this process and across builds (in the plugin's cache folder)
        self.comparer = Comparer(catalog, ComparisonCache(options.cache))
        self.by_file: dict[str, list[Finding]] = defaultdict(list)
        for finding in findings:
            self.by_file[finding.file or ""].append(finding)
        self.broken = {f.file for f in findings if f.unreadable}
        #: property name -> {(event, dotted path, type signature): [versions]}, filled by event pages
        self.fields: dict[str, dict[tuple[str, str, str], list[int]]] = defaultdict(dict)
        self.models = _model_names(catalog, options.package)
        self.today = options.today or dt.date.today()
        #: parsed file revisions read from git, (commit, path) -> schema (None: unreadable)
        self.revisions: dict[tuple[str, str], Any] = {}
        #: governance rule -> [(page src, label)] where a metadata change of that rule occurs
        self.meta_seen: dict[str, list[tuple[str, str]]] = {}
        from eventcat.rules.registry import all_rules

        #: every rule of every family, in the registry's order (an id may occur in two families)
        self.all_rules = list(all_rules())
        self.rules = {r.id: r for r in self.all_rules}

    def build(self) -> None:
        """Every page kind of :data:`~eventcat.docsite.pages.PAGE_KINDS`, in order."""
        from eventcat.docsite.pages import PAGE_KINDS

        for kind in PAGE_KINDS:
            kind(self)

    def event_tree(self) -> list[tuple[str, list[str]]]:
        """The nav's domain → event tree: each domain (by title, free of markup) with the page of
        each of its events (its landing page, else its latest version's page)."""
        tree: dict[str, list[str]] = {}
        for event in self.catalog.events:
            src = f"events/{event.name}/index.md"  # the event's landing page (event_pages.py)
            if src not in self.pages:
                src = self.event_src(event.latest)
            if src in self.pages:
                known = self.catalog.domains.get(event.domain)
                # MkDocs and Material put nav titles into pages unescaped: no markup in them
                title = safe_title(known.name if known else event.domain or "Other")
                tree.setdefault(title, []).append(src)
        return sorted(tree.items(), key=lambda item: item[0].lower())

    def add(self, page: Page) -> Page:
        self.pages[page.src] = page
        return page

    def render(self, template: str, **context: Any) -> Markup:
        """A template with this builder as ``b`` (its links and helpers) in its context."""
        return render(template, b=self, **context)

    # -- paths -----------------------------------------------------------------------------------

    @staticmethod
    def event_src(version: EventVersion) -> str:
        return f"events/{version.name}/v{version.version}.md"

    def file_src(self, path: str) -> str | None:
        """The page of a catalog file: an event version, a fragment or the envelope."""
        version = self.catalog.by_path(path)
        if version is not None:
            return self.event_src(version)
        if self.catalog.envelope is not None and path == self.catalog.envelope.file.path:
            return "envelope.md"
        if path in self.catalog.files:
            return f"fragments/{stem(path)}.md"
        return None

    @staticmethod
    def raw_src(path: str) -> str:
        return f"schemas/{path}"

    # -- links (Markup: safe to put into a template) ---------------------------------------------

    def service_link(self, src: str, service: str) -> Markup:
        known = self.catalog.services.get(service)
        if known is None:
            return code(service) + Markup(' <span class="ec-warn">undeclared</span>')
        return self.links.a(src, f"services/{service}.md", known.name)

    def team_link(self, src: str, team: str | None) -> Markup:
        if not team:
            return Markup('<span class="ec-muted">—</span>')
        known = self.catalog.teams.get(team)
        if known is None:
            return code(team) + Markup(' <span class="ec-warn">undeclared</span>')
        return self.links.a(src, f"teams/{team}.md", known.name)

    def domain_link(self, src: str, domain: str | None) -> Markup:
        if not domain:
            return Markup('<span class="ec-muted">—</span>')
        known = self.catalog.domains.get(domain)
        if known is None:
            return code(domain)
        return self.links.a(src, f"domains/{domain}.md", known.name)

    def version_link(self, src: str, version: EventVersion, text: str | None = None) -> Markup:
        label = wbr(text or f"{version.name} v{version.version}")
        return self.links.a(src, self.event_src(version), label, html_text=True)

    def file_link(self, src: str, path: str, pointer: str = "") -> Markup:
        target = self.file_src(path)
        label = stem(path) + (f" #{pointer}" if pointer else "")
        if target is None:
            return code(label)
        return Markup("→ ") + self.links.a(src, target, label)

    def rule_link(self, src: str, rule: str) -> Markup:
        if f"rules/{rule}.md" in self.pages or rule in self.rules:
            return self.links.a(src, f"rules/{rule}.md", wbr(rule), html_text=True)
        return code(rule)

    def party_link(self, src: str, name: str) -> Markup:
        """A service or team named by a notice, linked to its page when the catalog declares it."""
        if name in self.catalog.services:
            return self.links.a(src, f"services/{name}.md", self.catalog.services[name].name)
        if name in self.catalog.teams:
            return self.links.a(src, f"teams/{name}.md", self.catalog.teams[name].name)
        return code(name)

    # -- blocks several page kinds show ----------------------------------------------------------

    def findings_list(self, src: str, findings: list[Finding]) -> Markup:
        return self.render("findings.html.j2", src=src, findings=findings)

    def no_history(self) -> Markup:
        return self.render("no_history.html.j2", reason=self.history.reason)

    # -- git revisions and their comparisons (event pages and the changelog) ---------------------

    def compare_revisions(self, version: EventVersion, old_sha: str, new_sha: str) -> Comparison:
        key = (version.path, old_sha, new_sha)
        if key in self.comparer.cache:
            return self.comparer.cache[key]
        old, new = self.revision(old_sha, version.path), self.revision(new_sha, version.path)
        if old is None or new is None:
            result = Comparison(verdict="error", message="a revision is not valid JSON")
            self.comparer.cache[key] = result
            return result
        return self.comparer.compare(
            key,
            old,
            new,
            self.comparer.resolver_for(version.path, old),
            self.comparer.resolver_for(version.path, new),
            version.compatibility,
        )

    def revision(self, sha: str, path: str, data: bytes | None = None) -> Any:
        """A file's parsed content at a commit, read once through the history's cat-file process."""
        key = (sha, path)
        if key not in self.revisions:
            self.revisions[key] = _parse(data if data is not None else self.history.read(sha, path))
        return self.revisions[key]


def previous(version: EventVersion, versions: Iterable[EventVersion]) -> EventVersion | None:
    """The version file numbered one below ``version``, if the event has it."""
    return next((v for v in versions if v.version == version.version - 1), None)


def _parse(data: bytes | None) -> Any:
    if data is None:
        return None
    try:
        return json.loads(data)
    except ValueError:
        return None


def _model_names(catalog: Catalog, package: str) -> dict[str, tuple[str, str]]:
    """Catalog path -> (module inside the package, class name), as ``eventcat gen python`` names them."""
    try:
        from eventcat.gen.prepare import module_specs

        return {spec.source: (spec.module, spec.class_name) for spec in module_specs(catalog)}
    except Exception:  # the generator is optional here; fall back to its documented naming
        pass
    try:
        from eventcat.gen.naming import class_name, domain_module, snake
    except ImportError:
        return {}
    return {
        v.path: (
            f"{domain_module(v.domain)}.{snake(v.name)}_v{v.version}",
            class_name(v.name, v.version),
        )
        for v in catalog.versions()
    }


__all__ = [
    "COMPAT_DISAGREEMENTS",
    "Builder",
    "Options",
    "Page",
    "Site",
    "build_site",
    "json_text",
    "previous",
]
