"""The field index: every payload property name, its types, where it sits and which events have
it, from what the event version pages collected in ``Builder.fields``.

Paged so that it stays light at any size (GitHub's webhook catalog: 685 names at 5,870 paths in
224 events, once one 5 MB page): ``fields.md`` lists the pages and the type conflicts; each page
``fields/<letter>.md`` (``-2``, ``-3`` … when a letter outgrows :data:`PAGE_BYTES`) holds the names
of one first letter. They are plain pages (navigable without JavaScript, offline) and the one place
the site's search index holds field names: the payload blocks of event pages are left out of it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from markupsafe import Markup

from eventcat.docsite.page import Page, anchor

if TYPE_CHECKING:
    from eventcat.docsite.build import Builder

INDEX = "fields.md"
#: HTML of the rows of one page before the next page of the same letter begins: with MkDocs'
#: and Material's frame (~12 KB) a page stays under ~30 KB
PAGE_BYTES = 16_000
#: paths shown per type of a name (the most used first) and events linked; the rest are counted
#: (``id`` alone sits at hundreds of paths in every GitHub webhook): the explorer of an event
#: finds every one of them
MAX_PATHS = 12
MAX_EVENTS = 8


@dataclass
class FieldPage:
    src: str
    title: str
    rows: list[Markup] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    size: int = 0


def group(name: str) -> str:
    """The page group of a name: its first letter, or ``other``."""
    first = name[:1].lower()
    return first if "a" <= first <= "z" else "other"


def fields_page(b: Builder) -> None:
    conflicts = {name for name, uses in b.fields.items() if len({sig for _, _, sig in uses}) > 1}
    pages: list[FieldPage] = []
    where: dict[str, str] = {}  # name -> src of its page
    for name in sorted(b.fields, key=lambda n: (group(n), n.lower(), n)):
        key = group(name)
        current = pages[-1] if pages else None
        if current is None or group(current.names[0]) != key or current.size > PAGE_BYTES:
            part = sum(1 for p in pages if group(p.names[0]) == key) + 1
            suffix = "" if part == 1 else f"-{part}"
            label = key.upper() if key != "other" else "other characters"
            current = FieldPage(
                f"fields/{key}{suffix}.md", f"Fields: {label}" + (f" ({part})" if part > 1 else "")
            )
            pages.append(current)
        row = _row(b, current.src, name, name in conflicts)
        current.rows.append(row)
        current.names.append(name)
        current.size += len(row)
        where[name] = current.src
    index = b.add(Page(INDEX, "Field index"))
    index.html(
        b.render(
            "fields/intro.html.j2",
            names=len(b.fields),
            conflicts=len(conflicts),
            pages=[(b.links.rel(INDEX, p.src), p.title, p.names[0], p.names[-1]) for p in pages],
        )
    )
    if conflicts:
        index.h2("Type conflicts").html(
            b.render(
                "fields/conflicts.html.j2",
                names=[
                    (name, b.links.rel(INDEX, where[name], anchor("f", name)))
                    for name in sorted(conflicts, key=str.lower)
                ],
            )
        )
    for number, page in enumerate(pages):
        around = [pages[n] for n in (number - 1, number + 1) if 0 <= n < len(pages)]
        b.add(Page(page.src, page.title)).html(
            b.render(
                "fields/table.html.j2",
                index=b.links.rel(page.src, INDEX),
                around=[(b.links.rel(page.src, p.src), p.title) for p in around],
                rows=page.rows,
            )
        )


def _row(b: Builder, src: str, name: str, conflict: bool) -> Markup:
    """One name: for each of its types, the paths it sits at and the events that have it."""
    paths: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    events: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for (event_name, path, sig), versions in b.fields[name].items():
        paths[sig][path].add(event_name)
        events[sig][event_name].update(versions)
    types = []
    for sig in sorted(paths):
        # the most used paths first; a name only ever at the top level needs no path
        ordered = sorted(paths[sig], key=lambda p: (-len(paths[sig][p]), p))
        shown_paths = [] if ordered == [name] else ordered[:MAX_PATHS]
        links: list[Markup | str] = []
        for event_name in sorted(events[sig])[:MAX_EVENTS]:
            numbers = sorted(events[sig][event_name])
            event = b.catalog.event(event_name)
            target = event.version(numbers[-1]) if event is not None else None
            label = f"{event_name} " + ", ".join(f"v{n}" for n in numbers)
            links.append(b.version_link(src, target, label) if target else label)
        types.append(
            (
                sig,
                shown_paths,
                len(ordered) - len(shown_paths) if shown_paths else 0,
                links,
                len(events[sig]) - len(links),
            )
        )
    return b.render("fields/row.html.j2", name=name, conflict=conflict, types=types)
