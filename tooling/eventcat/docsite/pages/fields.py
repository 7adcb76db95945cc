"""The field index (``fields.md``): every payload property name, its types and where it is used,
from what the event version pages collected in ``Builder.fields``."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from markupsafe import Markup

from eventcat.docsite.page import Page

if TYPE_CHECKING:
    from eventcat.docsite.build import Builder


def fields_page(b: Builder) -> None:
    src = "fields.md"
    page = b.add(Page(src, "Field index"))
    conflicts = {name for name, uses in b.fields.items() if len({sig for _, _, sig in uses}) > 1}
    page.html(b.render("fields/intro.html.j2", names=len(b.fields), conflicts=len(conflicts)))
    if conflicts:
        page.h2("Type conflicts").html(
            b.render("fields/conflicts.html.j2", names=sorted(conflicts))
        )
    page.h2("All fields")
    rows = []
    for name in sorted(b.fields, key=str.lower):
        by_signature: dict[str, list[Markup | str]] = defaultdict(list)
        for (event_name, path, sig), versions in sorted(b.fields[name].items()):
            event = b.catalog.event(event_name)
            target = event.version(max(versions)) if event is not None else None
            label = f"{event_name} " + ", ".join(f"v{n}" for n in sorted(set(versions)))
            if path != name:
                label += f" ({path})"
            by_signature[sig].append(b.version_link(src, target, label) if target else label)
        rows.append((name, name in conflicts, sorted(by_signature.items())))
    page.html(b.render("fields/table.html.j2", rows=rows))
