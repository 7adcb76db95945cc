"""One module per kind of page; :data:`PAGE_KINDS` is the one place the site's pages come from.

Each entry is a callable ``(builder) -> None`` that adds pages (``builder.add(Page(...))``) or
files (``builder.files[path] = bytes``); :meth:`eventcat.docsite.build.Builder.build` runs them in
this order. Order matters where one kind reads what another collected: the event version pages
fill ``builder.fields`` (read by the field index) and record the comparisons and metadata changes
the rule pages list under "In this catalog", so producers of pages that compare versions belong
before ``rule_pages``. To add a page kind, write a module here and insert its function.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from eventcat.docsite.event_pages import add_event_pages
from eventcat.docsite.graph import add_maps
from eventcat.docsite.pages.changelog import changelog_page
from eventcat.docsite.pages.directory import domain_pages, service_pages, team_pages
from eventcat.docsite.pages.events import events_index, version_pages
from eventcat.docsite.pages.fields import fields_page
from eventcat.docsite.pages.fragments import fragment_pages
from eventcat.docsite.pages.home import home_page
from eventcat.docsite.pages.machine import machine_files
from eventcat.docsite.pages.rules import rule_pages

if TYPE_CHECKING:
    from eventcat.docsite.build import Builder

PageKind = Callable[["Builder"], None]

PAGE_KINDS: list[PageKind] = [
    version_pages,
    events_index,
    fragment_pages,
    domain_pages,
    service_pages,
    team_pages,
    changelog_page,
    fields_page,
    rule_pages,
    home_page,
    machine_files,
    # issue 12 (docsite/graph.py, docsite/event_pages.py): the shared graph with a map on service
    # and domain pages and map/, one landing page per event with its compare data
    add_maps,
    add_event_pages,
]

__all__ = ["PAGE_KINDS", "PageKind"]
