"""Governance beyond the payload: the rules about metadata (``x-eventcat``, ``catalog.yaml``)
and lifecycle (draft, deprecated, sunset, retired), as pure functions over two revisions.

The gate applies them to a pull request; the docs site shows them on version pages. Nothing here
reads files or runs git.
"""
