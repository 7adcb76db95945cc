"""The ``eventcat`` command: a thin shell over the library.

Options become arguments of a core function, the core returns a result, a reporter renders it, and
only this layer exits. Sub-commands are imported lazily by name (see ``COMMANDS``).
"""

from __future__ import annotations

import difflib
import importlib
from dataclasses import replace
from typing import Any

import click

from eventcat import __version__
from eventcat.cliutil import catalog_option, emit, format_option, handle_errors

#: name -> "module:attribute" of sub-commands that live beside their feature.
COMMANDS = {
    "check": "eventcat.cli.check:check",
    "diff": "eventcat.cli.diff:diff",
    "gen": "eventcat.cli.gen:gen",
    "new": "eventcat.cli.design:new",
    "bump": "eventcat.cli.design:bump",
    "export": "eventcat.cli.asyncapi:export",
    "import": "eventcat.cli.asyncapi:import_",
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        names = set(super().list_commands(ctx))
        names.update(name for name in COMMANDS if self.get_command(ctx, name) is not None)
        return sorted(names)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None or cmd_name not in COMMANDS:
            return command
        module_name, attribute = COMMANDS[cmd_name].split(":")
        # Every command ships with eventcat; an optional extra (gen's) is imported when it runs.
        found: Any = getattr(importlib.import_module(module_name), attribute, None)
        return found if isinstance(found, click.Command) else None

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            # as git does: `eventcat chek` -> "did you mean check?"
            close = difflib.get_close_matches(name, self.list_commands(ctx), n=2, cutoff=0.6)
            if close:
                hint = " or ".join(repr(c) for c in close)
                ctx.fail(f"No such command {name!r}. Did you mean {hint}?")
        return super().resolve_command(ctx, args)


#: The one statement of the exit codes (the README's table says the same).
EXIT_CODES = """\b
Exit codes (every command):
  0    ok: clean, compatible, written
  1    findings: lint errors, breaking changes, a refused write
  2    unusable input: unreadable file, bad option or path, unknown git revision
  3    a bug in eventcat (rerun with EVENTCAT_DEBUG=1 for the traceback)
  130  interrupted

\b
The catalog is found from the current folder upwards (a folder with catalog.yaml,
[tool.eventcat] catalog in pyproject.toml, or ./catalog); --catalog wins.
Colour: NO_COLOR=1 turns it off, FORCE_COLOR=1 keeps it when piped."""


@click.group(
    cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES
)
@click.version_option(__version__, prog_name="eventcat")
def main() -> None:
    """Event catalog and schema governance: lint the catalog, gate breaking changes in CI,
    generate typed models, build the docs site."""


@main.command()
@catalog_option
@format_option()
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@handle_errors
def lint(catalog_dir: str, output_format: str, strict: bool) -> None:
    """Check every file of the catalog: JSON, JSON Schema, x-eventcat, names, versions, refs,
    examples. Exit 0 clean, 1 findings, 2 unreadable input."""
    from eventcat.catalog.loader import read_catalog
    from eventcat.lint import lint_catalog
    from eventcat.report.render import Result

    catalog = read_catalog(catalog_dir)
    findings = tuple(lint_catalog(catalog))
    versions = sum(len(e.versions) for e in catalog.events)
    summary = (
        f"{len(catalog.files)} schema files, {len(catalog.events)} events, {versions} versions"
    )
    result = Result("lint", findings, base=catalog_dir, strict=strict)
    emit(replace(result, summary=f"{'ok' if result.ok else 'failed'}: {summary}"), output_format)


@main.command()
@format_option(("text", "json", "markdown"))
@click.option(
    "--family",
    type=click.Choice(["all", "lint", "compat", "governance"]),
    default="all",
    show_default=True,
    help="Which rules to list.",
)
@click.argument("rule_ids", nargs=-1, metavar="[RULE]...")
@handle_errors
def rules(output_format: str, family: str, rule_ids: tuple[str, ...]) -> None:
    """List every rule: lint rules and compatibility change types, with their explanations.

    Name rules (as a finding does: `eventcat rules MAX_LENGTH_DECREASED`) to read each one in
    full: what it means, why it matters and how to fix it.
    """
    from eventcat.errors import UsageError
    from eventcat.rules.registry import all_rules, find, render_rule_pages, render_rules

    if rule_ids:
        found = [find(rule_id) for rule_id in rule_ids]
        unknown = [r for r, f in zip(rule_ids, found, strict=True) if f is None]
        if unknown:
            raise UsageError.at(
                f"unknown rule {unknown[0]!r}; `eventcat rules` lists them all", rule="usage"
            )
        click.echo(render_rule_pages([f for f in found if f is not None], output_format))
        return
    selected = [r for r in all_rules() if family in ("all", r.family)]
    click.echo(render_rules(selected, output_format))
