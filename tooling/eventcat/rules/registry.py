"""The one registry of every rule eventcat applies, from every family.

``eventcat rules``, the SARIF reporter and the docs site's rule pages render from
:func:`all_rules`, so a user reads the same words in a finding, in the terminal, in code
scanning and on the site. Rule ids are unique across families.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

from eventcat.rules.model import Rule

FAMILIES = ("lint", "compat", "governance")


@cache
def registry() -> Mapping[str, Rule]:
    """Every rule by id: lint rules, then compatibility change types, then governance rules."""
    from eventcat.catalog.rules import LINT_RULES
    from eventcat.compat.rules import CHANGE_TYPES
    from eventcat.governance.rules import GOVERNANCE_RULES

    table: dict[str, Rule] = {}
    for family in (LINT_RULES, CHANGE_TYPES, GOVERNANCE_RULES):
        for rule_id, rule in family.items():
            if rule_id in table:  # one id, one meaning: a family may not redefine another's rule
                raise RuntimeError(f"rule {rule_id!r} is defined by two families")
            table[rule_id] = rule
    return MappingProxyType(table)


def all_rules() -> list[Rule]:
    return list(registry().values())


def find(rule_id: str) -> Rule | None:
    return registry().get(rule_id)


def render_rules(rules: list[Rule], output_format: str) -> str:
    """``eventcat rules`` in text, JSON or Markdown."""
    if output_format == "json":
        return json.dumps([r.describe() for r in rules], indent=2, ensure_ascii=False)
    if output_format == "markdown":
        rows = ["| rule | family | level | summary |", "|---|---|---|---|"]
        rows += [f"| `{r.id}` | {r.family} | {r.level} | {_cell(r.summary)} |" for r in rules]
        return "\n".join(rows)
    width = max((len(r.id) for r in rules), default=10)
    lines = []
    for family in FAMILIES:
        members = [r for r in rules if r.family == family]
        if members:
            lines.append(f"{family} rules ({len(members)}):")
            lines += [f"  {r.id:<{width}}  {r.level:<12}  {r.summary}" for r in members]
            lines.append("")
    lines.append(
        "Details: eventcat rules --format markdown|json, or the rules pages of the docs site."
    )
    return "\n".join(lines)


def render_rule_pages(rules: list[Rule], output_format: str) -> str:
    """Named rules in full (what a finding's "Why: `eventcat rules ID`" leads to)."""
    if output_format == "json":
        return render_rules(rules, "json")
    pages = []
    for rule in rules:
        described = rule.describe()
        if output_format == "markdown":
            pages.append(
                f"### `{rule.id}`\n\n{rule.family} rule, {rule.level}: {rule.summary}\n\n"
                f"{rule.explanation}\n\n**Fix:** {rule.fix}"
            )
        else:
            pages.append(
                "\n".join(
                    f"{key}: {described[key]}"
                    for key in ("id", "family", "level", "summary", "explanation", "fix")
                )
            )
    return "\n\n".join(pages)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
