"""Write exported documents atomically, like the generators: build beside, then swap."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from eventcat.asyncapi.export import dump, export_documents
from eventcat.catalog.loader import read_catalog
from eventcat.errors import UsageError
from eventcat.gen.writer import write_tree

MANIFEST = ".eventcat-asyncapi.json"


def check_out(out: Path, catalog_root: Path) -> None:
    """Refuse a file, the catalog itself, or a non-empty folder without our manifest."""
    if out.exists() and not out.is_dir():
        raise UsageError.at(
            f"--out {str(out)!r} is a file; name a folder", rule="export-out", file=str(out)
        )
    resolved, catalog = out.resolve(), catalog_root.resolve()
    if resolved == catalog or resolved in catalog.parents or catalog in resolved.parents:
        raise UsageError.at(
            f"--out {str(out)!r} overlaps the catalog; export into another folder",
            rule="export-out",
            file=str(out),
        )
    if out.is_dir() and any(out.iterdir()) and not (out / MANIFEST).is_file():
        raise UsageError.at(
            f"--out {str(out)!r} is not empty and was not written by eventcat export (no "
            f"{MANIFEST}); it would be replaced: name a new or empty folder",
            rule="export-out",
            file=str(out),
        )


def export_to_folder(
    catalog_dir: str | Path, out: str | Path, services: Iterable[str] = (), whole: bool = False
) -> list[str]:
    """Export and write; returns the file names written. The folder holds exactly them."""
    from eventcat.gen.python import refuse_lint_errors

    root, target = Path(catalog_dir), Path(out)
    catalog = read_catalog(root)
    check_out(target, root)
    refuse_lint_errors(catalog)
    documents = export_documents(catalog, services, whole)
    files = {name: dump(document) for name, document in documents.items()}
    manifest = {"tool": "eventcat export asyncapi", "files": sorted(files)}
    files[MANIFEST] = (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()
    write_tree(target, files, {})
    return sorted(documents)
