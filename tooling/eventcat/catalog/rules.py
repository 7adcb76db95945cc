"""The catalog's lint rules as data: one id, one explanation, one fix each.

The loader and the lint checks emit findings under these ids; ``eventcat rules`` and the docs site
render this table; a test checks that every id is emitted by some test case.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from eventcat.report.findings import Severity
from eventcat.rules.model import Rule


@dataclass(frozen=True)
class LintRule(Rule):
    family: ClassVar[str] = "lint"
    id: str
    severity: Severity
    summary: str
    explanation: str
    fix: str
    #: True when the finding means the input could not be read at all (exit 2, not 1).
    unreadable: bool = False

    @property
    def default_severity(self) -> Severity:
        return self.severity

    @property
    def level(self) -> str:
        return self.severity.value + (" (unreadable input, exit 2)" if self.unreadable else "")


E, W = Severity.ERROR, Severity.WARNING

_RULES = [
    # -- reading files ---------------------------------------------------------------------------
    LintRule(
        "catalog-missing",
        E,
        "There is no catalog folder or no catalog.yaml in it.",
        "Every catalog declares its name, envelope, teams, domains and services in catalog.yaml "
        "at its root; without it nothing else can be checked.",
        "Create catalog.yaml or pass the right folder with --catalog.",
        unreadable=True,
    ),
    LintRule(
        "file-unreadable",
        E,
        "A file or folder cannot be read.",
        "The operating system refused to read it (permissions, a dangling link).",
        "Fix the permissions or remove the file.",
        unreadable=True,
    ),
    LintRule(
        "file-too-large",
        E,
        "A file is larger than 8 MiB (catalog.yaml and waivers.yaml: 2 MiB).",
        "Payload schemas are kilobytes; a file this large is a mistake or an attack, and is "
        "refused before a byte is read. catalog.yaml is parsed by a pure-Python YAML parser: "
        "2 MiB holds about 30,000 services, the largest catalog eventcat is tested at.",
        "Split the schema into shared fragments.",
        unreadable=True,
    ),
    LintRule(
        "encoding",
        E,
        "A file is not UTF-8.",
        "JSON and YAML files of the catalog must be UTF-8 (RFC 8259); other bytes would be "
        "read differently by every tool.",
        "Save the file as UTF-8.",
        unreadable=True,
    ),
    LintRule(
        "json-syntax",
        E,
        "A schema file is empty or not valid JSON.",
        "The file cannot be parsed, so nothing in it can be checked, generated or published.",
        "Fix the JSON at the line shown (a trailing comma, a missing quote, NaN…).",
        unreadable=True,
    ),
    LintRule(
        "json-duplicate-key",
        E,
        "An object has the same key twice.",
        "JSON parsers disagree on which value wins (the first, the last, or an error), so a "
        "producer and a consumer could read two different schemas from one file.",
        "Keep one of the two keys.",
        unreadable=True,
    ),
    LintRule(
        "nesting-too-deep",
        E,
        "A document is nested deeper than 128 levels.",
        "Such depth exhausts recursion in validators and generators; no real payload needs it.",
        "Flatten the schema with $defs and $ref.",
        unreadable=True,
    ),
    LintRule(
        "yaml-syntax",
        E,
        "catalog.yaml is not valid, plain YAML.",
        "catalog.yaml is read as plain data: no anchors or aliases (an alias bomb expands to "
        "gigabytes), no duplicate keys, no tags that build objects.",
        "Fix the YAML at the line shown and write repeated values out.",
        unreadable=True,
    ),
    LintRule(
        "symlink-outside",
        E,
        "A symbolic link in the catalog leads out of it.",
        "Following it would read files the catalog does not own; it is never followed.",
        "Copy the file into the catalog instead of linking it.",
        unreadable=True,
    ),
    # -- references ------------------------------------------------------------------------------
    LintRule(
        "ref-remote",
        E,
        "A $ref points at another host or scheme.",
        "eventcat never fetches anything over the network: the catalog must be complete and "
        "reviewable on its own.",
        "Copy the referenced schema into catalog/_shared/ and reference it by relative path.",
        unreadable=True,
    ),
    LintRule(
        "ref-outside",
        E,
        "A $ref leaves the catalog folder.",
        "Files outside the catalog are not versioned with it and are never read.",
        "Move the referenced schema into catalog/_shared/.",
        unreadable=True,
    ),
    LintRule(
        "ref-missing",
        E,
        "A $ref points at a file, pointer or anchor that does not exist.",
        "An unresolvable reference makes the schema unusable by validators and generators.",
        "Fix the path or the JSON pointer (e.g. '../_shared/Money_v1.schema.json#/$defs/Money').",
        unreadable=True,
    ),
    LintRule(
        "ref-cycle",
        E,
        "$refs form a cycle with no structure in between.",
        "A reference loop that never descends into a property or an item makes every "
        "validator loop forever. Recursion through properties or items is fine.",
        "Put structure between the schema and its reference, or remove the loop.",
        unreadable=True,
    ),
    # -- catalog.yaml ----------------------------------------------------------------------------
    LintRule(
        "ref-to-event",
        W,
        "An event file references another event's file.",
        "Events share structure through fragments in catalog/_shared/: an event that borrows from "
        "another event's file changes whenever that event changes, and the gate judges shared "
        "files, not other events, for their users.",
        "Move the shared part into catalog/_shared/<Name>_v1.schema.json and reference it from both.",
    ),
    LintRule(
        "catalog-invalid",
        E,
        "catalog.yaml does not match its schema.",
        "catalog.yaml declares the envelope, the compatibility defaults, teams, domains and "
        "services; `eventcat` ships its JSON Schema (catalog.schema.json).",
        "Fix the value at the pointer shown.",
    ),
    LintRule(
        "envelope-missing",
        W,
        "No envelope is declared, or its file is missing.",
        "Events travel inside an envelope (id, type, timestamps, correlation); without it the "
        "generated parse_event() and the docs cannot show the whole message.",
        "Declare `envelope: {schema: _envelope/Envelope_v1.schema.json, payloadProperty: payload}`.",
    ),
    LintRule(
        "envelope-invalid",
        E,
        "The envelope schema does not declare its payload or type property.",
        "catalog.yaml names the envelope property that carries the payload and the one that "
        "carries the eventType; the envelope schema must declare both.",
        "Add the properties to the envelope schema or fix the names in catalog.yaml.",
    ),
    # -- files and names -------------------------------------------------------------------------
    LintRule(
        "stray-file",
        W,
        "A JSON or YAML file that eventcat does not read.",
        "Only *.schema.json files, catalog.yaml and waivers.yaml are read; anything else is "
        "probably a misnamed schema.",
        "Rename it to <EventName>_v<N>.schema.json or remove it.",
    ),
    LintRule(
        "file-location",
        E,
        "A schema file is not one folder deep.",
        "Events live in catalog/<domain>/, fragments in catalog/_shared/, the envelope in "
        "catalog/_envelope/.",
        "Move the file.",
    ),
    LintRule(
        "file-name",
        E,
        "A schema file is not named <EventName>_v<N>.schema.json.",
        "The version of an event is read from its file name and nowhere else.",
        "Rename the file, e.g. OrderPlaced_v1.schema.json.",
    ),
    LintRule(
        "path-name",
        E,
        "A folder or file name is not a plain ASCII name.",
        "Names become generated module paths (and their first lines), site URLs and paths on "
        "every clone. Only ASCII letters, digits, '-' and '_' are allowed (a folder may start "
        "with one '_'), at most 100 characters: no spaces, no '=' or ':' (a folder named "
        "`_coding=utf-7` would spell a Python encoding cookie), no look-alike letters.",
        "Rename the folder or file, e.g. order-management/ or Money_v1.schema.json.",
    ),
    LintRule(
        "name-case-twin",
        W,
        "Two names differ only in letter case.",
        "macOS and Windows file systems ignore case: a clone there holds one of the two files, "
        "and the site's URLs and generated modules collide.",
        "Rename one of them.",
    ),
    LintRule(
        "name-reserved",
        W,
        "A folder, event or fragment is named after a Windows device (CON, AUX, NUL, COM1 …).",
        "Windows cannot create files or folders with these names, with any extension and in any "
        "case, so a clone, the generated package or the built site fails there.",
        "Rename it (e.g. Console, AuxiliaryData).",
    ),
    LintRule(
        "event-name",
        E,
        "An event name is not PascalCase.",
        "Event names become class names in generated code and titles in the docs.",
        "Rename the file, e.g. order_placed_v1 → OrderPlaced_v1.",
    ),
    LintRule(
        "event-name-duplicate",
        E,
        "Two domains have an event with the same name.",
        "Generated models and docs pages are named after the event; names must be unique.",
        "Rename one of them or move it to one domain.",
    ),
    LintRule(
        "version-gap",
        E,
        "Versions of an event do not run 1, 2, 3 … without gaps.",
        "A gap means a version was deleted or skipped: consumers of it break, and tooling "
        "cannot tell which version follows which. Lint reports gaps in the catalog; the gate "
        "reports a new version file that does not follow the highest existing one.",
        "Restore the missing version file; name a new version <EventName>_v<N+1>.schema.json "
        "where N is the highest existing version.",
    ),
    LintRule(
        "domain-undeclared",
        E,
        "A domain folder or a domain named in catalog.yaml is not declared.",
        "Every domain is declared in catalog.yaml with a name and an owner, so the docs site "
        "and the gate can say who owns what.",
        "Add it under `domains:` in catalog.yaml.",
    ),
    LintRule(
        "service-undeclared",
        E,
        "A producer, consumer or service is not declared in catalog.yaml.",
        "Producers and consumers are linked pages in the docs and the gate names them when a "
        "change breaks them; a typo would silently hide a consumer.",
        "Add the service under `services:` in catalog.yaml or fix the id.",
    ),
    LintRule(
        "team-undeclared",
        E,
        "An owner is not a team declared in catalog.yaml.",
        "Owners are who reviewers ask; an undeclared team is nobody.",
        "Add the team under `teams:` in catalog.yaml or fix the id.",
    ),
    # -- schemas and metadata --------------------------------------------------------------------
    LintRule(
        "schema-dialect",
        E,
        "$schema names a dialect eventcat does not support.",
        "Supported: draft 2020-12 (the default), 2019-09 and draft-07.",
        "Set $schema to https://json-schema.org/draft/2020-12/schema or remove it.",
    ),
    LintRule(
        "schema-invalid",
        E,
        "The file is not a valid JSON Schema for its dialect.",
        "The schema is checked against its dialect's meta-schema (regular expressions "
        "included): an invalid schema validates nothing, or everything.",
        "Fix the keyword at the pointer shown.",
    ),
    LintRule(
        "text-surrogate",
        E,
        'A string or key holds a lone UTF-16 surrogate (e.g. "\\ud800").',
        "JSON escapes can spell half of a UTF-16 pair, which is not Unicode text: no UTF-8 "
        "output (generated code, the docs site) can hold it, and the generated package would "
        "not import.",
        "Remove the escape or write the whole character.",
    ),
    LintRule(
        "property-name-twin",
        E,
        "Two property names of one object are equal after Unicode NFKC normalisation.",
        "Python normalises identifiers with NFKC, so generated models cannot keep apart names "
        "like `ﬁeld` and `field` (or full-width letters and ASCII).",
        "Rename one of the properties, preferably to plain ASCII.",
    ),
    LintRule(
        "keyword-unknown",
        W,
        "A schema uses a keyword no JSON Schema dialect defines.",
        "Unknown keywords are ignored by every validator, so a typo (`requried`) or a keyword "
        "of another tool (`tsAdditionalProperties`) silently constrains nothing. Reported once "
        "per keyword and file, at its first place.",
        "Fix the spelling, or prefix an annotation with 'x-'.",
    ),
    LintRule(
        "format-unknown",
        W,
        "A `format` is not one eventcat asserts.",
        "eventcat asserts date-time, date, time, duration, email, idn-email, hostname, "
        "idn-hostname, ipv4, ipv6, uri, uri-reference, iri, iri-reference, uri-template, uuid, "
        "json-pointer, relative-json-pointer and regex, in lint, the gate and the generated "
        "models alike; any other value checks nothing anywhere.",
        "Use one of those formats, or `pattern`.",
    ),
    LintRule(
        "pattern-unsupported",
        E,
        "A pattern needs a backtracking regular-expression engine.",
        "eventcat (lint, the gate, the generated models) runs `pattern` and `patternProperties` "
        "with a linear-time engine, so no message can make a validator hang (ReDoS: `^(a+)+$` "
        "against 30 characters takes minutes in a backtracking engine). Lookaround and "
        "backreferences need backtracking; such a schema is refused, not run, and its examples "
        "are not checked.",
        "Rewrite the pattern without lookaround or backreferences (often two patterns in "
        "`allOf`, or `not: {pattern: …}`, say the same).",
    ),
    LintRule(
        "x-eventcat-missing",
        E,
        "An event file has no x-eventcat metadata.",
        "The eventType, kind, producers and consumers of every event live in x-eventcat at "
        "the schema's root.",
        'Add `"x-eventcat": {"eventType": …, "kind": …, "producers": […]}`.',
    ),
    LintRule(
        "x-eventcat-invalid",
        E,
        "x-eventcat does not match its vocabulary.",
        "The vocabulary (x-eventcat.schema.json, shipped in the package) fixes the metadata "
        "every tool reads.",
        "Fix the value at the pointer shown.",
    ),
    LintRule(
        "event-type-version",
        E,
        "The eventType's .v<N> suffix differs from the file's version.",
        "The version is read from the file name; the eventType carried on the wire must say "
        "the same, or consumers route messages to the wrong model.",
        "End the eventType with .v<N> where N is the file's version.",
    ),
    LintRule(
        "event-type-duplicate",
        E,
        "Two event files declare the same eventType.",
        "Consumers pick the payload model by eventType; it must name one file.",
        "Give each version its own eventType.",
    ),
    LintRule(
        "example-missing",
        W,
        "An event has no example payload.",
        "Examples show readers what a message looks like and are checked against the schema.",
        "Add an `examples` array with at least one payload.",
    ),
    LintRule(
        "example-invalid",
        E,
        "An example does not validate against its schema.",
        "An invalid example documents a message no consumer accepts.",
        "Fix the example or the schema; the message says which keyword fails.",
    ),
    LintRule(
        "lifecycle-replacement-unknown",
        E,
        "A deprecated version's replacement names no event.",
        "Consumers of a deprecated version must be told what to move to.",
        "Set lifecycle.replacement to an existing eventType.",
    ),
    LintRule(
        "field-unknown",
        W,
        "x-eventcat names a payload field the schema does not declare.",
        "Consumers' declared fields let the gate name whom a breaking change hits; PII paths and "
        "the partition key drive masking and ordering. A path the schema lacks is a typo or a "
        "stale declaration.",
        "Fix the path (dotted, [] for array items, e.g. items[].sku).",
    ),
]

LINT_RULES: dict[str, LintRule] = {rule.id: rule for rule in _RULES}
