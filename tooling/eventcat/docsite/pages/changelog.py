"""The changelog (``changelog.md``): the last commits that changed the catalog, with the semantic
changes of each schema file; the home page shows its first entries."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from eventcat.docsite.html import wbr
from eventcat.docsite.page import Page, plural
from eventcat.docsite.pages.changes import commit_head

if TYPE_CHECKING:
    from eventcat.docsite.build import Builder


def changelog_page(b: Builder) -> None:
    src = "changelog.md"
    page = b.add(Page(src, "Changelog"))
    if not b.history.available or not b.history.commits:
        page.html(b.no_history())
        return
    page.html(
        b.render(
            "changelog.html.j2",
            count=len(b.history.commits[:100]),
            entries=changelog_entries(b, src, 100),
        )
    )


def changelog_entries(
    b: Builder, src: str, limit: int, max_files: int = 1000
) -> list[tuple[Markup, list[Any]]]:
    """(commit heading, [touched file]) for the last ``limit`` commits; a file is
    (status, link or path, summary of its schema changes), or (None, "… and N more files", "")."""
    entries = []
    for commit in b.history.commits[:limit]:
        touches = b.history.changes.get(commit.sha, [])
        items: list[Any] = [_touch(b, src, touch) for touch in touches[:max_files]]
        if len(touches) > max_files:
            items.append((None, f"… and {plural(len(touches) - max_files, 'more file')}", ""))
        entries.append((commit_head(commit, strong=True), items))
    return entries


def _touch(b: Builder, src: str, touch: Any) -> tuple[str, Markup | str, str]:
    path = touch.path
    version = b.catalog.by_path(path)
    target = b.file_src(path)
    label = (
        wbr(path)
        if target is None or touch.status == "D"
        else b.links.a(src, target, wbr(path), html_text=True)
    )
    summary = ""
    if touch.status not in ("A", "D") and version is not None:
        touches = b.history.files.get(path, [])
        position = next(
            (i for i, t in enumerate(touches) if t.commit.sha == touch.commit.sha), None
        )
        if (
            position is not None
            and position + 1 < len(touches)
            and position < b.options.history_depth
        ):
            comparison = b.compare_revisions(
                version, touches[position + 1].commit.sha, touch.commit.sha
            )
            if comparison.ok:
                summary = (
                    f": {plural(len(comparison.changes), 'schema change')}, {comparison.breaking} breaking"
                    if comparison.changes
                    else ": annotations only"
                )
    return touch.status, label, summary
