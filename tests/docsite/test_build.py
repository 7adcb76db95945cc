"""The example catalog's site, built with a real ``mkdocs build --strict``: what a reader finds."""

from __future__ import annotations

import html
import json
import re
import urllib.parse
from pathlib import Path

import pytest

from eventcat.catalog.loader import read_catalog
from eventcat.rules.registry import all_rules
from tests.conftest import EXAMPLE_CATALOG
from tests.docsite.conftest import Built, elements, html_pages, text_of

pytestmark = pytest.mark.xdist_group("site")


def test_every_event_version_has_a_page_with_its_sections(example_site: Built) -> None:
    catalog = read_catalog(EXAMPLE_CATALOG)
    versions = list(catalog.versions())
    assert versions
    for version in versions:
        page = example_site.html(f"events/{version.name}/v{version.version}/")
        assert version.event_type and version.event_type in page
        for section in ("Flow", "Payload", "Envelope", "Examples", "Changes", "Code", "Schema"):
            assert (
                f">{section}<" in page
                or f">{section}</h2>" in page
                or f'id="{section.lower()}"' in page
            )
        assert '<pre class="mermaid">' in page
        assert (example_site.site / "schemas" / version.path).read_text(
            encoding="utf-8"
        ) == version.file.text


def test_the_event_page_shows_metadata_properties_examples_and_the_model(
    example_site: Built,
) -> None:
    page = example_site.html("events/SubscriptionTierChanged/v2/")
    assert "billing.subscription.tier_changed.v2" in page
    assert "ec-latest" in page  # the "latest" badge
    assert "domain.events.dlq" in page and "creativeflow.topic.exchange" in page
    # the property table: required, enum values, formats
    row = re.search(r"<tr class=\"d0\"><td><code>newTier</code>(.*?)</tr>", page)
    assert row, "newTier row missing"
    assert "required" in row.group(1) and "<code>enterprise</code>" in row.group(1)
    assert '<span class="ec-fmt">uuid</span>' in page
    # examples, validated, in code blocks mkdocs-material gives a copy button
    assert page.count("✓ validates against this schema") == 2
    assert '<code class="language-json">' in page
    assert '<span class="nt">"newTier"</span>' in page  # coloured by Pygments, as Material's fences
    # the generated model's import path, named as `eventcat gen python` names it
    assert (
        "from eventcat_events.subscription_billing.subscription_tier_changed_v2 import"
        in text_of(page)
    )
    assert (
        'href="../../../schemas/subscription-billing/SubscriptionTierChanged_v2.schema.json"'
        in page
    )
    # v1 is superseded and links to v2
    old = example_site.html("events/SubscriptionTierChanged/v1/")
    assert "superseded by v2" in old


def test_changes_against_the_previous_version_are_classified(example_site: Built) -> None:
    page = example_site.html("events/SubscriptionTierChanged/v2/")
    section = page.split('id="changes"', 1)[1]
    assert "From " in section
    # each change names its rule (linked to the rule's page) and says whether it breaks
    types = set(re.findall(r'href="../../../rules/([A-Z_]+)/"', section))
    assert types, "no classified change"
    assert "breaking" in section and "compatible" in section
    assert {
        "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL",
        "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL",
    } & types or any("PROPERTY" in t for t in types)


def test_refs_link_to_the_fragment_page_which_lists_its_users(example_site: Built) -> None:
    catalog = read_catalog(EXAMPLE_CATALOG)
    users = catalog.users_of("_shared/Money_v1.schema.json")
    assert users
    user = users[0]
    page = example_site.html(f"events/{user.name}/v{user.version}/")
    assert 'href="../../../fragments/Money_v1/"' in page
    fragment = example_site.html("fragments/Money_v1/")
    for version in users:
        assert f'href="../../events/{version.name}/v{version.version}/"' in fragment
    assert "amount" in fragment and "currency" in fragment


def test_service_pages_show_routing_and_dead_letter_queues(example_site: Built) -> None:
    catalog = read_catalog(EXAMPLE_CATALOG)
    consumer = next(c for v in catalog.versions() for c in v.consumers if c.queue)
    page = example_site.html(f"services/{consumer.service}/")
    assert "Consumes" in page and consumer.queue and consumer.queue in page
    producer = next(iter(catalog.versions())).producers[0]
    assert "Produces" in example_site.html(f"services/{producer}/")


def test_every_rule_has_a_page(example_site: Built) -> None:
    for rule in all_rules():
        page = example_site.html(f"rules/{rule.id}/")
        # `backticked` parts of a summary are shown as inline code
        assert " ".join(rule.summary.replace("`", "").split()) in text_of(page), rule.id
        if "`" in rule.summary:
            code = rule.summary.split("`")[1]
            assert f"<code>{html.escape(code, quote=False)}</code>" in page, rule.id


def test_the_rules_index_shows_each_rule_with_its_registry_level(example_site: Built) -> None:
    # lint and governance rules on the index; the change types on two pages it links to
    index = example_site.html("rules/")
    parts = {
        "breaking": example_site.html("rules/compat-breaking/"),
        "other": example_site.html("rules/compat-other/"),
    }
    assert 'href="compat-breaking/"' in index and 'href="compat-other/"' in index
    for rule in all_rules():
        if rule.family == "compat":
            page = parts["breaking" if rule.level.startswith("breaking") else "other"]
        else:
            page = index
        row = re.search(rf">{re.escape(rule.id)}</a></td><td>(.*?)</td>", page)
        assert row is not None, rule.id
        assert html.unescape(row[1]) == rule.level


def test_field_index_and_changelog(example_site: Built) -> None:
    # the field index lists one page per first letter; a name is on its letter's page
    assert 'href="u/">Fields: U</a>' in example_site.html("fields/")
    assert 'id="f-userId"><td><code>userId</code>' in example_site.html("fields/u/")
    changelog = example_site.html("changelog/")
    assert "ec-changelog" in changelog  # the catalog is committed in this repository


def test_catalog_json_and_llms_txt_list_every_version(example_site: Built) -> None:
    catalog = read_catalog(EXAMPLE_CATALOG)
    index = json.loads((example_site.site / "catalog.json").read_text(encoding="utf-8"))
    listed = {v["eventType"] for e in index["events"] for v in e["versions"]}
    assert listed == {v.event_type for v in catalog.versions()}
    for event in index["events"]:
        for version in event["versions"]:
            assert (example_site.site / version["schema"]).is_file()
            assert (example_site.site / version["page"] / "index.html").is_file()
    llms = (example_site.site / "llms.txt").read_text(encoding="utf-8")
    assert llms.startswith("# ")
    for version in catalog.versions():
        assert (
            f"[{version.name} v{version.version}](events/{version.name}/v{version.version}/)"
            in llms
        )


def _local_target(site: Path, page: Path, url: str) -> Path | None:
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme or parsed.netloc or not parsed.path:
        return None
    base = site if parsed.path.startswith("/") else page.parent  # 404.html links from the root
    target = (base / urllib.parse.unquote(parsed.path).lstrip("/")).resolve()
    return target / "index.html" if target.is_dir() else target


def test_every_internal_link_resolves_and_nothing_loads_from_another_host(
    example_site: Built,
) -> None:
    site = example_site.site.resolve()
    broken = []
    sizes = []
    for page in html_pages(site):
        text = page.read_text(encoding="utf-8")
        sizes.append(len(text.encode("utf-8")))
        for tag, attrs in elements(text).tags:
            for name in ("href", "src"):
                url = attrs.get(name)
                if url is None:
                    continue
                parsed = urllib.parse.urlsplit(url)
                loads = tag in ("script", "img", "iframe", "source", "video", "audio", "embed") or (
                    tag == "link" and attrs.get("rel") not in ("canonical",)
                )
                if parsed.scheme in ("http", "https") or url.startswith("//"):
                    assert not loads, f"{page.relative_to(site)} loads {url} from another host"
                    continue
                target = _local_target(site, page, url)
                if target is not None and not target.exists():
                    broken.append(f"{page.relative_to(site)} -> {url}")
    assert not broken, "\n".join(broken[:20])
    average = sum(sizes) / len(sizes)
    assert average < 30_000, f"average HTML page is {average:.0f} bytes"


def test_stylesheets_and_scripts_fetch_nothing_from_another_host(example_site: Built) -> None:
    for css in example_site.site.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), css
        assert "@import" not in text or "http" not in text
    cdn = re.compile(
        r"https://(unpkg\.com|cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com|fonts\.googleapis\.com|"
        r"fonts\.gstatic\.com)[^\"'`]*"
    )
    found = {
        m.group(0)
        for js in example_site.site.rglob("*.js")
        for m in cdn.finditer(js.read_text(encoding="utf-8", errors="replace"))
    }
    # mkdocs-material's only CDN URLs are fallbacks: Mermaid (unused: the pages ship their own) and a
    # ResizeObserver polyfill for browsers without one (every current browser has it). The browser
    # test checks that no request leaves the machine.
    assert found <= {
        "https://unpkg.com/mermaid@11/dist/mermaid.min.js",
        "https://unpkg.com/resize-observer-polyfill",
    }, found
    assert (example_site.site / "assets" / "eventcat" / "mermaid.min.js").stat().st_size > 1_000_000
    home = example_site.html("")
    assert 'src="assets/eventcat/mermaid.min.js"' in home
    assert "fonts.googleapis" not in home
