"""Rules: the one model every rule of every family shares (:class:`Rule`).

Each family defines its rules beside the code that applies them: lint in
:mod:`eventcat.catalog.rules`, compatibility change types in :mod:`eventcat.compat.rules`,
governance in :mod:`eventcat.governance.rules`. :mod:`eventcat.rules.registry` gathers them into
the one registry that ``eventcat rules``, SARIF and the docs site render from.
"""

from eventcat.rules.model import Rule

__all__ = ["Rule"]
