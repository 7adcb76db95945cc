"""Reading a lone schema file with its ``$ref``s confined to the catalog folder it belongs to."""

from __future__ import annotations

import os
import posixpath
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventcat.catalog.jsonfile import read_json
from eventcat.catalog.model import path_for, uri_for
from eventcat.catalog.safefile import read_regular
from eventcat.errors import InputError

if TYPE_CHECKING:
    from referencing import Resource


def _real(path: Path) -> Path:
    # os.path.realpath never raises on a symlink loop (Path.resolve does, on Python 3.11).
    return Path(os.path.realpath(path))


def catalog_root_of(path: Path) -> Path:
    """The nearest folder above ``path`` holding a catalog.yaml, else the file's own folder."""
    real = _real(path)
    for folder in real.parents:
        if (folder / "catalog.yaml").is_file():
            return folder
    return real.parent


def placement(path: Path, catalog: Path | None = None) -> tuple[Path, str, str]:
    """Where a file's relative ``$ref``s resolve: (root, the file's path in it, said in words).

    With ``catalog``, a file copied out of it is placed where its event lives in the catalog
    (its domain folder, found by file or event name), else in a domain folder of its own, so
    ``../_shared/…`` and same-domain references resolve as they did inside the catalog.
    """
    real = _real(path)
    if catalog is None:
        root = catalog_root_of(path)
        if (root / "catalog.yaml").is_file():
            return root, real.relative_to(root).as_posix(), f"the catalog {root}"
        return (
            root,
            real.name,
            (f"the file's own folder {root}; pass --catalog DIR to resolve them against a catalog"),
        )
    root = _real(catalog)
    said = f"the catalog given by --catalog, {catalog}"
    if real.is_relative_to(root):
        return root, real.relative_to(root).as_posix(), said
    name = real.name
    event = name.split("_v")[0] if "_v" in name else None
    for pattern in (name, f"{event}_v*.schema.json" if event else None):
        found = sorted(root.glob(f"*/{pattern}")) if pattern else []
        if found:
            return root, f"{found[0].parent.name}/{name}", said
    return root, f"_diff/{name}", said  # a folder of its own, one level down like a domain


def open_schema(file: str, catalog: str | None = None) -> tuple[Any, Any, str]:
    """Parse a schema file; return it with a ``referencing`` resolver positioned at it, and where
    its references resolve, in words (see :func:`placement`).

    References resolve as in the catalog (:func:`eventcat.catalog.refs.document_uris`): by path
    first, then by the ``$id`` a catalog file declares; every file is read through
    :func:`~eventcat.catalog.safefile.read_regular` and nothing outside the root is read.
    """
    from referencing import Registry
    from referencing.exceptions import NoSuchResource
    from referencing.jsonschema import DRAFT202012, specification_with

    path = Path(file)
    schema, _ = read_json(read_regular(path, file=file), file)
    root, relative, said = placement(path, Path(catalog) if catalog is not None else None)
    declared: dict[str, Any] = {}

    def by_id(uri: str) -> Any:
        # Read the catalog once, only when a reference names a URI that is not a file path.
        if not declared and (root / "catalog.yaml").is_file():
            from eventcat.catalog.loader import read_catalog

            declared["registry"] = read_catalog(root).registry
        registry = declared.get("registry")
        if registry is None:
            raise NoSuchResource(ref=uri)  # type: ignore[call-arg]
        return registry.get_or_retrieve(uri).value

    def retrieve(uri: str) -> Resource[Any]:
        target = path_for(uri)
        normal = posixpath.normpath(target) if target else ".."
        if target is None or normal.startswith(".."):
            raise NoSuchResource(ref=uri)  # type: ignore[call-arg]  # remote or outside: never fetched
        if not (root / normal).is_file():
            try:
                found: Resource[Any] = by_id(uri)
            except Exception:
                raise NoSuchResource(ref=uri) from None  # type: ignore[call-arg]
            return found
        try:
            contents, _ = read_json(read_regular(root / normal, file=normal), normal)
        except InputError:
            raise NoSuchResource(ref=uri) from None  # type: ignore[call-arg]
        return _resource(contents, specification_with, DRAFT202012)

    registry: Registry[Any] = Registry(retrieve=retrieve).with_resource(  # type: ignore[call-arg]
        uri_for(relative), _resource(schema, specification_with, DRAFT202012)
    )
    return schema, registry.resolver(base_uri=uri_for(relative)), said


def _resource(contents: Any, specification_with: Any, default: Any) -> Resource[Any]:
    dialect = contents.get("$schema") if isinstance(contents, dict) else None
    # An unknown dialect compares as 2020-12 (the default, never an error).
    spec = specification_with(dialect, default=default) if isinstance(dialect, str) else default
    resource: Resource[Any] = spec.create_resource(contents)
    return resource
