"""A lint finding under a rule of :data:`eventcat.catalog.rules.LINT_RULES` (its severity and
"unreadable" flag come from the rule)."""

from __future__ import annotations

from eventcat.catalog.rules import LINT_RULES
from eventcat.report.findings import Finding, Severity


def finding(
    rule: str, file: str | None, message: str, pointer: str = "", severity: Severity | None = None
) -> Finding:
    definition = LINT_RULES[rule]
    return Finding(
        file=file,
        pointer=pointer,
        rule=rule,
        severity=severity or definition.severity,
        message=message,
        unreadable=definition.unreadable,
    )
