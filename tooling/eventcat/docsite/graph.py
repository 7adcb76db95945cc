"""The catalog as a graph: services, events, channels, queues and dead-letter queues (issue 12.1).

One JSON file for the whole site (``assets/eventcat/graph.json``) holds every node and edge plus
a *view* per service and per domain (the node ids that page's map shows), so a page carries only a
small placeholder and every map shares the same data. ``eventcat-maps.js`` draws it with
Cytoscape.js (vendored under ``assets/``): domains are compound nodes that collapse.

A flow, per event version (retired versions are left out)::

    producer service → event → exchange/topic → queue → consumer service
                                             queue ⇢ dead-letter queue
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from eventcat.docsite.templating import render

if TYPE_CHECKING:
    from eventcat.catalog.model import EventVersion
    from eventcat.docsite.build import Builder

GRAPH_FILE = "assets/eventcat/graph.json"
MAP_PAGE = "map.md"


@dataclass
class Graph:
    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    edges: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)
    views: dict[str, set[str]] = field(default_factory=dict)

    def node(
        self,
        node_id: str,
        label: str,
        kind: str,
        parent: str | None = None,
        url: str | None = None,
        detail: str = "",
    ) -> str:
        if node_id not in self.nodes:
            item: dict[str, Any] = {"id": node_id, "label": label[:120], "kind": kind}
            if parent:
                item["parent"] = parent
            if url:
                item["url"] = url
            if detail:
                item["detail"] = detail[:200]
            self.nodes[node_id] = item
        return node_id

    def edge(self, source: str, target: str, kind: str, label: str = "") -> tuple[str, str]:
        key = (source, target, kind)
        if key not in self.edges:
            item: dict[str, Any] = {"s": source, "t": target, "k": kind}
            if label:
                item["l"] = label[:80]
            self.edges[key] = item
        return source, target

    def show(self, view: str, ids: Iterable[str]) -> None:
        self.views.setdefault(view, set()).update(ids)

    def data(self) -> dict[str, Any]:
        return {
            "nodes": list(self.nodes.values()),
            "edges": list(self.edges.values()),
            "views": {name: sorted(ids) for name, ids in sorted(self.views.items())},
        }


def build_graph(builder: Builder) -> Graph:
    catalog = builder.catalog
    links = builder.links
    graph = Graph()
    for domain in catalog.domains.values():
        graph.node(
            f"d:{domain.id}", domain.name, "domain", url=links.url(f"domains/{domain.id}.md")
        )

    def service(service_id: str) -> str:
        known = catalog.services.get(service_id)
        if known is None:
            return graph.node(f"s:{service_id}", service_id, "service", detail="undeclared service")
        parent = f"d:{known.domain}" if known.domain in catalog.domains else None
        return graph.node(
            f"s:{service_id}",
            known.name,
            "service",
            parent,
            links.url(f"services/{service_id}.md"),
            "external service" if known.external else known.id,
        )

    for service_id in catalog.services:
        service(service_id)
    for event in catalog.events:
        latest = event.latest
        parent = f"d:{event.domain}" if event.domain in catalog.domains else None
        event_node = graph.node(
            f"e:{event.name}",
            event.name,
            "event",
            parent,
            links.url(f"events/{event.name}/index.md"),
            latest.event_type or "",
        )
        for version in event.versions:
            if version.path in builder.broken or version.status == "retired":
                continue
            _flow(graph, version, event_node, service)
    for domain_id in catalog.domains:
        members = [f"s:{s.id}" for s in catalog.services.values() if s.domain == domain_id]
        members += [f"e:{e.name}" for e in catalog.events if e.domain == domain_id]
        ids: set[str] = set()
        for member in members:
            ids |= graph.views.get(member, {member})
        graph.show(f"d:{domain_id}", ids)
    return graph


def _flow(graph: Graph, version: EventVersion, event_node: str, service: Any) -> None:
    """The nodes and edges of one event version, and the views they belong to."""
    channel = version.channel
    via = channel.get("routingKey") if isinstance(channel.get("routingKey"), str) else ""
    hub = event_node
    exchange = channel.get("exchange") if isinstance(channel.get("exchange"), str) else None
    topic = channel.get("topic") if isinstance(channel.get("topic"), str) else None
    broker = channel.get("broker") if isinstance(channel.get("broker"), str) else ""
    if exchange or topic:
        name = str(exchange or topic)
        kind = "exchange" if exchange else "topic"
        detail = " ".join(p for p in (broker, kind, str(channel.get("exchangeType") or "")) if p)
        hub = graph.node(
            f"c:{kind}:{name}",
            name,
            "channel",
            graph.nodes[event_node].get("parent"),
            detail=detail,
        )
        graph.edge(event_node, hub, "publish", str(via))
    producers = [service(p) for p in version.producers]
    for producer in producers:
        graph.edge(producer, event_node, "produce")
    upstream = {event_node, hub, *producers}
    channel_dlq = (
        channel.get("deadLetterQueue") if isinstance(channel.get("deadLetterQueue"), str) else None
    )
    everything = set(upstream)
    for consumer in version.consumers:
        target = service(consumer.service)
        home = graph.nodes[target].get("parent")  # a consumer's queues sit in its domain
        path = {target}
        if consumer.queue:
            queue = graph.node(f"q:{consumer.queue}", consumer.queue, "queue", home, detail="queue")
            graph.edge(hub, queue, "route", str(via) if hub == event_node else "")
            graph.edge(queue, target, "consume", consumer.handler or "")
            path.add(queue)
        else:
            queue = hub
            graph.edge(hub, target, "consume", consumer.handler or "")
        dlq_name = consumer.dead_letter_queue or channel_dlq
        if dlq_name:
            dlq = graph.node(f"x:{dlq_name}", dlq_name, "dlq", home, detail="dead-letter queue")
            graph.edge(queue, dlq, "dead-letter", "failed")
            path.add(dlq)
        # A consumer's map: where its events come from, not who else reads them.
        graph.show(target, upstream | path)
        everything |= path
    if not version.consumers and channel_dlq:
        dlq = graph.node(f"x:{channel_dlq}", channel_dlq, "dlq", detail="dead-letter queue")
        graph.edge(hub, dlq, "dead-letter", "failed")
        everything.add(dlq)
    for producer in producers:
        graph.show(producer, everything)
    graph.show(event_node, everything)


def graph_file(graph: Graph) -> bytes:
    return (json.dumps(graph.data(), ensure_ascii=False, separators=(",", ":")) + "\n").encode(
        "utf-8"
    )


def map_block(
    builder: Builder, src: str, view: str, title: str, *, catalog_map: bool = False
) -> str:
    """The placeholder a page carries: the map is drawn from the shared graph file."""
    links = builder.links
    return render(
        "ec_map.html",
        graph=links.rel(src, GRAPH_FILE),
        root=links.rel(src, "index.md"),
        view=view,
        title=title,
        catalog_map=catalog_map,
        full=links.rel(src, MAP_PAGE),
    )


def add_maps(builder: Builder) -> None:
    """The shared graph file, a map on every service and domain page, and the catalog map page."""
    from eventcat.docsite.page import Page

    graph = build_graph(builder)
    builder.files[GRAPH_FILE] = graph_file(graph)
    for service_id, service in builder.catalog.services.items():
        src = f"services/{service_id}.md"
        if src in builder.pages:
            insert_after_header(
                builder.pages[src],
                "Map",
                map_block(
                    builder,
                    src,
                    f"s:{service_id}",
                    f"Map of {service.name}: what it produces and consumes",
                ),
            )
    for domain_id, domain in builder.catalog.domains.items():
        src = f"domains/{domain_id}.md"
        if src in builder.pages:
            insert_after_header(
                builder.pages[src],
                "Map",
                map_block(builder, src, f"d:{domain_id}", f"Map of the {domain.name} domain"),
            )
    page = builder.add(Page(MAP_PAGE, "Catalog map"))
    counts = {
        kind: sum(1 for n in graph.nodes.values() if n["kind"] == kind)
        for kind in ("domain", "service", "event", "channel", "queue", "dlq")
    }
    page.html(
        render("ec_catalog_map.html", counts=counts)
        + map_block(
            builder, MAP_PAGE, "", "Catalog map: every service, event and channel", catalog_map=True
        )
    )


def insert_after_header(page: Any, heading: str, html: str) -> None:
    """Put a section right after a generated page's first block (its title and facts)."""
    from eventcat.docsite.page import BLOCK

    page.blocks.append(html)
    at = 1 if page.parts else 0
    page.parts[at:at] = [f"## {heading}", BLOCK.format(len(page.blocks) - 1)]
