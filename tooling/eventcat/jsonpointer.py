"""JSON Pointer (RFC 6901) tokens: the one place that escapes, unescapes and splits them.

Hand-written on purpose: three one-line functions on hot paths (the compat engine builds a pointer
for every node it visits); a library call would cost more than it saves.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def escape(token: str) -> str:
    """One reference token, escaped: ``~`` → ``~0``, ``/`` → ``~1``."""
    return token.replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def split_pointer(pointer: str) -> list[str]:
    """The unescaped tokens of ``pointer`` (a leading ``#`` of a URI fragment is allowed)."""
    pointer = pointer.removeprefix("#")
    if not pointer:
        return []
    return [unescape(t) for t in pointer.removeprefix("/").split("/")]


def join_pointer(tokens: Iterable[str | int]) -> str:
    """The pointer made of ``tokens`` (``""`` for none)."""
    return "".join(f"/{escape(str(t))}" for t in tokens)


def node_at(document: Any, pointer: str) -> tuple[bool, Any]:
    """``(True, value)`` at ``pointer`` in a parsed JSON ``document``, ``(False, None)`` if absent."""
    node = document
    for token in split_pointer(pointer):
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False, None
    return True, node
