"""Schema and instance validation for a whole catalog, fast.

jsonschema-rs answers "is it valid?" in microseconds; the pure-Python ``jsonschema`` gives the
messages users read. So every check asks jsonschema-rs first and only asks ``jsonschema`` to explain
what jsonschema-rs rejected. (Checking a 2020-12 meta-schema in pure Python costs ~16 ms a file:
a 3,000-file catalog would spend most of a minute there.) Nothing is ever fetched: the registry's
retriever refuses every URI, and references were confined to the catalog before we get here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from eventcat.catalog.jsonfile import escape
from eventcat.catalog.model import Catalog, SchemaFile
from eventcat.catalog.schemawalk import walk

DRAFT_07 = "http://json-schema.org/draft-07/schema"
DRAFT_2019 = "https://json-schema.org/draft/2019-09/schema"
DRAFT_2020 = "https://json-schema.org/draft/2020-12/schema"
DIALECTS = {DRAFT_07, DRAFT_2019, DRAFT_2020}


def normalise_dialect(value: str | None) -> str | None:
    """The dialect URI without a trailing '#', or None when absent."""
    if value is None:
        return None
    return value[:-1] if value.endswith("#") else value


def _refuse(uri: str) -> Any:
    raise ValueError(f"{uri} is not in the catalog and is never fetched")


def _pointer(path: Iterable[Any]) -> str:
    return "".join(f"/{escape(str(part))}" for part in path)


def _python_validator_class(dialect: str | None) -> Any:
    from jsonschema import Draft202012Validator, validators

    return validators.validator_for(
        {"$schema": dialect} if dialect else {}, default=Draft202012Validator
    )


def pattern_errors(schema: Any) -> Iterator[tuple[str, str]]:
    """Regular expressions that do not compile (jsonschema-rs does not check them as schema)."""
    for node in walk(schema):
        if not isinstance(node.schema, dict):
            continue
        pattern = node.schema.get("pattern")
        candidates = [(f"{node.pointer}/pattern", pattern)] if isinstance(pattern, str) else []
        keyed = node.schema.get("patternProperties")
        if isinstance(keyed, dict):
            candidates += [(f"{node.pointer}/patternProperties/{escape(k)}", k) for k in keyed]
        for where, regex in candidates:
            try:
                re.compile(regex)
            except re.error as err:
                yield where, f"invalid regular expression {regex!r}: {err}"


class CatalogValidation:
    """Validators for one loaded catalog, built lazily and cached per file."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._rs_registry: Any = None
        self._rs_validators: dict[str, Any] = {}
        self._format_checker: Any = None

    # -- is the schema valid for its dialect? -------------------------------------------------

    def schema_errors(self, file: SchemaFile) -> list[tuple[str, str]]:
        """(pointer, message) for each way the schema breaks its dialect's meta-schema."""
        import jsonschema_rs

        errors = list(pattern_errors(file.schema))
        try:
            fast_ok = jsonschema_rs.meta.is_valid(file.schema)
        except Exception:  # an unknown $schema; lint reports the dialect
            fast_ok = False
        if fast_ok:
            return errors
        cls = _python_validator_class(normalise_dialect(file.dialect))
        meta = cls(cls.META_SCHEMA, format_checker=cls.FORMAT_CHECKER)
        errors += [
            (_pointer(error.absolute_path), f"not a valid schema: {error.message}")
            for error in meta.iter_errors(file.schema)
        ]
        return errors

    # -- is an instance valid under a schema of the catalog? -----------------------------------

    def _registry(self) -> Any:
        if self._rs_registry is None:
            import jsonschema_rs

            self._rs_registry = jsonschema_rs.Registry(
                [(f.uri, f.schema) for f in self.catalog.files.values()], retriever=_refuse
            )
        return self._rs_registry

    def _fast(self, file: SchemaFile) -> Any:
        if file.path not in self._rs_validators:
            import jsonschema_rs

            try:
                self._rs_validators[file.path] = jsonschema_rs.validator_for(
                    file.schema, registry=self._registry(), base_uri=file.uri, validate_formats=True
                )
            except Exception:  # the Python validator below explains (or reports it cannot)
                self._rs_validators[file.path] = None
        return self._rs_validators[file.path]

    def instance_errors(self, file: SchemaFile, instance: Any) -> list[tuple[str, str]]:
        """(instance pointer, message) for each way ``instance`` fails the schema in ``file``."""
        fast = self._fast(file)
        if fast is not None:
            try:
                if fast.is_valid(instance):
                    return []
            except Exception:  # fall through to the explaining validator
                pass
        if self._format_checker is None:
            from jsonschema import FormatChecker

            self._format_checker = FormatChecker()
        cls = _python_validator_class(normalise_dialect(file.dialect) if file.dialect else None)
        validator = cls(
            {"$ref": file.uri}, registry=self.catalog.registry, format_checker=self._format_checker
        )
        return [(_pointer(e.absolute_path), e.message) for e in validator.iter_errors(instance)]
