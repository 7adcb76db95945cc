"""The home page (``index.md``): counts, lint health, domains, latest changes, versions that need
attention."""

from __future__ import annotations

from typing import TYPE_CHECKING

from eventcat.docsite.html import safe_title
from eventcat.docsite.page import Page
from eventcat.docsite.pages.changelog import changelog_entries
from eventcat.docsite.pages.listing import event_list
from eventcat.report.findings import Severity

if TYPE_CHECKING:
    from eventcat.docsite.build import Builder

#: the home page stays light at any size (issue 12: under ~30 KB): the domains and findings it shows
MAX_TILES = 12
MAX_FINDINGS = 15


def home_page(b: Builder) -> None:
    src = "index.md"
    catalog = b.catalog
    page = b.add(Page(src, safe_title(catalog.name or "Event catalog")))
    versions = list(catalog.versions())
    stats = [
        ("domains/index.md", len(catalog.domains), "domain"),
        ("events/index.md", len(catalog.events), "event"),
        ("events/index.md", len(versions), "version"),
        ("services/index.md", len(catalog.services), "service"),
        ("teams/index.md", len(catalog.teams), "team"),
        ("fragments/index.md", len(catalog.fragments), "shared schema"),
    ]
    errors = [f for f in b.findings if f.severity is Severity.ERROR]
    warnings = [f for f in b.findings if f.severity is Severity.WARNING]
    page.html(
        b.render(
            "home/head.html.j2",
            src=src,
            catalog=catalog,
            stats=stats,
            errors=len(errors),
            warnings=len(warnings),
        )
    )
    page.h2("Domains")
    tiles = []
    # the biggest domains first, at most MAX_TILES: the domains index lists every one
    ranked = sorted(
        catalog.domains.values(),
        key=lambda d: -sum(1 for e in catalog.events if e.domain == d.id),
    )
    for domain in ranked[:MAX_TILES]:
        owner = (
            catalog.teams[domain.owner].name
            if domain.owner and domain.owner in catalog.teams
            else ""
        )
        tiles.append((domain, owner, [e for e in catalog.events if e.domain == domain.id]))
    page.html(b.render("home/tiles.html.j2", src=src, tiles=tiles, domains=len(catalog.domains)))
    page.h2("Latest changes")
    if b.history.available and b.history.commits:
        page.html(
            b.render(
                "home/changes.html.j2", src=src, entries=changelog_entries(b, src, 5, max_files=4)
            )
        )
    else:
        page.html(b.no_history())
    attention = [v for v in versions if v.status in ("deprecated", "draft", "retired")]
    if attention:
        page.h2("Deprecated and draft versions").html(
            event_list(
                b, src, attention, base="", slug="attention", title="Deprecated and draft versions"
            )
        )
    if errors or warnings:
        shown = (errors + warnings)[:MAX_FINDINGS]
        page.h2("Lint findings").html(
            b.findings_list(src, shown)
            + b.render("home/more_findings.html.j2", more=len(errors) + len(warnings) - len(shown))
        )
    page.h2("Machine-readable").html(b.render("home/machine.html.j2", src=src))
