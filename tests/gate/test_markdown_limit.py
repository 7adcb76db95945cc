"""``--format markdown`` fits in one GitHub comment (65,536 characters) however many findings a
change has, and says where the full report is (issue 17 item 6)."""

from __future__ import annotations

import json
from pathlib import Path

from eventcat.reporters import render
from tests.conftest import event_schema
from tests.gate.conftest import seeded_repo

GITHUB_COMMENT_LIMIT = 65_536
EVENTS = 160


def test_a_huge_report_is_cut_to_a_comment_with_a_pointer_to_the_full_one(tmp_path: Path) -> None:
    repo = seeded_repo(tmp_path / "repo", event_schema())
    repo.git("checkout", "-q", "main")
    for index in range(EVENTS):
        schema = event_schema(f"orders.thing{index}_happened.v1")
        schema["description"] = "A long description. " * 20
        repo.write(f"orders/Thing{index}Happened_v1.schema.json", schema)
    repo.commit("many events")
    repo.git("checkout", "-q", "-b", "work")
    for index in range(EVENTS):
        # A different required property in each: distinct changes, nothing to group.
        def change(schema: dict[str, object], index: int = index) -> None:
            props = schema["properties"]
            assert isinstance(props, dict)
            props[f"reason{index}"] = {"type": "string", "description": "why " * 40}
            required = schema["required"]
            assert isinstance(required, list)
            required.append(f"reason{index}")

        repo.edit(f"orders/Thing{index}Happened_v1.schema.json", change)
    result = repo.check()
    assert len(result.failing) == EVENTS
    full = sum(len(f.message) for f in result.findings)
    assert full > GITHUB_COMMENT_LIMIT  # the case the limit is for

    markdown = render(result, "markdown")
    assert len(markdown) <= GITHUB_COMMENT_LIMIT
    assert f"breaking ({EVENTS})" in markdown.splitlines()[0]  # the summary counts them all
    shown = markdown.count("| error | `REQUIRED_PROPERTY_ADDED")
    assert 0 < shown < EVENTS
    assert f"**{EVENTS - shown} of {len(result.findings)} findings are not shown here**" in markdown
    assert "--format json" in markdown
    # The full report still has every finding.
    assert len(json.loads(render(result, "json"))["findings"]) == len(result.findings)


def test_a_small_report_is_not_cut(tmp_path: Path) -> None:
    repo = seeded_repo(tmp_path / "repo", event_schema())
    repo.edit(
        "orders/OrderPlaced_v1.schema.json",
        lambda s: s["properties"].update(note={"type": "integer"}),
    )
    markdown = render(repo.check(), "markdown")
    assert "not shown here" not in markdown
    assert "| error | `TYPE_CHANGED`" in markdown
