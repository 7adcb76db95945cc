"""The one findings model shared by lint, the gate and diff."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Location:
    """One more place a grouped finding was found at (the same change in another file)."""

    file: str | None
    pointer: str = ""
    line: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {"file": self.file, "pointer": self.pointer, "line": self.line}


@dataclass(frozen=True, order=True)
class Finding:
    """One located problem.

    ``file`` is a path relative to the catalog root (posix separators) where there is one;
    ``pointer`` a JSON pointer into that file ("" for the whole document); ``line`` the 1-based
    line the pointer starts on, where it can be found. ``unreadable`` marks input the tool could
    not read at all (exit 2 rather than 1). ``locations`` is set on a finding that groups one
    change found at several places: every place, the finding's own first.
    """

    file: str | None = field(default=None, compare=True)
    line: int | None = field(default=None, compare=False)
    pointer: str = ""
    rule: str = "error"
    severity: Severity = Severity.ERROR
    message: str = ""
    unreadable: bool = field(default=False, compare=False)
    details: tuple[tuple[str, Any], ...] = field(default=(), compare=False)
    locations: tuple[Location, ...] = field(default=(), compare=False)

    @property
    def location(self) -> str:
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
        if self.pointer:
            where += f" #{self.pointer}" if not self.pointer.startswith("#") else f" {self.pointer}"
        return where

    def render(self) -> str:
        """One line, whatever the file name or message holds (see :mod:`eventcat.report.escape`)."""
        from eventcat.report.escape import text_line

        return text_line(f"{self.location}: {self.severity} [{self.rule}] {self.message}")

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rule": self.rule,
            "severity": self.severity.value,
            "file": self.file,
            "pointer": self.pointer,
            "line": self.line,
            "message": self.message,
        }
        if self.details:
            data["details"] = dict(self.details)
        if self.locations:
            data["locations"] = [location.as_json() for location in self.locations]
        return data
