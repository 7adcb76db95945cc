"""``eventcat new`` and ``eventcat bump``: the design API on the command line.

Exit codes: 0 written (or, with ``--dry-run``, would be written), 1 refused because the result
would not lint clean or would break the event in place (nothing is written), 2 unreadable input
or a bad argument (a sample that is not JSON, a name that breaks the naming rules).
"""

from __future__ import annotations

from typing import Any

import click

from eventcat.cliutil import catalog_option, emit, format_option, handle_errors

_FORMATS = ("text", "json", "markdown", "github")


def _read_samples(paths: tuple[str, ...]) -> list[Any]:
    """Each file holds one payload, or a JSON array of payloads."""
    from eventcat.catalog.jsonfile import read_json
    from eventcat.catalog.safefile import read_input
    from eventcat.errors import InputError
    from eventcat.report.findings import Finding

    samples: list[Any] = []
    problems: list[Finding] = []
    for name in paths:
        try:
            data = read_input(name)  # regular files only, size-capped: never /dev/zero or a FIFO
        except InputError as err:
            problems.extend(err.problems)
            continue
        try:
            value, _ = read_json(data, name if name != "-" else "<stdin>")
        except InputError as err:
            problems.extend(err.problems)
            continue
        samples.extend(value if isinstance(value, list) else [value])
    if problems:
        raise InputError(problems)
    return samples


def _finish(
    command: str,
    catalog_dir: str,
    changes: dict[str, Any],
    output_format: str,
    dry_run: bool,
    describe: list[str],
) -> None:
    from eventcat.design.jsonfmt import dump_json
    from eventcat.design.write import apply_changes, validate_changes
    from eventcat.report.render import Result

    validation = validate_changes(catalog_dir, changes)
    files = sorted(changes)
    if not validation.ok:
        result = Result(
            command,
            validation.findings,
            base=catalog_dir,
            summary="refused, nothing was written",
            extra={"written": []},
        )
        emit(result, output_format)
    if dry_run:
        if output_format == "text":
            for path in files:
                click.echo(f"--- {catalog_dir.rstrip('/')}/{path} (not written: --dry-run)")
                click.echo(dump_json(changes[path]), nl=False)
        summary = "ok, would write " + ", ".join(files)
        written: list[str] = []
    else:
        try:
            apply_changes(catalog_dir, validation)
        except OSError as err:  # a read-only folder, a full disk: the catalog is left as it was
            from eventcat.errors import InputError

            where = err.filename or catalog_dir
            raise InputError.at(
                f"cannot write: {err.strerror or err}; nothing was changed",
                rule="file-unwritable",
                file=str(where),
            ) from None
        summary = "; ".join(describe)
        written = files
    result = Result(
        command, validation.warnings, base=catalog_dir, summary=summary,
        extra={"written": written, "files": {p: changes[p] for p in files} if dry_run else {}},
    )  # fmt: skip
    emit(result, output_format)


@click.command()
@click.argument("name")
@click.option("--domain", "-d", required=True, help="Domain folder (declared in catalog.yaml).")
@click.option(
    "--sample",
    "-s",
    "samples",
    multiple=True,
    metavar="FILE",
    help="A sample payload (JSON file; an array holds several; - reads stdin). Repeat it. "
    "Without samples the payload is an empty object to fill in.",
)
@click.option(
    "--kind",
    type=click.Choice(["domain", "command", "integration", "system"]),
    default="domain",
    show_default=True,
)
@click.option("--producer", "producers", multiple=True, help="Producing service id (repeat). "
              "Default: the first service declared in the domain.")  # fmt: skip
@click.option("--consumer", "consumers", multiple=True, help="Consuming service id (repeat).")
@click.option("--owner", help="Owning team id. Default: the domain's owner.")
@click.option("--title", help="Schema title. Default: from the name.")
@click.option("--description", help="Schema description.")
@click.option("--summary", help="One-line summary for lists.")
@click.option("--event-type", help="eventType. Default: <domain words>.<snake_name>.v1.")
@click.option(
    "--enums", is_flag=True, help="Turn low-cardinality strings of the samples into enums."
)
@click.option("--dry-run", is_flag=True, help="Validate and print the file; write nothing.")
@catalog_option
@format_option(_FORMATS)
@handle_errors
def new(
    name: str,
    domain: str,
    samples: tuple[str, ...],
    kind: str,
    producers: tuple[str, ...],
    consumers: tuple[str, ...],
    owner: str | None,
    title: str | None,
    description: str | None,
    summary: str | None,
    event_type: str | None,
    enums: bool,
    dry_run: bool,
    catalog_dir: str,
    output_format: str,
) -> None:
    """Scaffold a new event NAME (PascalCase) in a domain: the payload schema inferred from
    sample payloads (formats, required fields, nullable fields), x-eventcat filled from
    catalog.yaml. The file is written only if the catalog still lints clean."""
    from eventcat.catalog.loader import read_catalog
    from eventcat.design.scaffold import scaffold_event

    catalog = read_catalog(catalog_dir)
    payloads = _read_samples(samples) if samples else None
    draft = scaffold_event(
        catalog,
        name,
        domain,
        samples=payloads,
        kind=kind,
        producers=list(producers) or None,
        consumers=consumers,
        owner=owner,
        title=title,
        description=description,
        summary=summary,
        event_type=event_type,
        enums=enums,
    )
    meta = draft.schema["x-eventcat"]
    _finish(
        "new",
        catalog_dir,
        {draft.path: draft.schema},
        output_format,
        dry_run,
        [f"wrote {draft.path} (eventType {meta['eventType']}, lifecycle draft)"],
    )


@click.command()
@click.argument("event")
@click.option(
    "--from",
    "source",
    metavar="FILE",
    help="The schema of the new version. Default: a copy of the latest version.",
)
@click.option("--deprecate", is_flag=True, help="Mark the current latest version deprecated, "
              "replaced by the new one.")  # fmt: skip
@click.option("--sunset", metavar="YYYY-MM-DD", help="Sunset date of the deprecated version "
              "(default: in 90 days).")  # fmt: skip
@click.option("--reason", help="Why the old version is deprecated.")
@click.option("--dry-run", is_flag=True, help="Validate and print the files; write nothing.")
@catalog_option
@format_option(_FORMATS)
@handle_errors
def bump(
    event: str,
    source: str | None,
    deprecate: bool,
    sunset: str | None,
    reason: str | None,
    dry_run: bool,
    catalog_dir: str,
    output_format: str,
) -> None:
    """Create the next major version of EVENT (name or eventType): <EventName>_v<N+1>.schema.json
    with the eventType suffix moved to .v<N+1>; with --deprecate the old version points at the
    new one. Written only if the catalog still lints clean."""
    from pathlib import Path

    from eventcat.catalog.jsonfile import read_json
    from eventcat.catalog.safefile import read_input
    from eventcat.design.api import open_catalog
    from eventcat.errors import InputError, UsageError

    if sunset is not None and not deprecate:
        raise UsageError.at("--sunset needs --deprecate", rule="usage")
    if reason is not None and not deprecate:
        raise UsageError.at("--reason needs --deprecate", rule="usage")
    new_schema = None
    if source is not None:
        new_schema, _ = read_json(read_input(source), source)
        if not isinstance(new_schema, dict):
            raise InputError.at("a schema file holds one JSON object", rule="schema-invalid",
                                file=source)  # fmt: skip
    handle = open_catalog(catalog_dir).event(event)
    changes = handle.bump_changes(new_schema, deprecate=deprecate, sunset=sunset, reason=reason)
    new_path, *rest = changes
    if (Path(catalog_dir) / new_path).exists():
        raise UsageError.at(f"{new_path} already exists", rule="file-exists", file=new_path)
    meta = changes[new_path]["x-eventcat"]
    describe = [f"wrote {new_path} (eventType {meta['eventType']})"]
    for path in rest:
        lifecycle = changes[path]["x-eventcat"]["lifecycle"]
        describe.append(
            f"deprecated {path} (sunset {lifecycle['sunset']}, replacement "
            f"{lifecycle['replacement']})"
        )
    _finish("bump", catalog_dir, changes, output_format, dry_run, describe)
