"""eventcat: an event catalog and schema-governance toolkit.

The public API is what ``__all__`` lists; everything else is private and may change.
"""

from __future__ import annotations

import sys
from os import PathLike, fspath
from typing import TYPE_CHECKING

from eventcat.errors import CatalogError, EventcatError, InputError, SchemaError, UsageError
from eventcat.report.findings import Finding, Severity

__version__ = "0.1.0"

__all__ = [
    "CatalogError",
    "EventcatError",
    "Finding",
    "InputError",
    "SchemaError",
    "Severity",
    "UsageError",
    "__version__",
    "check",
    "compare",
    "lint",
    "load_catalog",
]

if TYPE_CHECKING:
    from eventcat.catalog.model import Catalog
    from eventcat.catalog.refs import Resolver
    from eventcat.compat import CompatibilityReport
    from eventcat.modes import Mode, Policy, RuleSet
    from eventcat.report.render import Result

# The entry points import their layer when called, so that `import eventcat` (and the CLI's
# --help) stays light.


def load_catalog(path: str | PathLike[str] | None = None) -> Catalog:
    """Load and resolve a catalog folder; raise :class:`CatalogError` listing every problem.

    Without ``path`` the catalog is found as the command line finds it (:mod:`eventcat.config`):
    from the current folder upwards.
    """
    from eventcat.lint import load_catalog as _load

    if path is None:
        from eventcat.config import find_catalog

        return _load(find_catalog())
    return _load(fspath(path))


def lint(catalog: Catalog | str | PathLike[str]) -> list[Finding]:
    """Every lint finding of a catalog (a loaded one, or a folder read without refusing it)."""
    from eventcat.catalog.loader import read_catalog
    from eventcat.catalog.model import Catalog
    from eventcat.lint import lint_catalog

    loaded = catalog if isinstance(catalog, Catalog) else read_catalog(fspath(catalog))
    return lint_catalog(loaded)


def compare(
    old: object,
    new: object,
    *,
    mode: Mode = "BACKWARD",
    policy: Policy = "LENIENT",
    rules: RuleSet = "sound",
    old_resolver: Resolver | None = None,
    new_resolver: Resolver | None = None,
) -> CompatibilityReport:
    """Compare two parsed JSON Schemas; see :func:`eventcat.compat.compare`."""
    from eventcat.compat import compare as _compare

    return _compare(old, new, mode=mode, policy=policy, rules=rules, old_resolver=old_resolver,
                    new_resolver=new_resolver)  # fmt: skip


def check(
    catalog_dir: str | PathLike[str] = "catalog",
    *,
    against: str = "HEAD",
    waivers: str | PathLike[str] | None = None,
    strict: bool = False,
) -> Result:
    """The schema-diff gate (``eventcat check``): judge the catalog in a git work tree against
    the revision ``against``; ``result.exit_code`` is what the command would exit with."""
    from eventcat.gate.core import CheckOptions, run_check

    return run_check(CheckOptions(catalog_dir=fspath(catalog_dir), against=against,
                                  waivers=None if waivers is None else fspath(waivers),
                                  strict=strict))  # fmt: skip


def _register_notebook_renderings() -> None:
    """Inside IPython/Jupyter, draw catalogs, events and results as HTML (eventcat.display)."""
    if "IPython" in sys.modules:  # never import IPython (or the renderers) from the CLI
        from eventcat.display.formatters import register

        register()


_register_notebook_renderings()
