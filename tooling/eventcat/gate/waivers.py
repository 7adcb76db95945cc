"""Waivers: breaking changes accepted on purpose, listed in ``waivers.yaml`` in the catalog.

A waiver matches a finding by event, version, change type (or gate rule id) and, when given, JSON
pointer. A waived finding is kept (shown, severity lowered to info) but does not fail. A waiver
past its expiry date fails; so does one whose break is gone (stale).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from eventcat.catalog.loader import vocabulary
from eventcat.catalog.yamlfile import parse_yaml
from eventcat.errors import InputError
from eventcat.report.findings import Finding, Severity

WAIVERS_FILE = "waivers.yaml"


@dataclass(frozen=True)
class Waiver:
    event: str
    version: int
    change: str
    pointer: str | None
    reason: str
    owner: str
    expires: dt.date
    file: str
    line: int | None
    index: int

    @property
    def pointer_json(self) -> str:
        return f"/waivers/{self.index}"

    def matches(self, finding: Finding) -> bool:
        details = dict(finding.details)
        if details.get("event") != self.event or details.get("version") != self.version:
            return False
        if finding.rule != self.change:
            return False
        if self.pointer is None:
            return True
        wanted = _norm(self.pointer)
        candidates = {
            finding.pointer,
            details.get("old_pointer"),
            details.get("new_pointer"),
            details.get("change_pointer"),
        }
        return wanted in {_norm(c) for c in candidates if isinstance(c, str)}

    def as_json(self) -> dict[str, Any]:
        return {
            "event": self.event,
            "version": self.version,
            "change": self.change,
            "pointer": self.pointer,
            "reason": self.reason,
            "owner": self.owner,
            "expires": self.expires.isoformat(),
        }


def _norm(pointer: str) -> str:
    return pointer[1:] if pointer.startswith("#") else pointer


def _invalid(file: str, message: str, pointer: str = "", line: int | None = None) -> Finding:
    return Finding(
        file=file,
        line=line,
        pointer=pointer,
        rule="waiver-invalid",
        severity=Severity.ERROR,
        message=message,
        unreadable=True,
    )


def _item_lines(text: str) -> list[int]:
    """1-based line of each item of the top-level ``waivers`` sequence."""
    import yaml

    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []
    if not isinstance(node, yaml.MappingNode):
        return []
    for key, value in node.value:
        if getattr(key, "value", None) == "waivers" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def parse_waivers(text: str, file: str = WAIVERS_FILE) -> list[Waiver]:
    """Parse and validate a waivers file; raise one ``InputError`` listing every problem."""
    from jsonschema import Draft202012Validator

    data = parse_yaml(text, file)
    if data is None:
        return []
    lines = _item_lines(text)
    validator = Draft202012Validator(vocabulary("waivers.schema.json"))
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        path = list(error.absolute_path)
        pointer = "".join(f"/{part}" for part in path)
        line = (
            lines[path[1]]
            if len(path) > 1 and isinstance(path[1], int) and path[1] < len(lines)
            else None
        )
        problems.append(_invalid(file, f"{error.message}; see the waivers schema", pointer, line))
    waivers: list[Waiver] = []
    if not problems:
        for index, item in enumerate(data.get("waivers", [])):
            line = lines[index] if index < len(lines) else None
            try:
                expires = dt.date.fromisoformat(item["expires"])
            except ValueError:
                problems.append(
                    _invalid(
                        file,
                        f"expires {item['expires']!r} is not a date (YYYY-MM-DD)",
                        f"/waivers/{index}/expires",
                        line,
                    )
                )
                continue
            waivers.append(
                Waiver(
                    event=item["event"],
                    version=item["version"],
                    change=item["change"],
                    pointer=item.get("pointer"),
                    reason=item["reason"],
                    owner=item["owner"],
                    expires=expires,
                    file=file,
                    line=line,
                    index=index,
                )
            )
    if problems:
        raise InputError(problems)
    return waivers


@dataclass(frozen=True)
class WaiverOutcome:
    findings: list[Finding]
    used: list[Waiver]


def apply_waivers(
    findings: Iterable[Finding],
    waivers: Iterable[Waiver],
    *,
    today: dt.date,
    judged: set[tuple[str, int]],
    exists: Callable[[str, int], bool],
) -> WaiverOutcome:
    """Lower waived findings to info; add findings for expired and stale waivers.

    ``judged`` holds the (event, version) pairs this run looked at: a waiver for one of them that
    matches nothing is stale. A waiver for an event version that no longer exists is stale too.
    """
    result = list(findings)
    used: list[Waiver] = []
    extra: list[Finding] = []
    for waiver in waivers:
        label = f"{waiver.event}_v{waiver.version} {waiver.change}" + (
            f" at {waiver.pointer}" if waiver.pointer else ""
        )
        if waiver.expires < today:
            extra.append(
                Finding(
                    file=waiver.file,
                    line=waiver.line,
                    pointer=waiver.pointer_json,
                    rule="waiver-expired",
                    severity=Severity.ERROR,
                    message=f"the waiver for {label} expired on {waiver.expires.isoformat()} (owner "
                    f"{waiver.owner}); publish {waiver.event}_v{waiver.version + 1}.schema.json instead "
                    "or agree a new date",
                    details=(("waiver", waiver.as_json()),),
                )
            )
            continue
        matched = False
        for index, finding in enumerate(result):
            if finding.severity is Severity.INFO or not waiver.matches(finding):
                continue
            matched = True
            result[index] = replace(
                finding,
                severity=Severity.INFO,
                message=f"waived until {waiver.expires.isoformat()} by {waiver.owner} "
                f"({waiver.reason}): {finding.message}",
                details=(*finding.details, ("waived", waiver.as_json())),
            )
        if matched:
            used.append(waiver)
        elif (waiver.event, waiver.version) in judged or not exists(waiver.event, waiver.version):
            reason = (
                "no such event version in the catalog"
                if not exists(waiver.event, waiver.version)
                else "this change no longer contains that break"
            )
            extra.append(
                Finding(
                    file=waiver.file,
                    line=waiver.line,
                    pointer=waiver.pointer_json,
                    rule="waiver-stale",
                    severity=Severity.ERROR,
                    message=f"stale waiver for {label}: {reason}; delete it from {waiver.file}",
                    details=(("waiver", waiver.as_json()),),
                )
            )
    return WaiverOutcome(result + extra, used)
