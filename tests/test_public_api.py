"""The public API is typed end to end: a consumer script that uses it passes ``mypy --strict``
with no ``Any`` in any of its expressions, and runs."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import eventcat

ROOT = Path(__file__).resolve().parents[1]
PACKAGE_ROOT = Path(eventcat.__file__).resolve().parents[1]

CONSUMER = textwrap.dedent('''
    """A downstream tool, written against eventcat's documented API only."""

    from __future__ import annotations

    import sys
    from pathlib import Path

    from eventcat import (
        CatalogError,
        EventcatError,
        Finding,
        InputError,
        SchemaError,
        Severity,
        UsageError,
        check,
        compare,
        lint,
        load_catalog,
    )


    def gate(folder: Path) -> int:
        """Needs a git work tree: type-checked here, not run."""
        try:
            result = check(folder, against="HEAD~1", strict=True)
        except InputError as err:
            print(err.problems[0].message)
            return 2
        for finding in result.findings:
            print(finding.render(), finding.event, finding.version, finding.blast_radius)
        return result.exit_code


    def main(folder: Path) -> int:
        catalog = load_catalog(folder)
        names: list[str] = [event.name for event in catalog.events]
        findings: list[Finding] = lint(catalog)
        errors = [f for f in findings if f.severity is Severity.ERROR]
        old = {"type": "object", "properties": {"id": {"type": "string"}}}
        new = {"type": "object", "properties": {"id": {"type": "integer"}}}
        report = compare(old, new, mode="FULL", policy="STRICT", rules="sound")
        changes: list[str] = [f"{c.type} {c.new_pointer}" for c in report.breaking_changes]
        try:
            compare(old, {"type": 3}, mode="BACKWARD")
        except SchemaError as err:
            located: str | None = err.problems[0].pointer
        except (UsageError, EventcatError):
            return 3
        try:
            load_catalog(folder / "no-such-catalog")
        except CatalogError as err:
            missing: str = err.problems[0].rule
        print(len(names), len(errors), report.verdict, changes, located, missing)
        return 0 if not report.compatible and names and not errors else 1


    if __name__ == "__main__":
        sys.exit(main(Path(sys.argv[1])))
''')


def _mypy(script: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    # Any is refused in the consumer's own expressions. eventcat is read from the source tree
    # but, as for an installed package, only its types count here: its own code is held to
    # `mypy --strict` by the lint session.
    config = tmp_path / "mypy.ini"
    config.write_text(
        f"[mypy]\nstrict = True\n\n[mypy-{script.stem}]\ndisallow_any_expr = True\n"
        "\n[mypy-eventcat.*]\nignore_errors = True\n",
        encoding="utf-8",
    )
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(config),
            "--no-error-summary",
            "--cache-dir",
            str(tmp_path / ".mypy_cache"),
            str(script),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
        env={"MYPYPATH": str(PACKAGE_ROOT), "PATH": "/usr/bin:/bin"},
    )


def test_a_consumer_script_is_strictly_typed_and_runs(tmp_path: Path) -> None:
    script = tmp_path / "consumer.py"
    script.write_text(CONSUMER, encoding="utf-8")
    checked = _mypy(script, tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout == ""
    ran = subprocess.run(
        [sys.executable, str(script), str(ROOT / "catalog")],
        capture_output=True,
        text=True,
        timeout=300,
        env={"PYTHONPATH": str(PACKAGE_ROOT)},
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "breaking" in ran.stdout and "catalog-missing" in ran.stdout


def test_the_type_check_does_see_an_any_leak(tmp_path: Path) -> None:
    # The free-form details of a finding are Any: reading them must be caught, or the test above
    # proves nothing.
    script = tmp_path / "leaky.py"
    script.write_text(
        "from eventcat import Finding\n\n"
        "def first(finding: Finding) -> str:\n"
        "    return str(finding.details[0][1])\n",
        encoding="utf-8",
    )
    checked = _mypy(script, tmp_path)
    assert checked.returncode == 1
    assert 'Expression has type "Any"' in checked.stdout
