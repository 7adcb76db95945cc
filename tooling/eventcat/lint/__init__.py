"""``eventcat lint``: every check of a catalog, over the loaded model."""

from eventcat.lint.checks import lint_catalog

__all__ = ["lint_catalog"]
