"""Turn the catalog model into generator jobs: one module per schema file, inputs made safe.

Each schema handed to datamodel-code-generator is rebuilt here from the loaded catalog, keyword by
keyword, keeping only standard JSON Schema keywords. That drops the catalog's own annotations
(``x-eventcat``, ``examples``, ``$comment``) and every generator extension a schema could smuggle
in (``x-python-import``, ``customTypePath`` …), so schema text can only ever become names and
string literals. ``$ref``s are resolved with the catalog's own resolver (nothing is read from
disk or the network): a reference to a whole catalog file becomes an import of that file's model,
generated once in its own module; a reference into a part of another file is copied in.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from eventcat.catalog.model import Catalog, EventVersion, SchemaFile
from eventcat.catalog.refs import RefChecker, Target
from eventcat.gen.jobs import GenerationError, Job, with_digest
from eventcat.gen.naming import class_name, domain_module, identifier, snake
from eventcat.gen.safety import FILE_HEADER, source_comment
from eventcat.jsonpointer import escape, split_pointer
from eventcat.report.findings import Finding, Severity

# Keywords whose value is one schema, a list of schemas, or a name -> schema map.
_SINGLE = frozenset(
    {
        "additionalProperties",
        "unevaluatedProperties",
        "propertyNames",
        "additionalItems",
        "unevaluatedItems",
        "contains",
        "not",
        "if",
        "then",
        "else",
    }
)
_LIST = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
_MAP = frozenset({"properties", "patternProperties", "dependentSchemas", "$defs", "definitions"})
# Keywords whose value is data (copied as is; the generator escapes it).
_VALUE = frozenset(
    {
        "type",
        "enum",
        "const",
        "required",
        "default",
        "format",
        "pattern",
        "title",
        "description",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
        "uniqueItems",
        "minContains",
        "maxContains",
        "minProperties",
        "maxProperties",
        "dependentRequired",
        "deprecated",
        "readOnly",
        "writeOnly",
        "contentEncoding",
        "contentMediaType",
    }
)

Kind = Literal["event", "fragment", "envelope"]


@dataclass(frozen=True)
class ModuleSpec:
    """Where one schema file's models go."""

    kind: Kind
    source: str  # catalog path of the schema file
    module: str  # dotted path inside the package, e.g. "orders.order_placed_v1"
    class_name: str
    version: EventVersion | None = field(default=None, compare=False, repr=False)

    @property
    def relpath(self) -> str:
        return self.module.replace(".", "/") + ".py"


def module_specs(catalog: Catalog) -> list[ModuleSpec]:
    """One module per event version and per shared fragment, plus the envelope's fields."""
    specs: list[ModuleSpec] = []
    taken: set[str] = set()

    def unique(module: str) -> str:
        candidate, number = module, 2
        while candidate in taken:
            candidate, number = f"{module}_{number}", number + 1
        taken.add(candidate)
        return candidate

    if catalog.envelope is not None:
        specs.append(
            ModuleSpec(
                "envelope", catalog.envelope.file.path, unique("_envelope"), "EnvelopeFields"
            )
        )
    for fragment in catalog.fragments:
        name, version = _split_file_name(fragment)
        specs.append(
            ModuleSpec(
                "fragment",
                fragment.path,
                unique(f"shared.{snake(name)}_v{version}"),
                class_name(name, version),
            )
        )
    for event in catalog.versions():
        module = f"{domain_module(event.domain)}.{snake(event.name)}_v{event.version}"
        specs.append(
            ModuleSpec(
                "event", event.path, unique(module), class_name(event.name, event.version), event
            )
        )
    return specs


def _split_file_name(file: SchemaFile) -> tuple[str, int]:
    stem = file.path.rsplit("/", 1)[-1].removesuffix(".schema.json")
    name, _, number = stem.rpartition("_v")
    return (name, int(number)) if name and number.isdigit() else (stem, 1)


class Preparer:
    """Builds the jobs of a catalog for one package name."""

    def __init__(self, catalog: Catalog, package: str) -> None:
        self.catalog = catalog
        self.package = package
        self.specs = module_specs(catalog)
        self.by_source = {spec.source: spec for spec in self.specs}
        self.checker = RefChecker(catalog.files)

    def jobs(self) -> list[Job]:
        return [self.job(spec) for spec in self.specs]

    def job(self, spec: ModuleSpec) -> Job:
        schema = _Bundler(self, spec.source).bundle()
        if spec.kind == "envelope":
            schema = self._without_payload(schema)
        # A fixed header: catalog text never reaches the lines Python reads a coding cookie from.
        header = FILE_HEADER + source_comment(spec.source)
        trailer = _event_constants(spec.version) if spec.version is not None else ""
        job = Job(
            source=spec.source,
            relpath=f"{self.package}/{spec.relpath}",
            class_name=spec.class_name,
            schema=schema,
            header=header,
            trailer=trailer,
            base_class=f"{self.package}._base.EventModel",
            package=self.package,
        )
        return with_digest(job)

    def _without_payload(self, schema: dict[str, Any]) -> dict[str, Any]:
        assert self.catalog.envelope is not None
        name = self.catalog.envelope.payload_property
        properties = schema.get("properties")
        if isinstance(properties, dict):
            schema["properties"] = {k: v for k, v in properties.items() if k != name}
        required = schema.get("required")
        if isinstance(required, list):
            schema["required"] = [r for r in required if r != name]
        return schema

    def import_for(self, path: str) -> dict[str, Any] | None:
        """The generator stand-in for "the model of catalog file ``path``" (an import)."""
        spec = self.by_source.get(path)
        if spec is None:
            return None
        return {
            "x-python-import": {"module": f"{self.package}.{spec.module}", "name": spec.class_name}
        }


class _Bundler:
    """Rebuilds one file's schema with only standard keywords and local ``$ref``s."""

    def __init__(self, preparer: Preparer, root: str) -> None:
        self.preparer = preparer
        self.root = root
        self.defs: dict[str, Any] = {}
        self.copied: dict[tuple[str, str], str] = {}
        root_schema = preparer.catalog.files[root].schema
        self.taken: set[str] = set()
        for keyword in ("$defs", "definitions"):
            existing = root_schema.get(keyword) if isinstance(root_schema, dict) else None
            if isinstance(existing, dict):
                self.taken.update(existing)

    def bundle(self) -> dict[str, Any]:
        schema = self.preparer.catalog.files[self.root].schema
        result = self.clean(schema, self.root, "", at_root=True)
        assert isinstance(result, dict)
        if self.defs:
            merged = dict(result.get("$defs") or {})
            merged.update(self.defs)
            result["$defs"] = merged
        return result

    def clean(self, node: Any, origin: str, pointer: str, at_root: bool = False) -> Any:
        if not isinstance(node, dict):
            return node if isinstance(node, bool) else {}
        out: dict[str, Any] = {}
        for key, value in node.items():
            where = f"{pointer}/{escape(key)}"
            if key == "$ref" and isinstance(value, str):
                out["$ref"] = self.reference(origin, pointer, value)
            elif key in _SINGLE:
                out[key] = self.clean(value, origin, where)
            elif key == "items":
                out[key] = (
                    [self.clean(v, origin, f"{where}/{i}") for i, v in enumerate(value)]
                    if isinstance(value, list)
                    else self.clean(value, origin, where)
                )
            elif key in _LIST and isinstance(value, list):
                out[key] = [self.clean(v, origin, f"{where}/{i}") for i, v in enumerate(value)]
            elif key in _MAP and isinstance(value, dict):
                for name in value:
                    if key == "patternProperties":
                        _check_pattern(name, origin, f"{where}/{escape(name)}")
                    elif key != "dependentSchemas":
                        _check_name(name, origin, f"{where}/{escape(name)}")
                out[key] = {
                    name: self.clean(sub, origin, f"{where}/{escape(name)}")
                    for name, sub in value.items()
                }
            elif key in _VALUE or (key == "$schema" and at_root):
                if key == "pattern" and isinstance(value, str):
                    _check_pattern(value, origin, where)
                out[key] = value
        return out

    def reference(self, origin: str, pointer: str, ref: str) -> str:
        resolved = self.preparer.checker.resolve(origin, pointer, ref)
        if isinstance(resolved, Finding):
            raise GenerationError([resolved])
        target: Target = resolved
        if target.path == self.root and origin == self.root:
            return "#" + target.pointer
        if target.pointer == "" and target.path != self.root:
            stand_in = self.preparer.import_for(target.path)
            if stand_in is not None:
                return self._define(("import", target.path), target.path, lambda: stand_in)
        if target.path == self.root:
            return "#" + target.pointer
        return self._define(
            (target.path, target.pointer),
            target.pointer or target.path,
            lambda: self.clean(self._at(target), target.path, target.pointer),
        )

    def _define(self, key: tuple[str, str], hint: str, build: Any) -> str:
        name = self.copied.get(key)
        if name is None:
            last = split_pointer(hint)[-1] if hint.startswith("/") else hint.rsplit("/", 1)[-1]
            base = identifier(last.removesuffix(".schema.json"), fallback="Ref")
            name, number = base, 2
            while name in self.taken:
                name, number = f"{base}{number}", number + 1
            self.taken.add(name)
            self.copied[key] = name
            self.defs[name] = {}  # placeholder: a cycle back here finds the name
            self.defs[name] = build()
        return f"#/$defs/{escape(name)}"

    def _at(self, target: Target) -> Any:
        node = self.preparer.catalog.files[target.path].schema
        for token in split_pointer(target.pointer):
            node = node[int(token)] if isinstance(node, list) else node[token]
        return node


def _check_name(name: str, origin: str, pointer: str) -> None:
    """Refuse a property or definition name that Python would read as another name.

    Python folds identifiers to Unicode NFKC: ``\ufb01eld`` (a ligature) is ``field``, and a
    fullwidth ``model_config`` is ``model_config``, so such a name silently replaces a field or
    breaks the model.
    """
    if unicodedata.normalize("NFKC", name) != name:
        folded = unicodedata.normalize("NFKC", name)
        raise GenerationError(
            [
                Finding(
                    file=origin,
                    pointer=pointer,
                    rule="gen-name",
                    severity=Severity.ERROR,
                    message=f"name {name[:80]!r} is not in Unicode NFKC form: Python reads it as "
                    f"{folded[:80]!r}; use {folded[:80]!r} (or another name) in the schema",
                )
            ]
        )


def _check_pattern(pattern: str, origin: str, pointer: str) -> None:
    """Refuse a pattern the generated models could not match in linear time.

    pydantic-core matches patterns with Rust's ``regex`` crate (linear time). A pattern it cannot
    compile (look-around, backreferences) would make the generator switch the whole model to
    Python's backtracking ``re``, where ``^(a+)+$`` takes seconds per character: refuse it.
    """
    from pydantic_core import SchemaError, SchemaValidator, core_schema

    try:
        SchemaValidator(core_schema.str_schema(pattern=pattern, regex_engine="rust-regex"))
    except SchemaError as err:
        lines = [
            line.strip() for line in str(err).splitlines() if line.strip().startswith("error:")
        ]
        reason = lines[-1].removeprefix("error:").strip() if lines else "not supported"
        raise GenerationError(
            [
                Finding(
                    file=origin,
                    pointer=pointer,
                    rule="gen-pattern",
                    severity=Severity.ERROR,
                    message=f"pattern {pattern[:80]!r} needs a backtracking regex engine ({reason}); "
                    "generated models match patterns in linear time only: rewrite it without "
                    "look-around or backreferences",
                )
            ]
        ) from None


def _event_constants(version: EventVersion) -> str:
    """Module constants naming the event on the wire (values escaped with repr)."""
    channel: Mapping[str, Any] = version.channel
    lines = [
        "",
        "",
        f"#: The envelope type of {version.id}.",
        f"EVENT_TYPE: Final = {version.event_type!r}",
    ]
    for key, constant in (
        ("broker", "BROKER"),
        ("exchange", "EXCHANGE"),
        ("topic", "TOPIC"),
        ("routingKey", "ROUTING_KEY"),
        ("deadLetterQueue", "DEAD_LETTER_QUEUE"),
    ):
        value = channel.get(key)
        if isinstance(value, str):
            lines.append(f"{constant}: Final = {value!r}")
    return "\n".join(lines) + "\n"
