"""What every sub-command shares: options, rendering a result, and the one place that exits.

Sub-command modules import only click and this module at import time, so ``eventcat --help``
stays fast; the heavy parts are imported inside the command functions.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from eventcat.errors import EventcatError
from eventcat.report.findings import Finding

F = TypeVar("F", bound=Callable[..., Any])

FORMATS = ("text", "json", "markdown", "github")

catalog_option = click.option(
    "--catalog",
    "catalog_dir",
    default="catalog",
    show_default=True,
    type=click.Path(file_okay=False, path_type=str),
    help="The catalog folder.",
)


def format_option(choices: tuple[str, ...] = FORMATS) -> Callable[[F], F]:
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(choices),
        default="text",
        show_default=True,
        help="Output format.",
    )


def colour_enabled() -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or sys.stdout.isatty()


def render(result: Any, output_format: str) -> str:
    from eventcat.report.render import REPORTERS, render_text

    if output_format == "text":
        return render_text(result, colour=colour_enabled())
    return REPORTERS[output_format](result)


def emit(result: Any, output_format: str) -> None:
    """Print a result and exit with its code (0 ok, 1 findings, 2 unreadable input)."""
    click.echo(render(result, output_format))
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
