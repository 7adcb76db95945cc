"""eventcat: an event catalog and schema-governance toolkit.

The public API is what ``__all__`` lists; everything else is private and may change.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

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
    "compare",
    "load_catalog",
]

if TYPE_CHECKING:
    from eventcat.catalog.model import Catalog
    from eventcat.compat import CompatibilityReport


def load_catalog(path: Any = None) -> Catalog:
    """Load and resolve a catalog folder; raise :class:`CatalogError` listing every problem.

    Without ``path`` the catalog is found as the command line finds it (:mod:`eventcat.config`):
    from the current folder upwards.
    """
    from eventcat.lint import load_catalog as _load

    if path is None:
        from eventcat.config import find_catalog

        path = find_catalog()
    return _load(path)


def compare(old: Any, new: Any, **options: Any) -> CompatibilityReport:
    """Compare two parsed JSON Schemas; see :func:`eventcat.compat.compare`."""
    from eventcat.compat import compare as _compare

    return _compare(old, new, **options)


def _register_notebook_renderings() -> None:
    """Inside IPython/Jupyter, draw catalogs, events and results as HTML (eventcat.display)."""
    if "IPython" in sys.modules:  # never import IPython (or the renderers) from the CLI
        from eventcat.display.formatters import register

        register()


_register_notebook_renderings()
