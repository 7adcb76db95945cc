"""Safe YAML for catalog.yaml: plain data only, no anchors or aliases, no duplicate keys.

PyYAML's SafeLoader already refuses arbitrary objects; on top of it aliases are refused (an alias
bomb expands to gigabytes when walked), duplicate keys are refused, and dates stay strings so that
the value validates as JSON would.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

import yaml

from eventcat.errors import InputError


class _StrictLoader(yaml.SafeLoader):
    pass


# Dates and times stay strings: catalog.yaml is validated as JSON data.
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _compose_node(self: _StrictLoader, parent: Any, index: Any) -> Any:
    if self.check_event(yaml.AliasEvent):
        event = self.peek_event()  # type: ignore[no-untyped-call]
        raise yaml.MarkedYAMLError(
            None,
            None,
            "anchors and aliases (*name) are not allowed in catalog.yaml; write the value out",
            event.start_mark,
        )
    event = self.peek_event()  # type: ignore[no-untyped-call]
    anchor = getattr(event, "anchor", None)
    if anchor is not None:
        raise yaml.MarkedYAMLError(
            None,
            None,
            f"anchors (&{anchor}) are not allowed in catalog.yaml; write the value out",
            event.start_mark,
        )
    return yaml.SafeLoader.compose_node(self, parent, index)


def _construct_mapping(self: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = self.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            raise yaml.MarkedYAMLError(
                None, None, f"keys must be strings, found {key!r}", key_node.start_mark
            )
        if key in seen:
            raise yaml.MarkedYAMLError(
                None, None, f"duplicate key {key!r}; keep one", key_node.start_mark
            )
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(self, node, deep=deep)


_StrictLoader.compose_node = _compose_node  # type: ignore[method-assign,assignment]
_StrictLoader.construct_mapping = _construct_mapping  # type: ignore[method-assign,assignment]


def parse_yaml(text: str, file: str) -> Any:
    """Parse one YAML document strictly; raise one located ``InputError`` on any problem.

    The result is the caller's own copy; the parse is kept per text (a gate run reads the same
    catalog.yaml for both sides, twice each, and the pure-Python strict loader is slow)."""
    return copy.deepcopy(_parsed(text, file))


@functools.lru_cache(maxsize=4)
def _parsed(text: str, file: str) -> Any:
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark is not None else None
        message = err.problem or err.context or "invalid YAML"
        raise _error(file, f"invalid YAML: {message}", line) from None
    except yaml.YAMLError as err:
        raise _error(file, f"invalid YAML: {err}", None) from None
    except RecursionError:
        raise _error(file, "invalid YAML: nested too deep", None) from None


def _error(file: str, message: str, line: int | None) -> InputError:
    error = InputError.at(message, rule="yaml-syntax", file=file, line=line)
    assert isinstance(error, InputError)
    return error


@functools.lru_cache(maxsize=2)
def _composed(text: str) -> Any:
    """The node tree of ``text``, once per text: lint locates every catalog.yaml finding in it,
    and composing it again per finding made many findings quadratic in the file's size."""
    try:
        return yaml.compose(text, Loader=_StrictLoader)
    except (yaml.YAMLError, RecursionError):
        return None


def yaml_line_of(text: str, pointer: str) -> int | None:
    """The 1-based line where the value at JSON ``pointer`` starts in YAML ``text``, if found.

    The deepest node that exists along the pointer is used, so a finding about a missing key
    points at the mapping that lacks it.
    """
    from eventcat.jsonpointer import split_pointer

    node = _composed(text)
    if node is None:
        return None
    # The line of the key (or sequence item) that holds the value: where a reader looks.
    line: int = node.start_mark.line + 1
    for token in split_pointer(pointer):
        child = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if getattr(key, "value", None) == token:
                    child, line = value, key.start_mark.line + 1
                    break
        elif (
            isinstance(node, yaml.SequenceNode) and token.isdigit() and int(token) < len(node.value)
        ):
            child = node.value[int(token)]
            line = child.start_mark.line + 1
        if child is None:
            break
        node = child
    return line
