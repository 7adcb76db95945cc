"""The schema explorer's data (issue 12.3): a payload schema as a table of nodes, one JSON per version.

Every schema location becomes one node, keyed by (file URI, JSON pointer), so a ``$ref`` is an
edge to the node of its target: a fragment used twenty times is written once, and recursion is a
cycle the browser shows as a link back (``eventcat-explorer.js`` renders the tree lazily, one level
per click, so even GitHub's largest webhook payloads open at once). Node fields, short on purpose
(the file is downloaded per version)::

    t type · ti title · d description · p [[name, node, required]] · ap additionalProperties
    pp [[pattern, node]] · i items · pi prefixItems · one/any/all [nodes] · not · if/then/else
    ref node this one stands for · rl its label · ru the page of its file · nl nullable
    e enum · c const · k constraints {keyword: value} · dep deprecated
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from eventcat.catalog.model import path_for
from eventcat.catalog.refs import resolver_base
from eventcat.docsite import props
from eventcat.docsite.page import stem
from eventcat.jsonpointer import escape

if TYPE_CHECKING:
    from eventcat.catalog.model import EventVersion
    from eventcat.docsite.build import Builder

#: ``link(catalog path, pointer)``: the link to a referenced file's page (props.render's)
Link = Callable[[str, str], str]

MAX_NODES = 20_000
#: Up to this many rows a payload's flat table is shown whole under the explorer: about 8 KB of
#: HTML (some 250 bytes a row), two screens, so a page of it stays well under the 30 KB a page
#: may weigh; every payload of the example and the 1,000-version bench catalogs fits (at most
#: 28 rows). GitHub's webhook payloads have a median of 235 rows and up to 1,600.
FLAT_TABLE_ROWS = 30
MAX_ENUM = 60
MAX_TEXT = 600
CONSTRAINTS = (
    "format",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "default",
    "readOnly",
    "writeOnly",
    "contentEncoding",
    "contentMediaType",
    "propertyNames",
    "contains",
    "dependentRequired",
)


def data_file(version: EventVersion) -> str:
    return f"assets/eventcat/schemas/{version.name}/v{version.version}.json"


def fragment_data_file(path: str) -> str:
    """The explorer's data of a shared schema file (a folder no event name can take)."""
    return f"assets/eventcat/fragments/{stem(path)}.json"


class Tree:
    def __init__(self, builder: Builder) -> None:
        self.builder = builder
        self.nodes: list[dict[str, Any]] = []
        self.index: dict[tuple[str, str], int] = {}

    def add(self, schema: Any, resolver: Any, pointer: str) -> int:
        key = (resolver_base(resolver), pointer)
        if key in self.index:
            return self.index[key]
        number = len(self.nodes)
        node: dict[str, Any] = {}
        self.nodes.append(node)
        self.index[key] = number
        if len(self.nodes) > MAX_NODES:
            node["d"] = "(the schema is too large to show further)"
            return number
        self.fill(node, schema, resolver, pointer)
        return number

    def fill(self, node: dict[str, Any], schema: Any, resolver: Any, pointer: str) -> None:
        if schema is True or schema == {}:
            node["t"] = "any"
            return
        if schema is False:
            node["t"] = "never"
            return
        if not isinstance(schema, dict):
            return
        for key, short in (("title", "ti"), ("description", "d")):
            if isinstance(schema.get(key), str):
                node[short] = schema[key][:MAX_TEXT]
        if schema.get("deprecated") is True:
            node["dep"] = True
        ref = schema.get("$ref")
        if isinstance(ref, str):
            self.reference(node, ref, resolver)
        kind = schema.get("type")
        if isinstance(kind, str | list):
            node["t"] = kind
            if kind == "null" or (isinstance(kind, list) and "null" in kind):
                node["nl"] = True
        if "enum" in schema and isinstance(schema["enum"], list):
            node["e"] = schema["enum"][:MAX_ENUM]
            if None in schema["enum"]:
                node["nl"] = True
        if "const" in schema:
            node["c"] = schema["const"]
        constraints = {
            k: schema[k] for k in CONSTRAINTS if k in schema and not isinstance(schema[k], dict)
        }
        if constraints:
            node["k"] = constraints
        properties = schema.get("properties")
        declared = schema.get("required")
        required: list[Any] = declared if isinstance(declared, list) else []
        if isinstance(properties, dict):
            node["p"] = [
                [
                    str(name),
                    self.add(sub, resolver, f"{pointer}/properties/{escape(str(name))}"),
                    name in required,
                ]
                for name, sub in properties.items()
            ]
        patterns = schema.get("patternProperties")
        if isinstance(patterns, dict):
            node["pp"] = [
                [str(p), self.add(sub, resolver, f"{pointer}/patternProperties/{escape(str(p))}")]
                for p, sub in patterns.items()
            ]
        extra = schema.get("additionalProperties")
        if extra is False:
            node["ap"] = False
        elif isinstance(extra, dict) and extra:
            node["ap"] = self.add(extra, resolver, f"{pointer}/additionalProperties")
        items = schema.get("items")
        if isinstance(items, dict | bool) and items is not True:
            node["i"] = self.add(items, resolver, f"{pointer}/items")
        elif isinstance(items, list):  # draft-07 tuple form
            node["pi"] = [
                self.add(s, resolver, f"{pointer}/items/{n}") for n, s in enumerate(items)
            ]
        if isinstance(schema.get("prefixItems"), list):
            node["pi"] = [
                self.add(s, resolver, f"{pointer}/prefixItems/{n}")
                for n, s in enumerate(schema["prefixItems"])
            ]
        for keyword, short in (("oneOf", "one"), ("anyOf", "any"), ("allOf", "all")):
            branches = schema.get(keyword)
            if not isinstance(branches, list) or not branches:
                continue
            nulls = [
                b
                for b in branches
                if isinstance(b, dict) and b.get("type") == "null" and len(b) <= 2
            ]
            rest = [(n, b) for n, b in enumerate(branches) if not any(b is x for x in nulls)]
            if keyword != "allOf" and nulls and len(rest) == 1 and "ref" not in node:
                # a nullable union ([X, null]): shown as X with a "nullable" badge
                node["nl"] = True
                node["ref"] = self.add(rest[0][1], resolver, f"{pointer}/{keyword}/{rest[0][0]}")
                continue
            node[short] = [
                self.add(b, resolver, f"{pointer}/{keyword}/{n}") for n, b in enumerate(branches)
            ]
        for keyword in ("not", "if", "then", "else"):
            if isinstance(schema.get(keyword), dict):
                node[keyword] = self.add(schema[keyword], resolver, f"{pointer}/{keyword}")

    def reference(self, node: dict[str, Any], ref: str, resolver: Any) -> None:
        try:
            resolved = resolver.lookup(ref)
        except Exception:  # unresolvable: lint reports it; the explorer shows the raw $ref
            node["rl"] = ref
            return
        fragment = ref.split("#", 1)[1] if "#" in ref else ""
        target = self.add(resolved.contents, resolved.resolver, fragment)
        node["ref"] = target
        path = path_for(resolver_base(resolved.resolver))
        file = path.rsplit("/", 1)[-1].removesuffix(".schema.json") if path else ""
        node["rl"] = (
            (file + (f" #{fragment}" if fragment else "")) if path and ref[:1] != "#" else ref
        )
        page = self.builder.file_src(path) if path and ref[:1] != "#" else None
        if page:
            node["ru"] = self.builder.links.url(page)


def tree_data(builder: Builder, schema: Any, path: str, title: str) -> dict[str, Any]:
    """The node table of the schema of catalog file ``path``, from its root."""
    tree = Tree(builder)
    root = tree.add(schema, builder.catalog.resolver(path), "")
    return {"title": title, "root": root, "nodes": tree.nodes}


def payload_block(
    builder: Builder,
    src: str,
    schema: Any,
    path: str,
    title: str,
    rows: list[props.Row],
    link: Link,
) -> Markup:
    """The schema explorer of catalog file ``path`` on page ``src``, with its flat table below.

    The explorer's data is one JSON per file beside the site's assets, fetched by
    ``eventcat-explorer.js``: the page carries none of it. The table is whole up to
    :data:`FLAT_TABLE_ROWS` rows (it prints and needs no script), else it lists only the top-level
    fields, so that a page without JavaScript still says what the payload is while GitHub's
    ``pull_request.opened`` (hundreds of rows: once 74,000 px and 100 KB of table) stays a light
    page; the explorer and the raw schema hold the rest. Neither is in the search index
    (``data-search-exclude``): fields are indexed once, on the field index pages.
    """
    version = builder.catalog.by_path(path)
    data = data_file(version) if version is not None else fragment_data_file(path)
    builder.files[data] = (
        json.dumps(
            tree_data(builder, schema, path, title), ensure_ascii=False, separators=(",", ":")
        )
        + "\n"
    ).encode("utf-8")
    shown = rows if len(rows) <= FLAT_TABLE_ROWS else [r for r in rows if not r.prefix]
    whole = len(shown) == len(rows)
    properties = sum(1 for r in rows if not r.group)
    links = builder.links
    return builder.render(
        "ec_explorer.html",
        data=links.rel(src, data),
        root=links.rel(src, "index.md"),
        title=title,
        whole=whole,
    ) + builder.render(
        "ec_flat_table.html",
        table=props.render(shown, link),
        whole=whole,
        top=sum(1 for r in shown if not r.group),
        total=f"{properties}+" if len(rows) >= props.MAX_ROWS else str(properties),
    )
