"""The catalog's docs site: an MkDocs plugin (``eventcat``) and the page builders behind it.

``mkdocs build --strict`` at the repository root builds ``site/`` from ``catalog/``; see
:mod:`eventcat.docsite.plugin` for the plugin's options and :func:`eventcat.docsite.build.build_site`
for the pages.
"""
