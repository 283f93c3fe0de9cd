"""404s that tell the citizen why."""

from django.http import Http404


class NotFound(Http404):
    """A 404 whose message, written in Vietnamese for citizens, is shown on
    the 404 page (``views.page_not_found``): a page number past the end, a
    preview link that is wrong. Messages of other 404s (Django's own, in
    English or naming models) are never shown."""
