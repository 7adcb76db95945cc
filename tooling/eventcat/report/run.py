"""What ``eventcat check`` adds to its result beside the findings: the revision it judged against,
the files it saw change and the event versions it judged. Typed, so reporters read fields, not
string keys; ``as_json`` gives the keys the JSON report (check-report.schema.json) carries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Changed:
    path: str
    status: str  # git's letter: A, M, D, R…

    def as_json(self) -> dict[str, Any]:
        return {"path": self.path, "status": self.status}


@dataclass(frozen=True, slots=True)
class Judged:
    """One event version (or shared fragment) the gate compared."""

    event: str
    status: str
    kind: str
    path: str
    old_path: str | None
    via: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {"event": self.event, "status": self.status, "kind": self.kind, "path": self.path,
                "old_path": self.old_path, "via": list(self.via)}  # fmt: skip


@dataclass(frozen=True, slots=True)
class CheckRun:
    against: str
    commit: str | None
    changed: tuple[Changed, ...] = ()
    judged: tuple[Judged, ...] = ()
    #: the catalog folder relative to the repository root; None when the gate could not run
    catalog_path: str | None = None
    #: {"file": waiver file or None, "used": [waiver, …]}; None when the gate could not run
    waivers: Mapping[str, Any] | None = None

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"against": self.against, "commit": self.commit}
        if self.catalog_path is not None:
            data["catalog_path"] = self.catalog_path
        data["changed"] = [c.as_json() for c in self.changed]
        data["judged"] = [j.as_json() for j in self.judged]
        if self.waivers is not None:
            data["waivers"] = dict(self.waivers)
        return data
