"""The state of one comparison and the located context handed to every handler.

Handlers never build locations themselves: they ask the context for a child context (``at``) and
for a change at the current place (``diff``). Three locations travel together: Confluent's path
(``#/properties/a``, in Confluent's naming even for 2020-12 keywords) and the real JSON pointers
into the old and the new document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from eventcat.errors import SchemaError

if TYPE_CHECKING:
    from eventcat.compat.schema import Node

# Deep enough for any real event schema, shallow enough to stay far from Python's recursion
# limit (each level costs a handful of frames).
MAX_DEPTH = 120
# Places visited per comparison (child contexts made, counted over every fixpoint pass): far above
# what real event schemas need (GitHub's largest webhook payload takes a few thousand), low enough
# that a hostile schema (nested oneOf, width 6, depth 5) ends in seconds with an "unknown" answer.
# Counting steps, not seconds, keeps the answer reproducible.
MAX_STEPS = 300_000


class BudgetExceeded(Exception):
    """The comparison visited more places than ``MAX_STEPS`` allows."""

    def __init__(self, pointer: str) -> None:
        super().__init__(f"the comparison exceeded its budget of {MAX_STEPS} steps at {pointer}")
        self.pointer = pointer


class Diff(NamedTuple):
    """A change found by a handler, before the report turns it into a public ``Change``."""

    type: str
    path: str
    old_ptr: str
    new_ptr: str
    old: Node | None
    new: Node | None


Key = tuple[int, int, bool]
SharedKey = tuple[int, str, int, str, bool]


@dataclass
class Shared:
    """Comparisons of two ``$ref`` targets that hold in any context, shared across the
    comparisons between the same two catalog sides with the same options: a gate run that
    compares 30 events embedding one changed fragment walks the fragment pair once, not 30 times.

    Only results computed without an optimistic assumption about a pair still being compared
    (recursion) are kept, so each entry is exactly what a fresh comparison would find. Entries
    are keyed by the ids of the raw schemas and their base URIs; the raws are kept alive here so
    an id is never reused while its entry exists.
    """

    memo: dict[SharedKey, tuple[Ctx, list[Diff]]] = field(default_factory=dict)
    pinned: list[object] = field(default_factory=list)
    #: the inclusion prover's settled answers (compat.subset.Prover.memo), keyed the same way
    proofs: dict[tuple[object, ...], bool] = field(default_factory=dict)


@dataclass
class Engine:
    """Per-comparison state: the options, the memo of compared pairs and the fixpoint sets."""

    sound: bool
    lenient: bool
    compatible: frozenset[str]
    strict_compatible: frozenset[str]
    compare: Callable[[Ctx, Node | None, Node | None], list[Diff]]
    memo: dict[Key, tuple[Ctx, list[Diff]]] = field(default_factory=dict)
    running: set[Key] = field(default_factory=set)
    assumed: set[Key] = field(default_factory=set)
    known_bad: dict[Key, tuple[Ctx, list[Diff]]] = field(default_factory=dict)
    steps: int = 0
    shared: Shared | None = None
    #: times a running pair was answered by assumption (what makes a result context-dependent)
    assumptions: int = 0


class Ctx:
    __slots__ = ("depth", "eng", "lenient", "new_ptr", "old_ptr", "path")

    def __init__(
        self, eng: Engine, path: str, old_ptr: str, new_ptr: str, depth: int, lenient: bool
    ) -> None:
        self.eng = eng
        self.path = path
        self.old_ptr = old_ptr
        self.new_ptr = new_ptr
        self.depth = depth
        # The tolerant reader applies at plain object positions only; inside not/combinators the
        # engine compares strictly (see docs/rules/compat-disagreements.md).
        self.lenient = lenient

    @property
    def sound(self) -> bool:
        return self.eng.sound

    def at(self, segment: str | None, old: str | None = None, new: str | None = None) -> Ctx:
        """A child context: ``segment`` extends Confluent's path (None keeps it), ``old``/``new``
        extend the real pointers (default: the same segment; "" keeps the pointer)."""
        if self.depth >= MAX_DEPTH:
            raise SchemaError.at(
                f"the schemas nest deeper than {MAX_DEPTH} levels here; eventcat refuses to "
                "compare absurdly deep schemas",
                rule="schema",
                pointer=self.new_ptr,
            )
        self._step()
        path = self.path if segment is None else _join(self.path, segment)
        o = (segment or "") if old is None else old
        n = (segment or "") if new is None else new
        return Ctx(
            self.eng,
            path,
            self.old_ptr + _ptr(o),
            self.new_ptr + _ptr(n),
            self.depth + 1,
            self.lenient,
        )

    def member(self, keyword: str, name: str) -> Ctx:
        """The context of ``keyword/name`` (a property, a dependency, a pattern)."""
        segment = f"{keyword}/{name}"
        escaped = (
            segment
            if name.__class__ is str and "~" not in name and "/" not in name
            else f"{keyword}/{name.replace('~', '~0').replace('/', '~1')}"
        )
        if self.depth >= MAX_DEPTH:
            return self.at(segment)  # raises
        self._step()
        # What ``at(segment, escaped, escaped)`` builds, without its general cases.
        path = self.path
        return Ctx(
            self.eng,
            path + segment if path.endswith("/") else f"{path}/{segment}",
            f"{self.old_ptr}/{escaped}",
            f"{self.new_ptr}/{escaped}",
            self.depth + 1,
            self.lenient,
        )

    def _step(self) -> None:
        eng = self.eng
        eng.steps += 1
        if eng.steps > MAX_STEPS:
            raise BudgetExceeded(self.new_ptr)

    def strict(self) -> Ctx:
        if not self.lenient:
            return self
        return Ctx(self.eng, self.path, self.old_ptr, self.new_ptr, self.depth, False)

    def diff(
        self,
        type_: str,
        old: Node | None = None,
        new: Node | None = None,
        segment: str | None = None,
    ) -> Diff:
        if not segment:  # None or "": the current place
            return Diff(type_, self.path, self.old_ptr, self.new_ptr, old, new)
        tail = "/" + segment
        path = self.path
        return Diff(
            type_,
            path + segment if path.endswith("/") else path + tail,
            self.old_ptr + tail,
            self.new_ptr + tail,
            old,
            new,
        )

    def compare(self, old: Node | None, new: Node | None) -> list[Diff]:
        return self.eng.compare(self, old, new)

    def ok(self, diffs: Iterable[Diff]) -> bool:
        """Whether these changes are compatible under the comparison's rules and policy."""
        allowed = (
            self.eng.compatible if self.lenient == self.eng.lenient else self.eng.strict_compatible
        )
        return all(d.type in allowed for d in diffs)

    def unknown(self, pointer: str) -> Diff:
        """A keyword whose effect is not modelled (sound rules: the verdict becomes unknown)."""
        return Diff(
            "KEYWORD_NOT_MODELLED",
            _join(self.path, pointer.rsplit("/", 1)[-1]),
            pointer,
            pointer,
            None,
            None,
        )


def _join(path: str, segment: str) -> str:
    if not segment:
        return path
    return path + segment if path.endswith("/") else f"{path}/{segment}"


def _ptr(segment: str) -> str:
    # Segments are already pointer text: handlers escape member names (see ``member``).
    return "/" + segment if segment else ""


def rebase(diffs: Iterable[Diff], ctx: Ctx, base: Ctx) -> Iterator[Diff]:
    """Re-locate memoised changes found under ``base`` to ``ctx`` (the same pair, reached again)."""
    for d in diffs:
        yield d._replace(
            path=_join(ctx.path, d.path[len(base.path) :].lstrip("/"))
            if d.path.startswith(base.path)
            else d.path,
            old_ptr=ctx.old_ptr + d.old_ptr[len(base.old_ptr) :]
            if d.old_ptr.startswith(base.old_ptr)
            else d.old_ptr,
            new_ptr=ctx.new_ptr + d.new_ptr[len(base.new_ptr) :]
            if d.new_ptr.startswith(base.new_ptr)
            else d.new_ptr,
        )
