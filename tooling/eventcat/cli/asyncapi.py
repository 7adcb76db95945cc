"""``eventcat export asyncapi`` and ``eventcat import asyncapi``."""

from __future__ import annotations

import click

from eventcat.cliutil import catalog_option, handle_errors, out_option


@click.group()
def export() -> None:
    """Export the catalog to other formats."""


@click.group("import")
def import_() -> None:
    """Import event descriptions from other formats into the catalog."""


@export.command("asyncapi")
@catalog_option
@out_option("the documents")
@click.option(
    "--service",
    "services",
    multiple=True,
    metavar="ID",
    help="Export this service only (repeatable); default: every declared service.",
)
@click.option(
    "--whole",
    is_flag=True,
    help="Also write catalog.asyncapi.yaml, one document for the whole catalog.",
)
@handle_errors
def export_asyncapi(catalog_dir: str, out: str, services: tuple[str, ...], whole: bool) -> None:
    """One AsyncAPI 3.0 document per service (<service>.asyncapi.yaml). Refuses a catalog with
    lint errors (exit 1; 2 when unreadable) and a non-empty --out it did not write (exit 2)."""
    from eventcat.asyncapi.write import export_to_folder
    from eventcat.cliutil import output_folder

    output_folder(out)
    written = export_to_folder(catalog_dir, out, services, whole)
    click.echo(f"wrote {len(written)} AsyncAPI 3.0 document(s) to {out}")


@import_.command("asyncapi")
@catalog_option
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=str))
@click.option(
    "--domain",
    "domain",
    default=None,
    metavar="ID",
    help="Domain (folder) of the imported events; default: from each document's title.",
)
@handle_errors
def import_asyncapi(catalog_dir: str, files: tuple[str, ...], domain: str | None) -> None:
    """AsyncAPI 2.x and 3.0 documents (YAML or JSON) become catalog entries: one event file per
    message, services and domains declared in catalog.yaml. Never overwrites; the result must
    lint clean (exit 1 with the findings otherwise; nothing is written)."""
    from eventcat.asyncapi.importer import import_files

    result = import_files(catalog_dir, files, domain)
    for line in result.notes:
        click.echo(f"note: {line}", err=True)
    click.echo(result.summary())
