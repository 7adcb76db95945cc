"""An event across its versions (issue 12.2): the landing page, the version switcher, compare data.

``events/<Name>/`` lists every version with its lifecycle and the engine's verdict between
consecutive versions, and holds a compare view for any two versions. The semantic changes of
every pair (all pairs up to :data:`ALL_PAIRS_UP_TO` versions; beyond, each version against its
predecessor and against the latest) are computed here with :mod:`eventcat.compat` through the
site's cached comparer and written to one JSON file per event, which ``eventcat-compare.js``
renders; the pages themselves stay small.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from eventcat.docsite.graph import map_block
from eventcat.docsite.html import markdown_html, safe_title
from eventcat.docsite.templating import render
from eventcat.gate.messages import change_words, inline_counterexample

if TYPE_CHECKING:
    from eventcat.catalog.model import Event, EventVersion
    from eventcat.docsite.build import Builder
    from eventcat.docsite.changes import Comparison

ALL_PAIRS_UP_TO = 10
VERDICT_KIND = {"compatible": "latest", "breaking": "deprecated"}


def landing_src(name: str) -> str:
    return f"events/{name}/index.md"


def compare_file(name: str) -> str:
    return f"assets/eventcat/compare/{name}.json"


def pairs(numbers: list[int]) -> Iterator[tuple[int, int]]:
    """The (older, newer) version pairs whose changes are precomputed."""
    numbers = sorted(numbers)
    if len(numbers) <= ALL_PAIRS_UP_TO:
        for i, old in enumerate(numbers):
            for new in numbers[i + 1 :]:
                yield old, new
        return
    latest = numbers[-1]
    seen: set[tuple[int, int]] = set()
    for old, new in pairwise(numbers):
        seen.add((old, new))
        yield old, new
    for old in numbers[:-1]:
        if (old, latest) not in seen:
            yield old, latest


def compare_versions(builder: Builder, old: EventVersion, new: EventVersion) -> Comparison:
    """The engine's changes from ``old`` to ``new`` under the newer file's settings (the same key
    as the version pages' "Changes" section, so consecutive pairs are computed once)."""
    return builder.comparer.compare(
        (new.path, old.path, "versions"),
        old.schema,
        new.schema,
        builder.catalog.resolver(old.path),
        builder.catalog.resolver(new.path),
        new.compatibility,
    )


def _change(change: Any, rule_set: str) -> dict[str, Any]:
    """One change as the compare view shows it, in the gate's words (gate/messages.py)."""
    item = {
        "type": str(getattr(change, "type", "?")),
        "breaking": bool(getattr(change, "breaking", False)),
        "unknown": bool(getattr(change, "unknown", False)),
        "additive": bool(getattr(change, "additive", False)),
        "pointer": getattr(change, "new_pointer", "") or getattr(change, "pointer", "") or "/",
        "oldPointer": getattr(change, "old_pointer", "") or "",
        "words": change_words(change, rule_set),
        "fix": str(getattr(change, "fix", "") or ""),
    }
    counterexample = inline_counterexample(change)
    if counterexample is not None:
        item["counterexample"] = counterexample
    return item


def _comparison(comparison: Comparison) -> dict[str, Any]:
    rule_set = f"{comparison.mode} {comparison.policy}"
    return {
        "verdict": comparison.verdict if comparison.ok else "error",
        "message": comparison.message,
        "mode": comparison.mode,
        "policy": comparison.policy,
        "rules": comparison.rules,
        "breaking": comparison.breaking,
        "changes": [_change(c, rule_set) for c in comparison.changes],
    }


@dataclass
class Step:
    """One row of the versions table: a version and how it relates to the one before."""

    version: EventVersion
    url: str
    verdict: str = ""
    changes: int = 0
    breaking: int = 0
    message: str = ""
    changes_url: str = ""


def add_event_pages(builder: Builder) -> None:
    for event in builder.catalog.events:
        versions = [v for v in event.versions if v.path not in builder.broken]
        if versions:
            _landing(builder, event, versions)


def _landing(builder: Builder, event: Event, versions: list[EventVersion]) -> None:
    from eventcat.docsite.page import Page

    links = builder.links
    src = landing_src(event.name)
    by_number = {v.version: v for v in versions}
    data: dict[str, Any] = {"event": event.name, "versions": [], "pairs": {}}
    for version in versions:
        data["versions"].append(
            {
                "version": version.version,
                "status": version.status,
                "url": links.url(builder.event_src(version)),
            }
        )
    for old, new in pairs(list(by_number)):
        comparison = compare_versions(builder, by_number[old], by_number[new])
        data["pairs"][f"{old}-{new}"] = _comparison(comparison)
    data["rule"] = links.url("rules/{}.md")  # the page of a rule, "{}" its id
    builder.files[compare_file(event.name)] = (
        json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
    ).encode("utf-8")

    steps = []
    for version in versions:
        step = Step(version, links.rel(src, builder.event_src(version)))
        previous = by_number.get(version.version - 1)
        if previous is not None:
            comparison = compare_versions(builder, previous, version)
            step.verdict = comparison.verdict if comparison.ok else "error"
            step.changes, step.breaking = len(comparison.changes), comparison.breaking
            step.message = comparison.message
            step.changes_url = links.rel(src, builder.event_src(version), "changes")
        steps.append(step)
    latest = versions[-1]
    page = builder.add(Page(src, safe_title(event.name)))
    domain = builder.catalog.domains.get(event.domain)
    newest_two = [v.version for v in versions[-2:]]
    page.html(
        render(
            "ec_event.html",
            event=event,
            latest=latest,
            steps=list(reversed(steps)),
            versions=versions,
            summary=Markup(markdown_html(latest.summary, inline=True)) if latest.summary else "",
            latest_url=links.rel(src, builder.event_src(latest)),
            domain=domain,
            domain_url=links.rel(src, f"domains/{event.domain}.md") if domain else "",
            compare=links.rel(src, compare_file(event.name)),
            root=links.rel(src, "index.md"),
            default_old=newest_two[0],
            default_new=newest_two[-1],
            verdict_kind=VERDICT_KIND,
            all_pairs=len(versions) <= ALL_PAIRS_UP_TO,
            limit=ALL_PAIRS_UP_TO,
        )
    )
    page.h2("Map").html(
        map_block(
            builder,
            src,
            f"e:{event.name}",
            f"Map of {event.name}: who produces it, through which channels, to whom",
        )
    )


def switcher(builder: Builder, src: str, version: EventVersion) -> str:
    """The version switcher at the top of a version page: every version, the landing page, compare."""
    event = builder.catalog.event(version.name)
    versions = [
        v for v in (event.versions if event else (version,)) if v.path not in builder.broken
    ]
    latest = versions[-1].version if versions else version.version
    items = [
        {
            "number": v.version,
            "status": v.status,
            "current": v.version == version.version,
            "latest": v.version == latest,
            "url": builder.links.rel(src, builder.event_src(v)),
        }
        for v in versions
    ]
    previous = (
        version.version - 1 if any(v.version == version.version - 1 for v in versions) else None
    )
    landing = builder.links.rel(src, landing_src(version.name))
    return render(
        "ec_switcher.html",
        items=items,
        name=version.name,
        landing=landing,
        compare=f"{landing}#compare={previous}-{version.version}" if previous else "",
    )
