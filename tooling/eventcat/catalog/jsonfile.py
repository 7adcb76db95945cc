"""Strict JSON reading: UTF-8 only, no duplicate keys, no NaN, bounded depth, located errors.

Reading returns the parsed value or raises :class:`eventcat.errors.InputError` whose single
finding names the file, the line and the rule. ``line_of`` finds the line a JSON pointer starts on
by scanning the text again; it only runs when a finding needs a line.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any

from eventcat.errors import InputError
from eventcat.jsonpointer import escape, split_pointer

#: Deeper documents are refused: JSON Schema nested this deep is an attack, not a design.
MAX_DEPTH = 128
#: Larger files are refused before parsing (a payload schema is a few kilobytes).
MAX_BYTES = 8 * 1024 * 1024


class _DuplicateKeyError(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(key)
        result[key] = value
    return result


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


class _HugeNumberError(ValueError):
    def __init__(self, literal: str) -> None:
        super().__init__(literal)
        self.literal = literal


def _finite(literal: str) -> float:
    # Python reads 1e400 as infinity without a word; every other tool reads something else.
    value = float(literal)
    if math.isinf(value):
        raise _HugeNumberError(literal)
    return value


def _fail(
    file: str, rule: str, message: str, line: int | None = None, pointer: str = ""
) -> InputError:
    error = InputError.at(message, rule=rule, file=file, line=line, pointer=pointer)
    assert isinstance(error, InputError)
    return error


def decode_text(data: bytes, file: str) -> str:
    """Decode UTF-8 (a BOM is tolerated) or raise an ``encoding`` error naming the line."""
    if len(data) > MAX_BYTES:
        raise _fail(file, "file-too-large", f"file is {len(data)} bytes; the limit is {MAX_BYTES}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise _fail(
            file,
            "encoding",
            f"not UTF-8: byte 0x{data[err.start]:02x} at offset {err.start}; save the file as UTF-8",
            line=line,
        ) from None


def parse_json(text: str, file: str) -> Any:
    """Parse JSON text strictly; raise one located ``InputError`` on any problem."""
    if not text.strip():
        raise _fail(file, "json-syntax", "the file is empty; a schema file holds one JSON object")
    try:
        value = json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_constant=_no_constants,
            parse_float=_finite,
        )
    except _HugeNumberError as err:
        raise _fail(
            file,
            "json-syntax",
            f"the number {err.literal[:40]} is too large for any JSON parser to read as a "
            "number (it becomes infinity); write a plainer value",
            line=_line_of_text(text, err.literal),
        ) from None
    except _DuplicateKeyError as err:
        line = _line_of_duplicate(text, err.key)
        raise _fail(
            file,
            "json-duplicate-key",
            f"duplicate key {err.key!r}: JSON parsers disagree on which value wins; keep one",
            line=line,
        ) from None
    except json.JSONDecodeError as err:
        raise _fail(
            file,
            "json-syntax",
            f"invalid JSON: {err.msg} (line {err.lineno}, column {err.colno})",
            line=err.lineno,
        ) from None
    except RecursionError:
        raise _fail(
            file,
            "nesting-too-deep",
            f"nested deeper than {MAX_DEPTH} levels; flatten it with $defs",
        ) from None
    except ValueError as err:  # NaN / Infinity
        raise _fail(file, "json-syntax", f"invalid JSON: {err}") from None
    pointer = too_deep(value)
    if pointer is not None:
        raise _fail(
            file,
            "nesting-too-deep",
            f"nested deeper than {MAX_DEPTH} levels; flatten it with $defs",
            pointer=pointer,
            line=line_of(text, pointer),
        )
    return value


def read_json(data: bytes, file: str) -> tuple[Any, str]:
    """Decode and parse a JSON file's bytes; returns the value and the text."""
    text = decode_text(data, file)
    return parse_json(text, file), text


def too_deep(value: Any, limit: int = MAX_DEPTH) -> str | None:
    """Return the pointer of the first value nested deeper than ``limit``, else None."""
    if _depth_within(value, limit):
        return None  # the common case, decided without building a pointer per value
    stack: list[tuple[Any, int, str]] = [(value, 0, "")]
    while stack:
        node, depth, pointer = stack.pop()
        if depth > limit:
            return pointer
        if isinstance(node, dict):
            stack.extend((v, depth + 1, f"{pointer}/{escape(k)}") for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, depth + 1, f"{pointer}/{i}") for i, v in enumerate(node))
    return None


def _depth_within(value: Any, limit: int) -> bool:
    level: list[Any] = [value]
    for _ in range(limit + 1):
        below: list[Any] = []
        for node in level:
            if isinstance(node, dict):
                below.extend(node.values())
            elif isinstance(node, list):
                below.extend(node)
        if not below:
            return True
        level = below
    return False


def _line_of_text(text: str, needle: str) -> int | None:
    at = text.find(needle)
    return text.count("\n", 0, at) + 1 if at >= 0 else None


def _line_of_duplicate(text: str, key: str) -> int | None:
    needle = json.dumps(key)
    seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if f"{needle}" in line and line.split(needle, 1)[1].lstrip().startswith(":"):
            seen += 1
            if seen == 2:
                return number
    return None


# --- pointer -> line --------------------------------------------------------------------------

_WS = " \t\r\n"


def _tokens(text: str) -> Iterator[tuple[str, Any, int]]:
    """Yield (kind, value, offset) for the structural tokens of valid JSON text."""
    decoder = json.JSONDecoder()
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in _WS:
            i += 1
        elif ch in "{}[]:,":
            yield ch, None, i
            i += 1
        elif ch == '"':
            end = i + 1
            while True:
                end = text.index('"', end)
                backslashes = 0
                while text[end - 1 - backslashes] == "\\":
                    backslashes += 1
                if backslashes % 2 == 0:
                    break
                end += 1
            yield "str", json.loads(text[i : end + 1]), i
            i = end + 1
        else:
            _, end = decoder.raw_decode(text, i)
            yield "scalar", None, i
            i = end


def line_of(text: str, pointer: str) -> int | None:
    """The 1-based line where the value at ``pointer`` starts in JSON ``text``, if it exists."""
    target = split_pointer(pointer)
    if not target:
        return 1
    path: list[str] = []
    # Each frame: [container kind, current key or index, expecting key]
    frames: list[list[Any]] = []
    pending_key: str | None = None
    try:
        for kind, value, offset in _tokens(text):
            is_key = kind == "str" and frames and frames[-1][0] == "{" and frames[-1][2]
            if kind in ("{", "[", "str", "scalar") and not is_key and path == target:
                return text.count("\n", 0, offset) + 1
            if kind == "{":
                frames.append(["{", None, True])
            elif kind == "[":
                frames.append(["[", 0, False])
                path.append("0")
            elif kind == "str" and frames and frames[-1][0] == "{" and frames[-1][2]:
                pending_key = value
                frames[-1][2] = False
            elif kind == ":":
                assert pending_key is not None
                path.append(pending_key)
            elif kind == ",":
                frame = frames[-1]
                if frame[0] == "{":
                    path.pop()
                    frame[2] = True
                else:
                    frame[1] += 1
                    path[-1] = str(frame[1])
            elif kind in "}]":
                frame = frames.pop()
                # An empty object put no key on the path; every array put an index.
                if ((frame[0] == "{" and not frame[2]) or frame[0] == "[") and path:
                    path.pop()
    except (ValueError, IndexError, AssertionError):
        return None
    return None
