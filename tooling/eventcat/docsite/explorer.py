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
from typing import TYPE_CHECKING, Any

from eventcat.catalog.model import path_for
from eventcat.catalog.refs import resolver_base
from eventcat.docsite.templating import render
from eventcat.jsonpointer import escape

if TYPE_CHECKING:
    from eventcat.catalog.model import EventVersion
    from eventcat.docsite.build import Builder

MAX_NODES = 20_000
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


class Tree:
    def __init__(self, builder: Builder, src: str) -> None:
        self.builder = builder
        self.src = src
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


def tree_data(builder: Builder, version: EventVersion) -> dict[str, Any]:
    tree = Tree(builder, builder.event_src(version))
    resolver = builder.catalog.resolver(version.path)
    root = tree.add(version.schema, resolver, "")
    return {"title": f"{version.name} v{version.version}", "root": root, "nodes": tree.nodes}


def explorer_block(builder: Builder, src: str, version: EventVersion) -> str:
    """The explorer's placeholder on a version page; its data is written beside the site's assets."""
    path = data_file(version)
    builder.files[path] = (
        json.dumps(tree_data(builder, version), ensure_ascii=False, separators=(",", ":")) + "\n"
    ).encode("utf-8")
    links = builder.links
    return render(
        "ec_explorer.html",
        data=links.rel(src, path),
        root=links.rel(src, "index.md"),
        title=f"{version.name} v{version.version}",
    )


def with_table(table: str) -> str:
    """The flat property table, folded under the explorer (kept: it prints, and needs no script)."""
    return render("ec_flat_table.html", table=_markup(table))


def _markup(text: str) -> Any:
    from markupsafe import Markup

    return Markup(text)  # props.render's output: eventcat's own escaped HTML
