"""Locating and reading Confluent's conformance corpus (never copied into this repository)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

FILES = (
    "diff-schema-examples.json",
    "diff-schema-examples-2020-12.json",
    "diff-combined-schema-examples.json",
    "diff-combined-schema-examples-2020-12.json",
)


def corpus_dir() -> Path:
    env = os.environ.get("EVENTCAT_CONFLUENT_CORPUS")
    if env:
        return Path(env)
    # tests/compat/corpus.py -> repo root is parents[2]; the shared folder sits beside the repo.
    return Path(__file__).resolve().parents[2] / ".." / "shared" / "corpora" / "confluent"


def missing_reason() -> str:
    """The skip message when the corpus is absent: where it was looked for and how to provide it."""
    return (
        f"Confluent's conformance corpus is not at {corpus_dir()}: it is read in place from "
        "../shared/corpora/confluent beside the project; to run these tests elsewhere, set "
        f"EVENTCAT_CONFLUENT_CORPUS to a folder holding {', '.join(FILES)} "
        "(from Confluent's schema-registry repository, json-schema-provider test resources)"
    )


def load_cases() -> list[tuple[str, dict[str, Any]]]:
    """(id, case) for every case; empty when the corpus folder is absent."""
    folder = corpus_dir()
    cases: list[tuple[str, dict[str, Any]]] = []
    if not folder.is_dir():
        return cases
    for name in FILES:
        text = (folder / name).read_text(encoding="utf-8")
        # diff-schema-examples-2020-12.json has trailing commas; strip them before parsing.
        text = re.sub(r",(\s*[}\]])", r"\1", text)
        for i, case in enumerate(json.loads(text)):
            cases.append((f"{name.removesuffix('.json')}#{i}", case))
    return cases
