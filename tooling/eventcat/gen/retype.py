"""Give the generator's output the package's own types: strict models that keep JSON as sent.

datamodel-code-generator types ``format``ted strings with pydantic's and the standard library's
types (``AwareDatetime``, ``AnyUrl``, ``UUID`` …), which normalise what they parse, and
``number`` as ``float``, which turns ``5`` into ``5.0``. A message forwarded through a model
would change. This pass swaps each of those names for the package's string-keeping type from
``_base`` (``DateTime``, ``Uri``, ``Uuid`` …, ``Number`` for ``int | float``), and the root
``RootModel`` for ``EventRootModel`` (the same API as every other model).

The generator runs with ``use_missing_sentinel``, so a property that may be left out reads
``X | MISSING = MISSING`` and one that may also be ``null`` reads ``X | None | MISSING``: the
only place the generator tells the two apart. This pass turns them into ``X | None = None``,
the first with ``NotNull`` beside it, so that an explicit ``null`` is refused where the schema
refuses it while ``None`` still means "left out" to Python code.

Edits are made at the byte offsets of the syntax tree's nodes, so the generator's layout and
every string literal stay exactly as written (hand-written on purpose: ``ast.unparse`` would
re-quote and re-wrap every line it touches).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

#: (module, name) the generator imports -> the name of the package's ``_base`` type.
_REPLACED: dict[tuple[str, str], str] = {
    ("pydantic", "AwareDatetime"): "DateTime",
    ("datetime", "date"): "Date",
    ("datetime", "time"): "Time",
    ("datetime", "timedelta"): "Duration",
    ("pydantic", "AnyUrl"): "Uri",
    ("pydantic", "EmailStr"): "Email",
    ("uuid", "UUID"): "Uuid",
    ("ipaddress", "IPv4Address"): "IPv4",
    ("ipaddress", "IPv6Address"): "IPv6",
    ("pydantic", "RootModel"): "EventRootModel",
}
_MISSING = {("pydantic", "MISSING"), ("pydantic.experimental.missing_sentinel", "MISSING")}


@dataclass
class Retyped:
    """The rewritten text and how its leading import block must change."""

    text: str
    #: module -> import entries to add (``"Name"`` or ``"Name as Alias"``)
    add: dict[str, set[str]] = field(default_factory=dict)
    #: (module, entry) pairs to remove
    drop: set[tuple[str, str]] = field(default_factory=set)


class _Edits:
    """Replacements at byte offsets of the UTF-8 text, applied from the end backwards."""

    def __init__(self, text: str) -> None:
        self.data = text.encode("utf-8")
        self.starts = [0]
        for line in self.data.splitlines(keepends=True):
            self.starts.append(self.starts[-1] + len(line))
        self.edits: list[tuple[int, int, str]] = []

    def offset(self, line: int, column: int) -> int:
        return self.starts[line - 1] + column

    def start(self, node: ast.AST) -> int:
        return self.offset(node.lineno, node.col_offset)  # type: ignore[attr-defined]

    def end(self, node: ast.AST) -> int:
        return self.offset(node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]

    def replace(self, start: int, end: int, text: str) -> None:
        self.edits.append((start, end, text))

    def apply(self) -> str:
        data = self.data
        for start, end, text in sorted(self.edits, reverse=True):
            data = data[:start] + text.encode("utf-8") + data[end:]
        return data.decode("utf-8")


def _members(node: ast.expr) -> Iterator[ast.expr]:
    """The members of a ``A | B | C`` union, left to right."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        yield from _members(node.left)
        yield from _members(node.right)
    else:
        yield node


def retype(text: str, package: str) -> Retyped:
    """Swap the generator's normalising types for the package's own (see the module docstring)."""
    tree = ast.parse(text)
    base = f"{package}._base"
    bound: dict[str, tuple[str, str]] = {}
    entries: dict[str, tuple[str, str]] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and not node.level:
            for alias in node.names:
                local = alias.asname or alias.name
                bound[local] = (node.module or "", alias.name)
                entry = alias.name if alias.asname is None else f"{alias.name} as {alias.asname}"
                entries[local] = (node.module or "", entry)
    taken = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} | set(bound)
    taken |= {n.name for n in ast.walk(tree) if isinstance(n, ast.ClassDef)}
    result = Retyped(text)
    chosen: dict[str, str] = {}

    def local_name(name: str) -> str:
        """The name a ``_base`` type gets here: its own, unless the module already uses it."""
        if name not in chosen:
            candidate = name
            while candidate in taken:
                candidate += "_"
            taken.add(candidate)
            chosen[name] = candidate
            entry = name if candidate == name else f"{name} as {candidate}"
            result.add.setdefault(base, set()).add(entry)
        return chosen[name]

    edits = _Edits(text)
    called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    missing = {local for local, origin in bound.items() if origin in _MISSING}
    for name in ast.walk(tree):
        if not isinstance(name, ast.Name) or not isinstance(name.ctx, ast.Load):
            continue
        origin = bound.get(name.id)
        if origin in _REPLACED:
            edits.replace(edits.start(name), edits.end(name), local_name(_REPLACED[origin]))
            result.drop.add(entries[name.id])
        elif name.id == "float" and name.id not in bound and id(name) not in called:
            edits.replace(edits.start(name), edits.end(name), local_name("Number"))
    for local in missing:
        result.drop.add(entries[local])
    if missing:
        annotated = next((k for k, v in bound.items() if v == ("typing", "Annotated")), None)
        for field_ in ast.walk(tree):
            if (
                isinstance(field_, ast.AnnAssign)
                and isinstance(field_.value, ast.Name)
                and field_.value.id in missing
            ):
                if annotated is None:
                    annotated = "Annotated"
                    result.add.setdefault("typing", set()).add("Annotated")
                _optional(field_, field_.value.id, edits, annotated, lambda: local_name("NotNull"))
    result.text = edits.apply()
    return result


def _optional(
    node: ast.AnnAssign, missing: str, edits: _Edits, annotated: str, not_null: Callable[[], str]
) -> None:
    """``X | MISSING = MISSING`` -> ``Annotated[X | None, NotNull] = None``; with ``None`` among
    the members (or ``Any``, which holds it) the field is nullable: ``X | None = None``."""
    assert node.value is not None
    edits.replace(edits.start(node.value), edits.end(node.value), "None")
    annotation = node.annotation
    metadata: list[ast.expr] = []
    inner = annotation
    if (
        isinstance(annotation, ast.Subscript)
        and isinstance(annotation.value, ast.Name)
        and annotation.value.id == annotated
        and isinstance(annotation.slice, ast.Tuple)
    ):
        inner, *metadata = annotation.slice.elts
    members = list(_members(inner))
    nullable = any(
        (isinstance(m, ast.Constant) and m.value is None)
        or (isinstance(m, ast.Name) and m.id == "Any")
        for m in members
    )
    flag = next((m for m in members if isinstance(m, ast.Name) and m.id == missing), None)
    if flag is None:
        return
    if not nullable:
        edits.replace(edits.start(flag), edits.end(flag), "None")
        if metadata:
            last = edits.end(metadata[-1])
            if edits.data[last : last + 2] == b",\n":  # one item a line: NotNull gets its own
                indent = " " * metadata[-1].col_offset
                edits.replace(last + 1, last + 1, f"\n{indent}{not_null()},")
            else:
                edits.replace(last, last, f", {not_null()}")
        else:
            edits.replace(edits.start(inner), edits.start(inner), f"{annotated}[")
            edits.replace(edits.end(inner), edits.end(inner), f", {not_null()}]")
        return
    index = members.index(flag)
    if index == 0:  # "MISSING | X": drop it and the operator after it
        edits.replace(edits.start(flag), edits.start(members[1]), "")
    else:
        edits.replace(edits.end(members[index - 1]), edits.end(flag), "")
