"""What prepare hands the engine: a job, its fingerprint, and the error both raise.

Its own module so that ``prepare`` (which builds jobs) and ``engine`` (which runs them) and
``safety`` (which refuses their output) depend on it and not on each other.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from eventcat.errors import EventcatError

#: The pinned generator and its target: part of every module's digest.
ENGINE_VERSION = "datamodel-code-generator==0.89.0;pydantic_v2;py311"

#: Bump when the generated code changes for the same input (invalidates every cached module).
FORMAT_VERSION = "3"


class GenerationError(EventcatError):
    """The catalog lints but cannot be turned into Python (a generator limit or a bug)."""

    exit_code = 1

    def __reduce__(self) -> tuple[Any, ...]:  # keep the located problems across processes
        return (type(self), (self.problems,))


@dataclass(frozen=True)
class Job:
    """Everything one generator run needs (picklable: it crosses into worker processes)."""

    source: str
    relpath: str
    class_name: str
    schema: dict[str, Any]
    header: str
    trailer: str
    base_class: str
    package: str
    digest: str = ""


def with_digest(job: Job) -> Job:
    """Fingerprint of everything the module's text depends on: its input, names and options."""
    material = json.dumps(
        {
            "format": FORMAT_VERSION,
            "engine": ENGINE_VERSION,
            "schema": job.schema,
            "class": job.class_name,
            "relpath": job.relpath,
            "header": job.header,
            "trailer": job.trailer,
            "base": job.base_class,
        },
        sort_keys=True,
        ensure_ascii=True,
        separators=(",", ":"),
    )
    digest = hashlib.sha256(material.encode("ascii")).hexdigest()
    return Job(**{**job.__dict__, "digest": digest})
