"""Soundness of rules="sound", as a property: whenever it says compatible, no instance of the old
schema (aimed at the boundaries) breaks the new one (CONTRACT §3, STRICT and LENIENT).

A quick run is part of the normal suite; ``EVENTCAT_SOUNDNESS_EXAMPLES`` (the noxfile's
``soundness`` session sets it to 20,000 or more) turns it into the long run.
"""

from __future__ import annotations

import copy
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventcat.compat import compare
from tests.compat.strategies import leaves, mutations, recursive, rewrites, schemas, with_draft
from tests.compat.witness import NONE, boundary_instances, violation

LONG = int(os.environ.get("EVENTCAT_SOUNDNESS_EXAMPLES", "0"))
EXAMPLES = LONG or 150
SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


@st.composite
def pairs(draw: st.DrawFn) -> tuple[Any, Any]:
    old = with_draft(draw(schemas(2)))
    new = with_draft(draw(mutations(old)))
    return old, new


def _check(old: Any, new: Any, policy: str) -> None:
    report = compare(old, new, policy=policy)
    if not report.compatible:
        return
    # Random instances rarely hit a real counterexample: aim at the boundaries instead (limits
    # and their neighbours, enum members, optional, extra and pinned properties, tuple positions).
    instances = boundary_instances(old, new)
    bad = violation(old, new, policy, instances)
    assert bad is NONE, (
        f"sound rules said compatible ({policy}) but {bad!r} breaks it\n"
        f"old={old}\nnew={new}\n{report!r}"
    )


@pytest.mark.parametrize("policy", ["STRICT", "LENIENT"])
@SETTINGS
@given(pair=pairs())
def test_soundness_of_compatible_verdicts(policy: str, pair: tuple[Any, Any]) -> None:
    old, new = pair
    _check(old, new, policy)


@st.composite
def respelled_pairs(draw: st.DrawFn) -> tuple[Any, Any]:
    """Pairs where either side may be spelled differently ($ref, type lists as oneOf, allOf
    splits, not-not): the verdicts the inclusion prover gives must be as sound as the rest."""
    old = with_draft(draw(schemas(2)))
    new = draw(st.one_of(st.just(old), mutations(old)))
    return draw(rewrites(old)), with_draft(draw(rewrites(new)))


@pytest.mark.parametrize("policy", ["STRICT", "LENIENT"])
@SETTINGS
@given(pair=respelled_pairs())
def test_soundness_of_compatible_verdicts_on_respelled_schemas(
    policy: str, pair: tuple[Any, Any]
) -> None:
    old, new = pair
    _check(old, new, policy)


@SETTINGS
@given(old=schemas(2).map(with_draft))
def test_soundness_every_schema_is_compatible_with_itself(old: Any) -> None:
    for policy in ("STRICT", "LENIENT"):
        assert compare(old, old, policy=policy).verdict in ("compatible", "unknown")


@st.composite
def recursive_pairs(draw: st.DrawFn) -> tuple[Any, Any]:
    """A recursive schema against itself with its leaf changed: the co-inductive fixpoint of the
    walker and of the inclusion prover must not turn a break inside the recursion into
    "compatible"."""
    old = draw(recursive())
    new = copy.deepcopy(old)
    node = new["$defs"]["node"]
    node["properties"]["value"] = draw(st.one_of(mutations(node["properties"]["value"]), leaves()))
    if draw(st.booleans()):
        node["properties"]["value"] = {"anyOf": [node["properties"]["value"]]}
    return old, new


@pytest.mark.parametrize("policy", ["STRICT", "LENIENT"])
@SETTINGS
@given(pair=recursive_pairs())
def test_soundness_of_compatible_verdicts_on_recursive_schemas(
    policy: str, pair: tuple[Any, Any]
) -> None:
    old, new = pair
    _check(old, new, policy)
