"""The one findings model shared by lint, the gate and diff."""

from __future__ import annotations

from collections.abc import Mapping
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

    # -- typed reads of the details the reporters use (``details`` stays the JSON's free form) --

    def _detail(self, key: str, default: Any = None) -> Any:
        return next((value for name, value in self.details if name == key), default)

    @property
    def event(self) -> str:
        """The event name the finding is about ("" if none)."""
        return str(self._detail("event", ""))

    @property
    def version(self) -> str:
        """The event version the finding is about, as text ("" if none)."""
        return str(self._detail("version", ""))

    @property
    def has_counterexample(self) -> bool:
        return any(name == "counterexample" for name, _ in self.details)

    @property
    def counterexample(self) -> object:
        """A JSON instance the old schema accepts and the new one refuses (see has_counterexample:
        the instance itself may be null)."""
        return self._detail("counterexample")

    @property
    def blast_radius(self) -> tuple[str, ...]:
        """The other event versions a changed shared schema reaches."""
        return tuple(str(e) for e in self._detail("blast_radius") or ())

    @property
    def consumers(self) -> tuple[str, ...]:
        return tuple(str(c) for c in self._detail("consumers") or ())

    @property
    def event_files(self) -> tuple[str, ...]:
        """The event files a finding in a shared schema is reported for."""
        one = self._detail("event_file")
        return (*(() if one is None else (one,)), *self._detail("event_files", ()))

    @property
    def waiver(self) -> Mapping[str, Any] | None:
        """The waiver that accepted this finding, if one did."""
        found = self._detail("waived")
        return found if isinstance(found, Mapping) else None

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
