"""Completeness and soundness against a peer's suite of subset pairs (issue 11, item 2).

The pairs come from jsonsubschema's tests (see fixtures/peer/README.md). Read as STRICT BACKWARD
under sound rules, "old ⊆ new" should be answered compatible, and a pair that is not a subset must
never be: a false "compatible" is a missed break.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from eventcat.compat import compare
from tests.compat.witness import validator

PAIRS: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "fixtures" / "peer" / "jsonsubschema.json").read_text()
)
SUBSETS = [p for p in PAIRS if p["subset"]]
OTHERS = [p for p in PAIRS if not p["subset"]]


def _verdict(pair: dict[str, Any]) -> str:
    return compare(
        pair["old"], pair["new"], mode="BACKWARD", policy="STRICT", rules="sound"
    ).verdict


def test_the_suite_is_large_enough_to_measure() -> None:
    assert len(SUBSETS) >= 100 and len(OTHERS) >= 100


def test_at_least_95_percent_of_true_subsets_are_compatible() -> None:
    missed = [p["id"] for p in SUBSETS if _verdict(p) != "compatible"]
    rate = 1 - len(missed) / len(SUBSETS)
    assert rate >= 0.95, f"{rate:.1%} of {len(SUBSETS)}; missed: {missed}"


@pytest.mark.parametrize("pair", OTHERS, ids=[p["id"] for p in OTHERS])
def test_no_pair_that_is_not_a_subset_is_called_compatible(pair: dict[str, Any]) -> None:
    assert _verdict(pair) != "compatible"


CORRECTED = [p for p in PAIRS if "counterexample" in p]


@pytest.mark.parametrize("pair", CORRECTED, ids=[p["id"] for p in CORRECTED])
def test_corrected_answers_are_proved_by_an_instance(pair: dict[str, Any]) -> None:
    """Where the fixture overrules the upstream answer, the validator confirms the instance."""
    instance = pair["counterexample"]
    assert validator(pair["old"]).is_valid(instance)
    assert not validator(pair["new"]).is_valid(instance)
