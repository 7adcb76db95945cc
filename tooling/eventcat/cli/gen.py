"""``eventcat gen``: code generators (``eventcat gen python --out DIR``)."""

from __future__ import annotations

import click

from eventcat.cliutil import catalog_option, handle_errors, out_option


@click.group()
def gen() -> None:
    """Generate code from the catalog."""


@gen.command("python")
@catalog_option
@out_option("the generated package")
@click.option(
    "--package",
    "package",
    default=None,
    help="Import name of the package (default: the --out folder's name if it is a "
    "valid one, else eventcat_events).",
)
@click.option(
    "--jobs",
    "jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: one per core).",
)
@click.option(
    "--allow-shadowing",
    is_flag=True,
    default=False,
    help="Accept a --package name that an installed package already uses.",
)
@handle_errors
def python(
    catalog_dir: str, out: str, package: str | None, jobs: int | None, allow_shadowing: bool
) -> None:
    """An installable package of Pydantic v2 models: one module per event version, EVENT_TYPES,
    parse_event(message). Refuses a catalog with lint errors (exit 1; 2 when unreadable)."""
    from eventcat.cliutil import Progress, output_folder
    from eventcat.gen.python import generate_python

    output_folder(out)
    with Progress("eventcat gen: generating modules") as progress:
        result = generate_python(
            catalog_dir, out, package, jobs=jobs, progress=progress, allow_shadowing=allow_shadowing
        )
    click.echo(result.summary())
