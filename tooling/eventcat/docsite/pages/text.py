"""Short inline texts several page kinds show (a channel, delivery, retry, a metadata delta).

They are composed with :class:`markupsafe.Markup` (``format`` and ``join`` escape every argument
that is not Markup itself), so no catalog text reaches them unescaped.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from eventcat.docsite.html import code

_SEP = Markup(" · ")


def muted(text: Any) -> Markup:
    return Markup('<span class="ec-muted">{}</span>').format(text)


def channel_text(channel: Any) -> Markup:
    if not channel:
        return Markup("")
    parts: list[Any] = []
    if isinstance(channel.get("broker"), str):
        parts.append(channel["broker"])
    if isinstance(channel.get("exchange"), str):
        kind = (
            f" ({channel['exchangeType']})" if isinstance(channel.get("exchangeType"), str) else ""
        )
        parts.append(Markup("exchange {}{}").format(code(channel["exchange"]), kind))
    if isinstance(channel.get("topic"), str):
        parts.append(Markup("topic {}").format(code(channel["topic"])))
    if isinstance(channel.get("routingKey"), str):
        parts.append(Markup("routing key {}").format(code(channel["routingKey"])))
    queues = channel.get("queues")
    if isinstance(queues, list) and queues:
        parts.append(
            Markup("queues ") + Markup(", ").join(code(q) for q in queues if isinstance(q, str))
        )
    if isinstance(channel.get("partitionKey"), str):
        parts.append(Markup("partition key {}").format(code(channel["partitionKey"])))
    return _SEP.join(parts)


def delivery_text(delivery: Any) -> Markup:
    parts: list[Any] = []
    if isinstance(delivery.get("guarantee"), str):
        parts.append(delivery["guarantee"])
    if isinstance(delivery.get("ordering"), str):
        parts.append(f"ordering {delivery['ordering']}")
    if isinstance(delivery.get("idempotencyKey"), str):
        parts.append(Markup("idempotency key {}").format(code(delivery["idempotencyKey"])))
    if isinstance(delivery.get("timeoutMs"), int):
        parts.append(f"timeout {duration(delivery['timeoutMs'])}")
    return _SEP.join(parts) or Markup("—")


def retry_text(retry: Any) -> Markup:
    parts: list[str] = []
    if isinstance(retry.get("backoff"), str):
        parts.append(f"{retry['backoff']} backoff")
    if isinstance(retry.get("maxAttempts"), int):
        parts.append(f"{retry['maxAttempts']} attempts")
    low, high = retry.get("initialDelayMs"), retry.get("maxDelayMs")
    if isinstance(low, int) and isinstance(high, int):
        parts.append(f"{duration(low)} → {duration(high)}")
    text = Markup(", ").join(parts)
    if isinstance(retry.get("strategy"), str):
        text += (Markup("<br>") if text else Markup("")) + muted(retry["strategy"])
    return text or Markup("—")


def duration(ms: int) -> str:
    if ms >= 60000 and ms % 60000 == 0:
        return f"{ms // 60000} min"
    if ms >= 1000 and ms % 1000 == 0:
        return f"{ms // 1000} s"
    return f"{ms} ms"


def delta(old: Any, new: Any) -> Markup:
    """A changed metadata value, short: list items added and removed (consumers by service),
    else the two values."""
    if isinstance(old, list) and isinstance(new, list):

        def keyed(items: list[Any]) -> dict[str, Any]:
            return {
                (
                    item["service"]
                    if isinstance(item, dict) and isinstance(item.get("service"), str)
                    else json.dumps(item, sort_keys=True, ensure_ascii=False)
                ): item
                for item in items
            }

        before, after = keyed(old), keyed(new)
        parts = [Markup("+") + code(_short(k)) for k in after if k not in before]
        parts += [Markup("−") + code(_short(k)) for k in before if k not in after]
        changed = [k for k in after if k in before and after[k] != before[k]]
        if changed:
            parts.append(Markup("changed ") + Markup(", ").join(code(_short(k)) for k in changed))
        if parts:
            return Markup(" ").join(parts)
    return Markup("{} → {}").format(_value(old), _value(new))


def _short(text: str) -> str:
    return text if len(text) <= 80 else text[:79] + "…"


def _value(value: Any) -> Markup:
    """A metadata value, short: ``—`` when absent, else its JSON (cut at 80 characters)."""
    if value is None:
        return muted("—")
    return code(_short(json.dumps(value, ensure_ascii=False)))
