"""The catalog as AsyncAPI 3.0 documents: one per service, optionally one for the whole catalog.

Every document stands alone (schemas bundled into ``components/schemas``) and carries what an
import needs to rebuild the catalog entries exactly: the event's ``x-eventcat`` metadata on its
message, the catalog's declarations under the document's ``x-eventcat``. Output is a pure
function of the catalog: keys sorted, lists in catalog order, no clock, no randomness.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from eventcat.asyncapi.bindings import Channel, message_bindings, publish_channel, receive_channel
from eventcat.asyncapi.schemas import COMPONENTS, component_names, export_schema
from eventcat.catalog.model import Catalog, EventVersion, Service
from eventcat.errors import UsageError

VERSION = "3.0.0"
WHOLE = "catalog"
SUFFIX = ".asyncapi.yaml"


@dataclass(frozen=True)
class _Operation:
    service: str
    action: str  # send | receive
    version: EventVersion
    channel: Channel
    handler: str | None = None
    processing: str | None = None


def file_name(service: str | None) -> str:
    return f"{service or WHOLE}{SUFFIX}"


def export_documents(
    catalog: Catalog, services: Iterable[str] = (), whole: bool = False
) -> dict[str, dict[str, Any]]:
    """file name -> AsyncAPI document. No ``services``: every declared service."""
    chosen = list(services) or sorted(catalog.services)
    for service in chosen:
        if service not in catalog.services:
            raise UsageError.at(
                f"--service {service!r} is not declared in catalog.yaml",
                rule="usage",
                file="catalog.yaml",
                pointer="/services",
            )
    exporter = _Exporter(catalog)
    documents = {file_name(s): exporter.service_document(catalog.services[s]) for s in chosen}
    if whole:
        documents[file_name(None)] = exporter.whole_document()
    return documents


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # shared values are written out: no &anchors for readers to chase


def dump(document: Mapping[str, Any]) -> bytes:
    """Deterministic YAML: keys sorted, block style, unicode kept, no anchors."""
    text = yaml.dump(
        document,
        Dumper=_Dumper,
        sort_keys=True,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    return text.encode("utf-8")


class _Exporter:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.names = component_names(catalog)

    # -- operations ------------------------------------------------------------------------------

    def operations(self, service: str | None) -> list[_Operation]:
        found: list[_Operation] = []
        for version in self.catalog.versions():
            fallback = version.event_type or version.id
            for producer in version.producers:
                if service in (None, producer):
                    channel = publish_channel(version.channel, fallback)
                    found.append(_Operation(producer, "send", version, channel))
            for consumer in version.consumers:
                if service in (None, consumer.service):
                    channel = receive_channel(
                        version.channel, consumer.queue, consumer.dead_letter_queue, fallback
                    )
                    found.append(
                        _Operation(
                            consumer.service,
                            "receive",
                            version,
                            channel,
                            consumer.handler,
                            consumer.processing,
                        )
                    )
        return found

    # -- documents -------------------------------------------------------------------------------

    def service_document(self, service: Service) -> dict[str, Any]:
        operations = self.operations(service.id)
        info: dict[str, Any] = {"title": service.name}
        lines = [service.description] if service.description else []
        domain = self.catalog.domains.get(service.domain or "")
        if domain is not None:
            lines.append(
                f"Domain: {domain.name}" + (f" ({domain.system})" if domain.system else "")
            )
        if service.technology:
            lines.append(f"Technology: {service.technology}")
        if lines:
            info["description"] = "\n\n".join(lines)
        team = self.catalog.teams.get(service.owner or "")
        if team is not None:
            contact: dict[str, Any] = {"name": team.name}
            if team.email:
                contact["email"] = team.email
            info["contact"] = contact
        if service.repository:
            info["externalDocs"] = {"url": service.repository, "description": "Repository"}
        tags = [t for t in (service.domain, "external" if service.external else None) if t]
        if tags:
            info["tags"] = [{"name": t} for t in tags]
        return self._document(f"urn:eventcat:service:{service.id}", info, operations, [service.id])

    def whole_document(self) -> dict[str, Any]:
        info: dict[str, Any] = {"title": self.catalog.name or "eventcat catalog"}
        if self.catalog.description:
            info["description"] = self.catalog.description
        return self._document("urn:eventcat:catalog", info, self.operations(None), None)

    def _document(
        self,
        doc_id: str,
        info: dict[str, Any],
        operations: list[_Operation],
        services: list[str] | None,
    ) -> dict[str, Any]:
        versions = sorted({op.version.path: op.version for op in operations}.items())
        channels: dict[str, Any] = {}
        ops: dict[str, Any] = {}
        for op in operations:
            entry = channels.setdefault(op.channel.id, op.channel.document())
            message_id = self.names[op.version.path]
            entry["messages"][message_id] = {"$ref": f"#/components/messages/{message_id}"}
            ops[self._operation_id(op, services)] = self._operation(op, message_id)
        messages = {self.names[path]: self.message(version) for path, version in versions}
        document: dict[str, Any] = {
            "asyncapi": VERSION,
            "id": doc_id,
            "info": info,
            "defaultContentType": "application/json",
            "channels": channels,
            "operations": ops,
            "components": {
                "messages": messages,
                "schemas": self._schemas(v for _, v in versions),
            },
            "x-eventcat": self._declarations([v for _, v in versions], services),
        }
        if not messages:
            del document["components"]
        # The version is a digest of the content: it changes exactly when the contract does.
        digest = hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()[:12]
        info["version"] = f"0.0.0+{digest}"
        return document

    def _operation_id(self, op: _Operation, services: list[str] | None) -> str:
        name = self.names[op.version.path]
        base = f"{op.action}.{name}" if services else f"{op.service}.{op.action}.{name}"
        if (
            op.action == "receive"
            and op.channel.id
            != publish_channel(op.version.channel, op.version.event_type or op.version.id).id
        ):
            base += f".{op.channel.id}"
        return base

    def _operation(self, op: _Operation, message_id: str) -> dict[str, Any]:
        service = self.catalog.services.get(op.service)
        who = service.name if service else op.service
        out: dict[str, Any] = {
            "action": op.action,
            "channel": {"$ref": f"#/channels/{op.channel.id}"},
            "messages": [{"$ref": f"#/channels/{op.channel.id}/messages/{message_id}"}],
        }
        if op.action == "send":
            out["summary"] = f"{who} publishes {op.version.name} v{op.version.version}."
        else:
            handler = f" with {op.handler}" if op.handler else ""
            out["summary"] = f"{who} handles {op.version.name} v{op.version.version}{handler}."
            extension = {"service": op.service, "handler": op.handler, "processing": op.processing}
            out["x-eventcat"] = {k: v for k, v in extension.items() if v}
        return out

    # -- messages and schemas --------------------------------------------------------------------

    def message(self, version: EventVersion) -> dict[str, Any]:
        name = self.names[version.path]
        payload_ref = {"$ref": COMPONENTS + name}
        envelope = self.catalog.envelope
        message: dict[str, Any] = {
            "name": version.name,
            "contentType": "application/json",
            "x-eventcat": {"file": version.path, "metadata": dict(version.meta)},
        }
        examples = list(version.file.examples)
        if envelope is None:
            message["payload"] = payload_ref
        else:
            env_ref = {"$ref": COMPONENTS + self.names[envelope.file.path]}
            props = envelope.file.schema.get("properties")
            if isinstance(props, dict) and envelope.payload_property in props:
                # The envelope wraps the payload: the message on the wire is the envelope.
                typed: dict[str, Any] = {
                    "type": "object",
                    "properties": {envelope.payload_property: payload_ref},
                }
                if version.event_type:
                    typed["properties"][envelope.type_property] = {"const": version.event_type}
                message["payload"] = {"allOf": [env_ref, typed]}
                examples = [self._wrapped(version, e) for e in examples]
            else:  # an envelope without a payload property travels as headers
                message["headers"] = env_ref
                message["payload"] = payload_ref
        if examples:
            message["examples"] = [
                {"name": f"example-{i}", "payload": e} for i, e in enumerate(examples, 1)
            ]
        for key in ("title", "description"):
            value = version.file.schema.get(key)
            if isinstance(value, str):
                message[key] = value
        if version.summary:
            message["summary"] = version.summary
        tags = version.meta.get("tags")
        if isinstance(tags, list) and tags:
            message["tags"] = [{"name": t} for t in tags if isinstance(t, str)]
        bindings = message_bindings(version.event_type, version.channel)
        if bindings:
            message["bindings"] = bindings
        if version.status in ("deprecated", "retired"):
            message["deprecated"] = True
        return message

    def _wrapped(self, version: EventVersion, example: Any) -> Any:
        """A payload example inside the envelope's first example (type, source and payload set),
        so that message examples show the message as it travels."""
        envelope = self.catalog.envelope
        assert envelope is not None
        base = next((e for e in envelope.file.examples if isinstance(e, dict)), None)
        wrapped = {k: v for k, v in (base or {}).items() if k != "metadata"}
        if version.event_type:
            wrapped[envelope.type_property] = version.event_type
        if version.producers and "source" in wrapped:
            wrapped["source"] = version.producers[0]
        wrapped[envelope.payload_property] = example
        return wrapped

    def _schema_paths(self, versions: Iterable[EventVersion]) -> list[str]:
        """Every catalog file the versions need: their own, what they reference, the envelope."""
        paths: set[str] = set()
        for version in versions:
            paths.add(version.path)
            paths.update(self.catalog.dependencies(version.path))
        if self.catalog.envelope is not None and paths:
            envelope = self.catalog.envelope.file.path
            paths.add(envelope)
            paths.update(self.catalog.dependencies(envelope))
        return sorted(paths)

    def _schemas(self, versions: Iterable[EventVersion]) -> dict[str, Any]:
        return {
            self.names[p]: export_schema(self.catalog, p, self.names)
            for p in self._schema_paths(versions)
        }

    def _declarations(
        self, versions: list[EventVersion], services: list[str] | None
    ) -> dict[str, Any]:
        """catalog.yaml's declarations this document names (all of them for the whole catalog),
        as written there, and the file each component schema comes from."""
        raw = self.catalog.raw_settings
        out: dict[str, Any] = {"name": self.catalog.name}
        if self.catalog.description:
            out["description"] = self.catalog.description
        for key in ("envelope", "compatibility"):
            if isinstance(raw.get(key), dict):
                out[key] = raw[key]
        if services is None:
            wanted_services = set(self.catalog.services)
        else:
            wanted_services = set(services)
            for version in versions:
                wanted_services.update(version.producers)
                wanted_services.update(c.service for c in version.consumers)
        wanted_domains = {
            self.catalog.services[s].domain or ""
            for s in wanted_services
            if s in self.catalog.services
        }
        wanted_domains.update(v.domain for v in versions)
        if services is None:
            wanted_domains.update(self.catalog.domains)
        wanted_teams = {v.owner or "" for v in versions}
        wanted_teams.update(
            self.catalog.services[s].owner or ""
            for s in wanted_services
            if s in self.catalog.services
        )
        wanted_teams.update(
            self.catalog.domains[d].owner or "" for d in wanted_domains if d in self.catalog.domains
        )
        if services is None:
            wanted_teams.update(self.catalog.teams)
        for key, wanted in (
            ("teams", wanted_teams),
            ("domains", wanted_domains),
            ("services", wanted_services),
        ):
            section = raw.get(key)
            if isinstance(section, dict):
                chosen = {k: v for k, v in section.items() if k in wanted}
                if chosen:
                    out[key] = chosen
        files = {self.names[p]: p for p in self._schema_paths(versions)}
        if files:
            out["files"] = files
        return out
