"""What every sub-command shares: options, rendering a result, and the one place that exits.

Sub-command modules import only click and this module at import time, so ``eventcat --help``
stays fast; the heavy parts are imported inside the command functions.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from eventcat.errors import EventcatError, UsageError
from eventcat.report.findings import Finding

F = TypeVar("F", bound=Callable[..., Any])

FORMATS = ("text", "json", "markdown", "github")

# Both defaults are None on the command line and filled in by handle_errors (from eventcat.config),
# so a bad pyproject.toml is reported like any other input error: one line, exit 2.
catalog_option = click.option(
    "--catalog",
    "catalog_dir",
    default=None,
    type=click.Path(file_okay=False, path_type=str),
    help="The catalog folder. Default: found from the current folder upwards (a folder with "
    "catalog.yaml, [tool.eventcat] catalog in pyproject.toml, or ./catalog).",
)


def out_option(what: str) -> Callable[[F], F]:
    """``--out DIR`` of a generator: ``what`` the folder holds (it is replaced atomically)."""
    return click.option(
        "--out",
        "out",
        required=True,
        type=click.Path(path_type=str),
        help=f"Folder of {what} (replaced atomically; created if missing).",
    )


def format_option(choices: tuple[str, ...] = FORMATS) -> Callable[[F], F]:
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(choices),
        default=None,
        help="Output format. Default: [tool.eventcat] format in pyproject.toml if this command "
        "offers it, else text.",
    )


def _apply_settings(kwargs: dict[str, Any]) -> None:
    """Fill ``--catalog`` and ``--format`` left out on the command line from eventcat.config."""
    if "catalog_dir" in kwargs and kwargs["catalog_dir"] is None:
        from eventcat.config import find_catalog

        kwargs["catalog_dir"] = find_catalog()
    if "output_format" in kwargs and kwargs["output_format"] is None:
        from eventcat.config import load_settings

        wanted = load_settings().format
        choices: tuple[str, ...] = ()
        context = click.get_current_context(silent=True)
        for param in context.command.params if context else ():
            if param.name == "output_format" and isinstance(param.type, click.Choice):
                choices = tuple(str(c) for c in param.type.choices)
        kwargs["output_format"] = wanted if wanted in choices else "text"


def colour_enabled() -> bool:
    """Colour on a terminal; ``NO_COLOR`` (any value) turns it off, ``FORCE_COLOR`` on when piped."""
    if os.environ.get("NO_COLOR"):
        return False
    return colour_forced() or sys.stdout.isatty()


def render(result: Any, output_format: str) -> str:
    from eventcat.reporters import render as render_format

    return render_format(result, output_format, colour=colour_enabled())


def emit(result: Any, output_format: str) -> None:
    """Print a result and exit with its code (0 ok, 1 findings, 2 unreadable input)."""
    # click.echo strips ANSI codes when stdout is not a terminal: FORCE_COLOR must keep them.
    forced = True if output_format == "text" and colour_enabled() else None
    click.echo(render(result, output_format), color=forced)
    sys.exit(result.exit_code)


def fail(problems: tuple[Finding, ...], code: int = 2) -> None:
    for problem in problems:
        click.echo(f"eventcat: {problem.render()}", err=True)
    sys.exit(code)


def handle_errors(function: F) -> F:
    """Turn eventcat errors into one line per problem and exit 2; never show a traceback."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            _apply_settings(kwargs)
            return function(*args, **kwargs)
        except EventcatError as err:
            fail(err.problems, err.exit_code)
        except KeyboardInterrupt:
            click.echo("eventcat: interrupted", err=True)
            sys.exit(130)
        except RecursionError:
            click.echo("eventcat: input nested too deeply to process", err=True)
            sys.exit(2)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except OSError as err:
            # The system refused a read or write (disk full, permissions, a read-only folder):
            # the user's environment, not a bug, so one line and exit 2 like any unusable input.
            where = os.fsdecode(err.filename) if err.filename is not None else "eventcat"
            click.echo(f"eventcat: {where}: {err.strerror or type(err).__name__}", err=True)
            sys.exit(2)
        except Exception as err:
            if os.environ.get("EVENTCAT_DEBUG"):
                raise
            click.echo(
                f"eventcat: internal error: {type(err).__name__}: {err} "
                "(a bug in eventcat; rerun with EVENTCAT_DEBUG=1 for the traceback and report it)",
                err=True,
            )
            sys.exit(3)
        return None

    return wrapper  # type: ignore[return-value]


def colour_forced() -> bool:
    """``FORCE_COLOR`` set to anything but ``0``/``false``/empty (CI logs render ANSI colour)."""
    return os.environ.get("FORCE_COLOR", "").strip().lower() not in ("", "0", "false", "no")


class Progress:
    """``label 12/40`` redrawn on stderr while long work runs, erased when it ends.

    Shown only when stderr is a terminal and neither ``CI`` nor ``EVENTCAT_NO_PROGRESS`` is set,
    so logs, pipes and CI stay quiet. Hand-written rather than ``click.progressbar``: that one
    prints its label on non-terminals and leaves a finished bar behind in the output.
    """

    def __init__(self, label: str) -> None:
        self.label = label
        self.enabled = (
            sys.stderr.isatty()
            and not os.environ.get("CI")
            and not os.environ.get("EVENTCAT_NO_PROGRESS")
        )
        self._shown = ""

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < 2:
            return
        line = f"{self.label} {done}/{total}"
        if line != self._shown:
            sys.stderr.write(f"\r{line}\x1b[K")
            sys.stderr.flush()
            self._shown = line

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._shown:
            sys.stderr.write("\r\x1b[K")  # the next line starts clean
            sys.stderr.flush()
            self._shown = ""


def output_file(path: str, option: str = "--output") -> Path:
    """Refuse, before any work is done, an output file eventcat could not write (exit 2)."""
    target = Path(path)
    folder = target.parent
    if target.is_dir():
        raise UsageError.at(f"{option}: is a folder; name a file", rule="bad-option", file=path)
    if not folder.is_dir():
        why = "is not a folder" if folder.exists() else "does not exist; create it first"
        raise UsageError.at(f"{option}: folder {folder} {why}", rule="bad-option", file=path)
    if not os.access(folder, os.W_OK):
        raise UsageError.at(f"{option}: cannot write into {folder}", rule="bad-option", file=path)
    return target


def output_folder(path: str, option: str = "--out") -> Path:
    """Refuse, before any work is done, an output folder eventcat could not create (exit 2)."""
    target = Path(path)
    for folder in (target, *target.parents):
        if folder.exists():
            if not folder.is_dir():
                what = "is a file; name a folder" if folder == target else f"{folder} is a file"
                raise UsageError.at(f"{option}: {what}", rule="bad-option", file=path)
            if not os.access(folder, os.W_OK):
                raise UsageError.at(
                    f"{option}: cannot write into {folder}", rule="bad-option", file=path
                )
            break
    return target


def write_output(path: str, text: str, option: str = "--output") -> None:
    """Write a report atomically (a reader never sees half of it); failures are one line, exit 2."""
    from eventcat.design.write import write_atomic

    target = output_file(path, option)
    try:
        write_atomic(target, text.encode("utf-8"))
    except OSError as err:
        raise UsageError.at(
            f"{option}: cannot write: {err.strerror or type(err).__name__}",
            rule="bad-option",
            file=path,
        ) from None
