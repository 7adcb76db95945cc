"""A catalog that lints clean but whose every free-text field tries to run script in the site."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import event_schema

MARK = "__pwned"
RUN = f"window.{MARK}=1"

XSS = [
    f"<script>{RUN}</script>",
    f'<img src=x onerror="{RUN}">',
    f"[click me](javascript:{RUN})",
    f'<a href="#" onclick="{RUN}">link</a>',
    f"<svg onload={RUN}></svg>",
    '<iframe src="http://evil.example/frame"></iframe>',
    "![tracker](http://evil.example/t.png)",
    f"</title><script>{RUN}</script>",
    f"</code></pre><script>{RUN}</script>",
    f'"]; click ev "javascript:{RUN}"',
    f"&lt;script&gt;{RUN}&lt;/script&gt;",
    "ECBLOCK0X",
]
TEXT = " ".join(XSS)


def _yaml(value: str) -> str:
    return json.dumps(value)  # a JSON string is a YAML double-quoted scalar


SETTINGS = f"""\
name: {_yaml("Evil " + XSS[0] + " catalog")}
description: {_yaml(TEXT)}
envelope:
  schema: _envelope/Envelope_v1.schema.json
  payloadProperty: payload
  typeProperty: type
teams:
  team-a:
    name: {_yaml(XSS[7])}
    description: {_yaml(TEXT)}
    slack: {_yaml(XSS[1])}
    email: {_yaml('x@example.com" onmouseover="' + RUN)}
domains:
  orders:
    name: {_yaml("Orders " + XSS[4])}
    description: {_yaml(TEXT)}
    owner: team-a
services:
  order-service:
    name: {_yaml(XSS[9])}
    description: {_yaml(TEXT)}
    owner: team-a
    repository: {_yaml("javascript:" + RUN)}
    technology: {_yaml(XSS[1])}
  billing-service:
    name: {_yaml(XSS[4])}
    owner: team-a
    repository: "https://git.example/billing"
"""


def hostile_event() -> dict[str, Any]:
    schema = event_schema(title=XSS[7], description=TEXT)
    schema["properties"]["note"] = {"type": "string", "description": TEXT, "default": XSS[8],
                                    "enum": [XSS[8], XSS[0], "plain"], "pattern": XSS[0]}
    schema["properties"][XSS[1]] = {"type": "string", "description": XSS[0]}
    schema["properties"]["choice"] = {"oneOf": [{"title": XSS[7], "type": "string"},
                                                {"title": XSS[4], "type": "integer"}]}
    schema["examples"][0]["note"] = XSS[8]
    meta = schema["x-eventcat"]
    meta["summary"] = TEXT
    meta["trigger"] = XSS[1]
    meta["category"] = XSS[7]
    meta["consumers"][0]["handler"] = XSS[9]
    meta["consumers"][0]["queue"] = XSS[8]
    meta["channel"] = {"broker": "rabbitmq", "exchange": XSS[0], "routingKey": XSS[9],
                       "deadLetterQueue": XSS[4]}
    meta["delivery"] = {"guarantee": "at-least-once", "retry": {"strategy": XSS[1], "maxAttempts": 3}}
    # the lifecycle banner shows the reason (a valid replacement: lint must stay clean)
    meta["lifecycle"] = {"status": "deprecated", "sunset": "2099-01-01",
                         "replacement": "orders.order_placed.v1", "reason": TEXT}
    return schema
