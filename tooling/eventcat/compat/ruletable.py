"""The change-type table: one entry per type, in words, with its BACKWARD verdict code under
Confluent's rules and under sound rules. Only data (and the small helpers that spell its regular
families); :mod:`eventcat.compat.rules` builds the :class:`ChangeType` model from it.
"""

from __future__ import annotations

# fmt: off
# (a table reads as rows: the formatter would put every argument on a line of its own)

# Verdict codes, BACKWARD: "ok" compatible under both policies; "no" incompatible under both;
# "lenient" compatible under LENIENT only; "unknown" neither (the engine cannot decide).
OK, NO, LENIENT, UNKNOWN = "ok", "no", "lenient", "unknown"
# "strict": compatible under STRICT only, for what the tolerant reader's dropping can break.
STRICT_ONLY = "strict"


FIX_VERSION = "publish the change as a new major version, <EventName>_v<N+1>.schema.json"
FIX_NONE = "nothing to do: old events still validate"


def _entry(
    family: str, confluent_code: str, sound_code: str | None, additive: bool, summary: str,
    explanation: str, fix: str | None = None, *, confluent: bool = True, emitted: bool = True,
) -> dict[str, object]:
    return {
        "family": family, "codes": (confluent_code, sound_code or confluent_code),
        "additive": additive, "summary": summary, "explanation": explanation,
        "fix": fix, "confluent": confluent, "emitted": emitted,
    }


def _limits() -> dict[str, dict[str, object]]:
    """The regular added/removed/increased/decreased families of numeric limits."""
    out: dict[str, dict[str, object]] = {}
    upper = [("MAX_LENGTH", "maxLength", "strings", "characters in a string"),
             ("MAXIMUM", "maximum", "numbers", "the value of a number"),
             ("EXCLUSIVE_MAXIMUM", "exclusiveMaximum", "numbers", "the value of a number"),
             ("MAX_PROPERTIES", "maxProperties", "objects", "properties of an object"),
             ("MAX_ITEMS", "maxItems", "arrays", "items of an array"),
             ("MAX_CONTAINS", "maxContains", "arrays", "items matching `contains`")]
    lower = [("MIN_LENGTH", "minLength", "strings", "characters in a string"),
             ("MINIMUM", "minimum", "numbers", "the value of a number"),
             ("EXCLUSIVE_MINIMUM", "exclusiveMinimum", "numbers", "the value of a number"),
             ("MIN_PROPERTIES", "minProperties", "objects", "properties of an object"),
             ("MIN_ITEMS", "minItems", "arrays", "items of an array"),
             ("MIN_CONTAINS", "minContains", "arrays", "items matching `contains`")]
    for name, kw, fam, what in upper:
        out[f"{name}_ADDED"] = _entry(
            fam, NO, None, False, f"`{kw}` added",
            f"The new schema adds an upper bound `{kw}` on {what}. Old events were written with "
            f"no bound, so a consumer on the new schema rejects old events above it.")
        out[f"{name}_REMOVED"] = _entry(
            fam, OK, None, True, f"`{kw}` removed",
            f"The upper bound `{kw}` on {what} is gone: the new schema accepts everything the old "
            "one did.")
        out[f"{name}_INCREASED"] = _entry(
            fam, OK, None, True, f"`{kw}` increased",
            f"The upper bound `{kw}` on {what} is higher: every old event is still within it.")
        out[f"{name}_DECREASED"] = _entry(
            fam, NO, None, False, f"`{kw}` decreased",
            f"The upper bound `{kw}` on {what} is lower: a consumer on the new schema rejects old "
            "events between the new and the old bound.")
    for name, kw, fam, what in lower:
        out[f"{name}_ADDED"] = _entry(
            fam, NO, None, False, f"`{kw}` added",
            f"The new schema adds a lower bound `{kw}` on {what}. Old events were written with "
            f"no bound, so a consumer on the new schema rejects old events below it.")
        out[f"{name}_REMOVED"] = _entry(
            fam, OK, None, True, f"`{kw}` removed",
            f"The lower bound `{kw}` on {what} is gone: the new schema accepts everything the old "
            "one did.")
        out[f"{name}_INCREASED"] = _entry(
            fam, NO, None, False, f"`{kw}` increased",
            f"The lower bound `{kw}` on {what} is higher: a consumer on the new schema rejects old "
            "events between the old and the new bound.")
        out[f"{name}_DECREASED"] = _entry(
            fam, OK, None, True, f"`{kw}` decreased",
            f"The lower bound `{kw}` on {what} is lower: every old event is still above it.")
    return out


def _four_way(prefix: str, kw: str, family: str, what: str, lenient: bool) -> dict[str, dict[str, object]]:
    """additionalProperties / unevaluatedProperties / additionalItems / unevaluatedItems."""
    relaxed = LENIENT if lenient else NO
    sound_relaxed = LENIENT if lenient else NO
    tolerant = (" Under LENIENT (a tolerant reader that drops what it does not declare) old "
                "events carry only declared members, so they are not affected.") if lenient else ""
    return {
        f"{prefix}_ADDED": _entry(
            family, OK, None, True, f"`{kw}` now allows {what}",
            f"The old schema forbade {what} (`{kw}: false`); the new one allows them. Old events "
            "had none, so they still validate."),
        f"{prefix}_REMOVED": _entry(
            family, relaxed, sound_relaxed, False, f"`{kw}` now forbids {what}",
            f"The old schema allowed {what}; the new one forbids them (`{kw}: false`). A consumer "
            f"on the new schema rejects old events that carried any.{tolerant}",
            "close the content model only in a new major version; or keep it open"),
        f"{prefix}_EXTENDED": _entry(
            family, OK, None, True, f"`{kw}` no longer constrains {what}",
            f"The old schema constrained {what} with a schema; the new one accepts any value. "
            "Every old event still validates."),
        f"{prefix}_NARROWED": _entry(
            family, relaxed, sound_relaxed, False, f"`{kw}` now constrains {what}",
            f"The old schema accepted {what} of any value; the new one requires them to match a "
            f"schema. A consumer on the new schema rejects old events whose {what} do not match."
            f"{tolerant}",
            "declare the members you need as properties instead of constraining all of them"),
    }


TABLE: dict[str, dict[str, object]] = {
    # -- general ---------------------------------------------------------------------------------
    "ID_CHANGED": _entry("general", OK, None, True, "`$id` changed",
                         "The schema's `$id` changed. It identifies the schema; it does not "
                         "constrain events.", FIX_NONE),
    "DESCRIPTION_CHANGED": _entry("general", OK, None, True, "`description` changed",
                                  "Only the documentation changed; events validate as before.",
                                  FIX_NONE),
    "TITLE_CHANGED": _entry("general", OK, None, True, "`title` changed",
                            "Only the title changed; events validate as before.", FIX_NONE),
    "DEFAULT_CHANGED": _entry("general", OK, None, True, "`default` changed",
                              "The default value changed. Validators do not apply defaults, so "
                              "events validate as before; consumers that fill in defaults see a "
                              "different value for absent fields.",
                              "tell consumers that fill defaults themselves"),
    "SCHEMA_ADDED": _entry("general", NO, None, False, "a subschema was added",
                           "A subschema that was absent (so anything was accepted there) now "
                           "constrains values: a consumer on the new schema rejects old events "
                           "whose values there do not match it."),
    "SCHEMA_REMOVED": _entry("general", OK, None, True, "a subschema was removed",
                             "A subschema that constrained values is gone, so anything is accepted "
                             "there: old events still validate."),
    "TYPE_EXTENDED": _entry("general", OK, None, True, "`integer` widened to `number`",
                            "The type widened from `integer` to `number`: every old value is "
                            "still a number."),
    "TYPE_NARROWED": _entry("general", NO, None, False, "`number` narrowed to `integer`",
                            "The type narrowed from `number` to `integer`: a consumer on the new "
                            "schema rejects old events carrying a fraction such as 1.5."),
    "TYPE_CHANGED": _entry("general", NO, None, False, "the type changed",
                           "The schema changed to a different kind of value (say, from string to "
                           "number or from a type to an enum): a consumer on the new schema "
                           "rejects old events."),
    # -- strings ---------------------------------------------------------------------------------
    "PATTERN_ADDED": _entry("strings", NO, None, False, "`pattern` added",
                            "The new schema adds a regular expression: a consumer on the new "
                            "schema rejects old strings that do not match it."),
    "PATTERN_REMOVED": _entry("strings", OK, None, True, "`pattern` removed",
                              "The regular expression is gone: every old string is accepted."),
    "PATTERN_CHANGED": _entry("strings", NO, None, False, "`pattern` changed",
                              "The regular expression changed. Regular expressions are not "
                              "compared for inclusion, so the change is treated as breaking: old "
                              "strings may not match the new pattern.",
                              "keep the old pattern as an alternative (`(old)|(new)`) only if it "
                              "is a pure widening; otherwise " + FIX_VERSION),
    # -- numbers ---------------------------------------------------------------------------------
    "MULTIPLE_OF_ADDED": _entry("numbers", NO, None, False, "`multipleOf` added",
                                "The new schema requires numbers to be multiples of a value: a "
                                "consumer on the new schema rejects old numbers that are not."),
    "MULTIPLE_OF_REMOVED": _entry("numbers", OK, None, True, "`multipleOf` removed",
                                  "Numbers no longer have to be multiples of a value."),
    "MULTIPLE_OF_EXPANDED": _entry("numbers", NO, None, False, "`multipleOf` grew to a multiple",
                                   "The new `multipleOf` is a multiple of the old one (say 2 → 4): "
                                   "old values such as 2 are rejected."),
    "MULTIPLE_OF_REDUCED": _entry("numbers", OK, None, True, "`multipleOf` reduced to a divisor",
                                  "The new `multipleOf` divides the old one (say 4 → 2): every old "
                                  "multiple is still a multiple."),
    "MULTIPLE_OF_CHANGED": _entry("numbers", NO, None, False, "`multipleOf` changed",
                                  "The new `multipleOf` neither divides nor is divided by the old "
                                  "one: old values are rejected."),
    # -- objects ---------------------------------------------------------------------------------
    "REQUIRED_ATTRIBUTE_ADDED": _entry(
        "objects", NO, None, False, "an existing property became required",
        "A property that was optional is now required: a consumer on the new schema rejects old "
        "events that leave it out.",
        "keep the property optional and let consumers fall back to a default; or " + FIX_VERSION),
    "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED": _entry(
        "objects", OK, NO, False, "an existing property with a default became required",
        "A property that was optional is now required, and it has a `default`. Confluent accepts "
        "this; a validator does not fill defaults, so under sound rules a consumer on the new "
        "schema rejects old events that leave the property out.",
        "keep the property optional (consumers can read the default); or " + FIX_VERSION),
    "REQUIRED_ATTRIBUTE_REMOVED": _entry(
        "objects", OK, None, False, "a required property became optional",
        "A required property became optional: old events, which all carry it, still validate. It "
        "is not additive: producers may now leave it out, so consumers on the old schema break "
        "(FORWARD).", "under the additive evolution policy, " + FIX_VERSION),
    "DEPENDENCY_ARRAY_ADDED": _entry(
        "objects", NO, None, False, "a property dependency was added",
        "The new schema requires other properties whenever this one is present: old events that "
        "carry it without them are rejected."),
    "DEPENDENCY_ARRAY_REMOVED": _entry(
        "objects", OK, None, False, "a property dependency was removed",
        "A dependency between properties is gone: old events still validate."),
    "DEPENDENCY_ARRAY_EXTENDED": _entry(
        "objects", NO, None, False, "a property dependency requires more properties",
        "When the property is present, more properties are now required: old events that lack "
        "the new ones are rejected."),
    "DEPENDENCY_ARRAY_NARROWED": _entry(
        "objects", OK, None, False, "a property dependency requires fewer properties",
        "When the property is present, fewer properties are required: old events still validate."),
    "DEPENDENCY_ARRAY_CHANGED": _entry(
        "objects", NO, None, False, "a property dependency changed",
        "The set of properties required with this one changed: old events may lack the new ones."),
    "DEPENDENCY_SCHEMA_ADDED": _entry(
        "objects", NO, None, False, "a schema dependency was added",
        "When the property is present, the whole object must now also match a schema: old events "
        "may not."),
    "DEPENDENCY_SCHEMA_REMOVED": _entry(
        "objects", OK, None, False, "a schema dependency was removed",
        "A schema the object had to match when the property was present is gone: old events still "
        "validate."),
    "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL": _entry(
        "objects", NO, None, False, "a property was added to an open content model (retired)",
        "Retired by Confluent and never reported: split into REQUIRED_PROPERTY_ADDED_TO_OPEN_"
        "CONTENT_MODEL, OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL and "
        "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL.",
        "see the types that replace it", emitted=False),
    "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL": _entry(
        "objects", NO, None, False, "a required property was added",
        "The new schema requires a property the old one did not declare: a consumer on the new "
        "schema rejects every old event that lacks it.",
        "add the property as optional; or " + FIX_VERSION),
    "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL": _entry(
        "objects", LENIENT, NO, False, "a required property with a default was added",
        "The new schema requires a new property that has a `default`. Confluent accepts it under "
        "LENIENT; a validator does not fill defaults, so old events that lack it are rejected.",
        "add the property as optional with a default; or " + FIX_VERSION),
    "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL": _entry(
        "objects", LENIENT, None, True, "an optional property was added to an open object",
        "The old schema let events carry any extra property, so an old event may already carry "
        "this name with a value the new property schema rejects (STRICT). Under LENIENT old "
        "events carry only declared properties, so this is a safe addition.",
        "close the content model first (`additionalProperties: false`), then add properties; or "
        "accept it under LENIENT"),
    "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL": _entry(
        "objects", OK, None, True, "a property accepting anything was added",
        "The new property accepts any value, exactly as the open content model did."),
    "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL": _entry(
        "objects", NO, None, False, "a required property was added to a closed object",
        "The new schema requires a property old events could not carry: every old event lacks it "
        "and is rejected.", "add the property as optional; or " + FIX_VERSION),
    "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL": _entry(
        "objects", OK, NO, False, "a required property with a default was added to a closed object",
        "Confluent accepts a new required property when it has a `default`. A validator does not "
        "fill defaults: under sound rules old events, which lack it, are rejected.",
        "add the property as optional with a default; or " + FIX_VERSION),
    "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL": _entry(
        "objects", OK, None, True, "an optional property was added to a closed object",
        "Old events could not carry the new property (or carried it under a pattern or "
        "`additionalProperties` schema that is compared separately): they still validate."),
    "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL": _entry(
        "objects", OK, None, False, "a property was removed from an open object",
        "The property is no longer declared, but the new schema accepts any extra property, so old "
        "events that carry it still validate. Not additive: consumers on the old schema may rely "
        "on it.", "under the additive evolution policy, deprecate it instead; or " + FIX_VERSION),
    "PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL": _entry(
        "objects", OK, None, False, "a forbidden property was removed from a closed object",
        "The property was declared `false` (forbidden); the closed new schema still forbids it."),
    "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL": _entry(
        "objects", LENIENT, None, False, "a property was removed from a closed object",
        "The property is gone and the new schema forbids undeclared properties: a consumer on the "
        "new schema rejects old events that carry it (STRICT). A tolerant reader (LENIENT) drops "
        "it and reads on.", "keep the property declared (optional, deprecated); or " + FIX_VERSION),
    "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL": _entry(
        "objects", OK, None, False, "a removed property is covered by a pattern or "
        "additionalProperties schema",
        "The property is no longer declared, but the schema the new content model gives to "
        "undeclared properties accepts every old value of it."),
    "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL": _entry(
        "objects", LENIENT, None, False, "a removed property is not covered by the content model",
        "The property is gone and the schema the new content model gives to undeclared properties "
        "rejects some of its old values: old events carrying them are rejected (STRICT). A tolerant "
        "reader drops the property (LENIENT).",
        "keep the property declared; or widen the pattern/additionalProperties schema"),
    "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL": _entry(
        "objects", OK, None, True, "an added property accepts what the content model accepted",
        "The new property's schema accepts every value the old pattern or additionalProperties "
        "schema accepted under that name."),
    "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL": _entry(
        "objects", LENIENT, None, True, "an added property is stricter than the content model",
        "Old events could carry this name under a pattern or additionalProperties schema with "
        "values the new property schema rejects (STRICT). Under LENIENT old events carry only "
        "declared properties.", "make the new property accept what the old content model did"),
    "RESERVED_PROPERTY_REMOVED": _entry(
        "objects", NO, None, False, "a reserved property was removed (registry metadata)",
        "Confluent enforces reserved fields in the registry, not in its schema diff; eventcat has "
        "no reserved-field metadata and never reports this type.", "not applicable",
        emitted=False),
    "RESERVED_PROPERTY_CONFLICTS_WITH_PROPERTY": _entry(
        "objects", NO, None, False, "a property conflicts with a reserved one (registry metadata)",
        "Confluent enforces reserved fields in the registry, not in its schema diff; eventcat has "
        "no reserved-field metadata and never reports this type.", "not applicable",
        emitted=False),
    # -- arrays ----------------------------------------------------------------------------------
    "UNIQUE_ITEMS_ADDED": _entry("arrays", NO, None, False, "`uniqueItems` added",
                                 "The new schema forbids duplicate items: old arrays with "
                                 "duplicates are rejected."),
    "UNIQUE_ITEMS_REMOVED": _entry("arrays", OK, None, True, "`uniqueItems` removed",
                                   "Duplicates are allowed now: old arrays still validate."),
    "ITEM_ADDED_TO_OPEN_CONTENT_MODEL": _entry(
        "arrays", NO, None, False, "a tuple position was added to an open array",
        "Old arrays could hold any value at this position; the new position schema rejects some.",
        "close the tuple first (`items: false` / `additionalItems: false`); or " + FIX_VERSION),
    "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL": _entry(
        "arrays", OK, None, True, "a tuple position accepting anything was added",
        "The new position accepts any value, as the open array did."),
    "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL": _entry(
        "arrays", OK, None, True, "a tuple position was added to a closed array",
        "Old arrays could not reach this position, so they still validate."),
    "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL": _entry(
        "arrays", OK, None, False, "a tuple position was removed; the array is open",
        "The position is no longer described but the new array accepts anything there."),
    "ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL": _entry(
        "arrays", OK, None, False, "a forbidden tuple position was removed",
        "The position was `false` (unreachable); the closed new array still forbids it."),
    "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL": _entry(
        "arrays", NO, None, False, "a tuple position was removed from a closed array",
        "Old arrays that reach this position are now too long for the new schema."),
    "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL": _entry(
        "arrays", OK, None, False, "a removed position is covered by the rest-items schema",
        "The schema for the remaining items accepts every old value at the removed position."),
    "ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL": _entry(
        "arrays", NO, None, False, "a removed position is not covered by the rest-items schema",
        "The schema for the remaining items rejects some old values at the removed position."),
    "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL": _entry(
        "arrays", OK, None, True, "an added position accepts what the rest-items schema did",
        "The new position's schema accepts every value the old rest-items schema accepted there."),
    "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL": _entry(
        "arrays", NO, None, False, "an added position is stricter than the rest-items schema",
        "Old arrays could hold values at this position that the new position schema rejects."),
    # -- enums -----------------------------------------------------------------------------------
    "ENUM_ARRAY_EXTENDED": _entry("enums", OK, None, True, "enum values added",
                                  "The new enum contains every old value and more: old events "
                                  "still validate (consumers must be ready for the new values)."),
    "ENUM_ARRAY_NARROWED": _entry("enums", NO, None, False, "enum values removed",
                                  "Some old enum values are gone: old events carrying them are "
                                  "rejected.", "keep the old values (deprecate them); or "
                                  + FIX_VERSION),
    "ENUM_ARRAY_CHANGED": _entry("enums", NO, None, False, "enum or const values changed",
                                 "Old enum (or const) values are no longer accepted: old events "
                                 "carrying them are rejected."),
    # -- combinators -----------------------------------------------------------------------------
    "COMBINED_TYPE_EXTENDED": _entry(
        "combinators", OK, None, True, "the combinator was relaxed",
        "The combinator changed to a weaker one (say oneOf → anyOf, or a single-branch allOf → "
        "anyOf): every old event still satisfies it."),
    "COMBINED_TYPE_CHANGED": _entry(
        "combinators", NO, None, False, "the combinator changed",
        "The combinator changed to a stronger one (say anyOf → allOf): old events that satisfied "
        "one branch may not satisfy the new combination."),
    "PRODUCT_TYPE_EXTENDED": _entry("combinators", NO, None, False, "an allOf branch was added",
                                    "Old events must now also match another schema."),
    "PRODUCT_TYPE_NARROWED": _entry("combinators", OK, None, True, "an allOf branch was removed",
                                    "Old events have fewer schemas to match: they still validate."),
    "SUM_TYPE_EXTENDED": _entry("combinators", OK, None, True, "an anyOf/oneOf branch was added",
                                "A new alternative was added: old events still match theirs. "
                                "For oneOf, sound rules also check that the branches stay "
                                "disjoint (see ONE_OF_BRANCHES_OVERLAP)."),
    "SUM_TYPE_NARROWED": _entry("combinators", NO, None, False, "an anyOf/oneOf branch was removed",
                                "Old events that matched the removed alternative are rejected."),
    "COMBINED_TYPE_SUBSCHEMAS_CHANGED": _entry(
        "combinators", NO, None, False, "combinator branches changed incompatibly",
        "Some branches of the combinator cannot be paired with a compatible branch on the other "
        "side, so old events that relied on them are rejected."),
    "NOT_TYPE_EXTENDED": _entry("combinators", NO, None, False, "`not` now excludes more",
                                "The schema under `not` accepts more than before, so the whole "
                                "schema accepts less: old events may be rejected."),
    "NOT_TYPE_NARROWED": _entry("combinators", OK, None, True, "`not` now excludes less",
                                "The schema under `not` accepts less than before, so the whole "
                                "schema accepts more: old events still validate."),
}

TABLE.update(_limits())
TABLE.update(_four_way("ADDITIONAL_PROPERTIES", "additionalProperties", "objects",
                        "undeclared properties", lenient=True))
TABLE.update(_four_way("UNEVALUATED_PROPERTIES", "unevaluatedProperties", "objects",
                        "unevaluated properties", lenient=True))
TABLE.update(_four_way("ADDITIONAL_ITEMS", "additionalItems", "arrays", "items beyond the tuple",
                        lenient=False))
TABLE.update(_four_way("UNEVALUATED_ITEMS", "unevaluatedItems", "arrays", "unevaluated items",
                        lenient=False))

# Types of our own, for what Confluent does not compare (rules="sound" only; under
# rules="confluent" they are never reported and count as compatible, as Confluent ignores them).
OWN: dict[str, dict[str, object]] = {
    "FORMAT_ADDED": _entry("strings", OK, NO, False, "`format` added",
                           "The new schema adds a `format`. eventcat counts `format` as an "
                           "assertion (consumers may validate it), so old strings that do not "
                           "have the format are rejected.", confluent=False),
    "FORMAT_REMOVED": _entry("strings", OK, None, True, "`format` removed",
                             "The `format` is gone: every old string is accepted.",
                             confluent=False),
    "FORMAT_CHANGED": _entry("strings", OK, NO, False, "`format` changed",
                             "The `format` changed: old strings in the old format are rejected by "
                             "a consumer that validates the new one.", confluent=False),
    "CONDITIONAL_ADDED": _entry("combinators", OK, NO, False, "`if`/`then`/`else` added",
                                "The new schema adds a conditional constraint: old events that "
                                "meet the condition but not the consequence are rejected.",
                                confluent=False),
    "CONDITIONAL_REMOVED": _entry("combinators", OK, None, True, "`if`/`then`/`else` removed",
                                  "A conditional constraint is gone: old events still validate.",
                                  confluent=False),
    "CONDITIONAL_CHANGED": _entry("combinators", OK, NO, False, "`if`/`then`/`else` changed",
                                  "The conditional constraint changed. Conditionals are not "
                                  "compared for inclusion, so the change is treated as breaking.",
                                  confluent=False),
    "PROPERTY_NAMES_ADDED": _entry("objects", OK, NO, False, "`propertyNames` added",
                                   "The new schema constrains property names: old events with "
                                   "other names are rejected.", confluent=False),
    "PROPERTY_NAMES_REMOVED": _entry("objects", OK, None, True, "`propertyNames` removed",
                                     "Property names are no longer constrained.", confluent=False),
    "CONTAINS_ADDED": _entry("arrays", OK, NO, False, "`contains` added",
                             "The new schema requires arrays to contain a matching item: old "
                             "arrays without one are rejected.", confluent=False),
    "CONTAINS_REMOVED": _entry("arrays", OK, None, True, "`contains` removed",
                               "Arrays no longer need a matching item.", confluent=False),
    "CONTAINS_CHANGED": _entry("arrays", OK, NO, False, "`contains` changed under `maxContains`",
                               "The `contains` schema changed while `maxContains` limits how many "
                               "items may match it: old arrays may now match too often.",
                               confluent=False),
    "TYPE_KEYWORD_ADDED": _entry("general", OK, NO, False, "`type` now required",
                                 "The old schema constrained values only when they had a type "
                                 "(`maxLength` alone lets numbers through); the new one requires "
                                 "that type, so old values of other types are rejected.",
                                 confluent=False),
    "TYPE_KEYWORD_REMOVED": _entry("general", OK, None, True, "`type` no longer required",
                                   "The new schema applies its keywords without requiring the "
                                   "type: it accepts everything the old one did.",
                                   confluent=False),
    "ENUM_VALUES_ACCEPTED": _entry("enums", NO, OK, True, "enum/const replaced by a schema that "
                                   "accepts every old value",
                                   "The old schema listed its values (enum or const); the new one "
                                   "is of another kind but accepts every one of them. Confluent "
                                   "reports TYPE_CHANGED; sound rules check the values.",
                                   confluent=False),
    "ENUM_VALUES_REJECTED": _entry("enums", NO, None, False, "old enum/const values rejected",
                                   "The old schema listed its values; the new one rejects at "
                                   "least one of them.", confluent=False),
    "ONE_OF_BRANCHES_OVERLAP": _entry(
        "combinators", OK, NO, False, "oneOf branches may overlap",
        "`oneOf` accepts a value only if exactly one branch matches. The new branches are not "
        "provably disjoint, so an old value may match two of them and be rejected.",
        "use anyOf, or make the branches disjoint (different types, or a discriminating const)",
        confluent=False),
    "REQUIRED_PROPERTY_DROPPED": _entry(
        "objects", OK, STRICT_ONLY, False, "a required property is no longer declared",
        "The new schema still requires the property but no longer declares it, so a tolerant "
        "reader drops it from old events and then finds it missing (LENIENT).", confluent=False),
    "REQUIRED_NAME_ADDED": _entry(
        "objects", OK, NO, False, "a name was added to `required` without a property schema",
        "The new schema requires a name it does not declare in `properties`. Confluent ignores "
        "such names; old events that lack it are rejected.", confluent=False),
    "MIN_PROPERTIES_WITH_DROPPED_PROPERTY": _entry(
        "objects", OK, STRICT_ONLY, False, "properties dropped under a `minProperties` bound",
        "A tolerant reader drops the properties the new schema no longer declares; what is left "
        "may fall below `minProperties` (LENIENT).", confluent=False),
    "DEPENDENCY_ON_DROPPED_PROPERTY": _entry(
        "objects", OK, STRICT_ONLY, False, "a dependency names a property that is dropped",
        "A tolerant reader drops the properties the new schema no longer declares, which can leave "
        "a dependency of the new schema unsatisfied (LENIENT).", confluent=False),
    "PATTERN_PROPERTY_CONSTRAINS_PROPERTY": _entry(
        "objects", OK, NO, False, "a new pattern property also constrains a declared property",
        "A `patternProperties` entry of the new schema matches a declared property's name, so "
        "its schema applies too, and it rejects some old values. Confluent ignores this.",
        confluent=False),
    "SCHEMA_PROVEN_COMPATIBLE": _entry(
        "general", OK, None, True, "rewritten; every old value is still accepted",
        "The schema was written differently (a `type` list as `oneOf`, an inline object as `allOf` "
        "with a `$ref`, an `allOf` override dropped while another branch still declares the "
        "property, ranges or enums recombined, …). Judged by the sets of values rather than by the "
        "spelling (`type` lists normalised, `allOf` flattened, `$ref` resolved, `oneOf` branches "
        "shown disjoint), every value the old schema accepted is still accepted.",
        FIX_NONE, confluent=False),
    "KEYWORD_NOT_MODELLED": _entry(
        "general", OK, UNKNOWN, False, "a keyword the engine does not model",
        "The schema uses a keyword whose effect the engine does not model (for instance "
        "`$dynamicRef`, or `unevaluatedProperties` beside `allOf`). Sound rules cannot call the "
        "change compatible, so the verdict is unknown.",
        "review the change by hand; or rewrite the keyword in a form the engine models",
        confluent=False),
    "COMPARISON_BUDGET_EXCEEDED": _entry(
        "general", UNKNOWN, UNKNOWN, False, "the comparison exceeded its budget",
        "The schemas are so large or so deeply combined (nested `oneOf`/`anyOf`) that comparing "
        "them exceeded the engine's step budget. The engine stops rather than hang, so the "
        "verdict is unknown.",
        "review the change by hand; or simplify the combinators (name the branches with `$ref`)",
        confluent=False),
}
# fmt: on
