"""Append declarations to catalog.yaml without rewriting it.

A YAML round-trip library would re-indent and re-quote the whole file; the file is hand-written
and commented, so new entries are inserted as text at the end of their section (hand-written on
purpose: PyYAML cannot preserve comments) and the result is parsed back and checked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml

from eventcat.catalog.yamlfile import parse_yaml
from eventcat.errors import InputError

_TOP_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:(?P<rest>.*)$")


def render_entries(entries: Mapping[str, Any], indent: int) -> list[str]:
    text = yaml.safe_dump(
        dict(entries), sort_keys=False, allow_unicode=True, default_flow_style=False, width=100
    )
    pad = " " * indent
    return [pad + line if line else line for line in text.splitlines()]


def append_entries(text: str, additions: Mapping[str, Mapping[str, Any]]) -> str:
    """``text`` with each ``additions[section]`` mapping appended to that top-level section.

    Raises ``InputError`` when the result does not parse to the expected data (then the file is
    laid out in a way this editor does not understand; nothing is written)."""
    before = parse_yaml(text, "catalog.yaml") if text.strip() else {}
    before = before if isinstance(before, dict) else {}
    lines = text.splitlines()
    for section, entries in additions.items():
        if entries:
            lines = _append(lines, section, entries)
    result = "\n".join(lines) + "\n"
    expected = dict(before)
    for section, entries in additions.items():
        if entries:
            current = expected.get(section)
            merged = dict(current) if isinstance(current, dict) else {}
            merged.update(entries)
            expected[section] = merged
    if parse_yaml(result, "catalog.yaml") != expected:
        raise InputError.at(
            f"cannot add {', '.join(s for s, e in additions.items() if e)} to catalog.yaml "
            "without rewriting it; declare them by hand and import again",
            rule="import-catalog-yaml",
            file="catalog.yaml",
        )
    return result


def _append(lines: list[str], section: str, entries: Mapping[str, Any]) -> list[str]:
    start = None
    for index, line in enumerate(lines):
        match = _TOP_KEY.match(line)
        if match and match["key"] == section:
            start = index
            rest = match["rest"].split("#", 1)[0].strip()
            if rest in ("{}", "null", "~"):  # an empty section written inline
                lines = [*lines[:index], f"{section}:", *lines[index + 1 :]]
            break
    if start is None:
        tail = [""] if lines and lines[-1].strip() else []
        return [*lines, *tail, f"{section}:", *render_entries(entries, 2)]
    end = start + 1
    indent = None
    last = start
    while end < len(lines):
        line = lines[end]
        if line.strip() and not line.startswith((" ", "\t", "#")):
            break  # the next top-level key
        if line.strip() and not line.lstrip().startswith("#"):
            last = end
            if indent is None:
                indent = len(line) - len(line.lstrip(" "))
        end += 1
    new = render_entries(entries, indent or 2)
    return [*lines[: last + 1], *new, *lines[last + 1 :]]
