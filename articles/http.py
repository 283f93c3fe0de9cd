"""404s that tell the citizen why, and the query parameters that only say
where a visitor came from."""

from django.http import Http404, QueryDict


class NotFound(Http404):
    """A 404 whose message, written in Vietnamese for citizens, is shown on
    the 404 page (``views.page_not_found``): a page number past the end, a
    preview link that is wrong. Messages of other 404s (Django's own, in
    English or naming models) are never shown."""


# Added to shared links by Zalo (gidzl, zarsrc), Facebook (fbclid,
# mibextid), Google (srsltid on search results, _gl between sites, the ad
# click ids) and newsletters, often with a new value on every share or
# click; they never change what a page shows.
TRACKING_PARAMS = frozenset(
    {
        "gidzl",
        "zarsrc",
        "fbclid",
        "mibextid",
        "gclid",
        "gbraid",
        "wbraid",
        "dclid",
        "msclkid",
        "srsltid",
        "_gl",
        "igshid",
        "ttclid",
        "twclid",
        "yclid",
        "mc_cid",
        "mc_eid",
        "_ga",
    }
)


def is_tracking(name: str) -> bool:
    return name in TRACKING_PARAMS or name.startswith("utm_")


def without_tracking(query_string: str) -> str:
    """``query_string`` without its tracking parameters."""
    return "&".join(
        part
        for part in query_string.split("&")
        if part and not is_tracking(part.partition("=")[0])
    )


def kept_params(params: QueryDict, dropped=()) -> QueryDict:
    """``params`` without the names ``dropped`` and tracking ones: what the
    links to a list's other pages keep of its address."""
    kept = params.copy()
    for name in params:
        if name in dropped or is_tracking(name):
            del kept[name]
    return kept
