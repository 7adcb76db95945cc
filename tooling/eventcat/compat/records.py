"""A report as a plain JSON record and back, with every lazy search settled (for result caches).

A :class:`Change` under sound rules searches for its counterexample when a verdict is first asked
for, through a closure over both schemas and their resolvers. A cached report must not hold those
(a long-lived cache would keep whole catalogs alive) and must be storable as JSON, so
:func:`settled` runs every pending search once and keeps only its outcome: the settled report
answers ``breaking``, ``unknown``, ``basis``, ``reason``, ``explanation`` and ``counterexample``
exactly as the live one did. :func:`from_record` accepts only a record of the exact shape
:func:`record` writes and returns None for anything else, so a damaged or foreign cache entry
is recomputed, never trusted half-way. Pure: no I/O.
"""

from __future__ import annotations

from typing import Any

from eventcat.compat.report import Change, CompatibilityReport, Outcome, make_change
from eventcat.compat.rules import CHANGE_TYPES

#: the record's layout; a record of any other layout is not read
LAYOUT = 1
_TEXT = ("type", "pointer", "old_pointer", "new_pointer", "rule_explanation", "fix", "direction")
_FLAGS = ("suspected", "additive", "not_modelled", "proof_required")
_VERDICTS = ("compatible", "breaking", "unknown")


def _outcome(change: Change) -> Outcome | None:
    """The outcome of the change's search, running it now if it is pending; None: no search."""
    if change._found:
        return change._found[0]
    if change._search is None:
        return None
    return change._example()


def _change(fields: dict[str, Any], outcome: Outcome | None) -> Change:
    change = make_change(
        fields["type"],
        fields["pointer"],
        fields["old_pointer"],
        fields["new_pointer"],
        fields["suspected"],
        fields["additive"],
        fields["rule_explanation"],
        fields["fix"],
        fields["direction"],
        fields["not_modelled"],
        fields["proof_required"],
        None,
    )
    if outcome is not None:
        change._found.append(outcome)
    return change


def _fields(change: Change) -> dict[str, Any]:
    return {name: getattr(change, name) for name in (*_TEXT, *_FLAGS)}


def settled(report: CompatibilityReport) -> CompatibilityReport:
    """``report`` with every counterexample search run and no reference to the schemas left."""
    changes = tuple(_change(_fields(c), _outcome(c)) for c in report.changes)
    return CompatibilityReport(
        verdict=report.verdict,
        changes=changes,
        mode=report.mode,
        policy=report.policy,
        rules=report.rules,
        unknown_keywords=report.unknown_keywords,
    )


def record(report: CompatibilityReport) -> dict[str, Any]:
    """The report as JSON data (searches settled): what :func:`from_record` reads back."""
    changes = []
    for change in report.changes:
        outcome = _outcome(change)
        changes.append(
            {
                **_fields(change),
                "outcome": None if outcome is None else [bool(outcome[0]), *outcome[1:]],
            }
        )
    return {
        "layout": LAYOUT,
        "verdict": report.verdict,
        "mode": report.mode,
        "policy": report.policy,
        "rules": report.rules,
        "unknown_keywords": list(report.unknown_keywords),
        "changes": changes,
    }


def from_record(data: Any) -> CompatibilityReport | None:
    """The report a :func:`record` describes; None when ``data`` is not exactly such a record."""
    if not isinstance(data, dict) or data.get("layout") != LAYOUT:
        return None
    if data.get("verdict") not in _VERDICTS:
        return None
    mode, policy, rules = data.get("mode"), data.get("policy"), data.get("rules")
    keywords, changes = data.get("unknown_keywords"), data.get("changes")
    if not (isinstance(mode, str) and isinstance(policy, str) and isinstance(rules, str)):
        return None
    if not isinstance(changes, list):
        return None
    if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
        return None
    built = []
    for item in changes:
        change = _change_from(item)
        if change is None:
            return None
        built.append(change)
    return CompatibilityReport(
        verdict=data["verdict"],
        changes=tuple(built),
        mode=mode,
        policy=policy,
        rules=rules,
        unknown_keywords=tuple(keywords),
    )


def _change_from(item: Any) -> Change | None:
    if not isinstance(item, dict):
        return None
    if not all(isinstance(item.get(name), str) for name in _TEXT):
        return None
    if not all(isinstance(item.get(name), bool) for name in _FLAGS):
        return None
    if item["type"] not in CHANGE_TYPES or item["direction"] not in ("backward", "forward"):
        return None
    outcome = item.get("outcome")
    if outcome is not None:
        if not (
            isinstance(outcome, list)
            and len(outcome) == 3
            and isinstance(outcome[0], bool)
            and isinstance(outcome[2], str)
        ):
            return None
        outcome = (outcome[0], outcome[1], outcome[2])
    return _change(item, outcome)
