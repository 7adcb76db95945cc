"""One cause, one finding: merge the findings that report the same change.

A change inside a shared fragment is found once per event that uses it, and the same edit made
in many files is found once per file. After waivers (which match per event), findings of the same
rule and severity, at the same pointer, whose content at that place is the same on both sides
(``details["signature"]``), become one finding: its locations are the distinct files and lines,
its ``blast_radius`` the event versions the change reaches, its ``consumers`` theirs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from eventcat.catalog.model import Catalog
from eventcat.jsonpointer import node_at
from eventcat.report.findings import Finding, Location

MAX_LISTED = 20


def signature(
    old: Catalog,
    new: Catalog,
    file: str,
    pointer: str,
    cache: dict[tuple[str, str], str] | None = None,
) -> str:
    """A digest of what ``file`` holds at ``pointer`` at the baseline and now."""
    if cache is not None:
        if (file, pointer) not in cache:
            cache[(file, pointer)] = signature(old, new, file, pointer)
        return cache[(file, pointer)]
    parts: list[Any] = []
    for catalog in (old, new):
        known = catalog.files.get(file)
        found, value = node_at(known.schema, pointer) if known is not None else (False, None)
        parts.append([found, value])
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _listed(items: list[str]) -> str:
    shown = ", ".join(items[:MAX_LISTED])
    return shown + (f" and {len(items) - MAX_LISTED} more" if len(items) > MAX_LISTED else "")


def _key(finding: Finding) -> tuple[Any, ...] | None:
    details = dict(finding.details)
    if "signature" not in details:
        return None
    return (
        finding.rule,
        finding.severity,
        finding.pointer,
        details.get("mode"),
        details.get("policy"),
        details.get("breaking"),
        details["signature"],
    )


def group_findings(findings: Iterable[Finding]) -> list[Finding]:
    groups: dict[tuple[Any, ...], list[Finding]] = {}
    out: list[Finding | tuple[Any, ...]] = []
    for finding in findings:
        key = _key(finding)
        if key is None:
            out.append(finding)
        elif key in groups:
            groups[key].append(finding)
        else:
            groups[key] = [finding]
            out.append(key)
    return [item if isinstance(item, Finding) else _merged(groups[item]) for item in out]


def _merged(members: list[Finding]) -> Finding:
    first = members[0]
    details = dict(first.details)
    events = list(
        dict.fromkeys(
            f"{d.get('event')}_v{d.get('version')}" for d in (dict(m.details) for m in members)
        )
    )
    event_files = list(
        dict.fromkeys(str(dict(m.details).get("event_file") or m.file) for m in members)
    )
    consumers = list(
        dict.fromkeys(c for m in members for c in dict(m.details).get("consumers", []))
    )
    readers = list(
        dict.fromkeys(
            f"{c} ({d.get('event')}_v{d.get('version')})"
            for d in (dict(m.details) for m in members)
            for c in d.get("consumers", [])
        )
    )
    places = sorted({(m.file or "", m.pointer, m.line or 0) for m in members})
    locations = tuple(Location(f, p, line or None) for f, p, line in places)
    details.update(blast_radius=events, event_files=event_files, consumers=consumers)
    if len(members) == 1:
        return replace(first, details=tuple(details.items()))
    # Verdict first: what the change is and does (each member said it for its own event).
    verdict = str(details.get("verdict") or first.rule)
    if details.get("breaking"):
        head = (
            f"breaks {_listed(readers)}" if readers else "breaking (no declared consumer reads it)"
        )
    else:
        head = verdict.split(";")[0]
    head += f": {details.get('what') or details.get('explanation') or first.rule}"
    where = (
        f" The same change is in {len(locations)} files: "
        + _listed([f"{f}:{line}" for f, _, line in places])
        + "."
        if len(locations) > 1
        else ""
    )
    reach = f" It reaches {len(events)} event versions: {_listed(events)}."
    whom = (
        ""
        if details.get("breaking")
        else (f" Read by: {_listed(readers)}." if readers else " No declared consumer reads it.")
    )
    example = ""
    if details.get("counterexample_text"):
        example = " " + str(details["counterexample_text"])
    waived = (
        " (waived for each of them)" if all("waived" in dict(m.details) for m in members) else ""
    )
    fix = (
        " Fix: leave this content as it was and publish the change in new version files "
        "(`eventcat bump`), pointing them at a new fragment file where one is shared. "
        f"Why: `eventcat rules {first.rule}` or the rule page rules/{first.rule}/."
    )
    message = f"{head}{waived}.{where}{reach}{whom}{example}{fix}"
    return replace(
        first,
        message=message,
        details=tuple(details.items()),
        locations=locations if len(locations) > 1 else (),
    )
