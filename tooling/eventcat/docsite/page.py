"""The site's data model: build options, a generated page, the built site, small text helpers.

A page is Markdown with placeholders (``ECBLOCK<n>X``) plus the HTML blocks that replace them after
MkDocs has converted the Markdown (see :mod:`eventcat.docsite.plugin`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from eventcat.report.findings import Finding

BLOCK = "ECBLOCK{}X"
#: a hand-written page (docs/) the rule pages link to when it exists
COMPAT_DISAGREEMENTS = "rules/compat-disagreements.md"


@dataclass
class Options:
    catalog: Path
    package: str = "eventcat_events"
    history: bool = True
    history_commits: int = 200
    history_depth: int = 10
    directory_urls: bool = True
    site_url: str = ""
    #: hand-written pages that exist in docs/ (src paths), so links to them can be made safely
    docs_pages: frozenset[str] = frozenset()
    #: the day lifecycle banners are computed for (days to a sunset); None: the build's day
    today: dt.date | None = None
    #: the folder kept between builds (the plugin's ``cache``): comparisons are stored under
    #: ``compare/`` in it; None: only this process remembers them
    cache: Path | None = None


@dataclass
class Page:
    src: str
    title: str
    parts: list[str] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)

    def html(self, text: str) -> Page:
        self.parts.append(BLOCK.format(len(self.blocks)))
        self.blocks.append(str(text))
        return self

    def h2(self, text: str) -> Page:
        self.parts.append(f"## {text}")
        return self

    def h3(self, text: str) -> Page:
        self.parts.append(f"### {text}")
        return self

    @property
    def markdown(self) -> str:
        # JSON strings are valid YAML; the title holds no markup (safe_title).
        return f"---\ntitle: {json.dumps(self.title)}\n---\n\n" + "\n\n".join(self.parts) + "\n"


@dataclass
class Site:
    pages: dict[str, Page]
    files: dict[str, bytes]
    findings: list[Finding]
    seconds: dict[str, float]
    #: the nav's domain → event tree: [(domain title, [page src of each event])]
    tree: list[tuple[str, list[str]]] = field(default_factory=list)


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def stem(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name[: -len(".schema.json")] if name.endswith(".schema.json") else name


def anchor(prefix: str, name: str) -> str:
    """An HTML id for any text: the text itself when plain, else a slug plus a short hash."""
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-")
    if slug == name:
        return f"{prefix}-{slug}"
    return f"{prefix}-{slug[:40]}-{hashlib.sha1(name.encode()).hexdigest()[:8]}"


def one_line(text: str) -> str:
    return " ".join(str(text).split())[:500]
