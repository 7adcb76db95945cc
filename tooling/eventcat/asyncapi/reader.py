"""Read one AsyncAPI 2.x or 3.0 document into catalog files and declarations (a ``Plan``).

Documents eventcat exported carry their catalog metadata (``x-eventcat``) and are read back
exactly. Any other document is mapped: one event per message, the document's application as the
service that sends and receives, channels and bindings into ``x-eventcat.channel``. What does not
map is reported with its JSON pointer (``Plan.notes``), never silently dropped.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventcat.asyncapi.bindings import map_channel
from eventcat.asyncapi.schemas import COMPONENTS, import_schema
from eventcat.catalog.yamlfile import parse_yaml
from eventcat.errors import InputError
from eventcat.jsonpointer import escape, node_at

DRAFT_07 = "http://json-schema.org/draft-07/schema#"
_JSON_FORMATS = (
    "application/vnd.aai.asyncapi",
    "application/schema+json",
    "application/schema+yaml",
)
_ASYNCAPI_ONLY = ("discriminator", "externalDocs")
#: one folder deep, no dot segments: nothing an import writes can leave the catalog folder
_CATALOG_PATH = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*/[A-Za-z0-9]+_v[1-9][0-9]*\.schema\.json")
_VERSIONED = re.compile(r"^(?P<name>.*?)[_.\-]?[vV](?P<n>[1-9][0-9]*)$")


@dataclass
class Plan:
    """What one document adds to a catalog."""

    source: str
    settings: dict[str, Any] = field(default_factory=dict)  # used for a new catalog.yaml
    declarations: dict[str, dict[str, Any]] = field(
        default_factory=lambda: {"teams": {}, "domains": {}, "services": {}}
    )
    files: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def note(self, pointer: str, message: str) -> None:
        self.notes.append(f"{self.source}#{pointer}: {message}")


def error(file: str, pointer: str, message: str) -> InputError:
    problem = InputError.at(message, rule="asyncapi-input", file=file, pointer=pointer)
    assert isinstance(problem, InputError)
    return problem


def load(path: str) -> Any:
    """Parse a YAML or JSON file (no aliases, no duplicate keys)."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except OSError as err:
        raise error(path, "", f"cannot read: {err.strerror}") from None
    except UnicodeDecodeError:
        raise error(path, "", "not UTF-8; save the file as UTF-8") from None
    try:
        return json.loads(text)
    except ValueError:
        return parse_yaml(text, path)


def pascal(text: str) -> str:
    words = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+", text)
    name = "".join(w[:1].upper() + w[1:] for w in words)
    return name if name[:1].isalpha() else f"Event{name}"


def snake(text: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", text).lower()


def kebab(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", snake(text).replace("_", " "))
    slug = "-".join(words)
    return slug if slug[:1].isalpha() else f"asyncapi-{slug}".strip("-")


def read(doc: Any, source: str, domain: str | None) -> Plan:
    if not isinstance(doc, dict):
        raise error(source, "", "not an AsyncAPI document (the root must be a mapping)")
    version = doc.get("asyncapi")
    if not isinstance(version, str) or not version.startswith(("2.", "3.")):
        raise error(source, "/asyncapi", f"AsyncAPI {version!r} is not supported (2.x or 3.x)")
    plan = Plan(source)
    meta = doc.get("x-eventcat")
    if isinstance(meta, dict) and isinstance(meta.get("files"), dict):
        _read_eventcat(doc, meta, plan)
    else:
        _Foreign(doc, plan, domain, version.startswith("2.")).read()
    return plan


def _read_eventcat(doc: dict[str, Any], meta: dict[str, Any], plan: Plan) -> None:
    """A document eventcat exported: declarations and files exactly as they were."""
    plan.settings = {
        k: meta[k] for k in ("name", "description", "envelope", "compatibility") if k in meta
    }
    for section in plan.declarations:
        if isinstance(meta.get(section), dict):
            plan.declarations[section] = dict(meta[section])
    files: dict[str, str] = meta["files"]
    schemas = _get(doc, "/components/schemas") or {}
    metadata: dict[str, Any] = {}
    for name, message in (_get(doc, "/components/messages") or {}).items():
        extension = message.get("x-eventcat") if isinstance(message, dict) else None
        if isinstance(extension, dict) and isinstance(extension.get("file"), str):
            metadata[extension["file"]] = extension.get("metadata", {})
        else:
            plan.note(f"/components/messages/{name}", "no x-eventcat.file; message skipped")
    for name, path in sorted(files.items()):
        if not isinstance(path, str) or not _CATALOG_PATH.fullmatch(path):
            raise error(
                plan.source,
                f"/x-eventcat/files/{name}",
                f"{path!r} is not a catalog path like domain/EventName_v1.schema.json",
            )
        if name not in schemas:
            raise error(plan.source, f"/x-eventcat/files/{name}", "no such component schema")

        def report(ref: str, why: str, name: str = name) -> None:
            plan.note(f"/components/schemas/{name}", f"$ref {ref!r}: {why}")

        schema = import_schema(schemas[name], path, files, report)
        if path in metadata and isinstance(schema, dict):
            schema["x-eventcat"] = metadata[path]
        plan.files[path] = schema


def _get(doc: Any, pointer: str) -> Any:
    return node_at(doc, pointer)[1]


class _Foreign:
    """Any other document: map what maps, report the rest."""

    def __init__(self, doc: dict[str, Any], plan: Plan, domain: str | None, v2: bool) -> None:
        self.doc, self.plan, self.v2 = doc, plan, v2
        info: dict[str, Any] = doc["info"] if isinstance(doc.get("info"), dict) else {}
        self.title = str(info.get("title") or Path(plan.source).stem)
        self.description = (
            info.get("description") if isinstance(info.get("description"), str) else ""
        )
        self.app = kebab(self.title)
        self.domain = domain or self.app
        self.protocols = (
            {
                str(s.get("protocol")).lower()
                for s in (doc.get("servers") or {}).values()
                if isinstance(s, dict) and s.get("protocol")
            }
            if isinstance(doc.get("servers"), dict)
            else set()
        )
        #: message key -> (message pointer, channel pointer, address, channel bindings)
        self.found: dict[str, dict[str, Any]] = {}
        self.components: dict[str, str] = {}  # component schema -> fragment path

    def deref(self, value: Any, pointer: str) -> tuple[Any, str]:
        for _ in range(32):
            if not (isinstance(value, dict) and isinstance(value.get("$ref"), str)):
                return value, pointer
            ref = value["$ref"]
            if not ref.startswith("#"):
                raise error(
                    self.plan.source,
                    pointer,
                    f"$ref {ref!r} leaves the document; "
                    "bundle the document first (nothing is fetched)",
                )
            pointer = ref[1:]
            value = _get(self.doc, pointer)
            if value is None:
                raise error(self.plan.source, pointer, f"$ref {ref!r} points at nothing")
        raise error(self.plan.source, pointer, "$ref chain too long (a cycle?)")

    # -- collect messages and who sends / receives them -----------------------------------------

    def read(self) -> None:
        if self.v2:
            self._operations_v2()
        else:
            self._operations_v3()
        for name in sorted((self.doc.get("components") or {}).get("messages") or {}):
            self._message(f"/components/messages/{name}", None, None)
        if not self.found:
            self.plan.note("", "no messages to import")
        for key in sorted(self.found):
            self._event(key, self.found[key])
        self._declare()

    def _message(
        self,
        pointer: str,
        channel: tuple[str, str, dict[str, Any]] | None,
        action: tuple[str, str] | None,
    ) -> None:
        value, where = self.deref(_get(self.doc, pointer), pointer)
        key = where.rsplit("/", 1)[-1]
        if "/components/" not in where and isinstance(value, dict):
            # An inline message: its own name, else the operation's id (2.x "message" keys
            # would otherwise all be called "message").
            named = value.get("name") or value.get("messageId")
            if isinstance(named, str):
                key = named
            elif action is not None and not key.isdigit():
                key = action[1]
        entry = self.found.setdefault(key, {"pointer": where, "send": [], "receive": []})
        if channel is not None and "channel" not in entry:
            entry["channel"] = channel
        if action is not None:
            entry[action[0]].append(action[1])

    def _channel(self, pointer: str, address_default: str) -> tuple[str, str, dict[str, Any]]:
        channel, where = self.deref(_get(self.doc, pointer), pointer)
        channel = channel if isinstance(channel, dict) else {}
        address = channel.get("address") if not self.v2 else address_default
        bindings, _ = self.deref(channel.get("bindings") or {}, f"{where}/bindings")
        return (
            where,
            str(address or address_default),
            bindings if isinstance(bindings, dict) else {},
        )

    def _operations_v2(self) -> None:
        for address, item in (self.doc.get("channels") or {}).items():
            base = "/channels/" + escape(address)
            channel = self._channel(base, address)
            # 2.x: "subscribe" is what the application sends, "publish" what it receives.
            for verb, action in (("subscribe", "send"), ("publish", "receive")):
                operation = item.get(verb) if isinstance(item, dict) else None
                if not isinstance(operation, dict):
                    continue
                handler = str(operation.get("operationId") or f"{verb} {address}")
                message = operation.get("message")
                options = message.get("oneOf") if isinstance(message, dict) else None
                pointers = (
                    [f"{base}/{verb}/message/oneOf/{i}" for i in range(len(options))]
                    if isinstance(options, list)
                    else [f"{base}/{verb}/message"]
                )
                for pointer in pointers:
                    if _get(self.doc, pointer) is not None:
                        self._message(pointer, channel, (action, handler))

    def _operations_v3(self) -> None:
        for op_id, operation in (self.doc.get("operations") or {}).items():
            operation, _ = self.deref(operation, f"/operations/{op_id}")
            if not isinstance(operation, dict) or operation.get("action") not in (
                "send",
                "receive",
            ):
                continue
            ref = (operation.get("channel") or {}).get("$ref", "")
            channel = self._channel(ref[1:], op_id) if ref.startswith("#") else None
            refs = [m.get("$ref") for m in operation.get("messages") or [] if isinstance(m, dict)]
            if not refs and channel is not None:
                messages = (_get(self.doc, channel[0]) or {}).get("messages") or {}
                refs = [f"#{channel[0]}/messages/{name}" for name in messages]
            for message_ref in refs:
                if isinstance(message_ref, str) and message_ref.startswith("#"):
                    self._message(message_ref[1:], channel, (operation["action"], op_id))
        for name, item in (self.doc.get("channels") or {}).items():
            channel = self._channel(f"/channels/{name}", name)
            for message in (item.get("messages") or {}) if isinstance(item, dict) else {}:
                pointer = f"/channels/{name}/messages/{message}"
                self._message(pointer, channel, None)

    # -- one event per message -------------------------------------------------------------------

    def _event(self, key: str, entry: dict[str, Any]) -> None:
        message, pointer = self.deref(_get(self.doc, entry["pointer"]), entry["pointer"])
        if not isinstance(message, dict):
            self.plan.note(pointer, "not a message object; skipped")
            return
        raw_name = str(message.get("name") or message.get("messageId") or key)
        if not re.search(r"[A-Za-z]", raw_name):
            raw_name = f"{key} message"
        match = _VERSIONED.match(raw_name)
        number = int(match["n"]) if match and match["name"] else 1
        name = pascal(match["name"] if match and match["name"] else raw_name)
        path = f"{self.domain}/{name}_v{number}.schema.json"
        schema = self._payload(message, pointer)
        if schema is None:
            return
        if "headers" in message:
            self.plan.note(
                f"{pointer}/headers",
                "message headers are not part of the payload schema; not imported",
            )
        if not schema.get("description") and isinstance(message.get("description"), str):
            schema["description"] = message["description"]
        if not schema.get("title") and isinstance(message.get("title"), str):
            schema["title"] = message["title"]
        examples = [
            e["payload"]
            for e in message.get("examples") or []
            if isinstance(e, dict) and "payload" in e
        ]
        if examples:
            known: list[Any] = (
                schema["examples"] if isinstance(schema.get("examples"), list) else []
            )
            schema["examples"] = known + [e for e in examples if e not in known]
        schema["x-eventcat"] = self._metadata(name, number, message, entry, pointer)
        if path in self.plan.files:
            self.plan.note(pointer, f"a second message named {name} v{number}; skipped")
            return
        self.plan.files[path] = schema

    def _payload(self, message: dict[str, Any], pointer: str) -> dict[str, Any] | None:
        payload = message.get("payload", {})
        fmt = message.get("schemaFormat")
        where = f"{pointer}/payload"
        if isinstance(payload, dict) and "schemaFormat" in payload and "schema" in payload:
            fmt, payload, where = payload["schemaFormat"], payload["schema"], f"{where}/schema"
        if isinstance(fmt, str) and not fmt.startswith(_JSON_FORMATS):
            self.plan.note(where, f"schemaFormat {fmt!r} is not JSON Schema; message skipped")
            return None
        if (
            isinstance(payload, dict)
            and isinstance(payload.get("$ref"), str)
            and payload["$ref"].startswith(COMPONENTS)
        ):
            payload, where = self.deref(payload, where)  # the component is the event's schema
        if not isinstance(payload, dict):
            payload = {} if payload is True else {"not": {}}
        self._asyncapi_only(payload, where)
        path = f"{self.domain}/_"  # the event file's folder, for relative references

        def report(ref: str, why: str) -> None:
            self.plan.note(where, f"$ref {ref!r}: {why}")

        schema = import_schema(copy.deepcopy(payload), path, self._fragments(payload), report)
        if not isinstance(schema, dict):
            return None
        schema.setdefault("$schema", DRAFT_07)  # AsyncAPI's Schema Object is draft-07 based
        return dict(schema)

    def _fragments(self, payload: Any) -> dict[str, str]:
        """Component schemas the payload references (transitively), as ``_shared`` fragments:
        first every name, so that references between components can be rewritten."""
        pending, new = [payload], []
        while pending:
            for ref in _refs(pending.pop()):
                name = ref[len(COMPONENTS) :].split("/", 1)[0] if ref.startswith(COMPONENTS) else ""
                component = _get(self.doc, f"/components/schemas/{name}") if name else None
                if component is None or name in self.components:
                    continue
                self.components[name] = f"_shared/{pascal(name)}_v1.schema.json"
                new.append(name)
                pending.append(component)
        for name in new:
            path, where = self.components[name], f"/components/schemas/{name}"
            component = _get(self.doc, where)
            self._asyncapi_only(component, where)

            def report(ref: str, why: str, where: str = where) -> None:
                self.plan.note(where, f"$ref {ref!r}: {why}")

            fragment = import_schema(copy.deepcopy(component), path, self.components, report)
            if isinstance(fragment, dict):
                fragment.setdefault("$schema", DRAFT_07)
            self.plan.files[path] = fragment
        return self.components

    def _asyncapi_only(self, schema: Any, pointer: str) -> None:
        if isinstance(schema, dict):
            for key, value in schema.items():
                token = escape(key)
                if key in _ASYNCAPI_ONLY:
                    self.plan.note(
                        f"{pointer}/{token}",
                        f"{key} is AsyncAPI-only; kept as an "
                        "annotation JSON Schema validators ignore",
                    )
                elif key not in ("enum", "const", "examples", "default", "example"):
                    self._asyncapi_only(value, f"{pointer}/{token}")
        elif isinstance(schema, list):
            for index, item in enumerate(schema):
                self._asyncapi_only(item, f"{pointer}/{index}")

    def _metadata(
        self, name: str, number: int, message: dict[str, Any], entry: dict[str, Any], pointer: str
    ) -> dict[str, Any]:
        prefix = self.domain.replace("-", "_")
        meta: dict[str, Any] = {
            "eventType": f"{prefix}.{snake(name)}.v{number}",
            "kind": "integration",
            "producers": [self.app] if entry["send"] else [f"{self.app}-peers"],
        }
        if isinstance(message.get("summary"), str):
            meta["summary"] = message["summary"]
        if entry["receive"]:
            meta["consumers"] = [
                {"service": self.app, "handler": h} for h in sorted(set(entry["receive"]))
            ]
        elif not entry["send"]:
            self.plan.note(
                pointer,
                f"no operation sends or receives this message; producers set to {self.app}-peers",
            )
        if "channel" in entry:
            where, address, bindings = entry["channel"]
            mapped = map_channel(address, bindings, self.protocols, where)
            for item in mapped.skipped:
                self.plan.note(*item)
            if mapped.channel:
                meta["channel"] = mapped.channel
        tags = [
            kebab(t["name"])
            for t in message.get("tags") or []
            if isinstance(t, dict) and isinstance(t.get("name"), str)
        ]
        if tags:
            meta["tags"] = sorted(set(tags))
        if message.get("deprecated") is True:
            self.plan.note(
                pointer,
                "deprecated: set x-eventcat.lifecycle (status deprecated "
                "needs sunset and replacement) by hand",
            )
        return meta

    def _declare(self) -> None:
        events = [
            s["x-eventcat"]
            for s in self.plan.files.values()
            if isinstance(s, dict) and "x-eventcat" in s
        ]
        if not events:
            return
        self.plan.settings = {"name": self.title}
        domain: dict[str, Any] = {"name": self.title}
        if self.description:
            domain["description"] = self.description.strip()
        self.plan.declarations["domains"][self.domain] = domain
        service = dict(domain)
        service["domain"] = self.domain
        self.plan.declarations["services"][self.app] = service
        if any(f"{self.app}-peers" in e["producers"] for e in events):
            self.plan.declarations["services"][f"{self.app}-peers"] = {
                "name": f"Peers of {self.title}",
                "description": f"The applications that send to {self.title}; the imported "
                "AsyncAPI document does not name them. Replace with the real producers.",
                "domain": self.domain,
                "external": True,
            }


def _refs(value: Any) -> list[str]:
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "$ref" and isinstance(item, str):
                found.append(item)
            elif key not in ("enum", "const", "examples", "default", "example"):
                found.extend(_refs(item))
    elif isinstance(value, list):
        for item in value:
            found.extend(_refs(item))
    return found
