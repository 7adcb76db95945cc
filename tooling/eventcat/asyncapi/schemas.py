"""Catalog schema files <-> ``components/schemas`` of an AsyncAPI document.

Export: every schema file an event needs becomes one component, its ``$ref``s rewritten from
catalog-relative paths to ``#/components/schemas/<name>/...`` so the document stands alone.
Import: the reverse, back to paths relative to the file being written.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urljoin

from eventcat.catalog.model import Catalog, path_for, uri_for

COMPONENTS = "#/components/schemas/"


def component_names(catalog: Catalog) -> dict[str, str]:
    """catalog path -> component name: the file's stem, prefixed by its folder when the stem is
    not unique in the catalog (so every document of one catalog names a file the same way)."""
    stems: dict[str, list[str]] = {}
    for path in catalog.files:
        stems.setdefault(_stem(path), []).append(path)
    names = {}
    for stem, paths in stems.items():
        for path in paths:
            names[path] = stem if len(paths) == 1 else f"{path.split('/')[0]}.{stem}"
    return names


def _stem(path: str) -> str:
    return posixpath.basename(path).removesuffix(".schema.json")


def map_refs(value: Any, rewrite: Callable[[str], str]) -> Any:
    """A copy of ``value`` with every ``$ref`` string passed through ``rewrite``.

    Walks values only (``properties`` names and ``enum``/``const``/``examples`` data are copied
    as they are; a property named ``$ref`` under ``properties`` is a name, not a reference)."""
    if isinstance(value, list):
        return [map_refs(item, rewrite) for item in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key == "$ref" and isinstance(item, str):
            out[key] = rewrite(item)
        elif key in ("enum", "const", "examples", "default", "example"):
            out[key] = item
        elif key in ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas"):
            out[key] = (
                {name: map_refs(sub, rewrite) for name, sub in item.items()}
                if isinstance(item, dict)
                else item
            )
        else:
            out[key] = map_refs(item, rewrite)
    return out


def export_schema(catalog: Catalog, path: str, names: Mapping[str, str]) -> Any:
    """The component for one catalog file: ``x-eventcat`` dropped, ``$ref``s made internal."""
    schema = {k: v for k, v in catalog.files[path].schema.items() if k != "x-eventcat"}
    base = uri_for(path)

    def rewrite(ref: str) -> str:
        target = path_for(urljoin(base, ref))
        if target is None or target not in names:
            return ref  # lint reports it; the exporter refuses unlinted catalogs
        fragment = ref.split("#", 1)[1] if "#" in ref else ""
        return COMPONENTS + names[target] + fragment

    return map_refs(schema, rewrite)


def import_schema(
    schema: Any, path: str, files: Mapping[str, str], report: Callable[[str, str], None]
) -> Any:
    """A component back into the catalog file at ``path``; ``files`` maps component -> path.

    References into ``components/schemas`` become relative paths; anything else is reported
    (``report(ref, why)``) and kept, so lint names it too."""

    def rewrite(ref: str) -> str:
        if not ref.startswith(COMPONENTS):
            if not ref.startswith("#"):
                report(ref, "references outside the document are not imported (nothing is fetched)")
            return ref
        rest = ref[len(COMPONENTS) :]
        name, _, pointer = rest.partition("/")
        target = files.get(name)
        if target is None:
            report(ref, f"no component schema {name!r} in the document")
            return ref
        fragment = f"#/{pointer}" if pointer else ""
        if target == path:
            return fragment or "#"
        relative = posixpath.relpath(target, posixpath.dirname(path) or ".")
        return relative + fragment

    return map_refs(schema, rewrite)
