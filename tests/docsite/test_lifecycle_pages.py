"""Issue 8 on the site: the lifecycle banner and the "Metadata changes" section of event pages."""

from __future__ import annotations

import copy
import datetime as dt
import json
import posixpath
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from eventcat.docsite.build import Options, Page, build_site
from tests.conftest import event_schema
from tests.docsite.conftest import Built, build, elements, without_wbr
from tests.docsite.hostile import MARK, RUN, TEXT

pytestmark = pytest.mark.xdist_group("site")

BANNER = re.compile(r'<div class="admonition (\w+) ec-lifecycle[^"]*">(.*?)</div>', re.S)
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _section(page: Page, title: str) -> str:
    """The HTML block right after the ``## title`` heading of a generated page."""
    index = page.parts.index(f"## {title}")
    return without_wbr(
        page.blocks[int(page.parts[index + 1].removeprefix("ECBLOCK").removesuffix("X"))]
    )


def _banner(text: str) -> tuple[str, str] | None:
    found = BANNER.search(text)
    return (found.group(1), found.group(2)) if found else None


def _two_versions(v1_lifecycle: dict[str, Any], **v2_meta: Any) -> dict[str, Any]:
    v1 = event_schema("orders.order_placed.v1")
    v1["x-eventcat"]["lifecycle"] = v1_lifecycle
    v2 = event_schema("orders.order_placed.v2")
    v2["x-eventcat"].update(v2_meta)
    return {"orders/OrderPlaced_v1.schema.json": v1, "orders/OrderPlaced_v2.schema.json": v2}


# -- the example catalog, built by MkDocs ---------------------------------------------------------


def test_deprecated_version_shows_its_sunset_and_links_the_replacement(example_site: Built) -> None:
    page = "events/SubscriptionTierChanged/v1/"
    banner = _banner(example_site.html(page))
    assert banner is not None, "no lifecycle banner on the deprecated version"
    kind, body = banner
    assert kind in ("warning", "danger")
    assert "Deprecated" in body and "2027-03-31" in body
    links = [attrs["href"] for tag, attrs in elements(body).tags if tag == "a"]
    assert links, body
    target = posixpath.normpath(posixpath.join(page, links[0])) + "/"
    assert target == "events/SubscriptionTierChanged/v2/"
    replacement = example_site.html(target)  # the link works: the page exists
    assert re.search(
        r"<h1[^>]*>SubscriptionTierChanged <span class=\"ec-vnum\">v2</span>", replacement
    )
    assert "billing.subscription.tier_changed.v2</a>" in body
    assert "Free-text tier names broke permission mapping" in body  # the reason
    # the active replacement has no banner
    assert _banner(replacement) is None


def test_metadata_changes_against_the_previous_version(example_site: Built) -> None:
    text = example_site.html("events/SubscriptionTierChanged/v2/")
    section = text.split('id="metadata-changes"', 1)[1].split("<h2", 1)[0]
    head = section.split("Along the file", 1)[0]
    assert "routingKey" in head and "user.subscription.changed" in head
    hrefs = [a["href"] for tag, a in elements(head).tags if tag == "a"]
    rule = next(h for h in hrefs if h.endswith("rules/channel-changed/"))
    rule_page = posixpath.normpath(posixpath.join("events/SubscriptionTierChanged/v2/", rule)) + "/"
    assert "channel-changed" in example_site.html(rule_page)
    # between versions the lifecycle and the eventType differ by design: not listed
    assert "lifecycle/status" not in head and "eventType" not in head


# -- pages built without MkDocs, with an injected today ------------------------------------------


@pytest.mark.parametrize(
    ("lifecycle", "today", "kind", "says", "rule"),
    [
        (
            {
                "status": "deprecated",
                "sunset": "2026-03-01",
                "replacement": "orders.order_placed.v2",
            },
            dt.date(2026, 2, 20),
            "warning",
            "sunset on 2026-03-01 (in 9 days)",
            "lifecycle-sunset-near",
        ),
        (
            {
                "status": "deprecated",
                "sunset": "2026-03-01",
                "replacement": "orders.order_placed.v2",
            },
            dt.date(2026, 4, 1),
            "danger",
            "sunset passed on 2026-03-01",
            "lifecycle-sunset-passed",
        ),
        (
            {
                "status": "deprecated",
                "sunset": "2027-03-01",
                "replacement": "orders.order_placed.v2",
            },
            dt.date(2026, 1, 1),
            "warning",
            "sunset on 2027-03-01 (in 424 days)",
            None,
        ),
        ({"status": "draft"}, dt.date(2026, 1, 1), "info", "Draft: not released yet", None),
        (
            {"status": "retired", "replacement": "orders.order_placed.v2"},
            dt.date(2026, 1, 1),
            "danger",
            "Retired: no longer produced. Use",
            None,
        ),
    ],
)
def test_banner_per_lifecycle_state(
    make_catalog: Callable[..., Path],
    lifecycle: dict[str, Any],
    today: dt.date,
    kind: str,
    says: str,
    rule: str | None,
) -> None:
    root = make_catalog(_two_versions(lifecycle))
    site = build_site(Options(catalog=root, history=False, today=today))
    header = _section_zero(site.pages["events/OrderPlaced/v1.md"])
    banner = _banner(header)
    assert banner is not None and banner[0] == kind, header
    assert says in banner[1]
    if "replacement" in lifecycle:
        assert '<a href="../v2/">orders.order_placed.v2</a>' in banner[1]
    if rule:
        assert f'href="../../../rules/{rule}/"' in banner[1]  # its rule page, linked
    else:
        assert "ec-notices" not in banner[1]
    assert _banner(_section_zero(site.pages["events/OrderPlaced/v2.md"])) is None  # active: nothing


def _section_zero(page: Page) -> str:
    return without_wbr(page.blocks[0])


def test_hostile_lifecycle_reason_stays_text(
    make_catalog: Callable[..., Path], tmp_path: Path
) -> None:
    root = make_catalog(
        _two_versions(
            {
                "status": "deprecated",
                "sunset": "2099-01-01",
                "replacement": "orders.order_placed.v2",
                "reason": TEXT,
            }
        )
    )
    built = build(tmp_path / "out", root)  # a real, strict MkDocs build
    assert built.ok, built.error + built.log
    banner = _banner(built.html("events/OrderPlaced/v1/"))
    assert banner is not None
    body = banner[1]
    assert f"&lt;script&gt;{RUN}&lt;/script&gt;" in body  # shown, as text
    assert "[click me](javascript:" in body  # Markdown is not rendered either
    for tag, attrs in elements(body).tags:
        assert tag in ("p", "a", "ul", "li", "span", "code", "br", "wbr"), tag
        assert not any(name.startswith("on") for name in attrs), attrs
        assert MARK not in "".join(attrs.values())
    assert "ECBLOCK0X" in body  # placeholder look-alike text stays text


# -- metadata along the file's git history --------------------------------------------------------


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.com", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


@needs_git
def test_routing_key_change_in_git_history_is_a_channel_change(
    make_catalog: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    schema = event_schema()
    schema["x-eventcat"]["channel"] = {
        "broker": "rabbitmq",
        "exchange": "orders",
        "routingKey": "orders.placed",
    }
    root = make_catalog({"orders/OrderPlaced_v1.schema.json": schema})
    path = root / "orders" / "OrderPlaced_v1.schema.json"
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "Add OrderPlaced")
    moved = copy.deepcopy(schema)
    moved["x-eventcat"]["channel"]["routingKey"] = "orders.order.placed"
    path.write_text(json.dumps(moved, indent=2), encoding="utf-8")
    _git(tmp_path, "commit", "-qam", "Move OrderPlaced to <b>its own</b> routing key")
    moved["description"] = "An order was placed (reworded)."
    path.write_text(json.dumps(moved, indent=2), encoding="utf-8")
    _git(tmp_path, "commit", "-qam", "Reword the description")
    uncommitted = copy.deepcopy(moved)
    uncommitted["x-eventcat"]["consumers"] = []
    path.write_text(json.dumps(uncommitted, indent=2), encoding="utf-8")

    import eventcat.git.reader as git  # the one git reader: every git command starts there

    calls: list[str] = []
    real_popen = git.subprocess.Popen

    def popen(args: list[str], *a: Any, **k: Any) -> Any:
        calls.append(" ".join(args))
        return real_popen(args, *a, **k)

    monkeypatch.setattr(git.subprocess, "Popen", popen)
    site = build_site(Options(catalog=root))
    # rev-parse, config (the drivers to disarm), log and one cat-file: none per file or revision
    assert len(calls) == 4 and sum("cat-file --batch" in c for c in calls) == 1, calls

    page = site.pages["events/OrderPlaced/v1.md"]
    section = _section(page, "Metadata changes")
    history_part = section.split("Along the file's git history", 1)[1]
    moved_entry = history_part.split("Move OrderPlaced to", 1)[1].split("</ul></li>", 1)[0]
    assert moved_entry.startswith(" &lt;b&gt;its own&lt;/b&gt;")  # the subject, escaped
    assert '<a href="../../../rules/channel-changed/">channel-changed</a>' in moved_entry
    assert "/x-eventcat/channel/routingKey" in moved_entry
    assert "orders.placed" in moved_entry and "orders.order.placed" in moved_entry
    assert ">error</span>" in moved_entry  # classified: breaking for those bound to it
    assert "Order service" in moved_entry and "Billing service" in moved_entry  # affected, linked
    assert "Reword the description" not in history_part  # no metadata change in that commit
    assert "Add OrderPlaced" not in history_part
    uncommitted_part = history_part.split("Uncommitted changes", 1)[1].split("Move OrderPlaced", 1)[
        0
    ]
    assert "consumer-removed" in uncommitted_part and "channel-changed" not in uncommitted_part
    # the schema change list beside it still shows the description-only commit
    assert "Reword the description" in _section(page, "Changes")
    # the rule page lists where the rule occurs in this catalog
    rule_page = "".join(site.pages["rules/channel-changed.md"].blocks)
    assert "../../events/OrderPlaced/v1/" in rule_page


@needs_git
def test_unchanged_metadata_says_so(make_catalog: Callable[..., Path], tmp_path: Path) -> None:
    root = make_catalog()
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "Add OrderPlaced")
    path = root / "orders" / "OrderPlaced_v1.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["properties"]["coupon"] = {"type": "string"}
    path.write_text(json.dumps(schema, indent=2), encoding="utf-8")
    _git(tmp_path, "commit", "-qam", "Optional coupon")
    section = _section(
        build_site(Options(catalog=root)).pages["events/OrderPlaced/v1.md"], "Metadata changes"
    )
    assert "No metadata change in the last 2 commits of this file." in section
    assert "<li>" not in section
