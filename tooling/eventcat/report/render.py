"""Reporters: one findings list, rendered as text, json, markdown or GitHub workflow commands.

The plain reports (text, json) and the base markdown and GitHub renderings; every format is
looked up by name in :data:`eventcat.reporters.REPORTERS`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from eventcat.report.escape import dumps, md_code, md_text, text_line, unicode_safe, visible
from eventcat.report.findings import Finding, Severity
from eventcat.report.run import CheckRun


@dataclass(frozen=True)
class Result:
    """What a command found; ``exit_code`` follows the contract: 0 ok, 1 findings, 2 unreadable."""

    command: str
    findings: tuple[Finding, ...]
    #: catalog folder as the user named it, prefixed to file paths in annotations
    base: str = ""
    summary: str = ""
    #: keys a command adds to its JSON report (diff: verdict and report; new/bump: written)
    extra: dict[str, Any] = field(default_factory=dict)
    strict: bool = False
    #: a verdict that decides ``ok`` by itself (diff: "compatible" or not), whatever the findings
    verdict_ok: bool | None = None
    #: ``eventcat check`` only: what it judged (its keys follow the findings in the JSON report)
    run: CheckRun | None = None

    @property
    def unreadable(self) -> bool:
        return any(f.unreadable for f in self.findings)

    @property
    def failing(self) -> tuple[Finding, ...]:
        levels = {Severity.ERROR, Severity.WARNING} if self.strict else {Severity.ERROR}
        return tuple(f for f in self.findings if f.severity in levels)

    @property
    def ok(self) -> bool:
        if self.verdict_ok is not None:
            return self.verdict_ok and not self.unreadable
        return not self.failing

    @property
    def exit_code(self) -> int:
        if self.unreadable:
            return 2
        return 0 if self.ok else 1

    def path(self, finding: Finding) -> str | None:
        if finding.file is None:
            return None
        if not self.base or self.base == ".":
            return finding.file
        return f"{self.base.rstrip('/')}/{finding.file}"

    def counts(self) -> dict[str, int]:
        counts = {s.value: 0 for s in Severity}
        for item in self.findings:
            counts[item.severity.value] += 1
        return counts


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _tally(result: Result) -> str:
    counts = result.counts()
    return ", ".join(
        _plural(counts[s.value], s.value)
        for s in (Severity.ERROR, Severity.WARNING)
        if counts[s.value]
    )


def render_text(result: Result, *, colour: bool = False) -> str:
    """One line per problem, whatever a file name holds (control characters are escaped)."""
    styles = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m", Severity.INFO: "\x1b[36m"}
    reset, dim = "\x1b[0m", "\x1b[2m"
    lines = []
    for item in result.findings:
        where = text_line(result.path(item) or "<input>")
        if item.line is not None:
            where += f":{item.line}"
        pointer = f" {text_line(item.pointer)}" if item.pointer else ""
        severity = str(item.severity)
        if colour:
            severity = f"{styles[item.severity]}{severity}{reset}"
            pointer = f"{dim}{pointer}{reset}"
        lines.append(
            f"{where}{pointer}: {severity} [{text_line(item.rule)}] {text_line(item.message)}"
        )
    tally = _tally(result)
    verdict = result.summary or ("ok" if result.ok else "failed")
    lines.append(text_line(f"{result.command}: {verdict}" + (f" ({tally})" if tally else "")))
    return "\n".join(lines)


def _located_json(result: Result, finding: Finding) -> dict[str, Any]:
    data = {**finding.as_json(), "file": result.path(finding)}
    if finding.locations:
        data["locations"] = [
            {**loc.as_json(), "file": result.path(Finding(file=loc.file))}
            for loc in finding.locations
        ]
    return data


def render_json(result: Result) -> str:
    document = {
        "ok": result.ok,
        "command": result.command,
        "exit_code": result.exit_code,
        "summary": result.counts(),
        "findings": [_located_json(result, f) for f in result.findings],
        **(result.run.as_json() if result.run is not None else {}),
        **result.extra,
    }
    return dumps(document, note=True)


def render_markdown(result: Result) -> str:
    icon = "✅" if result.ok else "❌"
    head = f"### {icon} eventcat {result.command}: {md_text(result.summary or ('ok' if result.ok else 'failed'))}"
    if not result.findings:
        return head + "\n\nNo findings.\n"
    rows = ["| severity | rule | location | message |", "|---|---|---|---|"]
    for item in result.findings:
        where = md_text(visible(result.path(item) or ""))  # a newline in a name shows as \n
        if item.line is not None:
            where += f":{item.line}"
        if item.pointer:
            where += f" {md_code(item.pointer)}"
        rows.append(
            f"| {item.severity} | {md_code(item.rule)} | {where} | {md_text(item.message)} |"
        )
    return f"{head}\n\n{_tally(result)}\n\n" + "\n".join(rows) + "\n"


def _gh_data(text: str) -> str:
    return unicode_safe(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(result: Result) -> str:
    commands = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    lines = []
    for item in result.findings:
        props = []
        path = result.path(item)
        if path:
            props.append(f"file={_gh_property(path)}")
        if item.line is not None:
            props.append(f"line={item.line}")
        props.append(f"title={_gh_property(f'eventcat {item.rule}')}")
        pointer = f"{item.pointer}: " if item.pointer else ""
        lines.append(
            f"::{commands[item.severity]} {','.join(props)}::{_gh_data(pointer + item.message)}"
        )
    tally = _tally(result)
    lines.append(
        f"eventcat {result.command}: {'ok' if result.ok else 'failed'}"
        + (f" ({tally})" if tally else "")
    )
    return "\n".join(lines)
