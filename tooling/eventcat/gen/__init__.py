"""Code generators over the catalog model: ``generate_python`` builds a typed Pydantic package."""

from eventcat.gen.python import CatalogNotClean, GenResult, generate_python, import_lines

__all__ = ["CatalogNotClean", "GenResult", "generate_python", "import_lines"]
