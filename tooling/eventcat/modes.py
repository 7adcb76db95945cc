"""The compatibility options (mode, policy, rule set): one list for the engine, the CLI and the
catalog settings. Kept out of eventcat.compat so that ``eventcat --help`` does not import the engine.
"""

from __future__ import annotations

from typing import Literal, get_args

Mode = Literal["BACKWARD", "FORWARD", "FULL", "BACKWARD_TRANSITIVE", "FORWARD_TRANSITIVE",
               "FULL_TRANSITIVE", "NONE"]  # fmt: skip
Policy = Literal["STRICT", "LENIENT"]
RuleSet = Literal["confluent", "sound"]

MODES: tuple[Mode, ...] = get_args(Mode)
POLICIES: tuple[Policy, ...] = get_args(Policy)
RULE_SETS: tuple[RuleSet, ...] = get_args(RuleSet)
