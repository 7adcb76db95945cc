"""The JSON Schema keywords whose values are subschemas (drafts 7, 2019-09 and 2020-12): one table
for every walker (catalog.schemawalk, the compat engine's shape check, counterexample location).

``items`` is both: one subschema, or (draft 7) an array of them. ``dependencies`` (draft 7) maps
names to a subschema *or* an array of property names, so each walker treats it by hand.
``contentSchema`` is an annotation validators never apply; only walkers looking for ``$ref``s take it.
"""

from __future__ import annotations

#: Keywords whose value is one subschema, in the order the compat shape check visits them.
ONE = ("not", "if", "then", "else", "additionalProperties", "unevaluatedProperties",
       "propertyNames", "contains", "additionalItems", "unevaluatedItems", "items")  # fmt: skip
#: Keywords whose value is an object of subschemas by name.
NAMED = ("properties", "patternProperties", "dependentSchemas", "$defs", "definitions")
#: Keywords whose value is an array of subschemas (``items`` only in draft 7).
INDEXED = ("allOf", "anyOf", "oneOf", "prefixItems", "items")
#: Subschemas held by these keywords apply to the same instance as the schema holding them (the
#: others apply to a part of it, or, for DEFINITIONS, to nothing until referenced).
IN_PLACE = frozenset({"not", "if", "then", "else", "allOf", "anyOf", "oneOf",
                      "dependentSchemas", "dependencies"})  # fmt: skip
DEFINITIONS = frozenset({"$defs", "definitions"})
