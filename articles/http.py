"""404s that tell the citizen why, and the query parameters public pages
read."""

from django.http import Http404, QueryDict


class NotFound(Http404):
    """A 404 whose message, written in Vietnamese for citizens, is shown on
    the 404 page (``views.page_not_found``): a page number past the end, a
    preview link that is wrong. Messages of other 404s (Django's own, in
    English or naming models) are never shown."""


# The cursors a pager's links carry (see ``pagination``).
AFTER = "sau"
BEFORE = "truoc"
# Every query parameter a public page reads: a list's page and the pager's
# cursors, search (q, chuyen_muc, nam), the meeting filter (don_vi, khoa)
# and a sitemap's page (p). Any other parameter never changes what a page
# shows: the ones Zalo, Facebook and Google add to shared links (gidzl,
# zarsrc, fbclid, utm_…, srsltid), often with a new value on every share or
# click, and any made-up one (?x=1, ?x=2, …). Public pages never see them
# (``cachedpages.PageCacheMiddleware``) and the page cache leaves them out
# of its keys, so each such address is a hit on the one copy of the page.
PAGE_PARAMS = frozenset(
    {"page", AFTER, BEFORE, "q", "chuyen_muc", "nam", "don_vi", "khoa", "p"}
)


def page_query(query_string: str) -> str:
    """What public pages read of a raw ``query_string``: its
    ``PAGE_PARAMS``, sorted by name, so two orders of the same parameters
    are one. Names are compared as sent: a name spelt otherwise
    (``p%61ge``) is left out like any other."""
    if not query_string:
        return ""
    kept = [
        part
        for part in query_string.split("&")
        if part.partition("=")[0] in PAGE_PARAMS
    ]
    kept.sort(key=lambda part: part.partition("=")[0])
    return "&".join(kept)


def kept_params(params: QueryDict, dropped=()) -> QueryDict:
    """``params`` without the names ``dropped`` and those no page reads: what
    the links to a list's other pages keep of its address."""
    kept = params.copy()
    for name in params:
        if name in dropped or name not in PAGE_PARAMS:
            del kept[name]
    return kept
