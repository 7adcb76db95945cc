"""Domain, service and team pages, and their three index pages."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from markupsafe import Markup

from eventcat.docsite.html import safe_title, safe_url
from eventcat.docsite.page import Page
from eventcat.docsite.pages.listing import event_list

if TYPE_CHECKING:
    from eventcat.catalog.model import EventVersion
    from eventcat.docsite.build import Builder


def domain_pages(b: Builder) -> None:
    catalog = b.catalog
    for domain in catalog.domains.values():
        src = f"domains/{domain.id}.md"
        page = b.add(Page(src, safe_title(domain.name)))
        page.html(b.render("directory/domain.html.j2", src=src, domain=domain))
        page.h2("Events").html(
            event_list(
                b,
                src,
                [v for v in catalog.versions() if v.domain == domain.id],
                base=f"domains/{domain.id}",
                slug="events",
                title=f"{domain.name}: events",
                with_domain=False,
            )
        )
        services = [s for s in catalog.services.values() if s.domain == domain.id]
        if services:
            page.h2("Services").html(
                b.render(
                    "directory/links.html.j2", links=[b.service_link(src, s.id) for s in services]
                )
            )
    src = "domains/index.md"
    rows = [
        (d, sum(1 for e in catalog.events if e.domain == d.id)) for d in catalog.domains.values()
    ]
    b.add(Page(src, "Domains")).html(
        b.render("directory/domains_index.html.j2", src=src, rows=rows)
    )


def service_pages(b: Builder) -> None:
    catalog = b.catalog
    for service in catalog.services.values():
        src = f"services/{service.id}.md"
        page = b.add(Page(src, safe_title(service.name)))
        page.html(
            b.render(
                "directory/service.html.j2",
                src=src,
                service=service,
                url=safe_url(service.repository),
            )
        )
        # what it produces and what it consumes: the same paged list, the latter with how
        describe = partial(_consumer_line, b, service.id)
        for heading, versions, how in (
            ("Produces", catalog.produced_by(service.id), None),
            ("Consumes", catalog.consumed_by(service.id), describe),
        ):
            page.h2(heading).html(
                event_list(
                    b,
                    src,
                    versions,
                    base=f"services/{service.id}",
                    slug=heading.lower(),
                    title=f"{service.name}: {heading.lower()}",
                    describe=how,
                )
            )
    src = "services/index.md"
    rows = [
        (s, len(catalog.produced_by(s.id)), len(catalog.consumed_by(s.id)))
        for s in catalog.services.values()
    ]
    b.add(Page(src, "Services")).html(
        b.render("directory/services_index.html.j2", src=src, rows=rows)
    )


def _consumer_line(b: Builder, service: str, version: EventVersion) -> Markup:
    """How ``service`` consumes ``version``: handler, queue or routing key, dead-letter queue, the
    fields it reads (one line per consumer entry; the version page has the rest)."""
    rows = []
    channel = version.channel
    for consumer in version.consumers:
        if consumer.service == service:
            routing = channel.get("routingKey") or channel.get("topic")
            dlq = consumer.dead_letter_queue or channel.get("deadLetterQueue")
            rows.append(
                (
                    consumer,
                    routing if isinstance(routing, str) else None,
                    dlq if isinstance(dlq, str) else None,
                )
            )
    return b.render("directory/consumer_line.html.j2", rows=rows)


def team_pages(b: Builder) -> None:
    catalog = b.catalog
    for team in catalog.teams.values():
        src = f"teams/{team.id}.md"
        page = b.add(Page(src, safe_title(team.name)))
        page.html(
            b.render(
                "directory/team.html.j2",
                team=team,
                mail=safe_url(f"mailto:{team.email}") if team.email else None,
            )
        )
        domains = [d for d in catalog.domains.values() if d.owner == team.id]
        if domains:
            page.h2("Domains").html(
                b.render(
                    "directory/links.html.j2", links=[b.domain_link(src, d.id) for d in domains]
                )
            )
        services = [s for s in catalog.services.values() if s.owner == team.id]
        if services:
            page.h2("Services").html(
                b.render(
                    "directory/links.html.j2", links=[b.service_link(src, s.id) for s in services]
                )
            )
        page.h2("Events").html(
            event_list(
                b,
                src,
                [v for v in catalog.versions() if v.owner == team.id],
                base=f"teams/{team.id}",
                slug="events",
                title=f"{team.name}: events",
            )
        )
    src = "teams/index.md"
    rows = [
        (t, sum(1 for v in catalog.versions() if v.owner == t.id)) for t in catalog.teams.values()
    ]
    b.add(Page(src, "Teams")).html(b.render("directory/teams_index.html.j2", src=src, rows=rows))
