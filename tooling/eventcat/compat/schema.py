"""The schema model the engine compares: JSON Schema values classified the way Confluent's checker
(everit-json-schema) sees them, with ``$ref`` resolved through ``referencing``.

A schema object becomes one *kind* (object, array, string, …). When one object carries keywords of
several kinds (``{"type": "string", "enum": [...]}``), it becomes a *synthetic* ``allOf`` of one part
per kind, because that is what everit builds and Confluent's verdicts depend on it. ``type`` lists
become an ``anyOf`` of one part per type. Nodes are built lazily and cached per raw value so that the
walker can key its memo on node identity.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from referencing import Registry
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT7, DRAFT201909, DRAFT202012

from eventcat.catalog.refs import lookup
from eventcat.errors import SchemaError
from eventcat.jsonpointer import escape

# Kinds, named after everit's schema classes.
OBJECT, ARRAY, STRING, NUMBER, BOOLEAN, NULL = (
    "object",
    "array",
    "string",
    "number",
    "boolean",
    "null",
)
ENUM, CONST, NOT, COMBINED, CONDITIONAL = "enum", "const", "not", "combined", "conditional"
EMPTY, TRUE, FALSE = "empty", "true", "false"

ALL_OF, ANY_OF, ONE_OF = "allOf", "anyOf", "oneOf"

OBJECT_KEYWORDS = frozenset(
    {
        "properties",
        "additionalProperties",
        "required",
        "patternProperties",
        "dependencies",
        "minProperties",
        "maxProperties",
        "propertyNames",
        "unevaluatedProperties",
        "dependentRequired",
        "dependentSchemas",
    }
)
ARRAY_KEYWORDS = frozenset(
    {
        "items",
        "additionalItems",
        "maxItems",
        "minItems",
        "uniqueItems",
        "contains",
        "prefixItems",
        "unevaluatedItems",
        "minContains",
        "maxContains",
    }
)
STRING_KEYWORDS = frozenset({"minLength", "maxLength", "pattern", "format"})
NUMBER_KEYWORDS = frozenset(
    {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"}
)
TYPE_NAMES = frozenset({"object", "array", "string", "number", "integer", "boolean", "null"})

# Draft numbers: 7 stands for draft-04/06/07 (everit), 2019 and 2020 for the later drafts.
_SPECS = {7: DRAFT7, 2019: DRAFT201909, 2020: DRAFT202012}


def draft_of(schema: Any, default: int) -> int:
    """The draft a schema declares with ``$schema``, else ``default``."""
    uri = schema.get("$schema") if isinstance(schema, dict) else None
    if not isinstance(uri, str):
        return default
    if "2020-12" in uri:
        return 2020
    if "2019-09" in uri:
        return 2019
    return 7


def guess_draft(schema: Any) -> int:
    """Draft for a schema without ``$schema`` under sound rules: the contract's default (2020-12)
    unless the schema uses forms that only make sense in draft-07 (tuple ``items``, ``definitions``,
    ``dependencies``, ``additionalItems``)."""
    stack = [schema]
    seen = 0
    while stack and seen < 10_000:
        seen += 1
        value = stack.pop()
        if isinstance(value, dict):
            if (
                isinstance(value.get("items"), list)
                or {"additionalItems", "dependencies", "definitions"} & value.keys()
            ):
                return 7
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return 2020


def escaped(segment: str) -> str:
    """``escape``, skipping the two replacements for the usual plain name."""
    if segment.__class__ is str and "~" not in segment and "/" not in segment:
        return segment
    return escape(segment)


def canon(value: Any) -> str:
    """A canonical text of a JSON value: equal JSON values give equal texts (``1`` and ``1.0``
    agree, ``true`` and ``1`` do not), for enum sets and de-duplication."""
    try:
        return json.dumps(_norm(value), sort_keys=True, separators=(",", ":"))
    except RecursionError as err:  # absurdly deep input; the caller locates it
        raise SchemaError.at("the schema is nested too deeply to compare") from err


def _norm(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _norm(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_norm(v) for v in value]
    return value


@dataclass(eq=False, slots=True)
class Node:
    """One schema as the engine sees it.

    ``raw`` is the JSON object (or boolean) the node reads its keywords from; ``ptr`` its JSON
    pointer in its own document; ``meta`` the object carrying title/description/default (None for
    the parts of a synthetic ``allOf``, which have no annotations of their own).
    """

    kind: str
    raw: Any
    ptr: str
    side: Side
    scope: Any  # referencing Resolver or None until a $ref needs one
    parts: tuple[Node, ...] = ()
    criterion: str = ""
    synthetic: bool = False
    integer: bool = False
    typed: bool = False  # kind given by an explicit `type` (else sniffed from keywords)
    meta: dict[str, Any] | None = None
    via_ref: bool = False
    _key: str | None = field(default=None, repr=False)

    @property
    def draft(self) -> int:
        return self.side.draft

    def get(self, keyword: str, default: Any = None) -> Any:
        return self.raw.get(keyword, default) if isinstance(self.raw, dict) else default

    def key(self) -> str:
        """Identity for de-duplication in combinators: kind plus the canonical raw value."""
        if self._key is None:
            if self.kind == COMBINED and not self.synthetic:
                # Only the combinator's own subschemas: its siblings are other parts.
                self._key = f"{self.criterion}:{canon(self.raw[self.criterion])}"
            else:
                kinds = ",".join(p.kind for p in self.parts)
                self._key = (
                    f"{self.kind}:{self.criterion}:{self.integer}:{self.synthetic}:"
                    f"{kinds}:{canon(self.raw)}"
                )
        return self._key

    def child(self, raw: Any, *segments: str) -> Node:
        """The node of a subschema of this one, ``segments`` below it."""
        if len(segments) == 1:  # a keyword
            ptr = f"{self.ptr}/{escaped(segments[0])}"
        elif len(segments) == 2:  # keyword/name
            ptr = f"{self.ptr}/{escaped(segments[0])}/{escaped(segments[1])}"
        else:
            ptr = self.ptr + "".join("/" + escaped(s) for s in segments)
        return self.side.node(raw, ptr, self.scope)


class Side:
    """Builds and caches the nodes of one schema document (the old or the new one)."""

    __slots__ = (
        "_cache",
        "_resolver",
        "_texts",
        "conditional_as_kind",
        "draft",
        "provers",
        "root",
        "validator",
    )

    def __init__(self, root: Any, draft: int, resolver: Any, *, conditional_as_kind: bool) -> None:
        self.root = root
        self.draft = draft
        self._resolver = resolver
        self._cache: dict[tuple[int, str], Node] = {}
        self.validator: Any = None  # built by counterexamples when first needed
        self._texts: dict[int, str] = {}
        self.provers: dict[int, Any] = {}  # inclusion provers against other sides (subset.py)
        # Confluent's everit model makes if/then/else a schema class of its own; sound rules
        # compare it as a keyword beside the others instead.
        self.conditional_as_kind = conditional_as_kind

    def text(self, raw: Any) -> str:
        """Canonical JSON text of a subschema (cached), to skip identical subtrees quickly."""
        found = self._texts.get(id(raw))
        if found is None:
            try:
                found = json.dumps(raw, sort_keys=True, separators=(",", ":"))
            except RecursionError as err:
                raise SchemaError.at(
                    "the schema is nested too deeply to compare", rule="schema"
                ) from err
            self._texts[id(raw)] = found
        return found

    def catalog_resolver(self) -> Any:
        """The resolver this document was given (a catalog side's), or None for a lone schema."""
        return self._resolver

    def resolver(self) -> Any:
        if self._resolver is None:
            spec = _SPECS[self.draft]
            uri = self.root.get("$id") if isinstance(self.root, dict) else None
            uri = uri if isinstance(uri, str) and uri else "urn:eventcat:schema"
            registry: Registry[Any] = Registry().with_resource(uri, spec.create_resource(self.root))
            self._resolver = registry.resolver(base_uri=uri)
        return self._resolver

    def top(self) -> Node:
        return self.node(self.root, "", self._resolver)

    def node(self, raw: Any, ptr: str, scope: Any) -> Node:
        cached = self._cache.get((id(raw), ptr))
        if cached is not None:
            return cached
        if isinstance(raw, bool):
            made = Node(TRUE if raw else FALSE, raw, ptr, self, scope, meta=None)
        elif not isinstance(raw, dict):
            raise SchemaError.at(
                f"expected a schema (a JSON object or a boolean), found {type(raw).__name__}",
                rule="schema",
                pointer=ptr,
            )
        elif "$ref" in raw:
            made = self._reference(raw, ptr, scope)
        else:
            made = self._classify(raw, ptr, scope)
        self._cache[(id(raw), ptr)] = made
        return made

    # -- $ref ---------------------------------------------------------------------------------

    def _reference(self, raw: dict[str, Any], ptr: str, scope: Any) -> Node:
        ref = raw["$ref"]
        if not isinstance(ref, str):
            raise SchemaError.at("$ref must be a string", rule="schema", pointer=ptr + "/$ref")
        if self.draft >= 2019 and _has_siblings(raw):
            # Since 2019-09 the siblings of $ref apply too: the schema is both. The node is cached
            # before its parts are built so that a $ref back to this very object terminates.
            made = Node(COMBINED, raw, ptr, self, scope, criterion=ALL_OF, synthetic=True, meta=raw)
            self._cache[(id(raw), ptr)] = made
            target, target_ptr, target_scope = self._follow(raw, ptr, scope)
            ref_part = self.node(target, target_ptr, target_scope)
            ref_part.via_ref = True
            own = self._classify({k: v for k, v in raw.items() if k != "$ref"}, ptr, scope)
            made.parts = (*own.parts, ref_part) if own.synthetic else (own, ref_part)
            return made
        target, target_ptr, target_scope = self._follow(raw, ptr, scope)
        made = self.node(target, target_ptr, target_scope)
        made.via_ref = True
        return made

    def follow(self, raw: dict[str, Any], scope: Any) -> tuple[Any, Any]:
        """The schema a ``$ref`` object points at, with its resolver scope (for the prover)."""
        target, _, target_scope = self._follow(raw, "", scope)
        return target, target_scope

    def _follow(self, raw: dict[str, Any], ptr: str, scope: Any) -> tuple[Any, str, Any]:
        """Follow a chain of $refs to a schema with structure; refuse cycles and remote refs."""
        seen: set[int] = set()
        current, current_ptr, resolver = raw, ptr, scope if scope is not None else self.resolver()
        first = True
        while isinstance(current, dict) and "$ref" in current:
            if not first and self.draft >= 2019 and _has_siblings(current):
                break  # a $ref with structure beside it: node() builds it
            first = False
            if id(current) in seen:
                raise SchemaError.at(
                    "this $ref leads back to itself through $refs alone (a cycle with no schema "
                    "in it); point it at a schema with keywords",
                    rule="schema",
                    pointer=ptr,
                )
            seen.add(id(current))
            ref = current["$ref"]
            if not isinstance(ref, str):
                raise SchemaError.at(
                    "$ref must be a string", rule="schema", pointer=current_ptr + "/$ref"
                )
            try:
                resolved = lookup(resolver, ref)  # enters a root $id as lint does
            except Unresolvable as err:
                where = (
                    "a remote reference (eventcat never fetches)"
                    if "://" in ref and not ref.startswith("eventcat://")
                    else "a reference that does not resolve"
                )
                raise SchemaError.at(
                    f"cannot resolve $ref {ref!r}: {where}; refer to a schema in this file "
                    "(#/$defs/…) or to a catalog file by relative path",
                    rule="schema",
                    pointer=current_ptr + "/$ref",
                ) from err
            resolver = resolved.resolver
            if ref.startswith("#/"):
                current_ptr = ref[1:]
            current = resolved.contents
        return current, current_ptr, resolver

    # -- classification -----------------------------------------------------------------------

    def _classify(self, raw: dict[str, Any], ptr: str, scope: Any) -> Node:
        if _KINDLESS.isdisjoint(raw):
            # The common case: no keyword below but those of `type` (or sniffed ones).
            typed = self._typed(raw, ptr, scope)
            if len(typed) == 1:
                typed[0].meta = raw
                return typed[0]
            return self._assembled(raw, ptr, scope, typed)
        if "$id" in raw and ptr and scope is not None:
            # An embedded resource changes the base URI for the $refs inside it.
            scope = scope.in_subresource(_SPECS[self.draft].create_resource(raw))
        parts: list[Node] = []
        if "enum" in raw:
            if not isinstance(raw["enum"], list):
                raise SchemaError.at("enum must be an array", rule="schema", pointer=ptr + "/enum")
            parts.append(Node(ENUM, raw, ptr, self, scope))
        for criterion in (ALL_OF, ANY_OF, ONE_OF):
            if criterion in raw:
                parts.append(self._combined(raw, ptr, scope, criterion))
        if "not" in raw:
            parts.append(Node(NOT, raw, ptr, self, scope))
        if "const" in raw:
            parts.append(Node(CONST, raw, ptr, self, scope))
        parts.extend(self._typed(raw, ptr, scope))
        if self.conditional_as_kind and "if" in raw:
            parts.append(Node(CONDITIONAL, raw, ptr, self, scope))
        return self._assembled(raw, ptr, scope, parts)

    def _assembled(self, raw: dict[str, Any], ptr: str, scope: Any, parts: list[Node]) -> Node:
        if not parts:
            return Node(EMPTY, raw, ptr, self, scope, meta=raw)
        if len(parts) == 1:
            parts[0].meta = raw
            return parts[0]
        return Node(
            COMBINED,
            raw,
            ptr,
            self,
            scope,
            parts=tuple(parts),
            criterion=ALL_OF,
            synthetic=True,
            meta=raw,
        )

    def _combined(self, raw: dict[str, Any], ptr: str, scope: Any, criterion: str) -> Node:
        subs = raw[criterion]
        if not isinstance(subs, list) or not subs:
            raise SchemaError.at(
                f"{criterion} must be a non-empty array of schemas",
                rule="schema",
                pointer=f"{ptr}/{criterion}",
            )
        parts = tuple(self.node(s, f"{ptr}/{criterion}/{i}", scope) for i, s in enumerate(subs))
        return Node(COMBINED, raw, ptr, self, scope, parts=parts, criterion=criterion)

    def _typed(self, raw: dict[str, Any], ptr: str, scope: Any) -> list[Node]:
        declared = raw.get("type")
        if declared is None:
            return self._sniffed(raw, ptr, scope)
        if declared.__class__ is str and declared in TYPE_NAMES:  # the common case, checked
            if declared == "integer":
                return [Node(NUMBER, raw, ptr, self, scope, integer=True, typed=True)]
            return [Node(declared, raw, ptr, self, scope, typed=True)]
        names = declared if isinstance(declared, list) else [declared]
        if not names or any(not isinstance(n, str) or n not in TYPE_NAMES for n in names):
            raise SchemaError.at(
                f"type must be one of {sorted(TYPE_NAMES)} or a non-empty list of them",
                rule="schema",
                pointer=ptr + "/type",
            )
        nodes = [self._of_type(n, raw, ptr, scope) for n in names]
        if isinstance(declared, list):
            return [
                Node(
                    COMBINED,
                    raw,
                    ptr,
                    self,
                    scope,
                    parts=tuple(nodes),
                    criterion=ANY_OF,
                    synthetic=True,
                )
            ]
        return nodes

    def _of_type(self, name: str, raw: dict[str, Any], ptr: str, scope: Any) -> Node:
        if name == "integer":
            return Node(NUMBER, raw, ptr, self, scope, integer=True, typed=True)
        return Node(name, raw, ptr, self, scope, typed=True)

    def _sniffed(self, raw: dict[str, Any], ptr: str, scope: Any) -> list[Node]:
        keys: set[str] = set(raw)
        if self.draft == 2020 and raw.get("properties") == {}:
            # Confluent's 2020-12 translator drops an empty `properties`.
            keys = keys - {"properties"}
        found = []
        if keys & OBJECT_KEYWORDS:
            found.append(Node(OBJECT, raw, ptr, self, scope))
        if keys & ARRAY_KEYWORDS:
            found.append(Node(ARRAY, raw, ptr, self, scope))
        if keys & STRING_KEYWORDS:
            found.append(Node(STRING, raw, ptr, self, scope))
        if keys & NUMBER_KEYWORDS:
            found.append(Node(NUMBER, raw, ptr, self, scope))
        return found


# The keywords _classify looks for before those of the types.
_KINDLESS = frozenset({"$id", "enum", ALL_OF, ANY_OF, ONE_OF, "not", "const", "if"})

_ANNOTATIONS = frozenset(
    {
        "title",
        "description",
        "default",
        "examples",
        "$comment",
        "$id",
        "$schema",
        "$anchor",
        "$defs",
        "definitions",
        "deprecated",
        "readOnly",
        "writeOnly",
    }
)


def _has_siblings(raw: dict[str, Any]) -> bool:
    return any(k != "$ref" and k not in _ANNOTATIONS for k in raw)


# Identical subtrees compare to nothing, unless what they mean depends on more than their text.
_CONTEXTUAL = ('"$ref"', '"$dynamicRef"', '"$recursiveRef"', '"unevaluated')


def identical(old: Side, a: Any, new: Side, b: Any) -> bool:
    """Whether two raw subschemas are the same text with no context-dependent keyword in them."""
    if old.draft != new.draft:
        return False
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if a != b:  # Python's equality is finer than JSON's only for true == 1: a quick "no"
        return False
    text = old.text(a)
    return text == new.text(b) and not any(k in text for k in _CONTEXTUAL)
