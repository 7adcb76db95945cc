"""The words of a compatibility finding: verdict and who breaks first, the long why on the rule page.

A finding about one change reads, in every format::

    breaks workflow.n8n (Trigger), which reads `styleGuidance`: `maxLength` decreased at
    `styleGuidance`, so a consumer on the new schema rejects some old events [BACKWARD LENIENT].
    Counterexample (…): {"styleGuidance": "aaaa…", "…": "5 more properties"}. Fix: …
    Why: `eventcat rules MAX_LENGTH_DECREASED` or the rule page rules/MAX_LENGTH_DECREASED/.

The first word is the verdict: "breaks"/"breaking" (proved by a counterexample or by the rule
table), "policy: additive-only" (compatible under the mode, refused by the evolution policy) or
"unknown" (the engine cannot decide). Only the consumers' fields that the change touches are named.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from eventcat.catalog.model import Consumer, EventVersion
from eventcat.jsonpointer import split_pointer
from eventcat.report.escape import json_safe

#: where the long explanation of a rule lives on the docs site (relative to the site's root)
RULE_PAGE = "rules/{id}/"
#: the longest counterexample text inlined in a one-line message
MAX_INLINE = 240
#: the longest string value kept whole in an inlined counterexample
MAX_STRING = 80
ELLIPSIS = "…"


# -- payload fields ------------------------------------------------------------------------------


def field_tokens(pointer: str | None) -> list[str] | None:
    """The payload path a schema pointer is about, as tokens (a property name, ``[]`` for any
    item, ``*`` for a pattern property); [] for the root, None when the pointer is not about a
    payload field (e.g. inside $defs)."""
    if pointer is None:
        return None
    tokens = split_pointer(pointer[1:] if pointer.startswith("#") else pointer)
    parts: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if token in ("properties", "patternProperties") and following is not None:
            parts.append(following if token == "properties" else "*")
            index += 2
            continue
        # `required/<name>` (and the dependency keywords) are about the property they name.
        if (
            token in ("required", "dependentRequired", "dependentSchemas", "dependencies")
            and following is not None
            and not following.isdigit()
        ):
            parts.append(following)
            index += 2
            continue
        if token in ("items", "additionalItems", "contains"):
            parts.append("[]")
        elif token == "prefixItems":
            parts.append("[]")
            index += 1
        elif token in ("$defs", "definitions"):
            return None
        index += 1
    return parts


def dotted(tokens: Sequence[str]) -> str:
    """``["lines", "[]", "sku"]`` as ``lines[].sku``."""
    text = ""
    for part in tokens:
        text += part if part == "[]" or not text else f".{part}"
    return text


def field_of(pointer: str | None) -> str | None:
    """The dotted payload path a schema pointer is about (``total.amount``, ``lines[].sku``);
    "" for the root, None when the pointer is not about a payload field."""
    tokens = field_tokens(pointer)
    return None if tokens is None else dotted(tokens)


def _touches(declared: str, changed: str) -> bool:
    if changed == "" or declared == changed:
        return True
    return any(
        a.startswith(b + sep)
        for a, b in ((declared, changed), (changed, declared))
        for sep in (".", "[]")
    )


def _specific(paths: Iterable[str | None]) -> tuple[list[str], bool]:
    """The most specific payload paths among ``paths`` (a removal's enclosing object is not the
    field it removes), and whether some pointer named no payload field at all."""
    listed = list(paths)
    known = sorted({p for p in listed if p is not None})
    unknown = any(p is None for p in listed) or not known
    specific = [
        p for p in known if not any(o != p and _touches(o, p) and len(o) > len(p) for o in known)
    ]
    return specific, unknown


def consumers_touched(
    version: EventVersion | None, paths: Iterable[str | None]
) -> tuple[list[tuple[Consumer, list[str]]], list[Consumer]]:
    """Consumers whose declared fields a change touches (with those fields), and consumers that
    may read the change without saying so: those that declare no fields, and, when the change's
    payload path is not known, every other consumer (without naming its unrelated fields)."""
    if version is None:
        return [], []
    fields, unknown = _specific(paths)
    touched: list[tuple[Consumer, list[str]]] = []
    undeclared: list[Consumer] = []
    for consumer in version.consumers:
        if not consumer.fields:
            undeclared.append(consumer)
            continue
        hits = [f for f in consumer.fields if any(_touches(f, c) for c in fields)]
        if hits:
            touched.append((consumer, hits))
        elif unknown:
            undeclared.append(consumer)
    return touched, undeclared


def consumer_name(consumer: Consumer) -> str:
    return consumer.service + (f" ({consumer.handler})" if consumer.handler else "")


def _code(items: Iterable[str]) -> str:
    return ", ".join(f"`{i}`" for i in items)


@dataclass(frozen=True)
class Audience:
    """Who a change reaches: ``touched`` consumers (with the fields of theirs it touches) and
    ``others`` that consume the event without declaring what they read."""

    touched: tuple[tuple[str, tuple[str, ...]], ...]
    others: tuple[str, ...]
    declared: bool  # the event declares any consumer at all

    @classmethod
    def of(cls, version: EventVersion | None, paths: Iterable[str | None]) -> Audience:
        listed = list(paths)
        touched, others = consumers_touched(version, listed)
        # A change of the whole payload touches every field: name the consumers, not the fields.
        whole = _specific(listed)[0] == [""]
        return cls(
            tuple((consumer_name(c), () if whole else tuple(f)) for c, f in touched),
            tuple(consumer_name(c) + ("" if c.fields else " (declares no fields)") for c in others),
            bool(version is not None and version.consumers),
        )

    @property
    def services(self) -> list[str]:
        return [name.split(" (")[0] for name, _ in self.touched] + [
            name.split(" (")[0] for name in self.others
        ]

    def readers(self) -> str:
        """``a, which reads `x`; b, which reads `y`, `z```."""
        return "; ".join(
            f"{name}, which reads {_code(fields)}" if fields else name
            for name, fields in self.touched
        )

    def reading(self) -> str:
        """``a reads `x`; b reads `y```."""
        return "; ".join(
            f"{name} reads {_code(fields) if fields else 'the whole payload'}"
            for name, fields in self.touched
        )

    def whom(self) -> str:
        """Every consumer the change reaches, for ``details["whom"]``."""
        parts = [self.readers()] if self.touched else []
        if self.others:
            parts.append(
                ("also " if self.touched else "") + "consumed by " + ", ".join(self.others)
            )
        if not parts:
            parts.append(
                "no declared consumer reads it" if self.declared else "no consumer is declared yet"
            )
        return "; ".join(parts)


# -- counterexamples -----------------------------------------------------------------------------


def _more(n: int, what: str) -> str:
    plural = {"property": "properties", "item": "items"}
    return f"{n} more {what if n == 1 else plural[what]}"


def focus(value: Any, path: Sequence[str]) -> Any:
    """The part of ``value`` a change at payload ``path`` needs: along the path, only the member
    it names is kept; its siblings become one ``"…": "N more properties"`` member (so the result
    is still JSON). Below the path everything is kept. A path that leads nowhere (the instance
    lacks the property: the break is its absence) keeps no member."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        if head in ("*", "[]"):
            return value
        kept: dict[str, Any] = {}
        if head in value:
            kept[head] = focus(value[head], rest)
        others = len(value) - len(kept)
        if others:
            kept[ELLIPSIS] = _more(others, "property") + ("" if head in value else f", no `{head}`")
        return kept
    if isinstance(value, list) and head == "[]":
        return [focus(item, rest) for item in value]
    return value


def _fit(value: Any, budget: int) -> Any:
    """``value`` made short enough to inline, cutting only at member and item boundaries (the
    cut ones become one ``"…"`` member or item) and abbreviating long strings as strings."""
    if isinstance(value, str):
        if len(value) <= MAX_STRING:
            return value
        return f"{value[: MAX_STRING // 2]}{ELLIPSIS} ({len(value)} characters)"
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        items = list(value.items())
        for count, (key, item) in enumerate(items):
            fitted = _fit(item, budget)
            if key != ELLIPSIS and out and len(_text({**out, key: fitted})) > budget:
                rest = len(items) - count - (1 if ELLIPSIS in value else 0)
                out[ELLIPSIS] = _more(rest, "property")
                return out
            out[key] = fitted
        return out
    if isinstance(value, list):
        kept: list[Any] = []
        for count, item in enumerate(value):
            fitted = _fit(item, budget)
            if kept and len(_text([*kept, fitted])) > budget:
                kept.append(f"{ELLIPSIS} {_more(len(value) - count, 'item')}")
                return kept
            kept.append(fitted)
        return kept
    return value


def _text(value: Any, indent: int | None = None) -> str:
    """Valid JSON whatever the instance holds (a non-finite number becomes a string)."""
    safe, _ = json_safe(json.loads(json.dumps(value, default=str, allow_nan=True)))
    separators = (",", ": ") if indent else (", ", ": ")
    return json.dumps(
        safe, ensure_ascii=False, indent=indent, separators=separators, allow_nan=False
    )


def shown_counterexample(value: Any, path: Sequence[str] | None) -> Any:
    """The counterexample as a finding shows it: only the properties the break needs."""
    return focus(value, list(path or []))


def inline(value: Any) -> str:
    """One line of valid JSON, at most about ``MAX_INLINE`` characters."""
    return _text(_fit(value, MAX_INLINE))


def pretty(value: Any) -> str:
    """Indented valid JSON, for a collapsible block."""
    return _text(value, indent=2)


# -- the sentences -------------------------------------------------------------------------------


def rule_reference(rule_id: str) -> str:
    return f"Why: `eventcat rules {rule_id}` or the rule page {RULE_PAGE.format(id=rule_id)}."


def consequence(direction: str) -> str:
    return (
        "a consumer on the new schema rejects some old events"
        if direction == "backward"
        else "a consumer on the old schema rejects some new events"
    )


def witness_roles(direction: str) -> str:
    return (
        "valid under the old schema, rejected by the new one"
        if direction == "backward"
        else "valid under the new schema, rejected by the old one"
    )


def verdict_lead(basis: str, breaking: bool, audience: Audience, where: str) -> str:
    """The finding's first words: the verdict and who it breaks."""
    if breaking:
        if audience.touched:
            lead = "breaks " + audience.readers()
            return lead + (
                "; also consumed by " + ", ".join(audience.others) if audience.others else ""
            )
        if audience.others:
            return "breaking; at risk: " + ", ".join(audience.others)
        return (
            "breaking ("
            + (
                "no declared consumer reads " + where
                if audience.declared
                else "no consumer is declared yet"
            )
            + ")"
        )
    if basis == "unknown":
        return (
            "unknown: the engine cannot decide this change, and evolution `additive` refuses "
            "it in an existing version file"
        )
    return "policy: additive-only"


def _where(field: str | None) -> str:
    return f"`{field}`" if field else "the payload's root" if field == "" else "a shared definition"


def what_changed(
    *,
    summary: str,
    field: str | None,
    direction: str,
    breaking: bool,
    basis: str,
    rule_set: str,
    reason: str = "",
    located: bool = True,
) -> str:
    """What changed and what follows from it, in one clause: the words a finding and the site's
    version comparisons share, e.g. "`maxLength` decreased at `styleGuidance`, so a consumer on
    the new schema rejects some old events [BACKWARD LENIENT]". A change that breaks nothing is
    just what changed, where."""
    what = f"{summary} at {_where(field)}" if located else summary
    if direction != "backward":
        # FORWARD compares with the schemas swapped: the rule's words go from new to old.
        what = f"from the new schema to the old one, {what}"
    if breaking:
        what += f", so {consequence(direction)} [{rule_set}]"
    elif basis == "unknown":
        what += f" [{rule_set}]" + (f" ({reason})" if reason else "")
    return what


def change_words(change: Any, rule_set: str) -> str:
    """:func:`what_changed` for one engine ``Change`` (its rule's summary, the payload field its
    pointer is about): how the site words each change between two versions of an event."""
    from eventcat.rules.registry import find

    rule_id = str(getattr(change, "type", "?"))
    known = find(rule_id)
    return what_changed(
        summary=known.summary if known else rule_id,
        field=field_of(str(getattr(change, "pointer", "") or getattr(change, "new_pointer", ""))),
        direction=str(getattr(change, "direction", "backward")),
        breaking=bool(getattr(change, "breaking", False)),
        basis=str(getattr(change, "basis", "rule")),
        rule_set=rule_set,
        reason=str(getattr(change, "reason", "") or ""),
    )


def inline_counterexample(change: Any) -> str | None:
    """A proved break's counterexample as a finding inlines it (only the members the break
    needs, one short line of JSON), or None when the change has none."""
    if not (getattr(change, "breaking", False) and getattr(change, "has_counterexample", False)):
        return None
    tokens = field_tokens(str(getattr(change, "pointer", "") or ""))
    return inline(shown_counterexample(getattr(change, "counterexample", None), tokens))


@dataclass(frozen=True)
class ChangeText:
    """A change's finding text, in parts: reporters put the counterexample where it reads best."""

    lead: str  # the verdict and who breaks
    what: str  # what changed, and what follows from it, in one clause
    counterexample: str  # the inline counterexample sentence, "" when there is none
    tail: str  # where (through a fragment), the fix and the rule reference

    @property
    def message(self) -> str:
        return " ".join(
            p for p in (f"{self.lead}: {self.what}.", self.counterexample, self.tail) if p
        )

    @property
    def without_counterexample(self) -> str:
        return " ".join(p for p in (f"{self.lead}: {self.what}.", self.tail) if p)


def change_text(
    *,
    rule_id: str,
    summary: str,
    basis: str,
    breaking: bool,
    direction: str,
    audience: Audience,
    field: str | None,
    rule_set: str,
    reason: str = "",
    counterexample: Any = None,
    has_counterexample: bool = False,
    fragment: str | None = None,
    through: str = "",
    fix: str,
    located: bool = True,
) -> ChangeText:
    """The text of one change's finding; see the module's docstring for its shape."""
    lead = verdict_lead(basis, breaking, audience, _where(field))
    what = what_changed(
        summary=summary,
        field=field,
        located=located,
        direction=direction,
        breaking=breaking,
        basis=basis,
        rule_set=rule_set,
        reason=reason,
    )
    if not breaking and basis != "unknown":
        what += (
            f": compatible under {rule_set}, but evolution `additive` allows only additions "
            "and relaxations in an existing version file"
        )
    if not breaking and audience.touched:
        what += f"; {audience.reading()}"
    shown = ""
    if has_counterexample:
        of = f", an instance of {fragment}" if fragment else ""
        shown = f"Counterexample ({witness_roles(direction)}{of}): {inline(counterexample)}."
    tail = " ".join(p for p in (through, f"Fix: {fix}.", rule_reference(rule_id)) if p)
    return ChangeText(lead, what, shown, tail)


@dataclass(frozen=True)
class Described:
    """A change (or a rename's changes) as the gate reports it: the verdict's facts and text."""

    text: ChangeText
    breaking: bool
    basis: str
    direction: str
    counterexample: Any  # the whole instance (None without one)
    shown: Any  # the part of it the break needs
    fragment: str | None


def describe_change(
    change: Any,
    *,
    audience: Audience,
    rule_set: str,
    fix: str,
    field: str | None,
    through: str = "",
    rule: str | None = None,
    summary: str | None = None,
    members: tuple[Any, ...] = (),
) -> Described:
    """The gate's message builder: one engine ``Change`` (or a ``ThroughChange``; with
    ``members``, every change a rename explains) as a finding's words and facts."""
    from eventcat.rules.registry import find

    group = members or (change,)
    breaking = any(bool(getattr(c, "breaking", False)) for c in group)
    proved = next((c for c in group if getattr(c, "breaking", False)), change)
    bases = [str(getattr(c, "basis", "policy")) for c in group]
    basis = (
        str(getattr(proved, "basis", "proof"))
        if breaking
        else ("unknown" if "unknown" in bases else "policy")
    )
    has_example = breaking and bool(getattr(proved, "has_counterexample", False))
    counterexample = getattr(proved, "counterexample", None) if has_example else None
    fragment = getattr(proved, "fragment", None) if has_example else None
    # Judged through a fragment, the counterexample is an instance of the fragment's target: its
    # path is the engine's own, relative to that target.
    inner = getattr(proved, "change", proved)
    shown = (
        shown_counterexample(counterexample, field_tokens(str(getattr(inner, "pointer", ""))))
        if has_example
        else None
    )
    direction = str(getattr(proved, "direction", "backward"))
    rule_id = rule or str(change.type)
    known = find(rule_id)
    unknown = next((c for c in group if str(getattr(c, "basis", "")) == "unknown"), None)
    text = change_text(
        rule_id=rule_id,
        summary=summary or (known.summary if known else rule_id),
        basis=basis,
        breaking=breaking,
        direction=direction,
        audience=audience,
        field=field,
        rule_set=rule_set,
        reason=str(getattr(unknown, "reason", "") or ""),
        counterexample=shown,
        has_counterexample=has_example,
        fragment=fragment,
        through=through,
        fix=fix,
        located=summary is None,
    )
    return Described(text, breaking, basis, direction, counterexample, shown, fragment)
