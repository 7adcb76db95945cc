"""Designing events: infer a schema from samples, scaffold a new event, evolve an existing one,
and write the result into the catalog safely (what the notebooks and ``eventcat new``/``bump``
use).

Public API:

- :func:`open_catalog` -> :class:`DesignCatalog` with ``infer``, ``new_event``, ``check``,
  ``gate``, ``add``, ``write`` and ``event(name)`` -> :class:`EventHandle` with ``schema``,
  ``review``, ``gate``, ``update`` and ``bump``;
- :func:`infer_schema` (-> :class:`Inference`), :func:`scaffold_event` (-> :class:`EventDraft`);
- :func:`validate_changes` / :func:`write_changes`: lint-checked, atomic writes of any change;
- :func:`working_copy`: the catalog a notebook works on (``EVENTCAT_CATALOG``, else a temporary
  copy), so that a notebook never writes the real catalog;
- :class:`DesignSession`: the state behind the JupyterLab form ``eventcat.display.Designer``
  (the widget lives in the notebook layer, above this one).
"""

from __future__ import annotations

from eventcat.design.api import DesignCatalog, EventHandle, Review, open_catalog
from eventcat.design.designer import DesignSession
from eventcat.design.infer import Inference, Note, detect_format, infer_schema, read_samples
from eventcat.design.jsonfmt import dump_json
from eventcat.design.notebook import working_copy
from eventcat.design.scaffold import EventDraft, event_type_for, scaffold_event, title_for
from eventcat.design.write import Validation, validate_changes, write_changes

__all__ = [
    "DesignCatalog",
    "DesignSession",
    "EventDraft",
    "EventHandle",
    "Inference",
    "Note",
    "Review",
    "Validation",
    "detect_format",
    "dump_json",
    "event_type_for",
    "infer_schema",
    "open_catalog",
    "read_samples",
    "scaffold_event",
    "title_for",
    "validate_changes",
    "working_copy",
    "write_changes",
]
