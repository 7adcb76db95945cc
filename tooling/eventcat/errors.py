"""One exception hierarchy for the whole toolkit.

Every error carries located problems (file, JSON pointer, rule id) so that the edge (the CLI, the
MkDocs plugin, a notebook) renders them once, in one format, without a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable

from eventcat.report.findings import Finding, Severity

__all__ = [
    "CatalogError",
    "EventcatError",
    "InputError",
    "SchemaError",
    "UsageError",
]


class EventcatError(Exception):
    """Base class of every error eventcat raises on purpose.

    ``problems`` holds one located finding per problem; ``str(error)`` renders them one per line.
    """

    exit_code = 2
    #: Problems built with :meth:`at` mark input that could not be read (exit 2, not 1).
    unreadable = False

    def __init__(self, problems: Iterable[Finding] | str) -> None:
        if isinstance(problems, str):
            problems = [Finding(rule="error", severity=Severity.ERROR, message=problems)]
        self.problems: tuple[Finding, ...] = tuple(problems)
        super().__init__("\n".join(p.render() for p in self.problems))

    @classmethod
    def at(
        cls,
        message: str,
        *,
        rule: str = "error",
        file: str | None = None,
        pointer: str = "",
        line: int | None = None,
    ) -> EventcatError:
        """Build an error with a single located problem."""
        return cls(
            [
                Finding(
                    rule=rule,
                    severity=Severity.ERROR,
                    message=message,
                    file=file,
                    pointer=pointer,
                    line=line,
                    unreadable=cls.unreadable,
                )
            ]
        )


class InputError(EventcatError):
    """Input that cannot be read at all: bad JSON, a missing file, an unknown git revision."""

    unreadable = True


class UsageError(InputError):
    """A bad option or argument on the command line or in a library call."""


class SchemaError(InputError):
    """A schema that cannot be compared: not a schema, an unresolvable or cyclic $ref, absurd depth."""


class CatalogError(InputError):
    """A catalog with errors; ``problems`` lists all of them, not just the first."""
