"""``eventcat diff OLD NEW``: compare two schema files outside any catalog or git history."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from eventcat.cliutil import emit, format_option, handle_errors
from eventcat.modes import MODES, POLICIES, RULE_SETS

if TYPE_CHECKING:
    from eventcat.report.findings import Finding


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
    type=click.Choice(POLICIES, case_sensitive=False),
    default="LENIENT",
    show_default=True,
    help="LENIENT: consumers ignore properties they do not know.",
)
@click.option(
    "--rules",
    "rule_set",
    type=click.Choice(RULE_SETS[::-1], case_sensitive=False),  # the default first,
    default="sound",
    show_default=True,
    help="sound: never call a change compatible that an instance disproves; confluent: the registry's verdicts.",
)
@click.option(
    "--catalog",
    "ref_catalog",  # not catalog_dir: that one is discovered by cliutil when left out
    default=None,
    type=click.Path(exists=True, file_okay=False, path_type=str),
    help="Resolve relative $refs against this catalog (for files copied out of it).",
)
@format_option()
@handle_errors
def diff(
    old: str,
    new: str,
    mode: str,
    policy: str,
    rule_set: str,
    ref_catalog: str | None,
    output_format: str,
) -> None:
    """Compare two schema files. Exit 0 compatible, 1 not, 2 unreadable input.

    $refs resolve against --catalog if given, else inside the catalog folder each file belongs
    to (the nearest folder with a catalog.yaml), else the file's own folder; nothing is fetched.
    Comparing two major versions of an event (X_v1 and X_v2) shows what changed between them;
    breaking changes there are expected and need no new version. In FULL modes each finding
    says its direction: BACKWARD (the new schema reads old events) or FORWARD (the reverse).
    """
    from dataclasses import replace

    from eventcat.compat import compare_settings as compare
    from eventcat.errors import SchemaError
    from eventcat.localfiles import open_schema
    from eventcat.report.render import Result

    old_schema, old_resolver, old_where = open_schema(old, ref_catalog)
    new_schema, new_resolver, new_where = open_schema(new, ref_catalog)
    options = {"mode": mode, "policy": policy, "rules": rule_set}
    try:
        report = compare(
            old_schema, new_schema, old_resolver=old_resolver, new_resolver=new_resolver, **options
        )
    except SchemaError:
        # The engine does not know file names: find the side that cannot be compared, and name it.
        for file, schema, resolver, where in (
            (old, old_schema, old_resolver, old_where),
            (new, new_schema, new_resolver, new_where),
        ):
            try:
                compare(schema, schema, old_resolver=resolver, new_resolver=resolver, **options)
            except SchemaError as err:
                raise SchemaError(
                    replace(
                        p,
                        file=p.file or file,
                        message=f"{p.message}; $refs resolve against {where}"
                        if "$ref" in p.message + p.pointer
                        else p.message,
                    )
                    for p in err.problems
                ) from None
        raise
    versions = _versions(old, new)
    if versions is not None:
        # X_v1 -> X_v2 are two major versions: no fix is to publish another one.
        expected = (
            f"none needed: {versions} are different major versions, where breaking "
            "changes are expected"
        )
        report = replace(report, changes=tuple(replace(c, fix=expected) for c in report.changes))
    full = mode.upper().startswith("FULL")
    findings = tuple(_named(f, new, full) for f in report.findings(old, new))
    summary = f"{report.verdict} under {mode.upper()} {policy.upper()} ({rule_set.lower()} rules)"
    if versions is not None and not report.compatible:
        summary += f"; {versions} are different major versions, so breaking changes between them are expected and no new version is needed"
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


def _versions(old_file: str, new_file: str) -> str | None:
    """``X_v1 and X_v2`` when the files are two different major versions of one event."""
    from eventcat.catalog.loader import FILE_NAME

    old_match, new_match = (
        FILE_NAME.match(Path(old_file).name),
        FILE_NAME.match(Path(new_file).name),
    )
    if old_match is None or new_match is None or old_match["name"] != new_match["name"]:
        return None
    if old_match["version"] == new_match["version"]:
        return None
    name = old_match["name"]
    return f"{name}_v{int(old_match['version'])} and {name}_v{int(new_match['version'])}"


def _named(finding: Finding, new_file: str, full: bool) -> Finding:
    """Fill the engine's ``<EventName>_v<N+1>`` placeholder when the file name says them; in
    FULL modes, say which direction the finding belongs to."""
    from dataclasses import replace

    from eventcat.catalog.loader import FILE_NAME

    message = finding.message
    if full:
        direction = dict(finding.details).get("direction")
        if isinstance(direction, str):
            message = f"{direction.upper()}: {message}"
    match = FILE_NAME.match(Path(new_file).name)
    if match is not None:
        next_file = f"{match['name']}_v{int(match['version']) + 1}"
        message = message.replace("<EventName>_v<N+1>", next_file)
    return replace(finding, message=message)
