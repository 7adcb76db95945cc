"""The rules index and one page per rule id (lint, compatibility and governance rules), from the
one rule registry (:mod:`eventcat.rules.registry`), with where each rule occurs in this catalog."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from eventcat.docsite.html import safe_title
from eventcat.docsite.page import COMPAT_DISAGREEMENTS, Page

if TYPE_CHECKING:
    from eventcat.docsite.build import Builder

FAMILIES = (
    ("lint", "Lint rules"),
    ("compat", "Compatibility rules"),
    ("governance", "Governance rules"),
)
#: the compatibility rules' pages: (page, title, whether its rules are the breaking ones); no rule
#: id has these names (rule ids are kebab-case lint names or UPPER_SNAKE change types)
COMPAT_PAGES = (
    ("rules/compat-breaking.md", "Compatibility rules: breaking changes", True),
    (
        "rules/compat-other.md",
        "Compatibility rules: compatible and policy-dependent changes",
        False,
    ),
)


def rule_pages(b: Builder) -> None:
    rules = b.all_rules
    disagreements = COMPAT_DISAGREEMENTS in b.options.docs_pages
    index = b.add(Page("rules/index.md", "Rules"))
    index.html(
        b.render(
            "rules/intro.html.j2",
            src=index.src,
            disagreements=disagreements,
            target=COMPAT_DISAGREEMENTS,
        )
    )
    for family, title in FAMILIES:
        members = [r for r in rules if r.family == family]
        if not members:
            continue
        if family != "compat":
            index.h2(title).html(b.render("rules/table.html.j2", src=index.src, rules=members))
            continue
        # The change types (156) on two pages of their own: one table of them all was half the
        # index's 49 KB (issue 12: under ~30 KB of HTML per page).
        parts = []
        for src, part_title, breaking in COMPAT_PAGES:
            chosen = [r for r in members if r.level.startswith("breaking") == breaking]
            page = b.add(Page(src, part_title))
            page.html(b.render("rules/part.html.j2", src=src, rules=chosen))
            parts.append((src, part_title, len(chosen)))
        index.h2(title).html(b.render("rules/parts.html.j2", src=index.src, parts=parts))
    by_id: dict[str, list[Any]] = defaultdict(list)
    for rule in rules:
        by_id[rule.id].append(rule)
    for rule_id, same in by_id.items():
        src = f"rules/{rule_id}.md"
        if src == COMPAT_DISAGREEMENTS:
            continue
        page = b.add(Page(src, safe_title(rule_id)))
        page.html(b.render("rules/title.html.j2", rule_id=rule_id))
        for rule in same:
            if len(same) > 1:
                page.h2(f"As a {rule.family} rule")
            page.html(b.render("rules/rule.html.j2", rule=rule))
        families = {rule.family for rule in same}
        hits = [f for f in b.findings if f.rule == rule_id] if "lint" in families else []
        if hits:
            page.h2("In this catalog").html(b.findings_list(src, hits[:50]))
        places = b.comparer.seen.get(rule_id, []) if "compat" in families else []
        if "governance" in families:
            places = places + b.meta_seen.get(rule_id, [])
        if places:
            page.h2("In this catalog").html(
                b.render("rules/places.html.j2", src=src, places=places[:50])
            )
        if "compat" in families and disagreements:
            page.h2("See also").html(
                b.render("rules/see_also.html.j2", src=src, target=COMPAT_DISAGREEMENTS)
            )
        page.html(b.render("rules/back.html.j2", src=src))
