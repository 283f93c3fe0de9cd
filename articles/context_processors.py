from django.core.exceptions import DisallowedHost

from .models import Category, SiteSettings


def canonical_url(request) -> str:
    """This page's address without query string, except a page number."""
    try:
        url = request.build_absolute_uri(request.path)
    except DisallowedHost:
        return ""
    page = request.GET.get("page", "")
    if page.isdigit() and page != "1" and len(page) < 6:
        url += f"?page={page}"
    return url


def site(request):
    """Site identity, contact lines and the category menu, for every page.

    The settings row comes from the cache; the menu is one lazy query, run
    only by templates that show it.
    """
    site_settings = SiteSettings.load()
    canonical = canonical_url(request)
    root = canonical.split("/", 3)
    return {
        "site": site_settings,
        "site_name": site_settings.name,
        "site_tagline": site_settings.full_name,
        "nav_categories": Category.objects.all(),
        "canonical_url": canonical,
        "site_root": "/".join(root[:3]) if canonical else "",
    }
