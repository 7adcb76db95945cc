"""What a notebook needs besides the design API: a catalog it may write to, and errors shown the
way the CLI shows them (one ``eventcat: file:line #pointer: error [rule] message`` line each, no
traceback)."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from eventcat.errors import CatalogError, EventcatError

ENV = "EVENTCAT_CATALOG"


def _find_catalog(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / "catalog"
        if (candidate / "catalog.yaml").is_file():
            return candidate
    return None


def working_copy(source: str | Path | None = None) -> Path:
    """The catalog folder a notebook works on.

    ``$EVENTCAT_CATALOG`` when set (the tests point it at a temporary copy); otherwise a fresh
    temporary copy of ``source`` (default: the nearest ``catalog/`` folder above the current
    one), so that running a notebook never changes the real catalog.
    """
    chosen = os.environ.get(ENV)
    if chosen:
        path = Path(chosen)
        if not (path / "catalog.yaml").is_file():
            raise CatalogError.at(
                f"{ENV}={chosen!r} is not a catalog folder (no catalog.yaml)",
                rule="catalog-missing",
                file=chosen,
            )
        return path
    origin = Path(source) if source is not None else _find_catalog(Path.cwd())
    if origin is None or not (origin / "catalog.yaml").is_file():
        raise CatalogError.at(
            f"no catalog found from {Path.cwd()}; set {ENV} to a copy of one",
            rule="catalog-missing",
        )
    target = Path(tempfile.mkdtemp(prefix="eventcat-notebook-")) / "catalog"
    shutil.copytree(origin, target, ignore=shutil.ignore_patterns(".*"))
    return target


def error_lines(error: EventcatError) -> str:
    """The lines ``eventcat`` prints on stderr for this error."""
    return "\n".join(f"eventcat: {problem.render()}" for problem in error.problems)


def show_errors_like_the_cli() -> bool:
    """In IPython/Jupyter, show an uncaught eventcat error as the CLI's lines instead of a
    traceback. Returns False outside IPython."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None:
        return False

    def handler(
        shell: Any, etype: type[BaseException], value: BaseException, tb: Any, tb_offset: Any = None
    ) -> None:
        assert isinstance(value, EventcatError)
        print(error_lines(value), file=sys.stderr)

    shell.set_custom_exc((EventcatError,), handler)
    return True
