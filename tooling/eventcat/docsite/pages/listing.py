"""Lists of events that grow with the catalog: a team's events, a domain's, a fragment's users, the
events index, the versions that need attention.

One line per event (its name linked to its landing page, the listed versions inline), grouped by
domain. A list that fits :data:`INLINE_BYTES` of HTML is shown in place; a longer one is shown in
place as one line per domain (or per page) with counts, and in full on numbered pages beside the
page (``<base>/<slug>.md``, ``<slug>-2.md`` …) of under :data:`PAGE_BYTES` each, linked to each
other and back. Every event and version stays reachable by plain links (no JavaScript) and no page
grows with the catalog: a fragment used by all 1,000 versions of the bench catalog listed every
version on one 231 KB page (issue 12: under ~30 KB of HTML per page).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from markupsafe import Markup

from eventcat.catalog.model import Event, EventVersion
from eventcat.docsite.event_pages import landing_src
from eventcat.docsite.html import safe_title
from eventcat.docsite.page import Page, anchor

if TYPE_CHECKING:
    from collections.abc import Iterable

    from eventcat.docsite.build import Builder

#: a list whose lines take up to this much HTML is shown in place: with MkDocs' and Material's
#: frame (~8-12 KB, more where the nav is open on a wide catalog) and the rest of the page, the page
#: stays under ~30 KB
INLINE_BYTES = 12_000
#: HTML of the lines of one list page before the next page begins (as the field index's pages)
PAGE_BYTES = 16_000
#: ``describe(version)``: what a list line says of its version instead of its summary
Describe = Callable[[EventVersion], Markup]


@dataclass
class Group:
    """One domain's events in a list, each with the versions listed."""

    domain: str
    events: list[tuple[Event, list[EventVersion]]] = field(default_factory=list)

    @property
    def versions(self) -> int:
        return sum(len(listed) for _, listed in self.events)


@dataclass
class ListPage:
    src: str
    #: (domain, its title, whether it began on an earlier page, its lines)
    parts: list[tuple[str, str, bool, list[Markup]]] = field(default_factory=list)
    size: int = 0
    first: str = ""
    last: str = ""


def groups(b: Builder, versions: Iterable[EventVersion]) -> list[Group]:
    """``versions`` by domain (by title), then event (by name), then version number."""
    by_domain: dict[str, dict[str, list[EventVersion]]] = {}
    for version in versions:
        by_domain.setdefault(version.domain, {}).setdefault(version.name, []).append(version)
    found = []
    for domain, events in by_domain.items():
        group = Group(domain)
        for name in sorted(events):
            event = b.catalog.event(name)
            if event is not None:
                group.events.append((event, sorted(events[name], key=lambda v: v.version)))
        found.append(group)
    return sorted(found, key=lambda g: (_domain_title(b, g.domain).lower(), g.domain))


def event_list(
    b: Builder,
    src: str,
    versions: Iterable[EventVersion],
    *,
    base: str,
    slug: str,
    title: str,
    with_domain: bool = True,
    describe: Describe | None = None,
) -> Markup:
    """The list of ``versions`` to show on page ``src``; when it is too long for the page, a summary
    that links to the list pages ``<base>/<slug>*.md`` (titled ``title``), which this adds.
    ``describe``: what a line says of its latest listed version (default: its summary)."""
    found = groups(b, versions)
    if not found:
        return b.render("listing/empty.html.j2")
    lines = [[_line(b, src, event, listed, describe) for event, listed in g.events] for g in found]
    if sum(len(line) for group_lines in lines for line in group_lines) <= INLINE_BYTES:
        parts = [
            (g.domain, _domain_title(b, g.domain), False, group_lines)
            for g, group_lines in zip(found, lines, strict=True)
        ]
        return b.render(
            "listing/events.html.j2",
            src=src,
            parts=parts,
            with_domain=with_domain,
            did=domain_anchor,
        )
    pages = _paginate(b, found, f"{base}/{slug}" if base else slug, describe)
    for number, page in enumerate(pages):
        around = [
            (b.links.rel(page.src, pages[n].src), label)
            for n, label in ((number - 1, "← previous"), (number + 1, "next →"))
            if 0 <= n < len(pages)
        ]
        suffix = f" ({number + 1} of {len(pages)})" if len(pages) > 1 else ""
        b.add(Page(page.src, safe_title(title + suffix))).html(
            b.render(
                "listing/page.html.j2",
                back=b.links.a(page.src, src, "← back"),
                around=around,
                list=b.render(
                    "listing/events.html.j2",
                    src=page.src,
                    parts=page.parts,
                    with_domain=with_domain,
                    did=domain_anchor,
                ),
            )
        )
    # the page where each domain's events begin
    where: dict[str, str] = {}
    for page in pages:
        for domain, _, _, _ in page.parts:
            where.setdefault(domain, b.links.rel(src, page.src))
    return b.render(
        "listing/summary.html.j2",
        src=src,
        with_domain=with_domain,
        groups=[
            (_domain_title(b, g.domain), g.domain, len(g.events), where[g.domain]) for g in found
        ],
        did=domain_anchor,
        pages=[(b.links.rel(src, p.src), p.first, p.last) for p in pages],
        events=sum(len(g.events) for g in found),
        versions=sum(g.versions for g in found),
    )


def _paginate(
    b: Builder, found: list[Group], stem: str, describe: Describe | None
) -> list[ListPage]:
    # every list page is a sibling of the first, so one rendering of a line suits all of them
    first_src = f"{stem}.md"
    pages = [ListPage(first_src)]
    for group in found:
        for event, listed in group.events:
            line = _line(b, first_src, event, listed, describe)
            page = pages[-1]
            if page.size and page.size + len(line) > PAGE_BYTES:
                page = ListPage(f"{stem}-{len(pages) + 1}.md")
                pages.append(page)
            if not page.parts or page.parts[-1][0] != group.domain:
                began = any(p.parts and p.parts[-1][0] == group.domain for p in pages[:-1])
                page.parts.append((group.domain, _domain_title(b, group.domain), began, []))
            page.parts[-1][3].append(line)
            page.size += len(line)
            page.first = page.first or event.name
            page.last = event.name
    return pages


def _line(
    b: Builder, src: str, event: Event, listed: list[EventVersion], describe: Describe | None
) -> Markup:
    """One event: its name (to its landing page, else its latest listed version's page), each
    listed version linked, and the latest listed version's summary (or ``describe`` of it)."""
    target = (
        landing_src(event.name)
        if any(v.path not in b.broken for v in event.versions)
        else b.event_src(listed[-1])
    )
    note = describe(listed[-1]) if describe is not None else None
    return b.render(
        "listing/line.html.j2", src=src, event=event, listed=listed, target=target, note=note
    )


def _domain_title(b: Builder, domain: str) -> str:
    known = b.catalog.domains.get(domain)
    return known.name if known else domain or "Other"


def domain_anchor(domain: str) -> str:
    """The id of a domain's heading in a list."""
    return anchor("d", domain or "other")
