"""Hostile file names and numbers against every report format (issue 18 items 4 and 12, issue 20's
intro, issue 17 item 5): one line per problem, one workflow command per problem, one table row per
problem, valid JSON/SARIF/XML, and a document on every exit."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest

from eventcat.report.findings import Finding, Severity
from eventcat.report.render import Result
from eventcat.reporters import render
from tests.conftest import event_schema
from tests.gate.conftest import EVENT, GateRepo, seeded_repo

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

FORMATS = ("text", "json", "markdown", "github", "junit", "sarif")
HOSTILE = [
    "a,b_v1.schema.json",
    "x::y_v1.schema.json",
    "p\n::error file=x::pwned_v1.schema.json",
    "q\r\n##[error]pwned_v1.schema.json",
    "100%25_v1.schema.json",
    "::warning file=evil::top_v1.schema.json",
    "[click](https:x)|![i](https:y)`_v1.schema.json",
]


def cli(repo: GateRepo, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "EVENTCAT_DEBUG")}
    return subprocess.run(
        [sys.executable, "-m", "eventcat.cli", "check", *args],
        cwd=repo.root,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )


@pytest.fixture
def hostile_repo(tmp_path: Path) -> GateRepo:
    """A pull request adding links out of the catalog under hostile names: each is one finding."""
    outside = tmp_path / "outside.json"
    outside.write_text("{}")
    repo = seeded_repo(tmp_path / "repo", event_schema())
    for name in HOSTILE:
        folder = repo.catalog if name.startswith("::") else repo.catalog / "orders"
        (folder / name).symlink_to(outside)
    Path(
        os.fsdecode(os.fsencode(repo.catalog / "orders") + b"/not-utf8-\xff_v1.schema.json")
    ).symlink_to(outside)
    return repo


def names_in(repo: GateRepo) -> list[str]:
    return [n if n.startswith("::") else f"orders/{n}" for n in HOSTILE]


def unescape_github(value: str) -> str:
    for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        value = value.replace(code, char)
    return value


def test_every_format_keeps_its_shape_with_hostile_file_names(hostile_repo: GateRepo) -> None:
    expected = {f"catalog/{n}" for n in names_in(hostile_repo)}
    problems = len(HOSTILE) + 1  # and the name that is not UTF-8
    for output_format in FORMATS:
        done = cli(hostile_repo, "--against", "main", "--format", output_format)
        assert done.returncode == 2, (output_format, done.stdout, done.stderr)
        out = done.stdout
        if output_format == "text":
            lines = out.rstrip("\n").split("\n")
            assert len(lines) == problems + 1, lines
            assert not any(line.startswith(("::", "##")) for line in lines)
            assert "p\\n::error file=x::pwned" in out and "not-utf8-\\xff" in out
        elif output_format == "github":
            lines = out.rstrip("\n").split("\n")
            commands = [line for line in lines if line.startswith("::")]
            assert len(commands) == problems and len(lines) == problems + 1, lines
            files = set()
            for line in commands:
                head = re.fullmatch(r"::(error|warning|notice) ([^:]*)::(.*)", line)
                assert head is not None, line
                props = dict(p.split("=", 1) for p in head.group(2).split(","))
                assert set(props) <= {"file", "line", "title"}, props
                files.add(unescape_github(props["file"]))
            assert expected <= files
        elif output_format == "markdown":
            rows = [line for line in out.split("\n") if line.startswith("| error")]
            assert len(rows) == problems, out
            for row in rows:
                cells = re.split(r"(?<!\\)\|", row)
                assert len(cells) == 6, row  # four cells between the outer pipes
            assert "](" not in out.replace("\\](", "")  # no link or image survives
            assert not any(line.startswith(("::", "##[")) for line in out.split("\n"))
            assert "p\\\\n::error file=x::pwned" in out  # the newline shown as \n, escaped
        elif output_format in ("json", "sarif"):
            document = json.loads(out)
            text = json.dumps(document)
            for name in expected:
                assert json.dumps(name)[1:-1] in text
        else:
            suite = ET.fromstring(out.encode())
            messages = [f.get("message", "") for f in suite.iter("failure")]
            assert len(messages) == problems, messages


def test_an_error_before_the_run_is_still_a_document(tmp_path: Path) -> None:
    repo = seeded_repo(tmp_path / "repo", event_schema())
    for output_format in FORMATS:
        done = cli(repo, "--against", "nope", "--format", output_format)
        assert done.returncode == 2
        assert "Traceback" not in done.stderr
        if output_format == "text":
            assert done.stdout == "" and "unknown revision 'nope'" in done.stderr
            continue
        assert "unknown revision 'nope'" in done.stdout, output_format
        if output_format == "json":
            document = json.loads(done.stdout)
            assert document["ok"] is False and document["exit_code"] == 2
            assert document["findings"][0]["rule"] == "unknown-revision"
        elif output_format == "sarif":
            assert json.loads(done.stdout)["runs"][0]["results"][0]["level"] == "error"
        elif output_format == "junit":
            assert ET.fromstring(done.stdout.encode()).get("failures") == "1"


def reject_constants(name: str) -> Any:
    raise AssertionError(f"not JSON: {name}")


def test_a_number_too_large_for_a_double_is_refused_where_it_is_written(tmp_path: Path) -> None:
    """1e400 reads as infinity in Python and as something else elsewhere: the file is refused,
    located (file and line), with the input exit code, and the report stays strict JSON."""
    schema = event_schema()
    schema["properties"]["qty"] = {"type": "number", "maximum": 10}
    repo = seeded_repo(tmp_path / "repo", schema)
    text = (repo.catalog / EVENT).read_text()
    (repo.catalog / EVENT).write_text(text.replace('"maximum": 10', '"maximum": 1e400'))
    line = text[: text.index('"maximum": 10')].count("\n") + 1
    for output_format in ("json", "sarif"):
        done = cli(repo, "--against", "main", "--format", output_format)
        assert done.returncode == 2, done.stderr
        document = json.loads(done.stdout, parse_constant=reject_constants)  # strict JSON
        assert "1e400" in done.stdout and "too large" in done.stdout
        if output_format == "json":
            [finding] = document["findings"]
            assert finding["rule"] == "json-syntax" and finding["line"] == line
            assert finding["file"].endswith(EVENT)


def test_a_non_finite_number_in_a_finding_becomes_a_string_with_a_note() -> None:
    finding = Finding(file="orders/OrderPlaced_v1.schema.json", pointer="/properties/qty",
                      rule="MAXIMUM_DECREASED", severity=Severity.ERROR, message="lower bound",
                      details=(("counterexample", {"qty": float("inf")}),))  # fmt: skip
    result = Result("check", (finding,), base=".", extra={"catalog_path": "."})
    for output_format in ("json", "sarif"):
        text = render(result, output_format)
        document = json.loads(text, parse_constant=reject_constants)
        assert "Infinity" in text  # the value is there, as a string
        if output_format == "json":
            assert any("Infinity" in note for note in document["notes"]), document.get("notes")


def test_every_renderer_escapes_a_finding_built_by_hand() -> None:
    finding = Finding(
        file="o/p\n::error file=x::pwned",
        pointer="/a`|b",
        rule="r",
        severity=Severity.ERROR,
        message="m\x1b[31m\u202e%",
        details=(("counterexample", {"x": "```\n# injected"}),),
    )
    result = Result("check", (finding,), base=".", extra={"catalog_path": "."})
    text = render(result, "text")
    assert len(text.split("\n")) == 2 and "\x1b" not in text and "\u202e" not in text
    markdown = render(result, "markdown")
    fences = re.findall(r"^(`{3,})json$", markdown, flags=re.MULTILINE)
    assert fences and all(len(f) > 3 for f in fences)  # longer than the ``` inside
    assert "\n# injected" not in markdown.split(fences[0] + "json", 1)[0]
    assert "\n::error file=x" not in markdown
    assert finding.render().count("\n") == 0
