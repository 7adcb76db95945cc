"""Hostile AsyncAPI documents: an import never writes outside the catalog folder."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from eventcat.cli import main


@pytest.mark.parametrize(
    "path",
    ["../escaped/Evil_v1.schema.json", "/tmp/Evil_v1.schema.json", "a/b/Evil_v1.schema.json"],
)
def test_an_exported_looking_document_cannot_name_a_path_outside_the_catalog(
    tmp_path: Path, path: str
) -> None:
    doc = {
        "asyncapi": "3.0.0",
        "info": {"title": "Evil", "version": "1"},
        "components": {"schemas": {"Evil_v1": {"type": "object"}}},
        "x-eventcat": {"name": "evil", "files": {"Evil_v1": path}},
    }
    source = tmp_path / "evil.yaml"
    source.write_text(yaml.safe_dump(doc), encoding="utf-8")
    work = tmp_path / "work"
    catalog = work / "catalog"
    result = CliRunner().invoke(
        main, ["import", "asyncapi", str(source), "--catalog", str(catalog)]
    )
    assert result.exit_code == 2
    assert "/x-eventcat/files/Evil_v1" in result.output
    assert not work.exists()
    assert not (tmp_path / "escaped").exists()
    assert not Path("/tmp/Evil_v1.schema.json").exists()
