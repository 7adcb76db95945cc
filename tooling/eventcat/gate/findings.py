"""How the gate's checks make findings: under a governance (or lint) rule, with the event and
version waivers match on, located in the file and at the line that holds the change."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from eventcat.catalog.model import Consumer
from eventcat.catalog.rules import LINT_RULES
from eventcat.gate.context import FilePair, GateContext
from eventcat.gate.fragments import locate
from eventcat.gate.messages import (
    consumer_name,
)
from eventcat.governance.rules import GOVERNANCE_RULES
from eventcat.jsonpointer import join_pointer as pointer_of
from eventcat.jsonpointer import split_pointer
from eventcat.report.findings import Finding

__all__ = ["consumer_label", "locate_change", "rule_finding"]


def rule_finding(
    rule: str,
    pair: FilePair | None,
    message: str,
    *,
    file: str | None = None,
    pointer: str = "",
    line: int | None = None,
    details: Iterable[tuple[str, Any]] = (),
) -> Finding:
    # The gate applies its own rules and, where a lint rule says the same thing (version-gap),
    # that one: one id, one meaning.
    definition = GOVERNANCE_RULES.get(rule) or LINT_RULES[rule]
    base: tuple[tuple[str, Any], ...] = ()
    if pair is not None:
        base = (("event", pair.name), ("version", pair.version))
    return Finding(
        file=file or (pair.path if pair else None),
        line=line,
        pointer=pointer,
        rule=rule,
        severity=definition.severity,
        message=message,
        details=(*base, *details, ("fix", definition.fix)),
    )


# -- consumers ----------------------------------------------------------------------------------


def consumer_label(consumer: Consumer) -> str:
    return consumer_name(consumer)


def locate_change(
    ctx: GateContext, pair: FilePair, pointer: str | None, old_pointer: str | None
) -> tuple[str, str, int, str]:
    """(file, pointer, line, side) where a change of ``pair`` is: the file that holds it (the
    event's own file, or the fragment its ``$ref``s lead to), the pointer in that file, its line,
    and whether the pointer is in the new ("new") or the baseline ("old") content of that file.

    The new side is preferred (annotations land on the work tree); a removal is shown at the part
    of the new content that encloses it (the engine's new pointer), or else in the old content.
    """
    for side, catalog, start, candidate in (
        ("new", ctx.new, pair.new_file, pointer),
        ("old", ctx.old, pair.old_file, old_pointer),
    ):
        if start is None or candidate is None:
            continue
        found = locate(
            catalog.files, start.path, candidate, sorted(catalog.dependencies(start.path))
        )
        if found is not None:
            file, located = found
            return file, located, catalog.files[file].line_of(located) or 1, side
    # Not found on either side (an engine pointer this module cannot follow): the event's own
    # file, at the deepest part of the pointer that exists there.
    target = pair.new_file or pair.old_file
    assert target is not None
    side = "new" if pair.new_file is not None else "old"
    tokens = split_pointer(pointer or old_pointer or "")
    while tokens and target.line_of(pointer_of(tokens)) is None:
        tokens = tokens[:-1]
    probe = pointer_of(tokens)
    return target.path, probe, target.line_of(probe) or 1, side


# -- the checks --------------------------------------------------------------------------------
