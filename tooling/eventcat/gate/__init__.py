"""The schema-diff gate: ``eventcat check --against REF``.

The library entry point is :func:`eventcat.check`. Inside eventcat: ``gate.core.run_check`` and
``CheckOptions``; ``gate.checks.DEFAULT_POLICY``; ``gate.context`` (``Policy``, ``FilePair``,
``GateContext``) for new checks; ``gate.reporters.REPORTERS`` (every output format). This package
imports nothing itself, so that ``eventcat --help`` stays fast.
"""
