"""Page builders without MkDocs: property tables, links, sanitising, and history from git."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from eventcat.catalog.loader import read_catalog
from eventcat.docsite import props
from eventcat.docsite.build import Options, build_site
from eventcat.docsite.html import Links, markdown_html, safe_title
from tests.conftest import event_schema
from tests.docsite.conftest import without_wbr

pytestmark = pytest.mark.xdist_group("site")


def _table(
    make_catalog: Callable[..., Path], schema: dict[str, Any]
) -> tuple[list[props.Row], str]:
    root = make_catalog({"orders/OrderPlaced_v1.schema.json": schema})
    catalog = read_catalog(root)
    version = next(catalog.versions())
    rows = props.rows(version.schema, catalog.resolver(version.path), version.path)
    return rows, without_wbr(props.render(rows, lambda path, pointer: f"LINK({path}#{pointer})"))


def test_combinators_are_explicit_alternatives(make_catalog: Callable[..., Path]) -> None:
    schema = event_schema()
    schema["properties"]["payment"] = {
        "oneOf": [
            {
                "title": "Card",
                "type": "object",
                "required": ["last4"],
                "properties": {"last4": {"type": "string"}},
            },
            {"title": "Invoice", "type": "object", "properties": {"iban": {"type": "string"}}},
        ]
    }
    schema["properties"]["contact"] = {
        "anyOf": [{"type": "string", "format": "email"}, {"type": "integer"}]
    }
    schema["properties"]["coupon"] = {"oneOf": [{"type": "null"}, {"type": "string"}]}
    rows, html = _table(make_catalog, schema)
    labels = [(r.depth, r.prefix + r.label, r.group) for r in rows]
    assert (1, "payment.oneOf", "exactly one of these 2 alternatives") in labels
    assert (2, "payment.alternative 1: Card", "branch") in labels
    assert (3, "payment.last4", "") in labels
    assert (2, "payment.alternative 2: Invoice", "branch") in labels
    assert (3, "payment.iban", "") in labels
    assert "at least one of these 2 alternatives" in html
    # oneOf [null, X] is "nullable X", not a pair of alternatives
    coupon = next(r for r in rows if r.label == "coupon")
    assert coupon.nullable and props.type_text(coupon.schema) == "string"
    assert "email" in html


def test_refs_are_followed_expanded_and_linked(make_catalog: Callable[..., Path]) -> None:
    rows, html = _table(make_catalog, event_schema())
    total = next(r for r in rows if r.label == "total")
    assert total.ref == "_shared/Money_v1.schema.json"
    assert [r.prefix + r.label for r in rows if r.prefix == "total."] == [
        "total.amount",
        "total.currency",
    ]
    assert "LINK(_shared/Money_v1.schema.json#)" in html
    assert "pattern <code>^[A-Z]{3}$</code>" in html


def test_recursive_schemas_end(make_catalog: Callable[..., Path]) -> None:
    schema = event_schema()
    schema["$defs"] = {
        "node": {
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "children": {"type": "array", "items": {"$ref": "#/$defs/node"}},
            },
        }
    }
    schema["properties"]["tree"] = {"$ref": "#/$defs/node"}
    rows, html = _table(make_catalog, schema)
    names = [r.prefix + r.label for r in rows]
    assert "tree.name" in names and "tree.children" in names
    assert next(r for r in rows if r.label == "children").recursive
    assert "recursive" in html and len(rows) < 30


def test_links_between_pages() -> None:
    links = Links(use_directory_urls=True)
    assert links.rel("events/A/v1.md", "services/x.md") == "../../../services/x/"
    assert links.rel("index.md", "events/index.md") == "events/"
    assert links.rel("events/index.md", "index.md") == "../"
    assert (
        links.rel("events/A/v1.md", "schemas/a/A_v1.schema.json")
        == "../../../schemas/a/A_v1.schema.json"
    )
    flat = Links(use_directory_urls=False)
    assert flat.rel("events/A/v1.md", "services/x.md") == "../../services/x.html"


def test_author_markdown_is_sanitised() -> None:
    html = markdown_html(
        '**ok** <script>x()</script><img src="http://h/t.png" onerror="x()"> '
        '[a](javascript:x()) [b](https://example.com) <a href="#" onclick="x()">c</a>'
    )
    assert "<strong>ok</strong>" in html and 'href="https://example.com"' in html
    for bad in ("<script", "onerror", "onclick", "javascript:", "<img", "x()</"):
        assert bad not in html
    assert safe_title("</title><script>x</script> A & B") == "/title script x /script A B"


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.com", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_history_lists_semantic_changes_per_commit(
    make_catalog: Callable[..., Path], tmp_path: Path
) -> None:
    root = make_catalog()
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "Add OrderPlaced")
    path = root / "orders" / "OrderPlaced_v1.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["properties"]["coupon"] = {"type": "string", "maxLength": 20}
    path.write_text(json.dumps(schema, indent=2), encoding="utf-8")
    _git(tmp_path, "commit", "-qam", "OrderPlaced: optional coupon <b>")
    schema["properties"]["coupon"]["maxLength"] = 10
    path.write_text(json.dumps(schema, indent=2), encoding="utf-8")  # not committed

    site = build_site(Options(catalog=root))
    page = "".join(site.pages["events/OrderPlaced/v1.md"].blocks)
    history = page.split("Along the file's git history", 1)[1]
    assert "OrderPlaced: optional coupon &lt;b&gt;" in history
    assert "Add OrderPlaced" in history and "added" in history
    assert "PROPERTY_ADDED" in history  # the committed change, classified
    assert "Uncommitted changes" in history and "MAX_LENGTH_DECREASED" in history
    changelog = "".join(site.pages["changelog.md"].blocks)
    assert changelog.index("optional coupon") < changelog.index("Add OrderPlaced")  # newest first
    assert "1 breaking" not in changelog.split("optional coupon", 1)[1].split("</li>", 1)[0]
