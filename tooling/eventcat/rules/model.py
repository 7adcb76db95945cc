"""What every rule has, whatever its family: id, family, level, summary, explanation, fix."""

from __future__ import annotations

from typing import ClassVar

from eventcat.report.findings import Severity


class Rule:
    """The common face of a lint rule, a compatibility change type and a governance rule.

    Families are frozen dataclasses that subclass this and add what their checks need
    (a severity, a verdict table). ``level`` is what a reader sees first: a severity for lint
    and governance, the verdict for a compatibility change type.
    """

    #: ``lint`` | ``compat`` | ``governance``
    family: ClassVar[str]
    id: str
    summary: str
    explanation: str
    fix: str

    @property
    def level(self) -> str:
        raise NotImplementedError  # every family says what its level is

    @property
    def default_severity(self) -> Severity | None:
        """The severity of its findings, where the rule alone decides it (not for change
        types, whose findings are errors or not by the mode and policy in force)."""
        return None

    def describe(self) -> dict[str, str]:
        """The six fields every renderer shows, as plain strings."""
        return {
            "id": self.id,
            "family": self.family,
            "level": self.level,
            "summary": self.summary,
            "explanation": self.explanation,
            "fix": self.fix,
        }
