"""Checks on what a schema says: text every output can encode, names every output can keep apart,
and keywords some tool actually reads.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from eventcat.catalog.model import SchemaFile
from eventcat.catalog.schemawalk import walk
from eventcat.catalog.validation import FORMATS
from eventcat.jsonpointer import escape
from eventcat.lint.finding import finding
from eventcat.report.findings import Finding

_SURROGATE = re.compile("[\ud800-\udfff]")

#: Every keyword of draft-07, 2019-09 and 2020-12 (core, applicator, validation, annotation,
#: content, format, unevaluated), plus the ones eventcat reads. ``x-`` keywords are annotations.
KNOWN_KEYWORDS = frozenset(
    {
        "$schema", "$id", "$ref", "$defs", "$anchor", "$dynamicRef", "$dynamicAnchor",
        "$recursiveRef", "$recursiveAnchor", "$vocabulary", "$comment", "definitions",
        "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas",
        "dependencies", "prefixItems", "items", "additionalItems", "contains", "properties",
        "patternProperties", "additionalProperties", "propertyNames", "unevaluatedItems",
        "unevaluatedProperties", "type", "enum", "const", "multipleOf", "maximum",
        "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern",
        "maxItems", "minItems", "uniqueItems", "maxContains", "minContains", "maxProperties",
        "minProperties", "required", "dependentRequired", "title", "description", "default",
        "deprecated", "readOnly", "writeOnly", "examples", "format", "contentEncoding",
        "contentMediaType", "contentSchema",
    }
)  # fmt: skip


def _strings(value: Any, pointer: str = "") -> Iterator[tuple[str, str, bool]]:
    """(pointer, string, is_key) for every key and string value in a JSON document."""
    stack: list[tuple[Any, str]] = [(value, pointer)]
    while stack:
        node, where = stack.pop()
        if isinstance(node, str):
            yield where, node, False
        elif isinstance(node, dict):
            for key, item in node.items():
                child = f"{where}/{escape(key)}"
                yield child, key, True
                stack.append((item, child))
        elif isinstance(node, list):
            stack.extend((item, f"{where}/{index}") for index, item in enumerate(node))


def check_content(file: SchemaFile) -> Iterator[Finding]:
    """text-surrogate, property-name-twin, keyword-unknown and format-unknown for one file."""
    for where, text, is_key in _strings(file.schema):
        if _SURROGATE.search(text):
            what = "key" if is_key else "string"
            yield finding(
                "text-surrogate",
                file.path,
                f"this {what} holds a lone UTF-16 surrogate ({_escaped(text)}): it is not "
                "Unicode text, so no UTF-8 file (generated code, the site) can carry it",
                where,
            )
    unknown: dict[str, list[str]] = defaultdict(list)
    for node in walk(file.schema):
        schema = node.schema
        if not isinstance(schema, dict):
            continue
        for keyword in schema:
            if keyword not in KNOWN_KEYWORDS and not keyword.startswith("x-"):
                unknown[keyword].append(f"{node.pointer}/{escape(keyword)}")
        value = schema.get("format")
        if isinstance(value, str) and value not in FORMATS:
            yield finding(
                "format-unknown",
                file.path,
                f"format {value!r} is not one eventcat checks, so nothing asserts it; use one of "
                f"{', '.join(FORMATS)}, or `pattern`, or an x- annotation",
                f"{node.pointer}/format",
            )
        properties = schema.get("properties")
        if isinstance(properties, dict):
            yield from _twins(file, properties, f"{node.pointer}/properties")
    for keyword, pointers in unknown.items():
        more = f" (and {len(pointers) - 1} more place(s) in this file)" if len(pointers) > 1 else ""
        yield finding(
            "keyword-unknown",
            file.path,
            f"unknown keyword {keyword!r}{more}: no JSON Schema dialect defines it, so it "
            "constrains nothing (a typo of a real keyword?); prefix annotations with 'x-'",
            pointers[0],
        )


def _twins(file: SchemaFile, properties: dict[str, Any], pointer: str) -> Iterator[Finding]:
    seen: dict[str, str] = {}
    for name in properties:
        if _SURROGATE.search(name):
            continue  # text-surrogate reports it; NFKC would not be meaningful
        folded = unicodedata.normalize("NFKC", name)
        if folded in seen:
            yield finding(
                "property-name-twin",
                file.path,
                f"property {name!r} is {seen[folded]!r} after Unicode NFKC normalisation "
                "(Python identifiers, and so generated models, normalise names): rename one",
                f"{pointer}/{escape(name)}",
            )
        else:
            seen[folded] = name


def _escaped(text: str) -> str:
    return text.encode("unicode_escape").decode("ascii")[:60]
