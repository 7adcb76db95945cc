"""A break names a consumer as reading only the fields the change touches (issue 17 item 7)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import event_schema
from tests.gate.conftest import seeded_repo

REPO_FRAGMENT = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {"full_name": {"type": "string"}, "is_template": {"type": "boolean"}},
}


def test_only_consumers_reading_the_changed_field_are_named_with_fields(tmp_path: Path) -> None:
    schema = event_schema("orders.order_placed.v1")
    schema["properties"]["repository"] = {"$ref": "../_shared/Repo_v1.schema.json"}
    schema["properties"]["pull_request"] = {
        "type": "object",
        "properties": {
            "head": {
                "type": "object",
                "properties": {
                    "sha": {"type": "string"},
                    "repo": {"$ref": "../_shared/Repo_v1.schema.json"},
                },
            }
        },
    }
    schema["x-eventcat"]["consumers"] = [
        {"service": "ci-bot", "fields": ["pull_request.head.sha"]},
        {"service": "template-sync", "fields": ["repository.is_template"]},
        {"service": "audit-service"},
    ]
    repo = seeded_repo(tmp_path / "repo", schema)
    repo.git("checkout", "-q", "main")
    repo.write("_shared/Repo_v1.schema.json", REPO_FRAGMENT)
    repo.commit("repo fragment")
    repo.git("checkout", "-q", "-b", "work")
    changed = json.loads(json.dumps(REPO_FRAGMENT))
    changed["properties"]["is_template"] = {"type": "string"}
    repo.write("_shared/Repo_v1.schema.json", changed)

    result = repo.check()
    assert result.exit_code == 1
    messages = " ".join(f.message for f in result.failing)
    whoms = [dict(f.details)["whom"] for f in result.failing]
    assert any("template-sync, which reads `repository.is_template`" in w for w in whoms)
    assert "pull_request.head.sha" not in messages  # ci-bot's field is unrelated
    assert all("ci-bot, which reads" not in w for w in whoms)
    # Consumers that declare no fields may read it: named, without fields.
    assert all("audit-service" in w for w in whoms)


def test_a_removal_does_not_name_readers_of_its_sibling_fields(tmp_path: Path) -> None:
    schema = event_schema("orders.order_placed.v1")
    schema["properties"]["repository"] = {"$ref": "../_shared/Repo_v1.schema.json"}
    schema["x-eventcat"]["consumers"] = [
        {"service": "mirror", "fields": ["repository.full_name"]},
        {"service": "template-sync", "fields": ["repository.is_template"]},
    ]
    repo = seeded_repo(tmp_path / "repo", schema)
    repo.git("checkout", "-q", "main")
    repo.write("_shared/Repo_v1.schema.json", REPO_FRAGMENT)
    repo.commit("repo fragment")
    repo.git("checkout", "-q", "-b", "work")
    changed = json.loads(json.dumps(REPO_FRAGMENT))
    del changed["properties"]["is_template"]
    repo.write("_shared/Repo_v1.schema.json", changed)

    [finding] = repo.check().failing
    whom = dict(finding.details)["whom"]
    assert "template-sync, which reads `repository.is_template`" in whom
    assert "mirror" not in whom  # reads repository.full_name, which is still there
