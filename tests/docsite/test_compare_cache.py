"""Issue 17.14: the site compares each (old, new) content pair once, keeps the results in its
cache folder for the next build, and agrees with the gate, which shares the same results.

Real parts: a git repository with a catalog history, real ``mkdocs build``s, the gate's own
``run_check``; the engine's entry point is only wrapped, to count its calls."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import eventcat.comparecache as comparecache
import eventcat.compat.api as api
from eventcat.gate.core import CheckOptions, run_check
from tests.conftest import event_schema
from tests.docsite.conftest import build, text_of

pytestmark = [
    pytest.mark.xdist_group("site"),
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
]

EVENT = "orders/OrderPlaced_v1.schema.json"


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.com", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def engine_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every engine call as (old, new) JSON text; each test starts with an empty memo."""
    monkeypatch.setattr(comparecache, "MEMO", comparecache.Memo())
    calls: list[tuple[str, str]] = []
    real = api.compare_settings

    def counted(old: Any, new: Any, **options: Any) -> Any:
        calls.append((json.dumps(old, sort_keys=True), json.dumps(new, sort_keys=True)))
        return real(old, new, **options)

    monkeypatch.setattr(api, "compare_settings", counted)
    return calls


@pytest.fixture
def history(make_catalog: Callable[..., Path], tmp_path: Path) -> Path:
    """OrderPlaced_v1 committed four times: A, then B (a new required field), back to A, and B
    again, so the history holds the pair (A, B) twice."""
    a = event_schema()
    b = event_schema()
    b["properties"]["channel"] = {"type": "string"}
    b["required"] = [*a["required"], "channel"]
    b["examples"][0]["channel"] = "web"
    root = make_catalog({EVENT: a})
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "Add OrderPlaced")
    for subject, schema in (
        ("Require the sales channel", b),
        ("Revert: require the sales channel", a),
        ("Require the sales channel, again", b),
    ):
        (root / EVENT).write_text(json.dumps(schema, indent=2) + "\n", encoding="utf-8")
        _git(tmp_path, "commit", "-qam", subject)
    return root


def _history_entries(html: str) -> list[str]:
    """The text of the event page's "Changes" history, one entry per commit."""
    section = html.split("Along the file", 1)[1].split("Metadata changes", 1)[0]
    return [text_of(part) for part in re.split(r"<li[ >]", section)[1:]]


def test_a_pair_is_compared_once_and_the_next_build_reads_the_cache(
    history: Path, tmp_path: Path, engine_calls: list[tuple[str, str]]
) -> None:
    first = build(tmp_path / "docs-site", history, history=True)
    assert first.ok, first.error + first.log
    # the history holds (A, B), (B, A) and (A, B) again: two pairs for the engine, not three
    assert len(engine_calls) == 2
    assert len(set(engine_calls)) == len(engine_calls)
    entries = _history_entries(first.html("events/OrderPlaced/v1/"))
    requiring = [e for e in entries if "Require the sales channel, again" in e]
    assert requiring and "breaking" in requiring[0] and "channel" in requiring[0]
    assert list((tmp_path / "docs-site" / ".eventcat-cache" / "compare").rglob("*.json"))

    # a new process (an empty memo), the same catalog: every answer comes from the folder
    comparecache.MEMO.clear()
    second = build(tmp_path / "docs-site", history, history=True)
    assert second.ok, second.error + second.log
    assert len(engine_calls) == 2
    for page in (
        "events/OrderPlaced/v1/",
        "changelog/",
        "rules/REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL/",
    ):
        assert second.html(page) == first.html(page), page
    compare_data = "assets/eventcat/compare/OrderPlaced.json"
    assert (second.site / compare_data).read_bytes() == (first.site / compare_data).read_bytes()


def test_a_damaged_cache_costs_a_comparison_not_the_build(
    history: Path, tmp_path: Path, engine_calls: list[tuple[str, str]]
) -> None:
    first = build(tmp_path / "docs-site", history, history=True)
    assert first.ok
    entries = list((tmp_path / "docs-site" / ".eventcat-cache" / "compare").rglob("*.json"))
    for entry in entries:
        entry.write_text('{"key": "not this one", "report": {"verdict": "compatible"', "utf-8")
    comparecache.MEMO.clear()
    second = build(tmp_path / "docs-site", history, history=True)
    assert second.ok, second.error + second.log
    assert "Traceback" not in second.log
    assert len(engine_calls) == 4  # both pairs computed again
    assert second.html("events/OrderPlaced/v1/") == first.html("events/OrderPlaced/v1/")


def test_the_gate_and_the_site_share_the_same_verdict(
    history: Path, tmp_path: Path, engine_calls: list[tuple[str, str]]
) -> None:
    site = build(tmp_path / "docs-site", history, history=True)
    assert site.ok
    computed = len(engine_calls)
    # the gate judges the last commit (A -> B): the pair the site has just compared
    result = run_check(CheckOptions(catalog_dir=str(history), against="HEAD~1"))
    assert len(engine_calls) == computed, "the gate compared again what the site had compared"
    breaking = [f for f in result.findings if f.rule.startswith("REQUIRED_PROPERTY_ADDED")]
    assert breaking and result.exit_code == 1
    entry = next(
        e
        for e in _history_entries(site.html("events/OrderPlaced/v1/"))
        if "Require the sales channel, again" in e
    )
    assert breaking[0].rule in entry and "breaking" in entry


def test_the_site_reads_what_the_gate_kept_in_the_shared_folder(
    history: Path, tmp_path: Path, engine_calls: list[tuple[str, str]]
) -> None:
    folder = tmp_path / "docs-site"
    cache = folder / ".eventcat-cache"  # the plugin's default folder, relative to mkdocs.yml
    result = run_check(CheckOptions(catalog_dir=str(history), against="HEAD~1", cache=str(cache)))
    assert result.exit_code == 1 and len(engine_calls) == 1  # (A, B)
    comparecache.MEMO.clear()  # another process: only the folder is shared
    site = build(folder, history, history=True)
    assert site.ok, site.error + site.log
    assert len(engine_calls) == 2  # only (B, A) was new to the site
    entry = next(
        e
        for e in _history_entries(site.html("events/OrderPlaced/v1/"))
        if "Require the sales channel, again" in e
    )
    rules = {f.rule for f in result.findings if f.rule.startswith("REQUIRED_PROPERTY_ADDED")}
    assert rules and all(rule in entry for rule in rules) and "breaking" in entry
