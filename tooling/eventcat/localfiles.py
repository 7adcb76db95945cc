"""Reading a lone schema file with its ``$ref``s confined to the catalog folder it belongs to."""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any

from eventcat.catalog.jsonfile import read_json
from eventcat.catalog.model import path_for, uri_for
from eventcat.errors import InputError


def catalog_root_of(path: Path) -> Path:
    """The nearest folder above ``path`` holding a catalog.yaml, else the file's own folder."""
    for folder in path.resolve().parents:
        if (folder / "catalog.yaml").is_file():
            return folder
    return path.resolve().parent


def open_schema(file: str) -> tuple[Any, Any]:
    """Parse a schema file; return it with a ``referencing`` resolver positioned at it."""
    from referencing import Registry, Resource
    from referencing.exceptions import NoSuchResource
    from referencing.jsonschema import DRAFT202012, specification_with

    path = Path(file)
    try:
        schema, _ = read_json(path.read_bytes(), file)
    except OSError as err:
        raise InputError.at(f"cannot read: {err.strerror}", rule="file-unreadable", file=file) from None
    root = catalog_root_of(path)
    relative = path.resolve().relative_to(root).as_posix()

    def retrieve(uri: str) -> Resource[Any]:
        target = path_for(uri)
        normal = posixpath.normpath(target) if target else ".."
        if target is None or normal.startswith(".."):
            raise NoSuchResource(ref=uri)  # type: ignore[call-arg]  # remote or outside: never fetched
        try:
            contents, _ = read_json((root / normal).read_bytes(), normal)
        except (OSError, InputError):
            raise NoSuchResource(ref=uri) from None  # type: ignore[call-arg]
        found = contents.get("$schema") if isinstance(contents, dict) else None
        spec = specification_with(found, default=DRAFT202012) if isinstance(found, str) else DRAFT202012
        return spec.create_resource(contents)

    dialect = schema.get("$schema") if isinstance(schema, dict) else None
    try:
        spec = specification_with(dialect, default=DRAFT202012) if dialect else DRAFT202012
    except Exception:  # an unknown dialect compares as 2020-12
        spec = DRAFT202012
    registry: Registry[Any] = Registry(retrieve=retrieve).with_resource(  # type: ignore[call-arg]
        uri_for(relative), spec.create_resource(schema)
    )
    return schema, registry.resolver(base_uri=uri_for(relative))
