"""The public result types: ``Change`` and ``CompatibilityReport`` (frozen, self-rendering)."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from eventcat.compat.rules import CHANGE_TYPES
from eventcat.report.findings import Finding, Severity

_REMOVAL_PREFIXES = ("PROPERTY_", "ITEM_", "SCHEMA_", "DEPENDENCY_")


# What a verdict rests on (``Change.basis``): a validator-confirmed counterexample; the rule table
# (Confluent's verdicts, and every change the sound rules prove compatible); the additive-evolution
# policy alone (compatible, but not an addition or a relaxation); or nothing decisive.
BASES = ("proof", "rule", "policy", "unknown")
Outcome = tuple[bool, Any, str]


@dataclass(frozen=True)
class Change:
    """One change between the two schemas.

    ``pointer`` is the path Confluent reports (``#/properties/a``, in Confluent's naming);
    ``old_pointer``/``new_pointer`` are JSON pointers into the old and the new document (for an
    addition, ``old_pointer`` is the enclosing schema; for a removal, ``new_pointer`` is).
    ``direction`` is "backward" (the new schema reads old events) or "forward" (the old schema
    reads new events). ``suspected``: the rules call the change breaking. With
    ``proof_required`` (sound rules), it is ``breaking`` only once a counterexample is found and
    confirmed by the validator (valid under the writer's schema, rejected by the reader's);
    otherwise it is ``unknown``, with the ``reason``. The search runs when a verdict is first
    asked for, and is memoised per pair of subschemas across a run.
    """

    type: str
    pointer: str
    old_pointer: str
    new_pointer: str
    suspected: bool
    additive: bool
    rule_explanation: str
    fix: str
    direction: str = "backward"
    not_modelled: bool = False
    proof_required: bool = False
    _search: Callable[[], Outcome] | None = field(default=None, compare=False, repr=False)
    _found: list[Outcome] = field(default_factory=list, compare=False, repr=False)

    def _example(self) -> Outcome:
        if not self._found:
            self._found.append(self._search() if self._search is not None else (False, None, ""))
        return self._found[0]

    @property
    def breaking(self) -> bool:
        """The change breaks the mode: proved by a counterexample (sound rules) or by the rule
        table (``rules="confluent"``)."""
        if not self.suspected:
            return False
        return not self.proof_required or self._example()[0]

    @property
    def unknown(self) -> bool:
        """The engine cannot decide: an unmodelled keyword, or a suspected break without proof."""
        return self.not_modelled or (
            self.suspected and self.proof_required and not self._example()[0]
        )

    @property
    def basis(self) -> str:
        """What the verdict rests on: "proof", "rule", "policy" or "unknown" (see ``BASES``)."""
        if self.unknown:
            return "unknown"
        if self.breaking:
            return "proof" if self.proof_required else "rule"
        return "rule" if self.additive else "policy"

    @property
    def reason(self) -> str:
        """Why the answer is unknown ("" otherwise)."""
        if self.not_modelled:
            return "a keyword the sound rules do not model"
        return self._example()[2] if self.unknown else ""

    @property
    def explanation(self) -> str:
        if self.unknown and not self.not_modelled:
            return describe_unproved(
                self.pointer, self.direction, self.reason, self.rule_explanation
            )
        return self.rule_explanation

    @property
    def counterexample(self) -> Any:
        """A verified counterexample (see ``has_counterexample``), or None."""
        return self._example()[1]

    @property
    def has_counterexample(self) -> bool:
        return self._example()[0]

    @property
    def is_removal(self) -> bool:
        return "REMOVED" in self.type and self.type.startswith(_REMOVAL_PREFIXES)

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "type": self.type,
            "pointer": self.pointer,
            "old_pointer": self.old_pointer,
            "new_pointer": self.new_pointer,
            "breaking": self.breaking,
            "additive": self.additive,
            "direction": self.direction,
            "unknown": self.unknown,
            "basis": self.basis,
            "explanation": self.explanation,
            "fix": self.fix,
        }
        if self.unknown:
            data["reason"] = self.reason
        if self.has_counterexample:
            data["counterexample"] = self.counterexample
        return data

    def _repr_html_(self) -> str:
        return _table([self])


_new_object = object.__new__


def make_change(
    type_: str,
    pointer: str,
    old_pointer: str,
    new_pointer: str,
    suspected: bool,
    additive: bool,
    explanation: str,
    fix: str,
    direction: str,
    not_modelled: bool,
    proof_required: bool,
    search: Callable[[], Outcome] | None,
) -> Change:
    """``Change(type=type_, …, _search=search)``, built without the frozen dataclass's
    ``object.__setattr__`` per field: a large comparison makes thousands of changes. A test checks
    that the two agree field for field."""
    change: Change = _new_object(Change)
    change.__dict__.update(
        {
            "type": type_,
            "pointer": pointer,
            "old_pointer": old_pointer,
            "new_pointer": new_pointer,
            "suspected": suspected,
            "additive": additive,
            "rule_explanation": explanation,
            "fix": fix,
            "direction": direction,
            "not_modelled": not_modelled,
            "proof_required": proof_required,
            "_search": search,
            "_found": [],
        }
    )
    return change


@dataclass(frozen=True)
class CompatibilityReport:
    """What ``compare`` found. ``verdict`` is "compatible", "breaking" (with a confirmed
    counterexample under sound rules) or "unknown" (sound rules met a keyword they do not model,
    see ``unknown_keywords``, or suspect a break that no instance proves: see each change's
    ``reason``)."""

    verdict: str
    changes: tuple[Change, ...]
    mode: str
    policy: str
    rules: str
    unknown_keywords: tuple[str, ...] = ()

    @property
    def compatible(self) -> bool:
        return self.verdict == "compatible"

    @property
    def breaking_changes(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.breaking)

    def findings(self, old_file: str | None = None, new_file: str | None = None) -> list[Finding]:
        """One error per breaking change (one warning per change the engine cannot decide),
        located in the new schema unless the change removes something, which only the old schema
        shows. Each says what it rests on (``basis``)."""
        out = []
        for c in self.changes:
            if not (c.breaking or c.unknown):
                continue
            # The side that shows the change: the writer's for a removal, else the reader's.
            # FORWARD's writer is the new schema.
            in_old = c.is_removal if c.direction == "backward" else not c.is_removal
            message = f"{c.explanation} Fix: {c.fix}"
            if c.has_counterexample:
                message += f" Counterexample: {json.dumps(c.counterexample)[:200]}"
            out.append(
                Finding(
                    file=old_file if in_old else new_file,
                    pointer=c.old_pointer if in_old else c.new_pointer,
                    rule=c.type,
                    severity=Severity.ERROR if c.breaking else Severity.WARNING,
                    message=message,
                    details=(
                        ("direction", c.direction),
                        ("confluent_pointer", c.pointer),
                        ("basis", c.basis),
                    ),
                )
            )
        return out

    def as_json(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "compatible": self.compatible,
            "mode": self.mode,
            "policy": self.policy,
            "rules": self.rules,
            "unknown_keywords": list(self.unknown_keywords),
            "changes": [c.as_json() for c in self.changes],
        }

    def __repr__(self) -> str:
        lines = [
            f"CompatibilityReport(verdict={self.verdict!r}, mode={self.mode}, "
            f"policy={self.policy}, rules={self.rules}, {len(self.changes)} change(s))"
        ]
        for c in self.changes:
            mark = (
                "BREAKING "
                if c.breaking
                else "unknown  "
                if c.unknown
                else "policy   "
                if c.basis == "policy"
                else "ok       "
            )
            lines.append(f"  {mark}{c.type} {c.pointer}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        colour = {"compatible": "#1a7f37", "breaking": "#cf222e"}.get(self.verdict, "#9a6700")
        head = (
            f"<p><strong style='color:{colour}'>{html.escape(self.verdict)}</strong> "
            f"({html.escape(self.mode)}, {html.escape(self.policy)}, "
            f"rules={html.escape(self.rules)})</p>"
        )
        if not self.changes:
            return head + "<p>No changes.</p>"
        return head + _table(list(self.changes))


def _table(changes: list[Change]) -> str:
    rows = []
    for c in changes:
        verdict = (
            "breaking"
            if c.breaking
            else "unknown"
            if c.unknown
            else "compatible (policy: not additive)"
            if c.basis == "policy"
            else "compatible"
        )
        example = html.escape(json.dumps(c.counterexample)[:200]) if c.has_counterexample else ""
        rows.append(
            "<tr>"
            + "".join(
                f"<td>{cell}</td>"
                for cell in (
                    html.escape(verdict),
                    f"<code>{html.escape(c.type)}</code>",
                    f"<code>{html.escape(c.pointer)}</code>",
                    html.escape(c.explanation),
                    html.escape(c.fix),
                    f"<code>{example}</code>" if example else "",
                )
            )
            + "</tr>"
        )
    header = "".join(
        f"<th>{h}</th>" for h in ("verdict", "change", "where", "why", "fix", "counterexample")
    )
    return f"<table><thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def describe(type_: str, pointer: str, direction: str, breaking: bool) -> str:
    """The explanation of one change: who breaks, where, and why."""
    rule = CHANGE_TYPES[type_]
    if direction == "backward":
        who, explanation = "a consumer on the new schema reading old events", rule.explanation
    else:
        # FORWARD runs the check with the schemas swapped; the text says what the user compared.
        who, explanation = (
            "a consumer on the old schema reading new events",
            _swapped(rule.explanation),
        )
    if rule.unknown:
        lead = f"At {pointer}: cannot decide for {who}."
    elif breaking:
        lead = f"At {pointer}: breaks {who}."
    else:
        lead = f"At {pointer}: safe for {who}."
    return f"{lead} {explanation}"


def describe_unproved(pointer: str, direction: str, reason: str, rule_explanation: str) -> str:
    """The explanation of a suspected break that no instance proves."""
    who = (
        "a consumer on the new schema reading old events"
        if direction == "backward"
        else "a consumer on the old schema reading new events"
    )
    rule = rule_explanation.split(". ", 1)[1] if ". " in rule_explanation else rule_explanation
    if direction != "backward":
        rule = _swapped(rule)  # the rule's words are written for BACKWARD
    return (
        f"At {pointer}: cannot decide for {who}: the rules suspect a break, but {reason}. "
        f"What the rule says: {rule}"
    )


_ROLE = re.compile(r"\b(?:(an?|An?) )?(old|new|Old|New)\b")
_SWAP = {"old": "new", "new": "old", "Old": "New", "New": "Old"}


def _swapped(text: str) -> str:
    """An explanation written for BACKWARD (old = the writer's schema, new = the reader's) with
    the roles exchanged for FORWARD, articles included ("an old event" -> "a new event")."""

    def swap(match: re.Match[str]) -> str:
        article, word = match.group(1), _SWAP[match.group(2)]
        if article is None:
            return word
        fixed = (
            ("an" if word[0] in "oO" else "a")
            if article.islower()
            else ("An" if word[0] in "oO" else "A")
        )
        return f"{fixed} {word}"

    return _ROLE.sub(swap, text)
