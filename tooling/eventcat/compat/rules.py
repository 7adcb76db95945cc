"""Change types as data: one definition per type, with its verdict per rule set and policy.

The table is the single source for the engine's verdicts, `eventcat rules` and the rule reference
page. Verdicts are for BACKWARD (the new schema reads what the old one accepted); FORWARD applies the
same table with the schemas swapped.

Under ``rules="sound"`` a handful of Confluent's verdicts are corrected where an instance disproves
them (a required property "with a default" still rejects old events that lack it: validators do not
fill defaults), and the types of our own cover the keywords Confluent does not compare.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import ClassVar

from eventcat.compat.ruletable import (
    FIX_NONE,
    FIX_VERSION,
    LENIENT,
    OK,
    OWN,
    STRICT_ONLY,
    TABLE,
    UNKNOWN,
)
from eventcat.modes import RULE_SETS  # the order of the verdict codes in the table below
from eventcat.rules.model import Rule

__all__ = ["CHANGE_TYPES", "ChangeType"]


@dataclass(frozen=True)
class ChangeType(Rule):
    """One kind of change between two schemas.

    ``compatible[(rules, policy)]`` is the BACKWARD verdict. ``additive`` is True only for an
    addition or a relaxation; removals and "required → optional" are not additive even when
    compatible. ``confluent`` says whether Confluent's checker knows the type; ``emitted`` whether
    the engine ever reports it (three Confluent types are never emitted by its JSON diff either).
    """

    family: ClassVar[str] = "compat"
    id: str
    #: the keywords it is about (objects, numbers, combinators, …), for grouping on pages
    group: str
    summary: str
    explanation: str
    fix: str
    compatible: Mapping[tuple[str, str], bool]
    additive: bool
    confluent: bool
    emitted: bool = True
    unknown: bool = False

    @property
    def level(self) -> str:
        """The verdict under eventcat's sound rules, and Confluent's where it differs."""
        sound, confluent = self.verdict_text("sound"), self.verdict_text("confluent")
        return sound if sound == confluent else f"{sound} (Confluent: {confluent})"

    def verdict_text(self, rules: str) -> str:
        strict, lenient = self.compatible[(rules, "STRICT")], self.compatible[(rules, "LENIENT")]
        if self.unknown:
            return "unknown"
        if strict and lenient:
            return "compatible"
        if lenient:
            return "LENIENT only"
        if strict:
            return "STRICT only"
        return "breaking"


def _build() -> Mapping[str, ChangeType]:
    table: dict[str, ChangeType] = {}
    for name, spec in {**TABLE, **OWN}.items():
        codes = spec["codes"]
        assert isinstance(codes, tuple)
        compat: dict[tuple[str, str], bool] = {}
        for rules, code in zip(RULE_SETS, codes, strict=True):
            compat[(rules, "STRICT")] = code in (OK, STRICT_ONLY)
            compat[(rules, "LENIENT")] = code in (OK, LENIENT)
        fix = spec["fix"] or (FIX_NONE if codes[0] == codes[1] == OK else FIX_VERSION)
        table[name] = ChangeType(
            id=name,
            group=str(spec["family"]),
            summary=str(spec["summary"]),
            explanation=str(spec["explanation"]),
            fix=str(fix),
            compatible=MappingProxyType(compat),
            additive=bool(spec["additive"]),
            confluent=bool(spec["confluent"]),
            emitted=bool(spec["emitted"]),
            unknown=codes[1] == UNKNOWN,
        )
    return MappingProxyType(dict(sorted(table.items(), key=lambda kv: (kv[1].group, kv[0]))))


CHANGE_TYPES: Mapping[str, ChangeType] = _build()


def compatible_set(rules: str, policy: str) -> frozenset[str]:
    return frozenset(t.id for t in CHANGE_TYPES.values() if t.compatible[(rules, policy)])
