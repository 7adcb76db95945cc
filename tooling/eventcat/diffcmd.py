"""``eventcat diff OLD NEW``: compare two schema files outside any catalog or git history."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from eventcat.cliutil import emit, format_option, handle_errors

if TYPE_CHECKING:
    from eventcat.report.findings import Finding

MODES = (
    "BACKWARD",
    "FORWARD",
    "FULL",
    "BACKWARD_TRANSITIVE",
    "FORWARD_TRANSITIVE",
    "FULL_TRANSITIVE",
    "NONE",
)


@click.command()
@click.argument("old", type=click.Path(dir_okay=False, path_type=str))
@click.argument("new", type=click.Path(dir_okay=False, path_type=str))
@click.option(
    "--mode",
    type=click.Choice(MODES, case_sensitive=False),
    default="BACKWARD",
    show_default=True,
    help="BACKWARD: the new schema reads what the old accepted; FORWARD: the reverse; FULL: both.",
)
@click.option(
    "--policy",
    type=click.Choice(["STRICT", "LENIENT"], case_sensitive=False),
    default="LENIENT",
    show_default=True,
    help="LENIENT: consumers ignore properties they do not know.",
)
@click.option(
    "--rules",
    "rule_set",
    type=click.Choice(["sound", "confluent"], case_sensitive=False),
    default="sound",
    show_default=True,
    help="sound: never call a change compatible that an instance disproves; confluent: the registry's verdicts.",
)
@format_option()
@handle_errors
def diff(old: str, new: str, mode: str, policy: str, rule_set: str, output_format: str) -> None:
    """Compare two schema files. Exit 0 compatible, 1 not, 2 unreadable input.

    $refs resolve inside the catalog folder each file belongs to (the nearest folder with a
    catalog.yaml, else the file's own folder); nothing is fetched.
    """
    from dataclasses import replace

    from eventcat.compat import compare
    from eventcat.errors import SchemaError
    from eventcat.localfiles import open_schema
    from eventcat.report.render import Result

    old_schema, old_resolver = open_schema(old)
    new_schema, new_resolver = open_schema(new)
    options = {"mode": mode, "policy": policy, "rules": rule_set}
    try:
        report = compare(
            old_schema, new_schema, old_resolver=old_resolver, new_resolver=new_resolver, **options
        )
    except SchemaError:
        # The engine does not know file names: find the side that cannot be compared, and name it.
        for file, schema, resolver in (
            (old, old_schema, old_resolver),
            (new, new_schema, new_resolver),
        ):
            try:
                compare(schema, schema, old_resolver=resolver, new_resolver=resolver, **options)
            except SchemaError as err:
                raise SchemaError(replace(p, file=p.file or file) for p in err.problems) from None
        raise
    findings = tuple(_named(f, new) for f in report.findings(old, new))
    summary = f"{report.verdict} under {mode.upper()} {policy.upper()} ({rule_set.lower()} rules)"
    emit(
        Result(
            "diff",
            findings,
            summary=summary,
            verdict_ok=report.compatible,
            extra={"verdict": report.verdict, "report": report.as_json()},
        ),
        output_format,
    )


def _named(finding: Finding, new_file: str) -> Finding:
    """Fill the engine's ``<EventName>_v<N+1>`` placeholder when the file name says them."""
    from dataclasses import replace

    from eventcat.catalog.loader import FILE_NAME

    match = FILE_NAME.match(Path(new_file).name)
    if match is None:
        return finding
    next_file = f"{match['name']}_v{int(match['version']) + 1}"
    return replace(finding, message=finding.message.replace("<EventName>_v<N+1>", next_file))
