"""``eventcat check``: imports only click and cliutil at module level (start-up stays fast)."""

from __future__ import annotations

from typing import Any

import click

from eventcat.cliutil import catalog_option, handle_errors

GATE_FORMATS = ("text", "json", "markdown", "github", "junit", "sarif")


@click.command()
@catalog_option
@click.option("--against", "against", default="HEAD", show_default=True, metavar="REF",
              help="The git revision to compare with (branch, tag or commit), e.g. origin/main.")
@click.option("--format", "output_format", type=click.Choice(GATE_FORMATS), default="text",
              show_default=True, help="Output format.")
@click.option("--output", "output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the report to this file instead of standard output.")
@click.option("--waivers", "waivers", type=click.Path(dir_okay=False), default=None,
              help="Waivers file (default: waivers.yaml in the catalog).")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@handle_errors
def check(catalog_dir: str, against: str, output_format: str, output: str | None,
          waivers: str | None, strict: bool) -> None:
    """The schema-diff gate: compare the catalog in the work tree with the catalog at git
    revision REF, apply each event's compatibility settings and the additive-only rule.

    Exit 0 compatible, 1 breaking, 2 unreadable input or unknown revision."""
    import sys

    from eventcat.cliutil import colour_enabled
    from eventcat.errors import EventcatError
    from eventcat.gate.core import CheckOptions, run_check
    from eventcat.gate.reporters import render

    try:
        result = run_check(CheckOptions(catalog_dir=catalog_dir, against=against, waivers=waivers,
                                        strict=strict))
    except EventcatError as err:
        if output_format == "text":
            raise  # one line per problem on stderr, exit 2
        result = _failed_document(err, catalog_dir, against)
    colour = output is None and output_format == "text" and colour_enabled()
    text = render(result, output_format, colour=colour)
    if output is None:
        click.echo(text)
    else:
        from pathlib import Path

        Path(output).write_text(text + "\n", encoding="utf-8")
        click.echo(result.summary and f"eventcat check: {result.summary}", err=True)
    sys.exit(result.exit_code)


def _failed_document(err: Exception, catalog_dir: str, against: str) -> Any:
    """A run that could not start (bad revision, no repository) as a report: machine formats
    print their document with the error on every exit, not an empty stdout."""
    from dataclasses import replace

    from eventcat.errors import EventcatError
    from eventcat.report.render import Result

    assert isinstance(err, EventcatError)
    problems = tuple(replace(p, unreadable=True) for p in err.problems)
    summary = "unreadable input: " + (problems[0].message if problems else "the gate could not run")
    return Result("check", problems, base=catalog_dir, summary=summary,
                  extra={"against": against, "commit": None, "changed": [], "judged": []})
