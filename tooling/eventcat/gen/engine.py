"""Run datamodel-code-generator in-process on prepared jobs, one module each, over a process pool.

The generator is imported lazily (it costs ~1 s) and only when some module must be regenerated.
Its output is checked before it is written (:func:`eventcat.gen.safety.check_module`): it must
compile as the interpreter will read it and hold nothing but what the generator emits.
"""

from __future__ import annotations

import ast
import contextlib
import multiprocessing
import os
import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any

from eventcat.gen.jobs import ENGINE_VERSION, GenerationError, Job
from eventcat.gen.retype import retype
from eventcat.gen.safety import FILE_HEADER, check_module
from eventcat.report.findings import Finding, Severity

__all__ = ["ENGINE_VERSION", "Generated", "GenerationError", "Generators", "generate_one"]

#: Fewer changed modules than this are generated in this process (a pool costs ~1 s to start).
POOL_THRESHOLD = 24


@dataclass(frozen=True)
class Generated:
    relpath: str
    digest: str
    text: str


def _options(job: Job) -> dict[str, Any]:
    from datamodel_code_generator.enums import DataModelType, InputFileType
    from datamodel_code_generator.format import PythonVersion

    return {
        "input_file_type": InputFileType.JsonSchema,
        "output_model_type": DataModelType.PydanticV2BaseModel,
        "target_python_version": PythonVersion.PY_311,
        "class_name": job.class_name,
        "base_class": job.base_class,
        "custom_file_header": job.header,
        "disable_timestamp": True,
        "formatters": ["builtin"],
        "use_double_quotes": True,
        "use_annotated": True,
        "field_constraints": True,
        "use_standard_collections": True,
        "use_union_operator": True,
        "use_schema_description": True,
        "enum_field_as_literal": "all",
        "use_unique_items_as_set": False,
        # a property that may be left out reads "X | MISSING", apart from one that may be null
        # (retype turns both into "X | None", the first refusing an explicit null)
        "use_missing_sentinel": True,
        "strict_nullable": True,
        "capitalise_enum_members": False,
        "allow_remote_refs": False,
    }


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _split_lines(source: str) -> list[str]:
    """Lines with their ends, split on CR, LF and CRLF only (not form feed), in linear time."""
    return _LINE.findall(source)


def _linear_formatter() -> None:
    """Replace the pinned generator's line splitter, which is quadratic in a line's length.

    Its builtin formatter grows each line one character at a time; a schema with a 1.6 MB
    description or enum value then kept gen busy for minutes. Same result, linear time (the
    generator is pinned in ENGINE_VERSION, so the replaced function cannot move under us).
    """
    from datamodel_code_generator import _builtin_formatter

    if hasattr(_builtin_formatter, "_splitlines_no_ff"):
        _builtin_formatter._splitlines_no_ff = _split_lines


def generate_one(job: Job) -> Generated:
    """Generate one module's text (runs in a worker process or in this one)."""
    from datamodel_code_generator import generate

    _linear_formatter()

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            output = generate(job.schema, **_options(job))
    except Exception as err:  # the generator raises many types; report which file, not a trace
        message = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise GenerationError(
            [
                Finding(
                    file=job.source,
                    rule="gen-failed",
                    severity=Severity.ERROR,
                    message=f"cannot generate Python from this schema: "
                    f"{type(err).__name__}: {message}",
                )
            ]
        ) from None
    if not isinstance(output, str):
        raise GenerationError(
            [
                Finding(
                    file=job.source,
                    rule="gen-failed",
                    severity=Severity.ERROR,
                    message="the generator returned several modules for one schema file",
                )
            ]
        )
    text = finish(output, job)
    return Generated(job.relpath, job.digest, text)


def finish(output: str, job: Job) -> str:
    """Add the module constants and check the code before anything is written."""
    retyped = retype(output.rstrip() + "\n", job.package)
    text = retyped.text
    add = retyped.add
    if job.trailer:
        text += job.trailer
        add.setdefault("typing", set()).add("Final")
    text = sort_imports(text, job.package, add=add, drop=retyped.drop)
    check_code(text, job)
    return text


_STDLIB = frozenset(
    {
        "typing",
        "datetime",
        "uuid",
        "decimal",
        "enum",
        "ipaddress",
        "collections",
        "collections.abc",
        "re",
    }
)


def sort_imports(
    text: str,
    package: str,
    add: Mapping[str, set[str]] | None = None,
    drop: set[tuple[str, str]] | None = None,
) -> str:
    """Rewrite the leading import block the way ruff's isort rules want it.

    Sections: ``__future__``, standard library, third party (pydantic), the package itself;
    names merged per module, constants before classes before functions; ``add`` adds import
    entries per module, ``drop`` removes (module, entry) pairs.
    """
    tree = ast.parse(text)
    imports: list[ast.ImportFrom] = []
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and not node.level:
            imports.append(node)
        elif isinstance(node, ast.Import):
            return text  # the generator only writes from-imports; leave anything else alone
        else:
            break
    if not imports:
        return text
    names: dict[str, set[str]] = {}
    for node in imports:
        for alias in node.names:
            entry = alias.name if alias.asname is None else f"{alias.name} as {alias.asname}"
            if (node.module or "", entry) not in (drop or set()):
                names.setdefault(node.module or "", set()).add(entry)
    for module, added in (add or {}).items():
        names.setdefault(module, set()).update(added)

    def section(module: str) -> int:
        if module == "__future__":
            return 0
        if module in _STDLIB or module.split(".")[0] in _STDLIB:
            return 1
        return 3 if module == package or module.startswith(package + ".") else 2

    def name_key(entry: str) -> tuple[int, str]:
        name = entry.split(" ", 1)[0]
        kind = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
        return kind, name

    blocks: dict[int, list[str]] = {}
    for module in sorted((m for m in names if names[m]), key=lambda m: m.lower()):
        entries = sorted(names[module], key=name_key)
        line = f"from {module} import {', '.join(entries)}"
        if len(line) > 88:
            line = f"from {module} import (\n" + "".join(f"    {e},\n" for e in entries) + ")"
        blocks.setdefault(section(module), []).append(line)
    block = "\n\n".join("\n".join(lines) for _, lines in sorted(blocks.items()))
    lines = text.splitlines(keepends=True)
    start, end = imports[0].lineno - 1, imports[-1].end_lineno or imports[-1].lineno
    return "".join(lines[:start]) + block + "\n" + "".join(lines[end:])


def check_code(text: str, job: Job) -> None:
    """Refuse generated code that is not what the generator emits (see :mod:`eventcat.gen.safety`)."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as err:
        raise GenerationError(
            [
                Finding(
                    file=job.source,
                    rule="gen-unsafe",
                    severity=Severity.ERROR,
                    message=f"the schema holds text that is not valid Unicode ({err.object[err.start : err.end]!r},"
                    " a lone surrogate) and cannot be written as Python; nothing was written",
                )
            ]
        ) from None
    check_module(data, job.relpath, package=job.package, source=job.source)


def _pool_context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def workers() -> int:
    return max(
        1,
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1),
    )


_WARM_UP = Job(
    source="<warm-up>",
    relpath="warm/up.py",
    class_name="WarmUp",
    schema={"type": "object", "properties": {"a": {"type": "string"}}},
    header=FILE_HEADER.rstrip(),
    trailer="",
    base_class="warm._base.EventModel",
    package="warm",
)


def _serve(connection: Connection) -> None:
    """A worker: warm the generator up (its first call costs ~1 s), then generate on request."""
    with contextlib.suppress(GenerationError):
        generate_one(_WARM_UP)
    while True:
        try:
            batch = connection.recv()
        except EOFError:
            return
        if batch is None:
            return
        try:
            connection.send([generate_one(job) for job in batch])
        except GenerationError as err:
            connection.send(err)


class Generators:
    """Worker processes that warm up while the caller still reads and lints the catalog.

    ``Generators(1)`` is started first thing, so that the generator's start-up cost overlaps with
    the catalog's; :meth:`run` adds workers up to the core count when there is much to do.
    """

    def __init__(self, count: int = 1, limit: int | None = None) -> None:
        self.limit = min(limit or workers(), workers())
        self._context = _pool_context()
        self._workers: list[tuple[BaseProcess, Connection]] = []
        self._add(min(count, self.limit))

    def _add(self, count: int) -> None:
        for _ in range(count):
            parent, child = self._context.Pipe()
            process = self._context.Process(target=_serve, args=(child,), daemon=True)
            process.start()
            child.close()
            self._workers.append((process, parent))

    def run(
        self, jobs: Sequence[Job], progress: Callable[[int, int], None] | None = None
    ) -> list[Generated]:
        """Generate every job; ``progress`` is called with (modules done, modules to do)."""
        if not jobs:
            return []
        wanted = 1 if len(jobs) < POOL_THRESHOLD else self.limit
        if wanted > len(self._workers):
            self._add(wanted - len(self._workers))
        size = max(1, min(16, len(jobs) // (len(self._workers) * 4) or 1))
        batches = [list(jobs[i : i + size]) for i in range(0, len(jobs), size)]
        results: dict[int, list[Generated]] = {}
        busy: dict[Connection, int] = {}
        failure: GenerationError | None = None
        next_batch = 0
        idle = [connection for _, connection in self._workers]
        while next_batch < len(batches) or busy:
            while idle and next_batch < len(batches) and failure is None:
                connection = idle.pop()
                connection.send(batches[next_batch])
                busy[connection] = next_batch
                next_batch += 1
            if not busy:
                break
            for ready in wait(list(busy)):
                assert isinstance(ready, Connection)
                try:
                    answer = ready.recv()
                except EOFError:
                    raise GenerationError("a generator worker process died") from None
                index = busy.pop(ready)
                idle.append(ready)
                if isinstance(answer, GenerationError):
                    failure = failure or answer
                else:
                    results[index] = answer
                    if progress is not None:
                        progress(sum(len(batches[i]) for i in results), len(jobs))
        if failure is not None:
            raise failure
        return [generated for index in sorted(results) for generated in results[index]]

    def close(self) -> None:
        for process, connection in self._workers:
            with contextlib.suppress(OSError):
                connection.close()
            process.join(timeout=0.05)
            if process.is_alive():
                process.terminate()  # still warming up: nothing of value is lost
                process.join()
        self._workers.clear()

    def __enter__(self) -> Generators:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
