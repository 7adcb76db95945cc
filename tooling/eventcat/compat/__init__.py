"""The compatibility engine: compares two JSON Schemas the way Confluent's Schema Registry does
(``rules="confluent"``) or soundly (``rules="sound"``), and explains every change.

Pure functions over two schemas and optional ``referencing`` resolvers: no I/O, no catalog.
"""

from __future__ import annotations

from eventcat.compat.api import compare, compare_settings
from eventcat.compat.report import Change, CompatibilityReport
from eventcat.compat.rules import CHANGE_TYPES, ChangeType
from eventcat.modes import MODES, POLICIES, RULE_SETS

__all__ = [
    "CHANGE_TYPES",
    "MODES",
    "POLICIES",
    "RULE_SETS",
    "Change",
    "ChangeType",
    "CompatibilityReport",
    "compare",
    "compare_settings",
]
