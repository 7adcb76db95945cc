"""Light pages at real size (issues 12 and 17.15): the site of GitHub's webhook catalog.

One cached version of ``@octokit/webhooks-schemas`` (MIT) becomes a catalog (bench/
realworld_webhooks.py) whose site is built for real. Before: ``pull_request.opened``'s payload
table was 402 rows and 100 KB, the field index one 5 MB page, the search index 10-14 MB. The
tarball is not vendored: the test skips, saying how to fetch it, when it is not cached.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest

from tests.docsite.conftest import Built, build, html_pages, text_of
from tests.docsite.test_browser import ARTIFACTS, Browser, browser, serve
from tests.docsite.test_browser import pytestmark as browser_marks
from tests.docsite.test_layout import DEFECTS, WIDTHS
from tests.webhooks import VERSIONS, write_catalog

__all__ = ["browser"]  # the Chromium fixture of test_browser.py

VERSION = VERSIONS[-1]
KB = 1024
#: an event version page, a field index page: MkDocs' and Material's frame is ~12 KB of it
PAGE_LIMIT = 32 * KB
#: any page: the lists that grow with the catalog (the events index, a team's page, a fragment's
#: "Used by" of all 224 events, once 73-95 KB) are paged (docsite/pages/listing.py) and every page
#: is under PAGE_LIMIT but these, which do not list events (not paged yet: the figure is theirs)
ANY_PAGE_LIMIT = 128 * KB
HEAVIER = {
    "fragments/Repository_v1/index.html": 38 * KB,  # its properties table: 20 KB
    "rules/keyword-unknown/index.html": 36 * KB,  # "In this catalog": every place it occurs
}
SEARCH_LIMIT = 2_000_000
EVENT = "events/PullRequestOpened/v1/"
DEEP = ("pull_request", "head", "repo", "allow_auto_merge")


@pytest.fixture(scope="module")
def webhook_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("webhooks")
    write_catalog(VERSION, root / "catalog")
    built = build(root / "out", root / "catalog")
    assert built.ok, built.error + built.log
    return built


def test_every_page_of_the_webhook_site_is_light(webhook_site: Built) -> None:
    site = webhook_site.site
    sizes = {str(p.relative_to(site)): p.stat().st_size for p in html_pages(site)}
    assert len(sizes) > 500  # 224 event versions, their landing pages, fragments, fields
    heavy = {page: size for page, size in sizes.items() if size > ANY_PAGE_LIMIT}
    assert heavy == {}
    light = [
        p for p in sizes if re.fullmatch(r"(events/[^/]+/v\d+|fields(/[^/]+)?)/index\.html", p)
    ]
    assert len(light) > 224
    assert {p: sizes[p] for p in light if sizes[p] > PAGE_LIMIT} == {}
    over = {p: size for p, size in sizes.items() if size > HEAVIER.get(p, PAGE_LIMIT)}
    assert over == {}


def test_the_lists_of_the_webhook_site_are_paged_and_reach_every_event(
    webhook_site: Built,
) -> None:
    index = webhook_site.html("events/")
    pages = list(dict.fromkeys(re.findall(r'<li><a href="(by-domain(?:-\d+)?/)">', index)))
    assert len(pages) > 1
    listed = "".join(webhook_site.html(f"events/{p}") for p in pages)
    landing = set(re.findall(r'<li><a href="\.\./(\w+)/">', listed))
    assert len(landing) == 224 and "PullRequestOpened" in landing
    assert '<a href="../PullRequestOpened/v1/">v1</a>' in listed
    # a fragment's "Used by": domains with counts on the page, the events on its list pages
    used = webhook_site.html("fragments/Repository_v1/")
    assert re.search(r'href="used-by(-\d+)?/#d-pull-request">pull-request</a>', used)
    home = webhook_site.html("")
    assert 'href="domains/">All ' in home and "more findings" in text_of(home)


def test_the_search_index_holds_field_names_once_not_every_schema(webhook_site: Built) -> None:
    path = webhook_site.site / "search" / "search_index.json"
    assert path.stat().st_size < SEARCH_LIMIT
    docs = json.loads(path.read_text(encoding="utf-8"))["docs"]
    payload = [d for d in docs if d["location"].startswith(f"{EVENT}#payload")]
    assert payload and all(d["text"] == "" for d in payload)  # the explorer and table are skipped
    # a deep field is found, on the field index: the one place field names are indexed
    deep = ".".join(DEEP)
    holding = {d["location"].split("#")[0] for d in docs if deep in d["text"]}
    assert len(holding) == 1 and holding.pop().startswith("fields/")
    # the event itself is found by name and by eventType
    assert any(
        d["location"] == EVENT and "github.pull_request.opened.v1" in d["text"] for d in docs
    )


def test_the_field_index_is_paged_and_a_deep_field_is_one_link_away(webhook_site: Built) -> None:
    index = webhook_site.html("fields/")
    links = re.findall(r'<li><a href="([^"]+)">Fields: ', index)
    assert len(links) > 26  # a page per letter at least; the big letters split
    pages = {link: webhook_site.html(f"fields/{link}") for link in links}
    holding = [link for link, page in pages.items() if 'id="f-allow_auto_merge"' in page]
    assert len(holding) == 1
    row = pages[holding[0]].split('id="f-allow_auto_merge"', 1)[1].split("</tr>", 1)[0]
    assert f"<code>{'.'.join(DEEP)}</code>" in row
    assert 'href="../../events/' in row  # the events that have it, linked
    # every name is on exactly one page, and every page links back to the index
    names = [n for page in pages.values() for n in re.findall(r'<tr[^>]* id="(f-[^"]+)"', page)]
    assert len(names) == len(set(names)) > 600
    assert all('href="../">All field pages</a>' in page for page in pages.values())


def _walk(nodes: list[dict[str, Any]], at: int, path: tuple[str, ...]) -> bool:
    """Whether the explorer's node table holds ``path`` below node ``at`` (following $refs)."""
    node = nodes[at]
    for _ in range(32):
        if "ref" not in node:
            break
        node = nodes[node["ref"]]
    if not path:
        return True
    children = [n for name, n, _ in node.get("p", []) if name == path[0]]
    branches = [b for key in ("one", "any", "all") for b in node.get(key, [])]
    return any(_walk(nodes, c, path[1:]) for c in children) or any(
        _walk(nodes, b, path) for b in branches
    )


def test_a_big_payload_shows_its_top_level_fields_and_fetches_the_rest(
    webhook_site: Built,
) -> None:
    page = webhook_site.html(EVENT)
    table = page.split('<details class="ec-flat"', 1)[1].split("</details>", 1)[0]
    shown = set(re.findall(r"<tr class=\"d\d\"><td><code>([^<]+)</code>", table))
    assert {"action", "number", "pull_request", "repository", "sender"} <= shown
    assert "top-level fields" in text_of(table)
    assert 'class="ec-pfx"' not in table  # no nested row: pull_request.head … is the explorer's
    data = re.search(
        r'<section class="ec-explorer" data-search-exclude data-schema="([^"]+)"', page
    )
    assert data is not None
    tree = json.loads((webhook_site.site / EVENT / data[1]).resolve().read_text(encoding="utf-8"))
    assert _walk(tree["nodes"], tree["root"], DEEP)
    assert '"nodes"' not in page  # fetched, not inlined


@browser_marks[0]
@browser_marks[1]
@browser_marks[2]
def test_a_deep_field_is_found_in_the_explorer_and_no_new_page_overflows(
    webhook_site: Built, browser: Callable[[str], Browser]
) -> None:
    field_page = re.findall(r'<li><a href="([^"]+)">Fields: ', webhook_site.html("fields/"))[0]
    pages = [
        EVENT,
        "fields/",
        f"fields/{field_page}",
        "fragments/PullRequest_v1/",
        # the lists (docsite/pages/listing.py): summaries and their list pages
        "",
        "events/",
        "events/by-domain/",
        "fragments/Repository_v1/",
        "fragments/Repository_v1/used-by/",
        "teams/github/",
        "events/PullRequestOpened/",
    ]
    found: dict[str, list[str]] = {}
    with serve(webhook_site.site) as base:
        tab = browser(base)
        page = tab.open(EVENT)
        page.locator(".ec-explorer[data-ready='1']").wait_for(timeout=20_000)
        page.locator(".ec-explorer-search").fill("allow_auto_merge")
        hits = page.locator(".ec-x-hit")
        hits.first.wait_for(timeout=10_000)
        trail = hits.evaluate_all(
            "rows => rows.map(r => { const keys = []; for (let x = r; x; x = x.parentElement"
            " && x.parentElement.closest('.ec-x-row')) keys.unshift(x.dataset.key); return keys; })"
        )
        # the hit is revealed in place, inside pull_request > head > repo (through its allOf)
        properties = [[k for k in keys if k.startswith("p:")] for keys in trail]
        assert ["p:pull_request", "p:head", "p:repo", "p:allow_auto_merge"] in properties
        for width, (w, h) in WIDTHS.items():
            tab.page.set_viewport_size({"width": w, "height": h})
            for path in pages:
                shown = tab.open(path)
                shown.wait_for_timeout(300)
                defects = shown.evaluate(DEFECTS, width == "laptop")
                if defects:
                    found[f"{path} at {w} px"] = defects
                name = path.strip("/").replace("/", "-") or "home"
                ARTIFACTS.mkdir(exist_ok=True)
                shot = ARTIFACTS / f"weight-{name}-{width}.png"
                shown.screenshot(path=str(shot), full_page=path != "fields/")
        assert tab.errors == [], tab.errors
        assert tab.outside() == [], tab.outside()
    assert found == {}
