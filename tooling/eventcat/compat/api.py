"""``compare``: options, directions (BACKWARD / FORWARD / FULL) and the report."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, partial
from typing import TYPE_CHECKING, Any

from eventcat.catalog.refs import resolver_registry
from eventcat.compat import walker
from eventcat.compat.context import BudgetExceeded, Ctx, Diff, Engine, Shared
from eventcat.compat.report import Change, CompatibilityReport, describe, make_change
from eventcat.compat.rules import CHANGE_TYPES, compatible_set
from eventcat.compat.schema import Side, draft_of, guess_draft
from eventcat.compat.shape import check_shape
from eventcat.errors import SchemaError, UsageError
from eventcat.modes import MODES, POLICIES, RULE_SETS, Mode, Policy, RuleSet

if TYPE_CHECKING:
    from eventcat.catalog.refs import Resolver

# Confluent's FULL reports the FORWARD-direction messages first.
_DIRECTIONS = {
    "BACKWARD": ("backward",),
    "FORWARD": ("forward",),
    "FULL": ("forward", "backward"),
    "NONE": ("backward",),
}


def _choice(name: str, value: object, allowed: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value.upper() not in allowed:
        raise UsageError.at(
            f"{name} must be one of {', '.join(allowed)}; got {value!r}", rule="usage"
        )
    return value.upper()


@cache
def _sets(rules: str, policy: str) -> tuple[frozenset[str], frozenset[str]]:
    return compatible_set(rules, policy), compatible_set(rules, "STRICT")


def compare(
    old: object,
    new: object,
    *,
    mode: Mode = "BACKWARD",
    policy: Policy = "LENIENT",
    rules: RuleSet = "sound",
    old_resolver: Resolver | None = None,
    new_resolver: Resolver | None = None,
) -> CompatibilityReport:
    """Compare two parsed JSON Schemas.

    ``mode`` BACKWARD checks that the new schema reads everything the old one accepted; FORWARD
    swaps them; FULL is both; the transitive modes behave like their base for one pair; NONE
    reports the changes but calls none breaking. ``policy`` STRICT or LENIENT (tolerant reader),
    ``rules`` "sound" (the default) or "confluent" (Confluent Schema Registry's verdicts).
    ``old_resolver``/``new_resolver``: ``referencing`` resolvers positioned at each schema's base
    URI, for ``$ref``s into other files; by default only references inside the schema resolve.
    Raises ``UsageError`` for a bad option and ``SchemaError`` (with a pointer) for input that
    cannot be compared. Pure: reads nothing, fetches nothing.
    """
    return compare_settings(
        old,
        new,
        mode=mode,
        policy=policy,
        rules=rules,
        old_resolver=old_resolver,
        new_resolver=new_resolver,
    )


def compare_settings(
    old: object,
    new: object,
    *,
    mode: str,
    policy: str,
    rules: str,
    old_resolver: Resolver | None = None,
    new_resolver: Resolver | None = None,
) -> CompatibilityReport:
    """:func:`compare` with the options as text (a catalog's settings, a command line): checked
    here, in any case, and refused with a ``UsageError`` naming the allowed values."""
    mode_ = _choice("mode", mode, MODES)
    policy_ = _choice("policy", policy, POLICIES)
    if not isinstance(rules, str) or rules.lower() not in RULE_SETS:
        raise UsageError.at(
            f"rules must be one of {', '.join(RULE_SETS)}; got {rules!r}", rule="usage"
        )
    return _compare(old, new, mode_, policy_, rules.lower(), old_resolver, new_resolver)


def _compare(
    old: object,
    new: object,
    mode: str,
    policy: str,
    rules: str,
    old_resolver: Any,
    new_resolver: Any,
) -> CompatibilityReport:
    for label, schema in (("old", old), ("new", new)):
        if not isinstance(schema, dict | bool):
            raise SchemaError.at(
                f"the {label} schema must be a JSON object or a boolean, not "
                f"{type(schema).__name__}",
                rule="schema",
                pointer="",
            )
    sound = rules == "sound"
    base_mode = mode.replace("_TRANSITIVE", "")
    old_side = _side(old, _shared(old_resolver), sound)
    new_side = _side(new, _shared(new_resolver), sound)
    compatible, strict = _sets(rules, policy)
    changes: list[Change] = []
    for direction in _DIRECTIONS[base_mode]:
        writer, reader = (old_side, new_side) if direction == "backward" else (new_side, old_side)
        eng = Engine(
            sound=sound,
            lenient=policy == "LENIENT",
            compatible=compatible,
            strict_compatible=strict,
            compare=walker.compare_nodes,
            shared=_walks(writer, reader, (sound, policy, rules)),
        )
        ctx = Ctx(eng, "#/", "", "", 0, policy == "LENIENT")
        try:
            diffs = walker.run(eng, ctx, writer.top(), reader.top())
        except RecursionError as err:  # defensive: depth is bounded, but never leak this
            raise SchemaError.at("the schemas nest too deeply to compare", rule="schema") from err
        except BudgetExceeded as err:
            if not sound:  # Confluent's verdicts have no "unknown": refuse, located
                raise SchemaError.at(
                    f"{err}; these schemas are too large or too deeply combined to compare",
                    rule="schema",
                    pointer=err.pointer,
                ) from err
            diffs = [Diff("COMPARISON_BUDGET_EXCEEDED", "#/", err.pointer, err.pointer, None, None)]
        except ArithmeticError as err:  # decimal/float trouble with absurd numbers
            raise SchemaError.at(
                f"a number in these schemas is too extreme to compare ({type(err).__name__}); "
                "use a plainer value",
                rule="schema",
                pointer=_extreme_number(old, new),
            ) from err
        changes.extend(
            _change(d, direction, rules, policy, base_mode, compatible, sound, writer, reader)
            for d in diffs
        )
    unknown = tuple(dict.fromkeys(c.new_pointer for c in changes if c.not_modelled))
    # Under sound rules a suspected break counts only once a counterexample confirms it; the
    # first proof settles the verdict, so a breaking comparison searches little.
    if any(c.breaking for c in changes):
        verdict = "breaking"
    elif base_mode != "NONE" and any(c.unknown for c in changes):
        verdict = "unknown"
    else:
        verdict = "compatible"
    return CompatibilityReport(
        verdict=verdict,
        changes=tuple(changes),
        mode=mode,
        policy=policy,
        rules=rules,
        unknown_keywords=unknown,
    )


def _side(schema: Any, resolver: Any, sound: bool) -> Side:
    check_shape(schema)
    draft = draft_of(schema, 0)
    if draft == 0:
        draft = guess_draft(schema) if sound else 7
    return Side(schema, draft, resolver, conditional_as_kind=not sound)


def _change(
    d: Diff,
    direction: str,
    rules: str,
    policy: str,
    mode: str,
    compatible: frozenset[str],
    sound: bool,
    writer: Side,
    reader: Side,
) -> Change:
    rule = CHANGE_TYPES[d.type]
    suspected = mode != "NONE" and d.type not in compatible and not (rule.unknown and sound)
    old_ptr, new_ptr = (d.old_ptr, d.new_ptr) if direction == "backward" else (d.new_ptr, d.old_ptr)
    return make_change(
        d.type,
        d.path,
        old_ptr,
        new_ptr,
        suspected,
        rule.additive,
        describe(d.type, d.path, direction, suspected),
        rule.fix,
        direction,
        rule.unknown and sound,
        suspected and sound,
        partial(_find(), d, writer, reader, policy == "LENIENT") if suspected and sound else None,
    )


def _shared(resolver: Any) -> Any:
    """The resolver on the run's shared, pre-crawled registry of its catalog side (one per
    side, reused by every comparison), so no ``$ref`` lookup crawls the registry again."""
    if resolver is None or resolver_registry(resolver) is None:
        return resolver
    from eventcat.compat.validating import index_for

    index, base = index_for(resolver, crawl=True)
    return index.resolver(base)


def _walks(writer: Side, reader: Side, options: tuple[Any, ...]) -> Shared | None:
    """The memo of ``$ref`` target pairs shared by every comparison of these two catalog sides
    under these options (kept on the writer's index, which lives as long as its catalog); None
    when either side is not resolved in a catalog."""
    w, r = writer.catalog_resolver(), reader.catalog_resolver()
    if resolver_registry(w) is None or resolver_registry(r) is None:
        return None
    from eventcat.compat.validating import index_for

    iw, _ = index_for(w)
    ir, _ = index_for(r)
    key = (iw.pin(ir), writer.draft, reader.draft, *options)
    found = iw.walks.get(key)
    if found is None:
        found = iw.walks[key] = Shared()
    return found


def _extreme_number(*schemas: Any) -> str:
    """The pointer of the first numeric keyword whose value is too extreme to compute with."""
    stack: list[tuple[str, Any]] = [("", s) for s in reversed(schemas)]
    while stack:
        ptr, value = stack.pop()
        if isinstance(value, dict):
            for key, sub in value.items():
                where = f"{ptr}/{str(key).replace('~', '~0').replace('/', '~1')}"
                if isinstance(sub, float) and sub != 0 and not 1e-300 < abs(sub) < 1e300:
                    return where
                stack.append((where, sub))
        elif isinstance(value, list):
            stack.extend((f"{ptr}/{i}", v) for i, v in enumerate(value))
    return ""


@cache
def _find() -> Callable[[Diff, Side, Side, bool], tuple[bool, Any, str]]:
    """``counterexamples.find``, imported when a breaking change first needs it (it imports
    jsonschema); the search itself runs only when someone asks for the counterexample."""
    from eventcat.compat.counterexamples import find

    return find
