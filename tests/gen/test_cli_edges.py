"""gen's edges: without its extra, with a catalog that does not lint, and its own import graph."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from eventcat.cli import main
from tests.conftest import event_schema
from tests.gen.conftest import ROOT

HIDE = """
import importlib.abc, sys

class Hide(importlib.abc.MetaPathFinder):
    # what an environment without eventcat[gen] looks like to an import
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == {hidden!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None

sys.meta_path.insert(0, Hide())
from eventcat.cli import main
main(["gen", "python", "--catalog", {catalog!r}, "--out", {out!r}])
"""


def test_gen_without_its_extra_exits_2_naming_the_install_command(
    make_catalog: Callable[..., Path],
    tmp_path: Path,
) -> None:
    catalog = make_catalog()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "tooling"), "NO_COLOR": "1"}
    for hidden in ("datamodel_code_generator", "pydantic"):
        out = tmp_path / f"out_{hidden}"
        code = HIDE.format(hidden=hidden, catalog=str(catalog), out=str(out))
        result = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            env=env,
            check=False,
            timeout=120,
        )
        assert result.returncode == 2, result.stderr
        lines = (result.stdout + result.stderr).strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in lines[0]
        assert "pip install 'eventcat[gen]'" in lines[0] and hidden in lines[0]
        assert not out.exists()


def test_a_catalog_that_does_not_lint_is_refused_one_line_per_blocking_file(
    make_catalog: Callable[..., Path],
    tmp_path: Path,
) -> None:
    bad_examples = [{"orderId": 5, "total": {"amount": "1", "currency": "EUR"}}, {}, {}]
    catalog = make_catalog(
        {
            "orders/OrderPlaced_v1.schema.json": event_schema(examples=bad_examples),
            "orders/OrderShipped_v1.schema.json": event_schema(
                "orders.order_shipped.v1", examples=[{"orderId": "x"}]
            ),
            "orders/OrderPaid_v1.schema.json": event_schema("orders.order_paid.v1"),
        }
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["gen", "python", "--catalog", str(catalog), "--out", str(out)]
    )
    assert result.exit_code == 1 and not out.exists()
    lines = result.output.strip().splitlines()
    assert len(lines) == 2, lines
    placed = next(line for line in lines if "OrderPlaced_v1" in line)
    shipped = next(line for line in lines if "OrderShipped_v1" in line)
    assert "#/examples/0/orderId" in placed and "#/examples/1" in placed
    assert "#/examples/2" in placed and "blocks the output" in placed
    assert "#/examples/0" in shipped and "blocks the output" in shipped
    lint = CliRunner().invoke(main, ["lint", "--catalog", str(catalog), "--format", "json"])
    assert lint.exit_code == 1 and len(json.loads(lint.output)["findings"]) > 2  # details there


def test_gen_modules_import_one_way() -> None:
    """No import cycle among eventcat.gen's modules, imports inside functions included."""
    folder = ROOT / "tooling" / "eventcat" / "gen"
    names = {p.stem for p in folder.glob("*.py") if p.stem != "__init__"}
    edges: dict[str, set[str]] = {}
    for name in names:
        tree = ast.parse((folder / f"{name}.py").read_text("utf-8"))
        targets = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                parts = node.module.split(".")
                if parts[:2] == ["eventcat", "gen"] and len(parts) > 2:
                    targets.add(parts[2])
        edges[name] = targets & names

    def cycle_from(start: str) -> list[str] | None:
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in edges[node]:
                if nxt == start:
                    return [*path, start]
                if nxt not in path:
                    stack.append((nxt, [*path, nxt]))
        return None

    assert {name: cycle_from(name) for name in sorted(names)} == dict.fromkeys(sorted(names))
    assert edges["prepare"] >= {"jobs"} and "engine" not in edges["prepare"]
