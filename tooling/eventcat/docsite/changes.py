"""Semantic changes between two schemas, through ``eventcat.compat.compare``, cached and guarded.

A comparison that cannot be made (the engine is missing from this build, or raises) becomes a
short message on the page instead of a failed build: the catalog itself is what lint checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from eventcat.catalog.model import Catalog, CompatibilitySettings, uri_for

if TYPE_CHECKING:
    from eventcat.comparecache import ComparisonCache

ENGINE_MISSING = (
    "The compatibility engine (eventcat.compat) is not available in this build, so "
    "changes cannot be classified here; run `eventcat diff OLD NEW` once it is."
)


@dataclass
class Comparison:
    verdict: str = "unknown"  # compatible | breaking | unknown | error
    changes: tuple[Any, ...] = ()
    message: str = ""  # why there is no result
    mode: str = ""
    policy: str = ""
    rules: str = ""

    @property
    def ok(self) -> bool:
        return not self.message

    @property
    def breaking(self) -> int:
        return sum(1 for c in self.changes if getattr(c, "breaking", False))


@dataclass
class Comparer:
    catalog: Catalog
    #: the engine's results by content, shared with the gate (and kept on disk when it has a folder)
    results: ComparisonCache | None = None
    #: this build's comparisons by (file, revision or version, revision or "versions")
    cache: dict[tuple[str, str, str], Comparison] = field(default_factory=dict)
    #: change type -> [(page src, label)] where the type occurs, for the rule pages
    seen: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    seconds: float = 0.0

    def compare(
        self,
        key: tuple[str, str, str],
        old: Any,
        new: Any,
        old_resolver: Any,
        new_resolver: Any,
        settings: CompatibilitySettings,
    ) -> Comparison:
        if key in self.cache:
            return self.cache[key]
        import time

        started = time.perf_counter()
        result = _compare(old, new, old_resolver, new_resolver, settings, self.results)
        self.seconds += time.perf_counter() - started
        self.cache[key] = result
        return result

    def resolver_for(self, path: str, schema: Any) -> Any:
        """A resolver where ``path`` holds ``schema`` (an older revision) and the rest is current."""
        from referencing import Resource
        from referencing.jsonschema import DRAFT202012

        resource = Resource.from_contents(schema, default_specification=DRAFT202012)
        registry = self.catalog.registry.with_resource(uri_for(path), resource)
        return registry.resolver(base_uri=uri_for(path))

    def note(self, changes: tuple[Any, ...], src: str, label: str) -> None:
        for change in changes:
            places = self.seen.setdefault(str(getattr(change, "type", "")), [])
            if not places or places[-1] != (src, label):
                places.append((src, label))


def _compare(
    old: Any,
    new: Any,
    old_resolver: Any,
    new_resolver: Any,
    settings: CompatibilitySettings,
    results: ComparisonCache | None,
) -> Comparison:
    try:
        from eventcat.comparecache import ComparisonCache
    except ImportError:
        return Comparison(message=ENGINE_MISSING)
    from eventcat.errors import EventcatError

    mode = settings.mode.replace("_TRANSITIVE", "")
    mode = "BACKWARD" if mode == "NONE" else mode
    try:
        report = (results if results is not None else ComparisonCache()).compare(
            old,
            new,
            mode=mode,
            policy=settings.policy,
            rules=settings.rules,
            old_resolver=old_resolver,
            new_resolver=new_resolver,
        )
    except EventcatError as err:
        return Comparison(
            verdict="error", message="; ".join(p.message for p in err.problems) or str(err)
        )
    except Exception as err:  # an engine bug must not take the whole site down
        return Comparison(
            verdict="error", message=f"the comparison failed: {type(err).__name__}: {err}"
        )
    return Comparison(
        verdict=str(getattr(report, "verdict", "unknown")),
        changes=tuple(getattr(report, "changes", ())),
        mode=mode,
        policy=settings.policy,
        rules=settings.rules,
    )
