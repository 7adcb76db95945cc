"""Who produces and consumes what, drawn as a three-column SVG for notebooks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from eventcat.display._templates import render

if TYPE_CHECKING:
    from eventcat.catalog.model import Catalog

_ROW, _WIDTH, _COLUMNS = 22, 980, (10, 360, 700)


@dataclass(frozen=True)
class FlowGraph:
    """Producers → events → consumers as an SVG (three columns, one line per edge)."""

    producers: tuple[str, ...]
    events: tuple[str, ...]
    consumers: tuple[str, ...]
    edges: tuple[tuple[str, str, str], ...]  # (kind "produces"/"consumes", service, event)

    def _repr_svg_(self) -> str:
        col = _COLUMNS
        height = _ROW * max(len(self.producers), len(self.events), len(self.consumers), 1) + 40
        columns = (("p", self.producers, col[0]), ("e", self.events, col[1]),
                   ("c", self.consumers, col[2]))  # fmt: skip
        y = {
            (key, name): 40 + i * _ROW for key, names, _ in columns for i, name in enumerate(names)
        }
        lines = []
        for kind, service, event in self.edges:
            if kind == "produces":
                lines.append((col[1] - 90, y["p", service] - 4, col[1] - 4, y["e", event] - 4,
                              "#0969da"))  # fmt: skip
            else:
                lines.append((col[1] + 290, y["e", event] - 4, col[2] - 4, y["c", service] - 4,
                              "#8250df"))  # fmt: skip
        labels = [(x, y[key, name], name[:44]) for key, names, x in columns for name in names]
        return str(render("flow.svg.j2", width=_WIDTH, height=height, col=col, lines=lines,
                          labels=labels))  # fmt: skip

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
    catalog: Catalog, *, domain: str | None = None, service: str | None = None
) -> FlowGraph:
    """Who produces and consumes what: the latest version of every event (or of one domain's
    events, or of the events one service touches)."""
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
    return FlowGraph(producers, events, consumers, tuple(edges))
