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
    schema["properties"]["note"] = {
        "type": "string",
        "description": TEXT,
        "default": XSS[8],
        "enum": [XSS[8], XSS[0], "plain"],
        "pattern": XSS[0],
    }
    schema["properties"][XSS[1]] = {"type": "string", "description": XSS[0]}
    schema["properties"]["choice"] = {
        "oneOf": [{"title": XSS[7], "type": "string"}, {"title": XSS[4], "type": "integer"}]
    }
    schema["examples"][0]["note"] = XSS[8]
    meta = schema["x-eventcat"]
    meta["summary"] = TEXT
    meta["trigger"] = XSS[1]
    meta["category"] = XSS[7]
    meta["consumers"][0]["handler"] = XSS[9]
    meta["consumers"][0]["queue"] = XSS[8]
    meta["channel"] = {
        "broker": "rabbitmq",
        "exchange": XSS[0],
        "routingKey": XSS[9],
        "deadLetterQueue": XSS[4],
    }
    meta["delivery"] = {
        "guarantee": "at-least-once",
        "retry": {"strategy": XSS[1], "maxAttempts": 3},
    }
    # the lifecycle banner shows the reason (a valid replacement: lint must stay clean)
    meta["lifecycle"] = {
        "status": "deprecated",
        "sunset": "2099-01-01",
        "replacement": "orders.order_placed.v1",
        "reason": TEXT,
    }
    return schema


# Notebooks come from pull requests too: hostile names, titles, Markdown, and stored outputs.
NOTEBOOK_NAMES = [
    f"x<img src=x onerror={RUN}>.ipynb",
    f"[click me](javascript:{RUN}).ipynb",
    "index.ipynb",  # would replace the notebooks index page
]
SVG_OUTPUT = (
    f'<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40" onload="{RUN}">'
    f"<script>{RUN}</script>"
    f'<a href="javascript:{RUN}"><text x="4" y="20">kept svg text</text></a>'
    '<image href="http://evil.example/i.png" width="5" height="5"/>'
    '<use href="http://evil.example/u.svg#a"/>'
    '<rect width="5" height="5" fill="url(http://evil.example/p.svg#p)"/>'
    f'<foreignObject><iframe src="http://evil.example/frame"></iframe><div onclick="{RUN}">f</div></foreignObject>'
    f'<set attributeName="onmouseover" to="{RUN}"/>'
    f'<animate attributeName="href" to="javascript:{RUN}"/>'
    "<style>@import url(http://evil.example/s.css);</style>"
    "</svg>"
)
HTML_OUTPUT = (
    "<table><tr><td>kept html cell</td></tr></table>"
    + "".join(XSS)
    + "<style>body{background:url(http://evil.example/b.png)}</style>"
    + '<img src="http://evil.example/t.png">'
    + f'<div style="background:url(http://evil.example/d.png)" onmouseover="{RUN}">styled</div>'
    + f'<form action="javascript:{RUN}"><button formaction="javascript:{RUN}">go</button></form>'
    + f'<a href="data:text/html,<script>{RUN}</script>">data</a>'
    + f'<a href="vbscript:{RUN}">vb</a><a href=" JaVa&#x09;ScRiPt:{RUN}">tab</a>'
    + '<link rel="stylesheet" href="http://evil.example/l.css"><meta http-equiv="refresh" content="0;url=http://evil.example/">'
)


def hostile_notebook() -> str:
    """An nbformat 4 notebook whose title, Markdown and stored outputs all try to run script."""
    cells: list[dict[str, Any]] = [
        {
            "cell_type": "markdown",
            "id": "title",
            "metadata": {},
            "source": f"# [click me](javascript:{RUN}) <img src=x onerror={RUN}>\n\n"
            + "\n\n".join(XSS),
        },
        {
            "cell_type": "code",
            "id": "code",
            "metadata": {},
            "execution_count": 1,
            "source": f"</code></pre><script>{RUN}</script>",
            "outputs": [
                {
                    "output_type": "display_data",
                    "metadata": {},
                    "data": {"image/svg+xml": SVG_OUTPUT, "text/plain": "<svg>"},
                },
                {
                    "output_type": "execute_result",
                    "execution_count": 1,
                    "metadata": {},
                    "data": {"text/html": HTML_OUTPUT, "text/plain": "table"},
                },
                {
                    "output_type": "display_data",
                    "metadata": {},
                    "data": {"text/html": f"<script>{RUN}</script>", "text/plain": "only script"},
                },
                {"output_type": "stream", "name": "stdout", "text": f"<script>{RUN}</script>"},
                {
                    "output_type": "error",
                    "ename": f"<img src=x onerror={RUN}>",
                    "evalue": XSS[0],
                    "traceback": [],
                },
            ],
        },
    ]
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells})
