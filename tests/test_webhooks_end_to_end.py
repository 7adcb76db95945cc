"""GitHub's webhook schemas through lint and gen, as a user runs them (issue 17's corpus).

The catalog is @octokit/webhooks-schemas 7.6.1 converted by bench/realworld_webhooks.py (224
events, 67 shared fragments, ``tsAdditionalProperties`` annotations, relative ``$id``s). The gate's
replay and the site are tested beside their own code (tests/compat/test_webhooks_realworld.py,
tests/docsite/test_page_weight.py, tests/docsite/test_layout_webhooks.py). Skips, saying how to
fetch it, when the tarball is not cached.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.webhooks import write_catalog

VERSION = "7.6.1"


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_catalog(VERSION, tmp_path_factory.mktemp("webhooks") / "catalog")


def eventcat(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "eventcat.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT / "tooling")},
        check=False,
    )


def test_lint_passes_and_warns_about_each_unknown_keyword(catalog: Path) -> None:
    done = eventcat("lint", "--catalog", str(catalog), "--format", "json", cwd=catalog.parent)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["summary"]["error"] == 0
    unknown = [f for f in report["findings"] if f["rule"] == "keyword-unknown"]
    # GitHub's TypeScript annotation: each use is located (file and pointer), none passes silently
    assert unknown and all(f["pointer"].endswith("/tsAdditionalProperties") for f in unknown)
    assert all(f["severity"] == "warning" and f["line"] for f in unknown)


def test_gen_writes_a_package_whose_models_are_strict(catalog: Path) -> None:
    out = catalog.parent / "sdk"
    done = eventcat(
        "gen", "python", "--catalog", str(catalog), "--out", str(out), cwd=catalog.parent
    )
    assert done.returncode == 0, done.stderr
    # Imported as a consumer would, isolated from this environment's paths but for the package.
    program = (
        "import json, sys\n"
        f"sys.path.insert(0, {str(out)!r})\n"
        "import sdk\n"
        "from pydantic import ValidationError\n"
        "from sdk.pull_request.pull_request_opened_v1 import PullRequestOpenedV1 as Opened\n"
        "found = {'events': len(sdk.EVENT_TYPES)}\n"
        'for text in (\'{"number": "5"}\', \'{"number": 5.5}\', \'{"number": true}\'):\n'
        "    try:\n"
        "        Opened.model_validate_json(text)\n"
        "    except ValidationError as err:\n"
        "        found[text] = [e['type'] for e in err.errors() if e['loc'][:1] == ('number',)]\n"
        "print(json.dumps(found))\n"
    )
    run = subprocess.run(
        [sys.executable, "-I", "-c", program], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout)
    assert found.pop("events") == 224
    # "5", 5.5 and true are not the integer the schema asks for: refused, not coerced
    assert found == {text: ["int_type"] for text in found} and len(found) == 3
