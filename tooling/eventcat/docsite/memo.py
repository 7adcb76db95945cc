"""Event version pages kept across the rebuilds of one ``mkdocs serve``, by what they show.

Version pages are most of the plugin's work (1,000 of a 1,000-version site's pages: the payload
table and explorer, examples, the changes from the previous version). ``mkdocs serve`` keeps the
plugin instance across rebuilds, so the plugin keeps a :class:`VersionMemo` and a rebuild after
one schema edit renders again only the versions whose inputs changed; the other pages, which
list or count versions (indexes, domains, services, fields, rules, maps, landing pages) are
built again as always: they are cheap, and they need every version's contribution.

A version page's **key** is a digest of everything it can show or link to, deliberately wider
than the minimum (a stale page is worse than a slow rebuild):

- the whole site's context: ``catalog.yaml``, the build options and day, every catalog path with
  its event, version and ``eventType`` (links go to other versions and replacements by type),
  the generated module names, whether history is on; with history, every file that is not an
  event version (an old revision may ``$ref`` a fragment the current one does not);
- its event's versions by number and lifecycle status (switcher, facts);
- the text and findings of the version's file and its predecessor's (the changes between them)
  and of every file they reach through ``$ref``, and of the envelope and the files it reaches;
- with history, the commits that touched the file.

What building a page contributes to the rest of the site (field index entries, the places where
a change type or a governance notice occurs, the explorer's data file, comparisons) is recorded
with the page and replayed on a hit, in the same order as building it would add it.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from eventcat.docsite.page import Page

if TYPE_CHECKING:
    from eventcat.catalog.model import EventVersion
    from eventcat.docsite.build import Builder
    from eventcat.docsite.changes import Comparison

Places = dict[str, list[tuple[str, str]]]


@dataclass
class _Record:
    """One version page and what building it added to the builder's shared tables."""

    key: str
    page: Page
    fields: dict[str, dict[tuple[str, str, str], list[int]]]
    seen: Places
    meta_seen: Places
    files: dict[str, bytes]
    comparisons: dict[tuple[str, str, str], Comparison]


@dataclass
class VersionMemo:
    """Version pages by key, for the next build of the same plugin instance."""

    records: dict[str, _Record] = field(default_factory=dict)
    #: of the last build: pages taken from the memo, pages rendered
    hits: int = 0
    misses: int = 0

    def build(
        self,
        b: Builder,
        versions: Iterable[EventVersion],
        render: Callable[[Builder, EventVersion], None],
    ) -> None:
        """Add each version's page to ``b``: from the memo when its key is unchanged, else by
        ``render(b, version)`` (which adds it), recording what it added. Versions this build
        does not have are forgotten."""
        self.hits = self.misses = 0
        site = _site_key(b)
        built: set[str] = set()
        for version in versions:
            src = b.event_src(version)
            built.add(src)
            key = _version_key(b, version, site)
            record = self.records.get(src)
            if record is not None and record.key == key:
                self.hits += 1
            else:
                self.misses += 1
                record = _record(b, src, key, partial(render, b, version))
                self.records[src] = record
            _replay(b, record)
        for src in set(self.records) - built:
            del self.records[src]


def _record(b: Builder, src: str, key: str, render: Callable[[], None]) -> _Record:
    """Run ``render`` with empty shared tables, so that what it adds can be told apart."""
    saved = b.fields, b.comparer.seen, b.meta_seen, b.files, b.comparer.cache
    b.fields, b.comparer.seen, b.meta_seen, b.files, b.comparer.cache = (
        defaultdict(dict),
        {},
        {},
        {},
        {},
    )
    try:
        render()
        page = b.pages.pop(src)
        return _Record(
            key,
            page,
            dict(b.fields),
            b.comparer.seen,
            b.meta_seen,
            b.files,
            b.comparer.cache,
        )
    finally:
        b.fields, b.comparer.seen, b.meta_seen, b.files, b.comparer.cache = saved


def _replay(b: Builder, record: _Record) -> None:
    page = record.page
    # a copy: later page kinds may add to a page, and the memo's must stay as rendered
    b.add(Page(page.src, page.title, list(page.parts), list(page.blocks)))
    for name, uses in record.fields.items():
        into = b.fields[name]
        for use, versions in uses.items():
            into.setdefault(use, []).extend(versions)
    _merge_places(b.comparer.seen, record.seen)
    _merge_places(b.meta_seen, record.meta_seen)
    b.files.update(record.files)
    b.comparer.cache.update(record.comparisons)


def _merge_places(into: Places, added: Places) -> None:
    for rule, places in added.items():
        target = into.setdefault(rule, [])
        for place in places:
            if not target or target[-1] != place:  # as Comparer.note and note_meta do
                target.append(place)


# -- keys -----------------------------------------------------------------------------------------


def _version_key(b: Builder, version: EventVersion, site: str) -> str:
    digest = hashlib.sha256(site.encode())
    event = b.catalog.event(version.name)
    siblings = event.versions if event else (version,)
    previous = next((v for v in siblings if v.version == version.version - 1), None)
    # the other versions of the event appear by number and lifecycle status (switcher, facts)
    digest.update(json.dumps([[v.path, v.version, v.status] for v in siblings]).encode())
    files: set[str] = set()
    for reached in (version, previous):
        if reached is not None:
            files |= {reached.path} | b.catalog.dependencies(reached.path)
    if b.catalog.envelope is not None:
        envelope = b.catalog.envelope.file.path
        files |= {envelope} | b.catalog.dependencies(envelope)
    for path in sorted(files):
        digest.update(_file_part(b, path))
    if b.history.available:
        for touch in b.history.files.get(version.path, [])[: b.options.history_depth + 1]:
            digest.update(f"{touch.commit.sha}:{touch.status}\0".encode())
    return digest.hexdigest()


def _file_part(b: Builder, path: str) -> bytes:
    file = b.catalog.files.get(path)
    text = file.text if file is not None else "\0missing"
    findings = "\n".join(
        f"{f.severity}|{f.unreadable}|{f.render()}" for f in b.by_file.get(path, [])
    )
    return json.dumps([path, text, findings]).encode() + b"\0"


def _site_key(b: Builder) -> str:
    """The part of every key that the whole build shares."""
    options = {
        k: sorted(v) if isinstance(v, frozenset) else str(v)
        for k, v in vars(b.options).items()
        if k != "cache"  # where comparisons are kept, not what they are
    }
    index = sorted(
        (path, v.name, v.version, v.event_type or "") if v is not None else (path, "", 0, "")
        for path, v in ((p, b.catalog.by_path(p)) for p in b.catalog.files)
    )
    parts: list[Any] = [
        b.catalog.settings_text,
        options,
        str(b.today),
        index,
        sorted(b.models.items()),
        b.history.available,
        b.history.reason,
        sorted(b.broken),
    ]
    if b.history.available:
        parts.append(
            [
                _file_part(b, path).decode()
                for path in sorted(b.catalog.files)
                if b.catalog.by_path(path) is None
            ]
        )
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()
