"""The product's one validator configuration, and schema/instance validation for a catalog.

Every instance check in eventcat (lint's examples, metadata against its vocabulary, and whatever
else validates a payload) goes through :func:`compile_validator`: jsonschema-rs with

* ``format`` asserted, for every format in :data:`FORMATS` (the product treats ``format`` as an
  assertion, so an example that breaks one is invalid everywhere, not in one tool only);
* the linear-time ``regex`` engine for ``pattern`` and ``patternProperties`` (no backtracking, so
  ``^(a+)+$`` cannot hang anything); patterns that need backtracking features (lookaround,
  backreferences) cannot be compiled by it, and lint reports them (``pattern-unsupported``);
* no retriever: nothing is ever fetched, references were confined to the catalog before.

The messages users read come from the same validator (``iter_errors``), so the verdict and its
explanation cannot disagree. Each file gets a registry of itself and the files it references
(transitively), not of the whole catalog: compiling against a whole-catalog registry made lint
quadratic in the number of files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from eventcat.catalog.model import Catalog, SchemaFile
from eventcat.catalog.schemawalk import walk
from eventcat.jsonpointer import escape

DRAFT_07 = "http://json-schema.org/draft-07/schema"
DRAFT_2019 = "https://json-schema.org/draft/2019-09/schema"
DRAFT_2020 = "https://json-schema.org/draft/2020-12/schema"
DIALECTS = {DRAFT_07, DRAFT_2019, DRAFT_2020}

#: Every ``format`` eventcat asserts (validated in examples, payloads and counterexamples).
FORMATS = (
    "date-time",
    "date",
    "time",
    "duration",
    "email",
    "idn-email",
    "hostname",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "iri",
    "iri-reference",
    "uri-template",
    "uuid",
    "json-pointer",
    "relative-json-pointer",
    "regex",
)

__all__ = [
    "DIALECTS",
    "FORMATS",
    "CatalogValidation",
    "compile_validator",
    "normalise_dialect",
    "pattern_errors",
]


def normalise_dialect(value: str | None) -> str | None:
    """The dialect URI without a trailing '#', or None when absent."""
    if value is None:
        return None
    return value[:-1] if value.endswith("#") else value


def refuse_retrieval(uri: str) -> Any:
    """The retriever of every registry: nothing outside the catalog is ever fetched."""
    raise ValueError(f"{uri} is not in the catalog and is never fetched")


def _pointer(path: Iterable[Any]) -> str:
    return "".join(f"/{escape(str(part))}" for part in path)


def compile_validator(
    schema: Any,
    *,
    resources: Iterable[tuple[str, Any]] = (),
    registry: Any = None,
    base_uri: str | None = None,
    draft: int | None = None,
) -> Any:
    """A jsonschema-rs validator with the product's configuration (see the module docstring):
    the one place that configuration is written, for lint, examples and counterexamples alike.

    ``resources`` are (URI, schema) pairs ``$ref`` may reach, or ``registry`` a ready
    jsonschema-rs registry; ``draft`` (7, 2019, 2020) overrides the schema's ``$schema``.
    Raises ``ValueError`` (or jsonschema-rs's ``ValidationError``) when the schema cannot be
    compiled, e.g. a pattern that needs backtracking.
    """
    import jsonschema_rs

    options: dict[str, Any] = {
        "validate_formats": True,
        "ignore_unknown_formats": True,
        "pattern_options": jsonschema_rs.RegexOptions(),
        "retriever": refuse_retrieval,
    }
    listed = list(resources)
    if listed:
        options["registry"] = jsonschema_rs.Registry(listed, retriever=refuse_retrieval)
    elif registry is not None:
        options["registry"] = registry
    if base_uri is not None:
        options["base_uri"] = base_uri
    by_draft = {7: jsonschema_rs.Draft7Validator, 2019: jsonschema_rs.Draft201909Validator,
                2020: jsonschema_rs.Draft202012Validator}  # fmt: skip
    if draft is not None:
        return by_draft.get(draft, jsonschema_rs.Draft202012Validator)(schema, **options)
    return jsonschema_rs.validator_for(schema, **options)


def errors_of(validator: Any, instance: Any) -> list[tuple[str, str]]:
    """(instance pointer, message) for each way ``instance`` fails; [] when valid."""
    if validator.is_valid(instance):
        return []
    return [(_pointer(e.instance_path), e.message) for e in validator.iter_errors(instance)]


# -- patterns ----------------------------------------------------------------------------------


def _patterns(schema: Any) -> Iterator[tuple[str, str]]:
    for node in walk(schema):
        if not isinstance(node.schema, dict):
            continue
        pattern = node.schema.get("pattern")
        if isinstance(pattern, str):
            yield f"{node.pointer}/pattern", pattern
        keyed = node.schema.get("patternProperties")
        if isinstance(keyed, dict):
            yield from ((f"{node.pointer}/patternProperties/{escape(k)}", k) for k in keyed)


def linear_regex_error(regex: str) -> str | None:
    """Why the linear-time engine cannot compile ``regex`` (lookaround, backreference…), or None."""
    import jsonschema_rs

    try:
        jsonschema_rs.validator_for(
            {"pattern": regex}, pattern_options=jsonschema_rs.RegexOptions()
        )
    except Exception:  # jsonschema-rs says "… is not a regex" without the engine's reason
        return "it needs a backtracking feature (lookaround, a backreference, …)"
    return None


def pattern_errors(schema: Any) -> Iterator[tuple[str, str, str]]:
    """(pointer, rule, message) for regular expressions that are invalid, or that only a
    backtracking engine can run (those could hang a validator: ``pattern-unsupported``)."""
    for where, regex in _patterns(schema):
        try:
            re.compile(regex)  # compiling is linear; Python's re never *matches* schema patterns
        except re.error as err:
            yield where, "schema-invalid", f"invalid regular expression {regex!r}: {err}"
            continue
        reason = linear_regex_error(regex)
        if reason is not None:
            yield (
                where,
                "pattern-unsupported",
                f"regular expression {regex!r} cannot run in linear time: {reason}; eventcat "
                "validates patterns with a linear-time engine only, so a message cannot hang a "
                "validator. Rewrite it without lookaround or backreferences",
            )


# -- the catalog --------------------------------------------------------------------------------


class CatalogValidation:
    """Validators for one loaded catalog, built lazily and cached per file."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._validators: dict[str, Any] = {}
        self._unsupported: dict[str, bool] = {}

    # -- is the schema valid for its dialect? -------------------------------------------------

    def schema_errors(self, file: SchemaFile) -> list[tuple[str, str, str]]:
        """(pointer, rule, message) for each way the schema breaks its dialect's meta-schema."""
        import jsonschema_rs

        errors = list(pattern_errors(file.schema))
        self._unsupported[file.path] = any(e[1] == "pattern-unsupported" for e in errors)
        try:
            fast_ok = jsonschema_rs.meta.is_valid(file.schema)
        except Exception:  # an unknown $schema; lint reports the dialect
            fast_ok = False
        if fast_ok:
            return errors
        # The meta-schemas match no user pattern against user text, so the Python explainer is
        # safe here (its "regex" format only compiles).
        from jsonschema import Draft202012Validator, validators

        dialect = normalise_dialect(file.dialect)
        cls = validators.validator_for(
            {"$schema": dialect} if dialect else {}, default=Draft202012Validator
        )
        meta = cls(cls.META_SCHEMA, format_checker=cls.FORMAT_CHECKER)
        errors += [
            (
                _pointer(error.absolute_path),
                "schema-invalid",
                f"not a valid schema: {error.message}",
            )
            for error in meta.iter_errors(file.schema)
        ]
        return errors

    # -- is an instance valid under a schema of the catalog? -----------------------------------

    def _resources(self, file: SchemaFile) -> list[tuple[str, Any]]:
        files: Mapping[str, SchemaFile] = self.catalog.files
        paths = sorted({file.path, *self.catalog.dependencies(file.path)})
        return [(files[p].uri, files[p].schema) for p in paths if p in files]

    def validator(self, file: SchemaFile) -> Any:
        """The compiled validator of ``file`` (raises when it cannot be compiled).

        Only the last one is kept: lint checks a file's examples together, and holding a
        compiled validator per file would grow memory with the catalog for nothing.
        """
        if file.path not in self._validators:
            self._validators.clear()
            self._validators[file.path] = compile_validator(
                file.schema, resources=self._resources(file), base_uri=file.uri
            )
        return self._validators[file.path]

    def checkable(self, file: SchemaFile) -> bool:
        """False when a pattern of the file (or one it references) cannot run in linear time:
        lint reports the pattern, and instances are not checked against it."""
        for path in (file.path, *self.catalog.dependencies(file.path)):
            if path not in self._unsupported:
                other = self.catalog.files.get(path)
                found = other is not None and any(
                    rule == "pattern-unsupported" for _, rule, _ in pattern_errors(other.schema)
                )
                self._unsupported[path] = found
            if self._unsupported[path]:
                return False
        return True

    def instance_errors(self, file: SchemaFile, instance: Any) -> list[tuple[str, str]]:
        """(instance pointer, message) for each way ``instance`` fails the schema in ``file``."""
        return errors_of(self.validator(file), instance)
