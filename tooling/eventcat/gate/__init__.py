"""The schema-diff gate: ``eventcat check --against REF``.

Public entry points (imported lazily so that ``eventcat --help`` stays fast):
``run_check(CheckOptions(...), policy=None) -> Result``, ``DEFAULT_POLICY``, ``Policy``,
``FilePair`` and ``GateContext`` for new checks, and ``REPORTERS`` (every output format).
"""

from __future__ import annotations

from typing import Any

__all__ = ["DEFAULT_POLICY", "REPORTERS", "CheckOptions", "FilePair", "GateContext", "Policy", "run_check"]

_WHERE = {
    "run_check": "eventcat.gate.core",
    "CheckOptions": "eventcat.gate.core",
    "DEFAULT_POLICY": "eventcat.gate.checks",
    "Policy": "eventcat.gate.context",
    "FilePair": "eventcat.gate.context",
    "GateContext": "eventcat.gate.context",
    "REPORTERS": "eventcat.gate.reporters",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(name)
