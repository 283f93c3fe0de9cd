"""schema.org descriptions (JSON-LD) of public pages, for search engines and
link previews. Built from rows already loaded by the views: no queries."""

import datetime
from typing import Any

from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import strip_tags

from .models import Article, Official, SiteSettings

Data = dict[str, Any]


def _absolute(request, url: str) -> str:
    return request.build_absolute_uri(url)


def publisher(site: SiteSettings, request) -> Data:
    data: Data = {
        "@type": "GovernmentOrganization",
        "name": site.full_name,
        "alternateName": site.name,
        "url": _absolute(request, "/"),
        "logo": {
            "@type": "ImageObject",
            "url": _absolute(request, static("img/share.png")),
            "width": 1200,
            "height": 630,
        },
    }
    if site.address:
        data["address"] = {
            "@type": "PostalAddress",
            "streetAddress": site.address,
            "addressCountry": "VN",
        }
    if site.phone:
        data["telephone"] = site.phone
    if site.email:
        data["email"] = site.email
    return data


def share_picture(photo) -> tuple[str, int | None, int | None]:
    """URL, width and height of ``photo`` for link previews (a JPEG at most
    1200 px wide: ``Photo.share_picture``)."""
    picture = photo.share_picture()
    return picture["url"], picture["width"], picture["height"]


def _iso(value) -> str:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def article(article: Article, site: SiteSettings, request) -> Data:
    """A ``NewsArticle``, with an ``Event`` for a meeting report."""
    url = _absolute(request, article.get_absolute_url())
    news: Data = {
        "@type": "NewsArticle",
        "@id": f"{url}#bai-viet",
        "mainEntityOfPage": url,
        "url": url,
        "headline": article.title[:110],
        "description": article.summary or strip_tags(article.body)[:300],
        "datePublished": _iso(article.publish_at),
        "dateModified": _iso(article.updated_at),
        "inLanguage": "vi",
        "articleSection": article.category.name,
        "author": {"@type": "Organization", "name": article.byline or site.full_name},
        "publisher": publisher(site, request),
    }
    if article.cover_id:
        url, width, height = share_picture(article.cover)
        news["image"] = [
            {
                "@type": "ImageObject",
                "url": _absolute(request, url),
                "width": width,
                "height": height,
            }
        ]
    graph = [news]
    meeting = getattr(article, "meeting", None)
    if meeting is not None and meeting.held_on:
        start: datetime.date | datetime.datetime = meeting.held_on
        if meeting.held_at:
            start = timezone.make_aware(
                datetime.datetime.combine(meeting.held_on, meeting.held_at)
            )
        event: Data = {
            "@type": "Event",
            "name": meeting.full_title,
            "startDate": _iso(start),
            "eventStatus": "https://schema.org/EventScheduled",
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "location": {
                "@type": "Place",
                "name": meeting.place or site.name,
                "address": site.address or site.name,
            },
            "url": url,
            "subjectOf": {"@id": news["@id"]},
        }
        if meeting.organization:
            event["organizer"] = {
                "@type": "GovernmentOrganization",
                "name": meeting.organization.name,
            }
        graph.append(event)
    return {"@context": "https://schema.org", "@graph": graph}


def official(official: Official, site: SiteSettings, request) -> Data:
    """A ``Person`` with the positions held today."""
    current = official.positions_on()
    data: Data = {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": official.full_name,
        "url": _absolute(request, official.get_absolute_url()),
    }
    if current:
        data["jobTitle"] = [position.title for position in current]
        organizations = {p.organization.name for p in current if p.organization}
        data["worksFor"] = [
            {"@type": "GovernmentOrganization", "name": name}
            for name in sorted(organizations)
        ] or publisher(site, request)
    if official.photo:
        data["image"] = _absolute(request, official.photo.url)
    if official.bio:
        data["description"] = official.bio[:300]
    return data


def website(site: SiteSettings, request) -> Data:
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": site.full_name,
        "url": _absolute(request, "/"),
        "inLanguage": "vi",
        "publisher": publisher(site, request),
    }
