"""What notebooks use besides the design API: the catalog they may write to."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventcat.design import working_copy
from eventcat.design.notebook import show_errors_like_the_cli
from eventcat.errors import CatalogError
from tests.conftest import EXAMPLE_CATALOG, ROOT


def test_without_the_variable_a_temporary_copy_is_made(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("EVENTCAT_CATALOG", raising=False)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.chdir(ROOT / "notebooks")
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)  # re-read TMPDIR
    copy = working_copy()
    assert copy.is_relative_to(tmp_path) and copy.resolve() != EXAMPLE_CATALOG.resolve()
    assert (copy / "catalog.yaml").read_bytes() == (EXAMPLE_CATALOG / "catalog.yaml").read_bytes()


def test_the_variable_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "catalog.yaml").write_text("name: x\n", encoding="utf-8")
    monkeypatch.setenv("EVENTCAT_CATALOG", str(tmp_path))
    assert working_copy() == tmp_path


def test_a_variable_that_is_not_a_catalog_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("EVENTCAT_CATALOG", str(tmp_path / "nope"))
    with pytest.raises(CatalogError, match="is not a catalog folder"):
        working_copy()


def test_no_catalog_anywhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("EVENTCAT_CATALOG", raising=False)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CatalogError, match="set EVENTCAT_CATALOG"):
        working_copy()


def test_error_display_needs_ipython() -> None:
    assert show_errors_like_the_cli() is False
