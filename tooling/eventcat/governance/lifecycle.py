"""Lifecycle rules of an event version: draft -> active -> deprecated -> retired.

Public functions (the gate, the docs site and the notebooks use the same ones):

- :func:`lifecycle_state` ``(version, today) -> LifecycleState``: status, dates, replacement,
  days to the sunset and the notes that apply today, plus a one-line ``banner`` for a page.
- :func:`lifecycle_findings` ``(version, today) -> list[Notice]``: what is wrong with a version's
  lifecycle on ``today``: a deprecated version without sunset or replacement, a sunset within
  :data:`SUNSET_WARNING_DAYS`, a sunset that has passed while the version is not retired.
- :func:`lifecycle_transition` ``(old, new) -> list[Notice]``: what a change of one version may
  not do: go back to draft or out of retired, add consumers to a deprecated or retired version,
  add producers to a retired one.
- :func:`draft_exempt` and :func:`deletion_allowed`: whether the gate skips compatibility checks
  for a version (a draft at the baseline) and whether its file may be deleted (retired, or a draft,
  at the baseline).

``version`` is an EventVersion, a schema dict or an x-eventcat dict; ``today`` a ``datetime.date``
(injectable for tests; ``date.today()`` when omitted).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from eventcat.governance.metadata import Metadata, consumers_of, meta_of, strings_of
from eventcat.governance.rules import Notice

STATUSES = ("draft", "active", "deprecated", "retired")
#: A deprecated version warns this many days (or fewer) before its sunset.
SUNSET_WARNING_DAYS = 30


def status_of(version: Metadata | None) -> str:
    """The lifecycle status (``active`` when none is given, as in the catalog model)."""
    lifecycle = meta_of(version).get("lifecycle")
    status = lifecycle.get("status") if isinstance(lifecycle, Mapping) else None
    return status if isinstance(status, str) else "active"


def draft_exempt(baseline: Metadata | None) -> bool:
    """True when the version was a draft at the baseline: exempt from compatibility checks."""
    return baseline is not None and status_of(baseline) == "draft"


def deletion_allowed(baseline: Metadata | None) -> bool:
    """True when deleting the version's file is allowed: retired (or a draft) at the baseline."""
    return baseline is not None and status_of(baseline) in ("retired", "draft")


def _date(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


@dataclass(frozen=True)
class LifecycleState:
    """A version's lifecycle as of ``today``: what a page banner or a notebook shows."""

    status: str
    since: dt.date | None
    sunset: dt.date | None
    replacement: str | None
    reason: str | None
    today: dt.date
    notices: tuple[Notice, ...]

    @property
    def days_to_sunset(self) -> int | None:
        return (self.sunset - self.today).days if self.sunset is not None else None

    @property
    def banner(self) -> str:
        """One plain sentence (empty for an active version with nothing to say)."""
        if self.status == "draft":
            return "Draft: not released yet; it may still change incompatibly."
        if self.status == "retired":
            text = "Retired: no longer produced."
            return text + (f" Use {self.replacement}." if self.replacement else "")
        if self.status == "deprecated":
            parts = ["Deprecated"]
            days = self.days_to_sunset
            if self.sunset is not None and days is not None:
                when = (
                    f"sunset passed on {self.sunset.isoformat()}"
                    if days < 0
                    else "sunset today"
                    if days == 0
                    else f"sunset on {self.sunset.isoformat()} (in {days} days)"
                )
                parts.append(f": {when}")
            text = "".join(parts) + "."
            if self.replacement:
                text += f" Move to {self.replacement}."
            return text
        return ""

    def as_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "since": self.since.isoformat() if self.since else None,
            "sunset": self.sunset.isoformat() if self.sunset else None,
            "replacement": self.replacement,
            "reason": self.reason,
            "days_to_sunset": self.days_to_sunset,
            "banner": self.banner,
            "notices": [n.as_json() for n in self.notices],
        }


def lifecycle_state(
    version: Metadata, today: dt.date | None = None, *, warn_days: int = SUNSET_WARNING_DAYS
) -> LifecycleState:
    """The lifecycle of ``version`` as of ``today`` (see the module docstring)."""
    today = today or dt.date.today()
    raw = meta_of(version).get("lifecycle")
    lifecycle: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
    replacement, reason = lifecycle.get("replacement"), lifecycle.get("reason")
    return LifecycleState(
        status=status_of(version),
        since=_date(lifecycle.get("since")),
        sunset=_date(lifecycle.get("sunset")),
        replacement=replacement if isinstance(replacement, str) else None,
        reason=reason if isinstance(reason, str) else None,
        today=today,
        notices=tuple(lifecycle_findings(version, today, warn_days=warn_days)),
    )


def lifecycle_findings(
    version: Metadata, today: dt.date | None = None, *, warn_days: int = SUNSET_WARNING_DAYS
) -> list[Notice]:
    """What is wrong with ``version``'s lifecycle on ``today`` (nothing unless deprecated)."""
    today = today or dt.date.today()
    meta = meta_of(version)
    if status_of(version) != "deprecated":
        return []
    raw = meta.get("lifecycle")
    lifecycle: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
    notes: list[Notice] = []
    missing = [
        key
        for key in ("sunset", "replacement")
        if not isinstance(lifecycle.get(key), str) or not lifecycle.get(key)
    ]
    sunset = _date(lifecycle.get("sunset"))
    if "sunset" not in missing and sunset is None:
        missing.append("sunset")
    if missing:
        notes.append(
            Notice(
                "lifecycle-deprecated-incomplete",
                "deprecated without "
                + " and ".join(
                    "a sunset date (YYYY-MM-DD)" if key == "sunset" else "a replacement eventType"
                    for key in missing
                )
                + "; its consumers cannot plan their move",
                "/x-eventcat/lifecycle",
                (),
                None,
                None,
            )
        )
    if sunset is None:
        return notes
    consumers = tuple(c.service for c in consumers_of(meta))
    producers = tuple(strings_of(meta.get("producers")))
    replacement = lifecycle.get("replacement")
    move = f" to {replacement}" if isinstance(replacement, str) and replacement else ""
    days = (sunset - today).days
    if days < 0:
        notes.append(
            Notice(
                "lifecycle-sunset-passed",
                f"deprecated version past its sunset ({sunset.isoformat()}, {-days} days ago) but not "
                f"retired; stop producing it ({', '.join(producers) or 'no producer declared'}) and set "
                f"lifecycle.status: retired"
                + (f"; consumers still declared: {', '.join(consumers)}" if consumers else ""),
                "/x-eventcat/lifecycle/sunset",
                (*producers, *consumers),
                sunset.isoformat(),
                None,
            )
        )
    elif days <= warn_days:
        when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
        notes.append(
            Notice(
                "lifecycle-sunset-near",
                f"sunset {when} ({sunset.isoformat()}): "
                + (
                    f"consumers still declared must move{move}: {', '.join(consumers)}"
                    if consumers
                    else "no consumer is declared any more; retire it after the sunset"
                ),
                "/x-eventcat/lifecycle/sunset",
                consumers,
                sunset.isoformat(),
                None,
            )
        )
    return notes


def lifecycle_transition(old: Metadata | None, new: Metadata | None) -> list[Notice]:
    """What a change from ``old`` to ``new`` (one version, two revisions) may not do."""
    if old is None or new is None:
        return []
    before, after = meta_of(old), meta_of(new)
    was, now = status_of(old), status_of(new)
    notes: list[Notice] = []
    if (now == "draft" and was != "draft") or (was == "retired" and now != "retired"):
        notes.append(
            Notice(
                "lifecycle-status-regressed",
                f"lifecycle status went back from {was} to {now}: "
                + (
                    "a released version cannot become a draft again (drafts are exempt from the "
                    "compatibility checks its consumers rely on)"
                    if now == "draft"
                    else "a retired version cannot be produced again"
                )
                + "; publish the next version instead",
                "/x-eventcat/lifecycle/status",
                (),
                was,
                now,
            )
        )
    if now in ("deprecated", "retired"):
        old_services = {c.service for c in consumers_of(before)}
        for consumer in consumers_of(after):
            if consumer.service not in old_services:
                lifecycle = after.get("lifecycle")
                replacement = (
                    lifecycle.get("replacement") if isinstance(lifecycle, Mapping) else None
                )
                notes.append(
                    Notice(
                        "lifecycle-consumer-added",
                        f"{consumer.label} starts consuming a {now} version"
                        + (
                            f"; consume {replacement} instead"
                            if isinstance(replacement, str)
                            else ""
                        ),
                        f"/x-eventcat/consumers/{consumer.index}",
                        (consumer.service,),
                        None,
                        consumer.service,
                    )
                )
    if now == "retired":
        old_producers = set(strings_of(before.get("producers")))
        for index, producer in enumerate(strings_of(after.get("producers"))):
            if producer not in old_producers:
                notes.append(
                    Notice(
                        "lifecycle-retired-produced",
                        f"{producer} is added as a producer of a retired version, which may no longer "
                        "be produced",
                        f"/x-eventcat/producers/{index}",
                        (producer,),
                        None,
                        producer,
                    )
                )
    return notes
