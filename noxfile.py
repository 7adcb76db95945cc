"""The one entry point for local work and CI: `nox -s <session>` (see `nox --list`)."""

from __future__ import annotations

import os
from pathlib import Path

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["lint", "tests"]
nox.options.reuse_existing_virtualenvs = True

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
ALL_EXTRAS = ".[gen,site,notebooks]"


def _install(session: nox.Session, spec: str = ALL_EXTRAS, dev: bool = True) -> None:
    """The project (editable, with ``spec``'s extras) plus, for development sessions, the dev group."""
    tools = nox.project.dependency_groups(PYPROJECT, "dev") if dev else ()
    session.install("-e", spec, *tools)


@nox.session
def catalog(session: nox.Session) -> None:
    """The main job on the example catalog: lint it, then build its docs site into site/."""
    _install(session, ".[site]", dev=False)
    session.run("eventcat", "lint", "--catalog", "catalog")
    if (ROOT / "mkdocs.yml").exists():
        session.run("mkdocs", "build", "--strict", env={"NO_MKDOCS_2_WARNING": "1"})
        session.log("Site built in site/; serve it with: python -m http.server -d site 8000")


@nox.session
def tests(session: nox.Session) -> None:
    """The test suite (pytest; browser tests need Debian's chromium, see .ci/run)."""
    _install(session)
    session.run("pytest", "-n", "auto", "--dist", "loadgroup", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff (lint and format) and mypy --strict over the package, the tests and the benchmarks."""
    _install(session)
    session.run("ruff", "check", "tooling", "tests", "bench", "noxfile.py")
    session.run("ruff", "format", "--check", "tooling", "tests", "bench", "noxfile.py")
    session.run("mypy", "--strict", "tooling/eventcat")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the docs site (`mkdocs build --strict`) into site/."""
    _install(session, ".[site]", dev=False)
    session.run("mkdocs", "build", "--strict", *session.posargs, env={"NO_MKDOCS_2_WARNING": "1"})


@nox.session
def gen(session: nox.Session) -> None:
    """Generate the Pydantic package of the example catalog into build/eventcat_events."""
    _install(session, ".[gen]", dev=False)
    session.run("eventcat", "gen", "python", "--out", "build/eventcat_events", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Run every benchmark under bench/ and print its figures."""
    _install(session)
    scripts = sorted(p for p in (ROOT / "bench").glob("bench_*.py"))
    wanted = set(session.posargs)
    for script in scripts:
        if not wanted or script.stem in wanted or script.stem.removeprefix("bench_") in wanted:
            session.run("python", str(script))


@nox.session
def soundness(session: nox.Session) -> None:
    """The long property-test run of the compatibility engine (>= 20,000 schema pairs)."""
    _install(session)
    env = {"EVENTCAT_SOUNDNESS_EXAMPLES": os.environ.get("EVENTCAT_SOUNDNESS_EXAMPLES", "20000")}
    session.run("pytest", "tests/compat", "-k", "soundness", "-p", "no:randomly", env=env)


@nox.session
def lab(session: nox.Session) -> None:
    """JupyterLab with eventcat installed, opened on notebooks/ (extra arguments go to jupyter lab)."""
    _install(session)
    session.install("jupyterlab")
    # Jupyter refuses to start as root without this flag (containers, CI machines).
    as_root = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    session.run("jupyter", "lab", "notebooks", *as_root, *session.posargs)
