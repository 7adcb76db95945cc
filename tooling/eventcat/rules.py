"""Every rule eventcat applies, from every family, as one list of plain records.

``eventcat rules`` and the docs site's rule pages are generated from this, so the words a user
reads in a finding, in the terminal and on the site are the same words.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class RuleInfo:
    id: str
    family: str  # lint | compat | governance
    level: str  # lint: error/warning; compat: what breaks; governance: severity
    summary: str
    explanation: str
    fix: str


def all_rules() -> list[RuleInfo]:
    from eventcat.catalog.rules import LINT_RULES

    rules = [
        RuleInfo(
            r.id,
            "lint",
            r.severity.value + (" (unreadable input, exit 2)" if r.unreadable else ""),
            r.summary,
            r.explanation,
            r.fix,
        )
        for r in LINT_RULES.values()
    ]
    rules.extend(_compat_rules())
    rules.extend(_governance_rules())
    return rules


def _compat_rules() -> Iterable[RuleInfo]:
    try:
        from eventcat.compat import CHANGE_TYPES
    except ImportError:  # the engine is not part of this build
        return []
    result = []
    for change in CHANGE_TYPES.values():
        level = getattr(change, "level", None) or _compat_level(change)
        result.append(
            RuleInfo(change.id, "compat", level, change.summary, change.explanation, change.fix)
        )
    return result


def _compat_level(change: object) -> str:
    parts = []
    for attribute, label in (("strict", "STRICT"), ("lenient", "LENIENT")):
        value = getattr(change, attribute, None)
        if isinstance(value, bool):
            parts.append(f"{label}: {'compatible' if value else 'breaking'}")
    return ", ".join(parts)


def _governance_rules() -> Iterable[RuleInfo]:
    try:
        from eventcat.gate.governance import GOVERNANCE_RULES  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return []
    return [
        RuleInfo(r.id, "governance", str(r.severity), r.summary, r.explanation, r.fix)
        for r in GOVERNANCE_RULES.values()
    ]


def render_rules(rules: list[RuleInfo], output_format: str) -> str:
    if output_format == "json":
        return json.dumps([asdict(r) for r in rules], indent=2, ensure_ascii=False)
    if output_format == "markdown":
        rows = ["| rule | family | level | summary |", "|---|---|---|---|"]
        rows += [f"| `{r.id}` | {r.family} | {r.level} | {r.summary} |" for r in rules]
        return "\n".join(rows)
    width = max((len(r.id) for r in rules), default=10)
    lines = []
    for family in ("lint", "compat", "governance"):
        members = [r for r in rules if r.family == family]
        if members:
            lines.append(f"{family} rules ({len(members)}):")
            lines += [f"  {r.id:<{width}}  {r.summary}" for r in members]
            lines.append("")
    lines.append(
        "Details: eventcat rules --format markdown|json, or the rules pages of the docs site."
    )
    return "\n".join(lines)
