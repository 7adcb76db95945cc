"""Checks on file, folder and event names: what every clone, generator and URL can carry.

Names reach places that interpret them: generated module paths and their first lines, site URLs,
file systems that ignore case (macOS, Windows) or reserve device names (Windows). Only plain
ASCII identifiers with dashes pass, so no name can spell an encoding cookie (``coding=utf-7``),
a space, a path trick or a homoglyph.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from eventcat.catalog.model import Catalog
from eventcat.lint.finding import finding
from eventcat.report.findings import Finding

#: A folder: a letter or one leading underscore (``_shared``), then letters, digits, - and _.
FOLDER_NAME = re.compile(r"^_?[A-Za-z][A-Za-z0-9_-]*$")
#: A schema file: the same, ending in .schema.json (the _v<N> part is checked by file-name).
SCHEMA_FILE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*\.schema\.json$")
#: Device names Windows reserves in every folder, with any extension, in any case.
WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{n}" for n in range(10)} | {f"lpt{n}" for n in range(10)}
)
#: More than this many characters in one name breaks paths on Windows and in generated code.
MAX_NAME = 100


def check_names(catalog: Catalog) -> Iterator[Finding]:
    """path-name errors, then name-case-twin and name-reserved warnings."""
    folders: set[str] = set()
    for path in catalog.files:
        parts = path.split("/")
        folders.update("/".join(parts[:depth]) for depth in range(1, len(parts)))
        bad = [p for p in parts[:-1] if not FOLDER_NAME.match(p) or len(p) > MAX_NAME]
        name = parts[-1]
        if not SCHEMA_FILE_NAME.match(name) or len(name) > MAX_NAME:
            bad.append(name)
        if bad:
            yield finding(
                "path-name",
                path,
                f"{bad[0]!r} is not a plain name: folder and file names use ASCII letters, "
                f"digits, '-' and '_' only (at most {MAX_NAME} characters; a folder may start "
                "with one '_'); names reach generated code, file systems and URLs",
            )
    yield from _twins(catalog, folders)
    yield from _reserved(catalog, folders)


def _twins(catalog: Catalog, folders: set[str]) -> Iterator[Finding]:
    by_fold: dict[str, set[str]] = defaultdict(set)
    for path in (*catalog.files, *folders):
        by_fold[path.casefold()].add(path)
    for names in by_fold.values():
        if len(names) > 1:
            first, *others = sorted(names)
            for other in others:
                yield finding(
                    "name-case-twin",
                    other if other in catalog.files else None,
                    f"{other!r} differs from {first!r} only in letter case: on macOS and "
                    "Windows clones they are one file, and the site's URLs collide; rename one",
                )
    events: dict[str, set[str]] = defaultdict(set)
    for event in catalog.events:
        events[event.name.casefold()].add(event.name)
    for event_names in events.values():
        if len(event_names) > 1:
            first, *others = sorted(event_names)
            for other in others:
                found = catalog.event(other)
                yield finding(
                    "name-case-twin",
                    found.versions[0].path if found is not None else None,
                    f"event {other!r} differs from {first!r} only in letter case: generated "
                    "modules and the site's pages collide on case-insensitive file systems",
                )


def _reserved(catalog: Catalog, folders: set[str]) -> Iterator[Finding]:
    for folder in sorted(folders):
        name = folder.rsplit("/", 1)[-1]
        if name.split(".", 1)[0].casefold() in WINDOWS_RESERVED:
            first = next(p for p in sorted(catalog.files) if p.startswith(folder + "/"))
            yield finding(
                "name-reserved",
                first,
                f"folder {name!r} is a device name on Windows: a clone there cannot create it",
            )
    for path in sorted(catalog.files):
        stem = path.rsplit("/", 1)[-1].split(".", 1)[0].rsplit("_v", 1)[0]
        if stem.casefold() in WINDOWS_RESERVED:
            yield finding(
                "name-reserved",
                path,
                f"name {stem!r} is a device name on Windows: the generated module and the site "
                "page named after it cannot be created there",
            )
