"""What the CI gate would say about a change, before it is written or committed.

The gate (``eventcat check --against REF``) compares the work tree with a git revision. To ask
it about a change that exists only in memory, the catalog is copied into a throwaway git
repository, committed as the baseline, the change is written on top, and the gate's own core
(``eventcat.gate.core.run_check``) runs against ``HEAD``. The real catalog is only read.

Where the gate is not installed, :func:`gate_preview` falls back to the checks
:func:`eventcat.design.write.validate_changes` makes (lint, and compare with the event's
settings for in-place changes).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from eventcat.errors import InputError
from eventcat.report.render import Result

_CONFIG = (
    "-c", "user.name=eventcat",
    "-c", "user.email=eventcat@localhost",
    "-c", "commit.gpgsign=false",
    "-c", "init.defaultBranch=main",
)  # fmt: skip


def _git(cwd: Path, *args: str) -> None:
    """Git in the throwaway repository, through the one git reader (safe, isolated config)."""
    from eventcat.gate.git import run_git

    run_git(cwd, [*_CONFIG, *args], timeout=60, isolated=True)


def gate_available() -> bool:
    """The gate reads a git repository: without git, the preview lints and compares only."""
    return shutil.which("git") is not None


def gate_preview(catalog_dir: str | Path, changes: Mapping[str, Any]) -> Result:
    """Run the gate on ``changes`` (path -> content) against the catalog as it is now."""
    from eventcat.design.write import to_bytes, validate_changes

    root = Path(catalog_dir)
    if not gate_available():
        validation = validate_changes(root, changes)
        return Result(
            "check",
            validation.findings,
            summary="the gate is not installed here: lint and compare with the event's settings",
        )
    from eventcat.gate.core import CheckOptions, run_check

    with tempfile.TemporaryDirectory(prefix="eventcat-gate-") as tmp:
        work = Path(tmp) / "catalog"
        shutil.copytree(root, work, ignore=shutil.ignore_patterns(".*"), symlinks=False)
        _git(work, "init", "-q")
        _git(work, "add", "-A")
        _git(work, "commit", "-q", "--allow-empty", "-m", "baseline")
        for path, content in changes.items():
            target = work / path
            if content is None:
                target.unlink(missing_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(to_bytes(content))
        result: Result = run_check(CheckOptions(catalog_dir=str(work), against="HEAD"))
    # Name files as they are in the caller's catalog, not in the throwaway copy.
    return replace(result, base=str(root))


# -- generated code and docs page ----------------------------------------------------------------


class Preview:
    """A preview: ``text`` (code or page source) and the ``parts`` a notebook draws.

    Each part is ``(kind, content)``: ``"code"``, ``"h3"``, ``"h4"`` and ``"p"`` hold plain
    text; ``"site-html"`` holds a block of the docs site's own, already sanitised HTML.
    :mod:`eventcat.display` renders it.
    """

    def __init__(
        self, title: str, text: str, parts: tuple[tuple[str, str], ...], **extra: Any
    ) -> None:
        self.title = title
        self.text = text
        self.parts = parts
        self.extra = extra

    def __repr__(self) -> str:
        return f"{self.title}\n\n{self.text}"


def _pick(catalog: Any, name: str, version: int | None) -> Any:
    from eventcat.errors import UsageError

    event = catalog.event(name)
    found = (event.latest if version is None else event.version(version)) if event else None
    if found is None:
        raise UsageError.at(f"no event {name!r} (version {version or 'latest'}) in the catalog",
                            rule="usage")  # fmt: skip
    return found


def model_preview(catalog: Any, path: str, package: str = "eventcat_events") -> Preview:
    """The module ``eventcat gen python`` generates for file ``path`` of a loaded catalog (which
    may hold changes not yet written), generated alone: nothing is written."""
    from eventcat.gen.engine import generate_one
    from eventcat.gen.prepare import Preparer

    preparer = Preparer(catalog, package)
    spec = preparer.by_source.get(path)
    if spec is None:
        raise InputError.at(f"{path} is not a file of the catalog", rule="usage")
    text = generate_one(preparer.job(spec)).text
    return Preview(
        f"eventcat gen python: {package}.{spec.module} ({spec.class_name})",
        text,
        (("code", text),),
        class_name=spec.class_name,
        module=f"{package}.{spec.module}",
    )


def generated_model(
    catalog_dir: str | Path, name: str, version: int | None = None, *, out: str | Path | None = None
) -> Preview:
    """Run ``eventcat gen python`` on the catalog (into ``out``, default a temporary folder) and
    show the module generated for one event version. ``extra["package_dir"]`` is the folder to
    put on ``sys.path`` to import the package ``extra["package"]``."""
    from eventcat.catalog.loader import read_catalog
    from eventcat.gen import generate_python
    from eventcat.gen.prepare import module_specs

    catalog = read_catalog(catalog_dir)
    target = _pick(catalog, name, version)
    folder = Path(out) if out is not None else Path(tempfile.mkdtemp(prefix="eventcat-gen-"))
    result = generate_python(catalog, folder / "eventcat_events", "eventcat_events", jobs=2)
    spec = next(s for s in module_specs(catalog) if s.source == target.path)
    module = result.out / result.package / spec.relpath
    text = module.read_text(encoding="utf-8")
    return Preview(
        f"eventcat gen python: {result.package}.{spec.module} ({spec.class_name})",
        text,
        (("code", text),),
        package=result.package,
        package_dir=result.out,
        class_name=spec.class_name,
        module=f"{result.package}.{spec.module}",
    )


def docs_page(catalog_dir: str | Path, name: str, version: int | None = None) -> Preview:
    """The docs site's page of one event version as the MkDocs plugin builds it (without the
    site's theme; its Mermaid flow is drawn in JupyterLab by :mod:`eventcat.display`)."""
    catalog = _catalog_of(catalog_dir)
    return page_preview(catalog, _pick(catalog, name, version).path)


def page_preview(catalog: Any, path: str) -> Preview:
    """The docs page of the event version in file ``path`` of a loaded catalog (which may hold
    changes not yet written, e.g. ``Validation.after``), without git history."""
    import re

    from eventcat.docsite.build import Builder, Options
    from eventcat.docsite.history import History
    from eventcat.lint import lint_catalog

    chosen = catalog.by_path(path)
    if chosen is None:
        raise InputError.at(f"{path} is not an event version of the catalog", rule="usage")
    options = Options(catalog=Path(catalog.root), history=False)
    builder = Builder(catalog, lint_catalog(catalog),
                      History(reason="history is turned off (plugin option `history: false`)"),
                      options)  # fmt: skip
    builder.build()
    page = builder.pages[f"events/{chosen.name}/v{chosen.version}.md"]
    parts: list[tuple[str, str]] = []
    for part in page.parts:
        block = re.fullmatch(r"ECBLOCK([0-9]+)X", part)
        if block:
            parts.append(("site-html", page.blocks[int(block[1])]))
        elif part.startswith("### "):
            parts.append(("h4", part[4:]))
        elif part.startswith("## "):
            parts.append(("h3", part[3:]))
        else:
            parts.append(("p", part))
    return Preview(f"docs page {page.src}: {page.title}", page.markdown, tuple(parts))


def _catalog_of(catalog_dir: str | Path) -> Any:
    from eventcat.catalog.loader import read_catalog

    return read_catalog(catalog_dir)
