"""``eventcat check``: imports only click and cliutil at module level (start-up stays fast)."""

from __future__ import annotations

from typing import Any

import click

from eventcat.cliutil import catalog_option, format_option, handle_errors

GATE_FORMATS = ("text", "json", "markdown", "github", "junit", "sarif")


def _report(value: str) -> tuple[str, str]:
    """``FORMAT=FILE`` of ``--report``."""
    fmt, sep, file = value.partition("=")
    if not sep or not file or fmt not in GATE_FORMATS:
        raise click.BadParameter(
            f"{value!r} is not FORMAT=FILE with FORMAT one of {', '.join(GATE_FORMATS)}"
        )
    return fmt, file


@click.command()
@catalog_option
@click.option(
    "--against",
    "against",
    default="HEAD",
    show_default=True,
    metavar="REF",
    help="The git revision to compare with (branch, tag or commit), e.g. origin/main.",
)
@format_option(GATE_FORMATS)
@click.option(
    "--output",
    "output",
    type=click.Path(path_type=str),
    default=None,
    help="Write the --format report to this file instead of standard output.",
)
@click.option(
    "--report",
    "reports",
    multiple=True,
    metavar="FORMAT=FILE",
    callback=lambda _ctx, _param, values: tuple(_report(v) for v in values),
    help="Also write the report in FORMAT to FILE, from the same run (repeatable), "
    "e.g. --report markdown=summary.md --report sarif=gate.sarif.",
)
@click.option(
    "--waivers",
    "waivers",
    type=click.Path(dir_okay=False),
    default=None,
    help="Waivers file (default: waivers.yaml in the catalog).",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option(
    "--cache",
    "cache",
    type=click.Path(file_okay=False, path_type=str),
    default=None,
    metavar="DIR",
    help="Keep the engine's comparisons in DIR between runs, by content (the site's "
    ".eventcat-cache folder works: the gate and the site share its entries).",
)
@handle_errors
def check(
    catalog_dir: str,
    against: str,
    output_format: str,
    output: str | None,
    reports: tuple[tuple[str, str], ...],
    waivers: str | None,
    strict: bool,
    cache: str | None,
) -> None:
    """The schema-diff gate: compare the catalog in the work tree with the catalog at git
    revision REF, apply each event's compatibility settings and the additive-only rule.

    Exit 0 compatible, 1 breaking, 2 unreadable input or unknown revision."""
    import sys

    from eventcat.cliutil import Progress, colour_enabled, output_file, write_output
    from eventcat.errors import EventcatError
    from eventcat.gate.core import CheckOptions, run_check
    from eventcat.reporters import render

    # Every file is checked before the gate runs: a typo in a path costs no run.
    for option, file in ([("--output", output)] if output else []) + [
        (f"--report {fmt}", file) for fmt, file in reports
    ]:
        output_file(file, option)
    failure: EventcatError | None = None
    try:
        with Progress("eventcat check: judging") as progress:
            result = run_check(
                CheckOptions(
                    catalog_dir=catalog_dir,
                    against=against,
                    waivers=waivers,
                    strict=strict,
                    progress=progress,
                    cache=cache,
                )
            )
    except EventcatError as err:
        failure = err
        result = _failed_document(err, catalog_dir, against)
    # One run, every requested format; each file is written whatever the verdict.
    for fmt, file in reports:
        write_output(file, render(result, fmt) + "\n", f"--report {fmt}")
    if failure is not None and output_format == "text":
        raise failure  # one line per problem on stderr, exit 2
    colour = output is None and output_format == "text" and colour_enabled()
    text = render(result, output_format, colour=colour)
    if output is None:
        click.echo(text, color=True if colour else None)  # else click strips FORCE_COLOR's codes
    else:
        write_output(output, text + "\n")
    if output is not None or reports:
        click.echo(result.summary and f"eventcat check: {result.summary}", err=True)
    sys.exit(result.exit_code)


def _failed_document(err: Exception, catalog_dir: str, against: str) -> Any:
    """A run that could not start (bad revision, no repository) as a report: machine formats
    print their document with the error on every exit, not an empty stdout."""
    from dataclasses import replace

    from eventcat.errors import EventcatError
    from eventcat.report.render import Result
    from eventcat.report.run import CheckRun

    assert isinstance(err, EventcatError)
    problems = tuple(replace(p, unreadable=True) for p in err.problems)
    summary = "unreadable input: " + (problems[0].message if problems else "the gate could not run")
    return Result(
        "check",
        problems,
        base=catalog_dir,
        summary=summary,
        run=CheckRun(against=against, commit=None),
    )
