"""rules="confluent" against Confluent's own test corpus (read in place, never copied)."""

from __future__ import annotations

from collections import Counter

import pytest

from eventcat.compat import compare
from tests.compat.corpus import load_cases, missing_reason

CASES = load_cases()
pytestmark = pytest.mark.skipif(not CASES, reason=missing_reason())


def _run() -> tuple[int, int, int, list[str]]:
    strict = lenient = lists = 0
    problems = []
    for cid, case in CASES:
        old, new = case["original_schema"], case["update_schema"]
        rs = compare(old, new, mode="BACKWARD", policy="STRICT", rules="confluent")
        rl = compare(old, new, mode="BACKWARD", policy="LENIENT", rules="confluent")
        got = Counter(f"{c.type} {c.pointer}" for c in rs.changes)
        expected = Counter(case["changes"])
        ok_s = rs.compatible == case["compatible"]
        ok_l = rl.compatible == case.get("compatible_lenient", case["compatible"])
        strict += ok_s
        lenient += ok_l
        lists += got == expected
        if not (ok_s and ok_l and got == expected):
            problems.append(
                f"{cid} {case['description']}: got {sorted(got.elements())}, "
                f"expected {sorted(expected.elements())}"
            )
    return strict, lenient, lists, problems


def test_corpus_is_complete() -> None:
    assert len(CASES) == 263


def test_confluent_rules_reproduce_the_corpus() -> None:
    strict, lenient, lists, problems = _run()
    report = (
        f"STRICT verdicts {strict}/263, LENIENT verdicts {lenient}/263, change lists {lists}/263"
    )
    assert strict == len(CASES), report + "\n" + "\n".join(problems)
    assert lenient == len(CASES), report + "\n" + "\n".join(problems)
    assert lists >= 250, report + "\n" + "\n".join(problems)


@pytest.mark.parametrize("cid,case", CASES, ids=[c for c, _ in CASES])
def test_forward_is_backward_swapped(cid: str, case: dict[str, object]) -> None:
    old, new = case["original_schema"], case["update_schema"]
    forward = compare(new, old, mode="FORWARD", policy="STRICT", rules="confluent")
    assert forward.compatible == case["compatible"]
    full = compare(old, new, mode="FULL", policy="STRICT", rules="confluent")
    backward_swapped = compare(new, old, mode="BACKWARD", policy="STRICT", rules="confluent")
    assert full.compatible == (case["compatible"] and backward_swapped.compatible)
