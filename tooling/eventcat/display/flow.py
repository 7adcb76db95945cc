"""Who produces and consumes what, drawn as a three-column SVG for notebooks."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from eventcat.display._templates import render

if TYPE_CHECKING:
    from eventcat.catalog.model import Catalog

_ROW, _WIDTH, _COLUMNS = 22, 980, (10, 360, 700)
#: Above this many services the whole-catalog graph is drawn between domains, not services.
GROUP_ABOVE = 12


@dataclass(frozen=True)
class FlowGraph:
    """Producers → events → consumers as an SVG (three columns, one line per edge)."""

    producers: tuple[str, ...]
    events: tuple[str, ...]
    consumers: tuple[str, ...]
    edges: tuple[tuple[str, str, str], ...]  # (kind "produces"/"consumes", service, event)
    #: per edge, how many service/event links it stands for (a graph grouped by domain)
    weights: tuple[int, ...] = ()
    grouped: bool = False

    def _repr_svg_(self) -> str:
        col = _COLUMNS
        height = _ROW * max(len(self.producers), len(self.events), len(self.consumers), 1) + 40
        columns = (("p", self.producers, col[0]), ("e", self.events, col[1]),
                   ("c", self.consumers, col[2]))  # fmt: skip
        y = {
            (key, name): 40 + i * _ROW for key, names, _ in columns for i, name in enumerate(names)
        }
        lines = []
        weights = self.weights or (1,) * len(self.edges)
        for (kind, service, event), weight in zip(self.edges, weights, strict=True):
            stroke = min(1 + weight // 2, 8)
            if kind == "produces":
                lines.append((col[1] - 90, y["p", service] - 4, col[1] - 4, y["e", event] - 4,
                              "#0969da", stroke))  # fmt: skip
            else:
                lines.append((col[1] + 290, y["e", event] - 4, col[2] - 4, y["c", service] - 4,
                              "#8250df", stroke))  # fmt: skip
        labels = [(x, y[key, name], name[:44]) for key, names, x in columns for name in names]
        heads = ("producer domains", "event domains (events)", "consumer domains") if self.grouped \
            else ("producers", "events", "consumers")  # fmt: skip
        return str(render("flow.svg.j2", width=_WIDTH, height=height, col=col, lines=lines,
                          labels=labels, heads=heads))  # fmt: skip

    def _repr_html_(self) -> str:
        return self._repr_svg_()

    def __repr__(self) -> str:
        lines = [f"FlowGraph({len(self.events)} events)"]
        for event in self.events:
            sources = [s for k, s, e in self.edges if e == event and k == "produces"]
            targets = [s for k, s, e in self.edges if e == event and k == "consumes"]
            lines.append(f"  {', '.join(sources)} -> {event} -> {', '.join(targets) or '-'}")
        return "\n".join(lines)


def flow_graph(
    catalog: Catalog,
    *,
    domain: str | None = None,
    service: str | None = None,
    by_domain: bool | None = None,
) -> FlowGraph:
    """Who produces and consumes what: the latest version of every event (or of one domain's
    events, or of the events one service touches). ``by_domain`` draws domains instead of
    services and events (default: for a whole catalog of more than ``GROUP_ABOVE`` services,
    where one line per service and event is a tangle); the line width is the number of links."""
    edges: list[tuple[str, str, str]] = []
    for event in catalog.events:
        latest = event.latest
        touched = {*latest.producers, *(c.service for c in latest.consumers)}
        if domain is not None and event.domain != domain:
            continue
        if service is not None and service not in touched:
            continue
        edges += [("produces", p, event.name) for p in latest.producers]
        edges += [("consumes", c.service, event.name) for c in latest.consumers]
    events = tuple(dict.fromkeys(e for _, _, e in edges))
    producers = tuple(sorted({s for k, s, _ in edges if k == "produces"}))
    consumers = tuple(sorted({s for k, s, _ in edges if k == "consumes"}))
    if by_domain is None:
        by_domain = (
            domain is None and service is None and len({*producers, *consumers}) > GROUP_ABOVE
        )
    if not by_domain:
        return FlowGraph(producers, events, consumers, tuple(edges))
    return _by_domain(catalog, edges)


def _by_domain(catalog: Catalog, edges: list[tuple[str, str, str]]) -> FlowGraph:
    def home(service: str) -> str:
        found = catalog.services.get(service)
        return (found.domain if found is not None else None) or "(no domain)"

    event_domain = {e.name: e.domain for e in catalog.events}
    counts = Counter(event_domain[e] for e in dict.fromkeys(e for _, _, e in edges))
    label = {d: f"{d} ({n})" for d, n in counts.items()}
    grouped = Counter((k, home(s), label[event_domain[e]]) for k, s, e in edges)
    links = sorted(grouped)
    producers = tuple(sorted({s for k, s, _ in links if k == "produces"}))
    consumers = tuple(sorted({s for k, s, _ in links if k == "consumes"}))
    events = tuple(label[d] for d in sorted(counts))
    return FlowGraph(producers, events, consumers, tuple(links),
                     tuple(grouped[link] for link in links), grouped=True)  # fmt: skip
