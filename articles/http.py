"""404s that tell the citizen why, and the query parameters public pages
read."""

from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import Http404, QueryDict
from django.urls import Resolver404, resolve


class NotFound(Http404):
    """A 404 whose message, written in Vietnamese for citizens, is shown on
    the 404 page (``views.page_not_found``): a page number past the end, a
    preview link that is wrong. Messages of other 404s (Django's own, in
    English or naming models) are never shown."""


# The cursors a pager's links carry (see ``pagination``).
AFTER = "sau"
BEFORE = "truoc"
PAGING = frozenset({"page", AFTER, BEFORE})
# The query parameters each public page reads, by URL name; the others read
# none. Any other parameter never changes what a page shows: the ones Zalo,
# Facebook and Google add to shared links (gidzl, zarsrc, fbclid, utm_…,
# srsltid), often with a new value on every share or click, and any made-up
# one (?x=1, ?x=2, …, or ?q=1 on an article). Pages never see them
# (``cachedpages.PageCacheMiddleware``) and the page cache leaves them out
# of its keys, so each such address is a hit on the one copy of the page.
PAGE_PARAMS = {
    "articles:article-list": PAGING,
    "articles:category-detail": PAGING,
    "articles:archive-month": PAGING,
    "articles:meeting-list": PAGING | {"don_vi", "khoa"},
    "articles:search": frozenset({"page", "q", "chuyen_muc", "nam"}),
    "articles:official-list": frozenset({"page"}),
    "articles:official-detail": frozenset({"page"}),
    "sitemap-section": frozenset({"p"}),
}


def page_query(path_info: str, query_string: str) -> str:
    """What the public page at ``path_info`` reads of a raw
    ``query_string``: its parameters (``PAGE_PARAMS``), the last of each
    name (the one ``request.GET`` gives), sorted by name, so two orders of
    the same parameters are one. Names are compared as sent: a name spelt
    otherwise (``p%61ge``) is left out like any other."""
    if not query_string:
        return ""
    read = _read_at(path_info)
    if not read:
        return ""
    kept = {}
    for part in query_string.split("&"):
        name = part.partition("=")[0]
        if name in read:
            kept[name] = part
    return "&".join(kept[name] for name in sorted(kept))


@lru_cache(maxsize=1024)
def _read_at(path_info: str) -> frozenset[str]:
    """The parameters the page at ``path_info`` reads; kept per address,
    since resolving one costs a hit with a query string a fifth of its
    time."""
    try:
        return PAGE_PARAMS.get(resolve(path_info).view_name, frozenset())
    except Resolver404:
        return frozenset()


@receiver(setting_changed)
def _urls_changed(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _read_at.cache_clear()


def other_params(params: QueryDict, dropped=PAGING) -> str:
    """``params`` without the names ``dropped``, encoded: what the links to a
    list's other pages keep of its address (its filters)."""
    kept = params.copy()
    for name in params:
        if name in dropped:
            del kept[name]
    return kept.urlencode()
