"""The lint checks. Each yields findings under an id of ``eventcat.catalog.rules.LINT_RULES``."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from eventcat.catalog.fields import field_paths
from eventcat.catalog.loader import PASCAL_CASE, SETTINGS_FILE, vocabulary
from eventcat.catalog.model import Catalog, EventVersion, SchemaFile
from eventcat.catalog.validation import (
    DIALECTS,
    CatalogValidation,
    compile_validator,
    errors_of,
    normalise_dialect,
)
from eventcat.catalog.yamlfile import yaml_line_of
from eventcat.jsonpointer import escape
from eventcat.lint.content import check_content
from eventcat.lint.finding import finding
from eventcat.lint.names import check_names
from eventcat.report.findings import Finding

KEBAB_CASE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")


def _pointer(path: Iterable[Any]) -> str:
    return "".join(f"/{escape(str(part))}" for part in path)


class _VocabularyValidator:
    """Checks metadata against a vocabulary schema shipped in the package, with the product's
    one validator configuration (formats asserted, linear-time patterns)."""

    def __init__(self, name: str) -> None:
        schemas = [vocabulary("x-eventcat.schema.json"), vocabulary("catalog.schema.json")]
        self._validator = compile_validator(
            vocabulary(name), resources=[(schema["$id"], schema) for schema in schemas]
        )

    def iter_errors(self, instance: Any) -> list[tuple[str, str]]:
        """(pointer, message) for each error; [] when valid."""
        return errors_of(self._validator, instance)


_VOCABULARIES: dict[str, _VocabularyValidator] = {}


def _vocabulary_validator(name: str) -> _VocabularyValidator:
    if name not in _VOCABULARIES:  # the vocabularies are package data: compile them once
        _VOCABULARIES[name] = _VocabularyValidator(name)
    return _VOCABULARIES[name]


def lint_catalog(catalog: Catalog) -> list[Finding]:
    """All findings for a catalog: what the loader met while reading, then every check."""
    validators = CatalogValidation(catalog)
    findings = list(catalog.problems)
    broken = {f.file for f in findings if f.unreadable}
    # With catalog.yaml unreadable every declaration looks missing: report the cause only.
    declarations = SETTINGS_FILE not in broken
    if declarations:
        findings.extend(_check_settings(catalog, validators))
    findings.extend(check_names(catalog))
    for file in catalog.files.values():
        if file.path not in broken:
            findings.extend(_check_schema(file, validators))
            findings.extend(check_content(file))
    if declarations:
        findings.extend(_check_envelope(catalog))
    findings.extend(_check_events(catalog, validators, broken, declarations))
    return sorted(
        _with_lines(catalog, findings), key=lambda f: (f.file or "", f.line or 0, f.pointer, f.rule)
    )


_SURROGATES = re.compile("[\ud800-\udfff]")


def _printable(item: Finding) -> Finding:
    """Lone surrogates (text-surrogate) written as escapes: no output format can encode them."""
    fields = {"message": item.message, "pointer": item.pointer, "file": item.file or ""}
    if not any(_SURROGATES.search(value) for value in fields.values()):
        return item
    escaped = {
        key: _SURROGATES.sub(lambda m: f"\\u{ord(m.group()):04x}", value)
        for key, value in fields.items()
    }
    return Finding(**{**item.__dict__, **escaped, "file": escaped["file"] or item.file})


def _with_lines(catalog: Catalog, findings: list[Finding]) -> Iterator[Finding]:
    for item in findings:
        original = item
        item = _printable(item)
        if item.line is None and item.file == SETTINGS_FILE and item.pointer:
            line = yaml_line_of(catalog.settings_text, original.pointer)
            if line is not None:
                item = Finding(**{**item.__dict__, "line": line})
        file = catalog.files.get(original.file or "")
        if item.line is None and file is not None and item.pointer:
            line = file.line_of(original.pointer)
            if line is not None:
                item = Finding(**{**item.__dict__, "line": line})
        yield item


# -- catalog.yaml -------------------------------------------------------------------------------


def _check_settings(catalog: Catalog, validators: CatalogValidation) -> Iterator[Finding]:
    for pointer, message in _vocabulary_validator("catalog.schema.json").iter_errors(
        dict(catalog.raw_settings)
    ):
        yield finding("catalog-invalid", SETTINGS_FILE, message, pointer)
    for kind, declared in (("domains", catalog.domains), ("services", catalog.services)):
        for key, item in declared.items():
            owner = getattr(item, "owner", None)
            if owner is not None and owner not in catalog.teams:
                yield finding(
                    "team-undeclared",
                    SETTINGS_FILE,
                    f"{kind[:-1]} {key!r} is owned by {owner!r}, which is not under `teams:`",
                    f"/{kind}/{escape(key)}/owner",
                )
    for key, service in catalog.services.items():
        if service.domain is not None and service.domain not in catalog.domains:
            yield finding(
                "domain-undeclared",
                SETTINGS_FILE,
                f"service {key!r} names domain {service.domain!r}, which is not under `domains:`",
                f"/services/{escape(key)}/domain",
            )


# -- every schema file -------------------------------------------------------------------------


def _check_schema(file: SchemaFile, validators: CatalogValidation) -> Iterator[Finding]:
    dialect = file.dialect
    if dialect is not None and normalise_dialect(dialect) not in DIALECTS:
        yield finding(
            "schema-dialect",
            file.path,
            f"unsupported $schema {dialect!r}; use draft 2020-12, 2019-09 or draft-07",
            "/$schema",
        )
        return
    for pointer, rule, message in validators.schema_errors(file):
        yield finding(rule, file.path, message, pointer)


def _check_envelope(catalog: Catalog) -> Iterator[Finding]:
    envelope = catalog.envelope
    if envelope is None:
        if "envelope" not in catalog.raw_settings:
            yield finding(
                "envelope-missing",
                SETTINGS_FILE,
                "no `envelope:` declared; events are documented and parsed without one",
            )
        return
    properties = envelope.file.schema.get("properties", {})
    for name in (envelope.payload_property, envelope.type_property):
        if not isinstance(properties, dict) or name not in properties:
            yield finding(
                "envelope-invalid",
                envelope.file.path,
                f"the envelope declares no property {name!r} (named in catalog.yaml)",
                "/properties",
            )


# -- events --------------------------------------------------------------------------------------


def _check_events(
    catalog: Catalog, validators: CatalogValidation, broken: set[str | None], declarations: bool
) -> Iterator[Finding]:
    vocab = _vocabulary_validator("x-eventcat.schema.json")
    owners_of_type: dict[str, list[EventVersion]] = defaultdict(list)
    domains_of_name: dict[str, set[str]] = defaultdict(set)
    for event in catalog.events:
        domains_of_name[event.name].add(event.domain)
        first = event.versions[0]
        if not PASCAL_CASE.match(event.name):
            yield finding(
                "event-name",
                first.path,
                f"event name {event.name!r} is not PascalCase (e.g. OrderPlaced)",
            )
        if declarations and event.domain not in catalog.domains:
            hint = "" if KEBAB_CASE.match(event.domain) else " (domain folders are kebab-case)"
            yield finding(
                "domain-undeclared",
                first.path,
                f"domain folder {event.domain!r} is not declared under `domains:` in "
                f"catalog.yaml{hint}",
            )
        numbers = [v.version for v in event.versions]
        expected = list(range(1, len(numbers) + 1))
        if numbers != expected:
            missing = sorted(set(range(1, max(numbers) + 1)) - set(numbers))
            duplicates = sorted({n for n in numbers if numbers.count(n) > 1})
            problem = (
                f"missing version(s) {', '.join(f'_v{n}' for n in missing)}"
                if missing
                else f"version(s) {duplicates} appear twice (leading zeros?)"
            )
            yield finding(
                "version-gap",
                event.latest.path,
                f"{event.name}: versions must run _v1, _v2, … without gaps: {problem}",
            )
        for version in event.versions:
            if version.path in broken:
                continue
            yield from _check_version(catalog, version, vocab, validators, declarations)
            if version.event_type:
                owners_of_type[version.event_type].append(version)
    for event_type, versions in owners_of_type.items():
        for version in versions[1:]:
            yield finding(
                "event-type-duplicate",
                version.path,
                f"eventType {event_type!r} is also declared by {versions[0].path}",
                "/x-eventcat/eventType",
            )
    for name, domains in domains_of_name.items():
        if len(domains) > 1:
            event = next(
                e for e in catalog.events if e.name == name and e.domain == sorted(domains)[1]
            )
            yield finding(
                "event-name-duplicate",
                event.versions[0].path,
                f"event {name!r} exists in domains {', '.join(sorted(domains))}",
            )
    for fragment in catalog.fragments:
        if fragment.path not in broken:
            yield from _check_examples(fragment, validators, missing_is_finding=False)


def _check_version(
    catalog: Catalog,
    version: EventVersion,
    vocab: Any,
    validators: CatalogValidation,
    declarations: bool,
) -> Iterator[Finding]:
    path = version.path
    raw = version.schema.get("x-eventcat")
    if raw is None:
        yield finding("x-eventcat-missing", path, "no x-eventcat metadata at the schema root")
    else:
        for pointer, message in vocab.iter_errors(raw):
            yield finding("x-eventcat-invalid", path, message, "/x-eventcat" + pointer)
    event_type = version.event_type
    if event_type and not event_type.endswith(f".v{version.version}"):
        yield finding(
            "event-type-version",
            path,
            f"eventType {event_type!r} must end in .v{version.version} like the file name",
            "/x-eventcat/eventType",
        )
    for index, producer in enumerate(version.producers):
        if declarations and producer not in catalog.services:
            yield finding(
                "service-undeclared",
                path,
                f"producer {producer!r} is not declared under `services:` in catalog.yaml",
                f"/x-eventcat/producers/{index}",
            )
    for index, consumer in enumerate(version.consumers):
        if declarations and consumer.service not in catalog.services:
            yield finding(
                "service-undeclared",
                path,
                f"consumer {consumer.service!r} is not declared under `services:` in catalog.yaml",
                f"/x-eventcat/consumers/{index}/service",
            )
    yield from _check_field_paths(catalog, version)
    for target in sorted(catalog.references.get(path, frozenset())):
        if not target.startswith("_"):
            yield finding(
                "ref-to-event",
                path,
                f"references {target}, another event's file; share it through catalog/_shared/ instead",
            )
    if declarations and version.owner is not None and version.owner not in catalog.teams:
        yield finding(
            "team-undeclared",
            path,
            f"owner {version.owner!r} is not declared under `teams:` in catalog.yaml",
            "/x-eventcat/owner",
        )
    replacement = version.lifecycle.get("replacement")
    if isinstance(replacement, str) and catalog.by_event_type(replacement) is None:
        yield finding(
            "lifecycle-replacement-unknown",
            path,
            f"replacement {replacement!r} is not the eventType of any catalog file",
            "/x-eventcat/lifecycle/replacement",
        )
    yield from _check_examples(version.file, validators, missing_is_finding=True)


def _declared_paths(version: EventVersion) -> Iterator[tuple[str, str, str]]:
    """(pointer, path, who names it) for every payload path x-eventcat mentions."""
    for index, consumer in enumerate(version.consumers):
        for field_index, field in enumerate(consumer.fields):
            yield (
                f"/x-eventcat/consumers/{index}/fields/{field_index}",
                field,
                f"consumer {consumer.service!r} reads",
            )
    pii = version.meta.get("pii")
    for index, field in enumerate(pii if isinstance(pii, list) else []):
        if isinstance(field, str):
            yield f"/x-eventcat/pii/{index}", field, "pii names"
    key = version.channel.get("partitionKey")
    if isinstance(key, str):
        yield "/x-eventcat/channel/partitionKey", key, "the partition key is"
    idempotency = version.delivery.get("idempotencyKey")
    if isinstance(idempotency, str) and not idempotency.startswith("envelope."):
        yield "/x-eventcat/delivery/idempotencyKey", idempotency, "the idempotency key is"


def _check_field_paths(catalog: Catalog, version: EventVersion) -> Iterator[Finding]:
    declared = list(_declared_paths(version))
    if not declared:
        return
    paths = field_paths(version.schema, catalog.resolver(version.path), version.path)
    for pointer, field, who in declared:
        if field not in paths:
            yield finding(
                "field-unknown",
                version.path,
                f"{who} {field!r}, which the schema does not declare",
                pointer,
            )


def _check_examples(
    file: SchemaFile, validators: CatalogValidation, *, missing_is_finding: bool
) -> Iterator[Finding]:
    examples = file.schema.get("examples")
    if examples is None:
        if missing_is_finding:
            yield finding("example-missing", file.path, "no `examples`: add at least one payload")
        return
    if not isinstance(examples, list):
        return  # the meta-schema check reports it
    if not validators.checkable(file):
        return  # pattern-unsupported names the pattern; no backtracking engine ever runs it
    try:
        for index, example in enumerate(examples):
            for where, message in validators.instance_errors(file, example):
                yield finding(
                    "example-invalid",
                    file.path,
                    f"example {index} at {where or '/'}: {message}",
                    f"/examples/{index}{where}",
                )
    except Exception as err:  # the schema itself is broken; schema-invalid says how
        yield finding(
            "example-invalid", file.path, f"examples cannot be checked: {err}", "/examples"
        )
