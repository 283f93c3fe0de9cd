from django.core.exceptions import DisallowedHost, TooManyFieldsSent
from django.utils.functional import SimpleLazyObject

from . import pagecache
from .models import Category, SiteSettings


def categories() -> list[Category]:
    """Every category in menu order, read once per content generation."""
    return pagecache.remember("categories", lambda: list(Category.objects.all()))


def canonical_url(request) -> str:
    """This page's address without query string, except a page number."""
    try:
        url = request.build_absolute_uri(request.path)
    except DisallowedHost:
        return ""
    try:
        page = request.GET.get("page", "")
    except TooManyFieldsSent:  # answered with the page for bad requests
        page = ""
    if page.isdigit() and page != "1" and len(page) < 6:
        url += f"?page={page}"
    return url


def site(request, *, fresh: bool = False):
    """Site identity, contact lines and the category menu, for every page.

    The settings row comes from the cache (from the database with
    ``fresh``); the menu is read, from the cache too, only by templates that
    show it.
    """
    site_settings = SiteSettings.load(fresh=fresh)
    canonical = canonical_url(request)
    root = canonical.split("/", 3)
    return {
        "site": site_settings,
        "site_name": site_settings.name,
        "site_tagline": site_settings.full_name,
        "nav_categories": SimpleLazyObject(categories),
        "canonical_url": canonical,
        "site_root": "/".join(root[:3]) if canonical else "",
    }
