"""The engine's comparisons cached by content (issue 17.14): what is asked twice is computed once,
the key covers every document a ``$ref`` reaches, and the folder on disk is only ever a cache."""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import eventcat.compat.api as api
from eventcat.catalog.model import SchemaFile, uri_for
from eventcat.catalog.refs import registry_for
from eventcat.comparecache import ComparisonCache, Memo
from eventcat.compat.records import from_record, record

DRAFT = "https://json-schema.org/draft/2020-12/schema"


@pytest.fixture
def engine_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, Any]]:
    """Every call of the engine's entry point, counted (the cache must go through it)."""
    calls: list[tuple[Any, Any]] = []
    real = api.compare_settings

    def counted(old: Any, new: Any, **options: Any) -> Any:
        calls.append((old, new))
        return real(old, new, **options)

    monkeypatch.setattr(api, "compare_settings", counted)
    return calls


def _file(path: str, schema: Any) -> SchemaFile:
    return SchemaFile(path=path, text=json.dumps(schema), schema=schema)


def _resolver(files: dict[str, Any], path: str) -> Any:
    """A resolver at ``path`` in a registry of ``files`` (path -> schema), as a catalog makes."""
    registry = registry_for({p: _file(p, s) for p, s in files.items()})
    return registry.resolver(base_uri=uri_for(path))


EVENT = "orders/OrderPlaced_v1.schema.json"
ADDRESS = "_shared/Address_v1.schema.json"
STREET = "_shared/Street_v1.schema.json"


def _catalog(street: dict[str, Any]) -> dict[str, Any]:
    """An event using Address, which uses Street: a fragment reached only through another."""
    return {
        EVENT: {
            "$schema": DRAFT,
            "type": "object",
            "properties": {"shipTo": {"$ref": "../_shared/Address_v1.schema.json"}},
        },
        ADDRESS: {
            "$schema": DRAFT,
            "type": "object",
            "properties": {"street": {"$ref": "Street_v1.schema.json"}},
        },
        STREET: street,
    }


OPEN_STREET = {"$schema": DRAFT, "type": "object", "properties": {"name": {"type": "string"}}}
NAMED_STREET = {**OPEN_STREET, "required": ["name"]}


def _compare(cache: ComparisonCache, old: dict[str, Any], new: dict[str, Any]) -> Any:
    return cache.compare(
        old[EVENT],
        new[EVENT],
        mode="BACKWARD",
        policy="STRICT",
        rules="sound",
        old_resolver=_resolver(old, EVENT),
        new_resolver=_resolver(new, EVENT),
    )


def test_the_same_content_is_compared_once(engine_calls: list[Any]) -> None:
    memo = Memo()
    old, new = _catalog(OPEN_STREET), _catalog(NAMED_STREET)
    first = _compare(ComparisonCache(memo=memo), old, new)
    # equal content in other objects, other registries and another run: no second engine call
    again = _compare(ComparisonCache(memo=memo), copy.deepcopy(old), copy.deepcopy(new))
    assert len(engine_calls) == 1
    assert again.verdict == first.verdict == "breaking"
    assert [c.as_json() for c in again.changes] == [c.as_json() for c in first.changes]


def test_a_change_in_a_fragment_reached_through_another_changes_the_key(
    engine_calls: list[Any],
) -> None:
    cache = ComparisonCache(memo=Memo())
    old = _catalog(OPEN_STREET)
    assert _compare(cache, old, old).verdict == "compatible"
    # the event and Address are unchanged; only Street, two $refs away, now requires a name
    new = _catalog(NAMED_STREET)
    assert new[EVENT] == old[EVENT] and new[ADDRESS] == old[ADDRESS]
    report = _compare(cache, old, new)
    assert len(engine_calls) == 2
    assert report.verdict == "breaking"
    assert any("REQUIRED" in c.type for c in report.breaking_changes)
    # and an unrelated file of the registry does not change it
    unrelated = {**new, "_shared/Other_v1.schema.json": {"$schema": DRAFT, "type": "string"}}
    _compare(cache, old, unrelated)
    assert len(engine_calls) == 2


def test_mode_policy_and_rules_are_part_of_the_key(engine_calls: list[Any]) -> None:
    cache = ComparisonCache(memo=Memo())
    old, new = _catalog(OPEN_STREET), _catalog(NAMED_STREET)
    verdicts = {}
    for mode, policy, rules in (
        ("BACKWARD", "STRICT", "sound"),
        ("FORWARD", "STRICT", "sound"),
        ("BACKWARD", "LENIENT", "sound"),
        ("BACKWARD", "STRICT", "confluent"),
        ("backward", "strict", "SOUND"),  # the same options, spelt otherwise
    ):
        report = cache.compare(
            old[EVENT],
            new[EVENT],
            mode=mode,
            policy=policy,
            rules=rules,
            old_resolver=_resolver(old, EVENT),
            new_resolver=_resolver(new, EVENT),
        )
        verdicts[(mode, policy, rules)] = report.verdict
    assert len(engine_calls) == 4
    assert verdicts[("FORWARD", "STRICT", "sound")] == "compatible"
    assert verdicts[("BACKWARD", "STRICT", "sound")] == "breaking"


def test_a_report_read_back_from_disk_says_what_the_fresh_one_said(
    tmp_path: Path, engine_calls: list[Any]
) -> None:
    old, new = _catalog(OPEN_STREET), _catalog(NAMED_STREET)
    new[EVENT]["properties"]["code"] = {"type": "string", "maxLength": 3}  # open model: policy
    old[EVENT]["properties"]["code"] = {"type": "string"}
    fresh = _compare(ComparisonCache(tmp_path / "cache", memo=Memo()), old, new)
    assert len(list((tmp_path / "cache" / "compare").rglob("*.json"))) == 1
    stored = _compare(ComparisonCache(tmp_path / "cache", memo=Memo()), old, new)  # a new build
    assert len(engine_calls) == 1
    assert stored.verdict == fresh.verdict == "breaking"
    assert [c.as_json() for c in stored.changes] == [c.as_json() for c in fresh.changes]
    assert any(c.has_counterexample for c in stored.changes)  # the proof travels with it
    assert [c.basis for c in stored.changes] == [c.basis for c in fresh.changes]
    assert stored.findings("a", "b") == fresh.findings("a", "b")


def _only_entry(folder: Path) -> Path:
    (entry,) = (folder / "compare").rglob("*.json")
    return entry


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],  # cut short
        lambda text: "\x00\xff not json",
        lambda text: json.dumps([1, 2, 3]),
        lambda text: text.replace('"verdict": "breaking"', '"verdict": "maybe"'),
        lambda text: text.replace('"layout": 1', '"layout": 99'),
        lambda text: text.replace('"type": "', '"type": "NO_SUCH_', 1),
        lambda text: text.replace('"suspected": true', '"suspected": "yes"', 1),
    ],
    ids=["truncated", "binary", "foreign", "verdict", "layout", "change-type", "flag"],
)
def test_a_damaged_entry_is_ignored_and_recomputed(
    tmp_path: Path, engine_calls: list[Any], damage: Callable[[str], str]
) -> None:
    old, new = _catalog(OPEN_STREET), _catalog(NAMED_STREET)
    fresh = _compare(ComparisonCache(tmp_path, memo=Memo()), old, new)
    entry = _only_entry(tmp_path)
    text = entry.read_text(encoding="utf-8")
    damaged = damage(text)
    assert damaged != text
    entry.write_bytes(damaged.encode("utf-8", "surrogateescape"))
    again = _compare(ComparisonCache(tmp_path, memo=Memo()), old, new)
    assert len(engine_calls) == 2
    assert again.verdict == fresh.verdict
    assert json.loads(entry.read_text(encoding="utf-8"))["report"] == record(fresh)  # repaired


def test_an_entry_of_another_key_is_not_read(tmp_path: Path, engine_calls: list[Any]) -> None:
    cache = ComparisonCache(tmp_path, memo=Memo())
    old, new = _catalog(OPEN_STREET), _catalog(NAMED_STREET)
    _compare(cache, old, old)  # compatible
    _compare(cache, old, new)  # breaking
    entries = sorted((tmp_path / "compare").rglob("*.json"))
    assert len(entries) == 2
    # swap the two files: each now holds a record made for the other key
    first, second = (e.read_bytes() for e in entries)
    entries[0].write_bytes(second)
    entries[1].write_bytes(first)
    fresh = ComparisonCache(tmp_path, memo=Memo())
    assert _compare(fresh, old, new).verdict == "breaking"
    assert _compare(fresh, old, old).verdict == "compatible"
    assert len(engine_calls) == 4


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_nothing_is_written_through_a_link_out_of_the_folder(
    tmp_path: Path, engine_calls: list[Any]
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    cache_folder = tmp_path / "cache"
    cache_folder.mkdir()
    (cache_folder / "compare").symlink_to(outside, target_is_directory=True)
    old, new = _catalog(OPEN_STREET), _catalog(NAMED_STREET)
    assert _compare(ComparisonCache(cache_folder, memo=Memo()), old, new).verdict == "breaking"
    assert list(outside.rglob("*")) == []
    # a planted entry behind the link is not read either
    key = ComparisonCache(memo=Memo()).key(
        old[EVENT],
        new[EVENT],
        "BACKWARD",
        "STRICT",
        "sound",
        _resolver(old, EVENT),
        _resolver(new, EVENT),
    )
    assert key is not None
    (outside / key[:2]).mkdir()
    planted = {"key": key, "report": {**record(_compare(ComparisonCache(), old, old))}}
    (outside / key[:2] / f"{key}.json").write_text(json.dumps(planted), encoding="utf-8")
    report = _compare(ComparisonCache(cache_folder, memo=Memo()), old, new)
    assert report.verdict == "breaking"


def test_an_unknown_answer_keeps_its_reason_through_the_folder(
    tmp_path: Path, engine_calls: list[Any]
) -> None:
    old = {"type": "object", "properties": {"a": {"type": "string"}}}
    new = {"type": "object", "properties": {"a": {"type": "string", "pattern": "^(?=x)"}}}
    answers = [
        ComparisonCache(tmp_path, memo=Memo()).compare(
            old, new, mode="BACKWARD", policy="STRICT", rules="sound"
        )
        for _ in range(2)
    ]
    assert len(engine_calls) == 1
    fresh, stored = answers
    assert stored.verdict == fresh.verdict == "unknown"
    assert [(c.basis, c.reason, c.explanation) for c in stored.changes] == [
        (c.basis, c.reason, c.explanation) for c in fresh.changes
    ]
    assert "cannot compile" in stored.changes[0].reason


def test_records_round_trip_and_refuse_what_they_did_not_write() -> None:
    old, new = _catalog(OPEN_STREET), _catalog(NAMED_STREET)
    report = _compare(ComparisonCache(memo=Memo()), old, new)
    data = json.loads(json.dumps(record(report)))
    back = from_record(data)
    assert back is not None and record(back) == record(report)
    for broken in (None, [], {"layout": 1}, {**data, "changes": [{}]}, {**data, "mode": 3}):
        assert from_record(broken) is None


def test_content_that_is_not_json_data_has_no_key() -> None:
    # a YAML-ish default with mixed key types has no canonical JSON text: nothing is cached
    odd = {"type": "object", "default": {1: "x", "b": 2}}
    cache = ComparisonCache(memo=Memo())
    assert cache.key(odd, odd, "BACKWARD", "STRICT", "sound", None, None) is None
    assert cache.key({}, {}, "BACKWARD", "STRICT", "sound", None, None) is not None
