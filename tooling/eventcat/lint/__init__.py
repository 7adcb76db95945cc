"""``eventcat lint``: every check of a catalog, over the loaded model; and :func:`load_catalog`,
which reads a catalog and refuses it when lint finds an error (the library's front door)."""

from __future__ import annotations

from pathlib import Path

from eventcat.catalog.loader import read_catalog
from eventcat.catalog.model import Catalog
from eventcat.errors import CatalogError
from eventcat.lint.checks import lint_catalog
from eventcat.report.findings import Severity

__all__ = ["lint_catalog", "load_catalog"]


def load_catalog(path: Path | str = "catalog") -> Catalog:
    """Read and lint a catalog; raise :class:`CatalogError` listing every error found."""
    catalog = read_catalog(path)
    errors = [f for f in lint_catalog(catalog) if f.severity is Severity.ERROR]
    if errors:
        raise CatalogError(errors)
    return catalog
