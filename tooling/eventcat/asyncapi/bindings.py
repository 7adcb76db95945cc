"""Where an event travels, both ways: ``x-eventcat.channel`` <-> AsyncAPI channels and bindings.

AsyncAPI has bindings for AMQP 0-9-1 (RabbitMQ), SNS, SQS and Kafka; Redis Streams has none, so it
travels as the ``x-redis-streams`` extension (bindings objects allow ``x-`` keys).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

AMQP = "0.3.0"
KAFKA = "0.5.0"
SNS = "0.1.0"
SQS = "0.2.0"
REDIS = "x-redis-streams"

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def channel_id(text: str) -> str:
    """A key for ``channels``/``components`` (``^[a-zA-Z0-9.\\-_]+$``)."""
    return _UNSAFE.sub("_", text).strip("_") or "channel"


@dataclass(frozen=True)
class Channel:
    """One AsyncAPI channel: an address on a broker, with its bindings."""

    id: str
    address: str
    bindings: Mapping[str, Any] = field(default_factory=dict)
    description: str = ""

    def document(self) -> dict[str, Any]:
        out: dict[str, Any] = {"address": self.address, "messages": {}}
        if self.bindings:
            out["bindings"] = dict(self.bindings)
        if self.description:
            out["description"] = self.description
        return out


def publish_channel(channel: Mapping[str, Any], fallback: str) -> Channel:
    """The channel producers send an event to (``fallback`` names it when nothing else does)."""
    broker = channel.get("broker")
    exchange = channel.get("exchange")
    routing_key = channel.get("routingKey")
    topic = channel.get("topic")
    queues = [q for q in channel.get("queues", []) if isinstance(q, str)]
    dlq = channel.get("deadLetterQueue")
    if broker == "rabbitmq":
        address = str(routing_key or exchange or fallback)
        amqp: dict[str, Any] = {"is": "routingKey", "bindingVersion": AMQP}
        if exchange:
            amqp["exchange"] = {"name": exchange, "type": channel.get("exchangeType", "topic")}
        key = f"{exchange}.{address}" if exchange else address
        return Channel(channel_id(key), address, {"amqp": amqp})
    if broker in ("sns", "sns+sqs"):
        name = str(exchange or topic or fallback)
        return Channel(channel_id(name), name, {"sns": {"name": name, "bindingVersion": SNS}})
    if broker == "sqs":
        name = queues[0] if queues else str(routing_key or fallback)
        return Channel(channel_id(name), name, {"sqs": sqs_binding(name, dlq)})
    if broker == "kafka":
        name = str(topic or routing_key or fallback)
        return Channel(channel_id(name), name, {"kafka": {"topic": name, "bindingVersion": KAFKA}})
    if broker == "redis-streams":
        name = str(topic or routing_key or fallback)
        return Channel(channel_id(name), name, {REDIS: {"stream": name}})
    address = str(topic or routing_key or exchange or fallback)
    return Channel(channel_id(address), address)


def sqs_binding(name: str, dead_letter: Any) -> dict[str, Any]:
    binding: dict[str, Any] = {"queue": _sqs_queue(name), "bindingVersion": SQS}
    if isinstance(dead_letter, str) and dead_letter:
        binding["deadLetterQueue"] = _sqs_queue(dead_letter)
    return binding


def _sqs_queue(name: str) -> dict[str, Any]:
    # The binding requires fifoQueue; AWS requires FIFO queue names to end in ".fifo".
    return {"name": name, "fifoQueue": name.endswith(".fifo")}


def receive_channel(
    channel: Mapping[str, Any], queue: str | None, dead_letter: str | None, fallback: str
) -> Channel:
    """The channel one consumer reads from: its own queue where the broker has queues."""
    broker = channel.get("broker")
    queue = queue or _only(channel.get("queues"))
    if queue and broker == "rabbitmq":
        return Channel(
            channel_id(f"queue.{queue}"),
            queue,
            {"amqp": {"is": "queue", "queue": {"name": queue}, "bindingVersion": AMQP}},
        )
    if queue and broker in ("sns+sqs", "sqs"):
        dlq = dead_letter or channel.get("deadLetterQueue")
        publish = publish_channel(channel, fallback)
        if broker == "sqs" and publish.address == queue:
            return publish
        return Channel(channel_id(f"queue.{queue}"), queue, {"sqs": sqs_binding(queue, dlq)})
    if broker == "redis-streams" and queue:
        stream = publish_channel(channel, fallback)
        return Channel(
            channel_id(f"{stream.address}.{queue}"),
            stream.address,
            {REDIS: {"stream": stream.address, "consumerGroup": queue}},
        )
    return publish_channel(channel, fallback)


def _only(value: Any) -> str | None:
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], str):
        return value[0]
    return None


def message_bindings(event_type: str | None, channel: Mapping[str, Any]) -> dict[str, Any]:
    broker = channel.get("broker")
    if broker == "rabbitmq" and event_type:
        return {"amqp": {"messageType": event_type, "bindingVersion": AMQP}}
    if broker == "kafka" and isinstance(channel.get("partitionKey"), str):
        key = {
            "type": "string",
            "description": f"The value of the payload's `{channel['partitionKey']}`.",
        }
        return {"kafka": {"key": key, "bindingVersion": KAFKA}}
    return {}


# -- import: bindings -> x-eventcat.channel ---------------------------------------------------


@dataclass
class Mapped:
    """What a channel's bindings say in ``x-eventcat.channel`` terms, and what they could not."""

    channel: dict[str, Any] = field(default_factory=dict)
    #: (JSON pointer, what was not mapped)
    skipped: list[tuple[str, str]] = field(default_factory=list)


_PROTOCOL_BROKERS = {
    "amqp": "rabbitmq",
    "amqps": "rabbitmq",
    "kafka": "kafka",
    "kafka-secure": "kafka",
    "sns": "sns",
    "sqs": "sqs",
    "http": "http",
    "https": "http",
}
_KNOWN = {"amqp", "kafka", "sns", "sqs", REDIS}


def map_channel(
    address: str, bindings: Mapping[str, Any], protocols: set[str], pointer: str
) -> Mapped:
    """Read one channel's address and bindings (``pointer`` locates the channel)."""
    found = Mapped()
    out = found.channel
    amqp = bindings.get("amqp")
    sns, sqs = bindings.get("sns"), bindings.get("sqs")
    kafka, redis = bindings.get("kafka"), bindings.get(REDIS)
    if isinstance(amqp, dict):
        out["broker"] = "rabbitmq"
        exchange = amqp.get("exchange")
        queue = amqp.get("queue")
        if amqp.get("is", "routingKey") == "queue":
            name = queue.get("name") if isinstance(queue, dict) else None
            out["queues"] = [name if isinstance(name, str) else address]
        else:
            out["routingKey"] = address
        if isinstance(exchange, dict) and isinstance(exchange.get("name"), str):
            out["exchange"] = exchange["name"]
            if exchange.get("type") in ("topic", "direct", "fanout", "headers"):
                out["exchangeType"] = exchange["type"]
    elif isinstance(sns, dict):
        out["broker"] = "sns+sqs" if isinstance(sqs, dict) else "sns"
        out["exchange"] = sns.get("name") if isinstance(sns.get("name"), str) else address
    elif isinstance(sqs, dict):
        out["broker"] = "sqs"
        queue = sqs.get("queue")
        name = queue.get("name") if isinstance(queue, dict) else None
        out["queues"] = [name if isinstance(name, str) else address]
        dlq = sqs.get("deadLetterQueue")
        if isinstance(dlq, dict) and isinstance(dlq.get("name"), str):
            out["deadLetterQueue"] = dlq["name"]
    elif isinstance(kafka, dict):
        out["broker"] = "kafka"
        out["topic"] = kafka.get("topic") if isinstance(kafka.get("topic"), str) else address
    elif isinstance(redis, dict):
        out["broker"] = "redis-streams"
        out["topic"] = redis.get("stream") if isinstance(redis.get("stream"), str) else address
    else:
        brokers = {_PROTOCOL_BROKERS.get(p) for p in protocols} - {None}
        if len(brokers) == 1:
            out["broker"] = brokers.pop()
        elif protocols:
            found.skipped.append(
                (
                    pointer,
                    f"protocol {', '.join(sorted(protocols))} has no eventcat broker; "
                    "the address is kept as channel.topic",
                )
            )
        if out.get("broker") == "rabbitmq":
            out["routingKey"] = address
        else:
            out["topic"] = address
    for name in sorted(bindings):
        if name not in _KNOWN and name != "bindingVersion":
            found.skipped.append(
                (f"{pointer}/bindings/{name}", f"{name} binding has no place in x-eventcat")
            )
    return found
