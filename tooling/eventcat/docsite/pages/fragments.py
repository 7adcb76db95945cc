"""Shared schema pages (``fragments/<stem>.md``), the envelope page and their index."""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup

from eventcat.catalog.model import SchemaFile
from eventcat.docsite import explorer, props
from eventcat.docsite.html import safe_title
from eventcat.docsite.page import Page, anchor, stem
from eventcat.docsite.pages.listing import event_list

if TYPE_CHECKING:
    from eventcat.docsite.build import Builder


def fragment_pages(b: Builder) -> None:
    index = b.add(Page("fragments/index.md", "Shared schemas"))
    rows = []
    envelope = b.catalog.envelope
    files: list[SchemaFile] = list(b.catalog.fragments)
    if envelope is not None:
        files.insert(0, envelope.file)
    for file in files:
        if file.path in b.broken:
            continue
        src = b.file_src(file.path) or f"fragments/{stem(file.path)}.md"
        is_envelope = src == "envelope.md"
        users = b.catalog.users_of(file.path)
        title = file.title or stem(file.path)
        page = b.add(Page(src, safe_title(title)))
        page.html(
            b.render("fragments/head.html.j2", file=file, title=title, is_envelope=is_envelope)
        )
        if is_envelope and envelope is not None:
            page.h2("How events travel").html(
                b.render("fragments/envelope.html.j2", envelope=envelope)
            )
        page.h2("Properties")

        def link(path: str, pointer: str, src: str = src) -> str:
            return b.file_link(src, path, pointer)

        resolver = b.catalog.resolver(file.path)
        schema_rows = props.rows(file.schema, resolver, file.path)
        page.html(explorer.payload_block(b, src, file.schema, file.path, title, schema_rows, link))
        defs = file.schema.get("$defs") if isinstance(file.schema, dict) else None
        if isinstance(defs, dict) and defs:
            page.h2("Definitions")
            for name, definition in defs.items():
                table = Markup(props.render(props.rows(definition, resolver, file.path), link))
                page.html(
                    b.render(
                        "fragments/definition.html.j2",
                        id=anchor("defs", name),
                        name=name,
                        table=table,
                    )
                )
        if not is_envelope:
            page.h2("Used by").html(
                event_list(
                    b,
                    src,
                    users,
                    base=src[: -len(".md")],
                    slug="used-by",
                    title=f"{title}: used by",
                )
                if users
                else b.render("fragments/unused.html.j2")
            )
        if file.examples:
            page.h2("Examples").html(b.render("fragments/examples.html.j2", examples=file.examples))
        page.h2("Schema").html(
            b.render(
                "download.html.j2",
                href=b.links.rel(src, b.raw_src(file.path)),
                path=file.path,
                show_path=False,
            )
        )
        rows.append((src, title, file.path, "—" if is_envelope else str(len(users))))
    index.html(b.render("fragments/index.html.j2", src=index.src, rows=rows))
