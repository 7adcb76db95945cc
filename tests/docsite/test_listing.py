"""Lists that grow with the catalog stay light and navigable (issue 12: under ~30 KB per page).

A synthetic catalog (bench/synthetic.py) whose every version uses one fragment and is owned by one
team: the fragment's "Used by" and the team's events once listed every version on one page
(231 KB at 1,000 versions). Now they are one line per event, paged once too long, and every
version is still one plain link away from the list pages.
"""

from __future__ import annotations

import re
import sys

import pytest

from tests.conftest import ROOT
from tests.docsite.conftest import Built, build, html_pages, text_of

sys.path.insert(0, str(ROOT / "bench"))

from synthetic import write_catalog

EVENTS, VERSIONS = 120, 3
KB = 1024


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("lists")
    built = build(root / "out", write_catalog(root / "catalog", EVENTS, VERSIONS))
    assert built.ok, built.error + built.log
    return built


def _linked_versions(built: Built, page: str) -> set[str]:
    """Every version page a page links to, as ``Name/vN``."""
    return set(re.findall(r'href="(?:\.\./)+(?:events/)?(\w+/v\d+)/"', built.html(page)))


def _list_pages(built: Built, page: str, slug: str) -> list[str]:
    """The list pages a paged list on ``page`` links to, in order."""
    hrefs = re.findall(rf'<li><a href="({slug}(?:-\d+)?/)">', built.html(page))
    return [page + href for href in dict.fromkeys(hrefs)]


@pytest.mark.parametrize(
    ("page", "slug"), [("fragments/Address_v1/", "used-by"), ("teams/team-a/", "events")]
)
def test_a_long_list_is_paged_and_still_reaches_every_version(
    big_site: Built, page: str, slug: str
) -> None:
    shown = big_site.html(page)
    assert f"{EVENTS * VERSIONS} versions of {EVENTS} events in 8 domains" in text_of(shown)
    pages = _list_pages(big_site, page, slug)
    assert len(pages) > 1
    reached = set().union(*(_linked_versions(big_site, p) for p in pages))
    every = {f"Thing{n}Happened/v{v}" for n in range(EVENTS) for v in range(1, VERSIONS + 1)}
    assert reached == every
    for number, listed in enumerate(pages):
        html = big_site.html(listed)
        assert f"({number + 1} of {len(pages)})" in html  # the title says where one is
        assert "← back" in html and ("next →" in html) == (number < len(pages) - 1)
        # one line per event: its name to its landing page, its versions inline
        line = re.search(
            r'<li><a href="(?:\.\./)+(?:events/)?(\w+)/">\1</a> <span class="ec-vs">', html
        )
        assert line is not None
    # each domain of the summary links to where its events begin
    summary = shown.split('<p class="ec-listed">', 1)[1].split("</p>", 1)[0]
    assert len(re.findall(rf'href="{slug}(?:-\d+)?/#d-', summary)) == 8


def test_the_events_index_and_domain_pages_list_events_not_version_rows(big_site: Built) -> None:
    domain = big_site.html("domains/orders/")
    assert _linked_versions(big_site, "domains/orders/") == {
        f"Thing{n}Happened/v{v}" for n in range(0, EVENTS, 8) for v in range(1, VERSIONS + 1)
    }
    assert "<table" not in domain.split('id="events"', 1)[1].split("<h2", 1)[0]
    index = big_site.html("events/")
    assert f"{EVENTS} events, {EVENTS * VERSIONS} versions" in text_of(index)
    reached = set().union(
        *(_linked_versions(big_site, p) for p in _list_pages(big_site, "events/", "by-domain"))
    )
    assert len(reached) == EVENTS * VERSIONS


def test_no_page_of_the_big_catalog_is_heavy(big_site: Built) -> None:
    sizes = {str(p.relative_to(big_site.site)): p.stat().st_size for p in html_pages(big_site.site)}
    heavy = {page: size for page, size in sizes.items() if size > 32 * KB}
    assert heavy == {}, heavy
