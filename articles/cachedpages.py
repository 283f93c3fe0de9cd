"""Public pages served from the page cache (``articles.pagecache``): which
requests and responses qualify, the headers a cached page carries, and the
two places that answer from it.

Only anonymous GETs of public pages are served from or stored in the cache: a
request with a session cookie (staff, or anyone who logged in or got a flash
message) always reaches the views, and a response that sets a cookie or says
``private``, ``no-cache`` or ``no-store`` (previews, drafts, forms with a CSRF
token) is never stored.

A public page sees only the query parameters it reads, which key it
(``http.PAGE_PARAMS``): any other one (a shared link's ``fbclid``, a made-up
``?x=1``) changes nothing it shows, so it is a hit on the one copy of the
page, never a new entry.

``WSGIPageCache`` answers plain GET hits before Django's request handling
starts; ``PageCacheMiddleware``, first in ``MIDDLEWARE``, answers
conditional GETs and stores what the views render. A hit costs one small
read of the shared cache (the generation).

A page is stored gzipped too, compressed once when it is rendered: a phone
that accepts gzip (every browser does) downloads a quarter of the bytes, and
no hit spends time compressing. Only pages that qualify for the cache are
compressed here: the same for every visitor, they hold no secret that
compression next to a visitor's own text could leak (BREACH).
"""

import hashlib
import logging
import re

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.encoding import escape_uri_path
from django.utils.http import http_date
from django.utils.text import compress_string

from . import http, pagecache

UNCACHEABLE_DIRECTIVES = ("private", "no-cache", "no-store", "max-age=0")
# Headers that describe one delivery, not the page.
UNSTORED_HEADERS = {"set-cookie", "x-cache", "date"}
# Staff writes that change nothing a public page shows.
ACCOUNT_VIEWS = {"admin:login", "admin:logout", "admin:password_change"}
# The environ key of a miss WSGIPageCache hands to PageCacheMiddleware.
WSGI_MISS = "wardnews.pagecache.miss"
# Below this, gzip's own header and trailer outweigh what it saves.
GZIP_MIN_BYTES = 200
accepts_gzip = re.compile(r"\bgzip\b").search

logger = logging.getLogger(__name__)


def _excluded_prefixes() -> list[str]:
    prefixes = [settings.STATIC_URL, settings.MEDIA_URL, "/admin/"]
    prefixes += list(getattr(settings, "WARDNEWS_PAGE_CACHE_EXCLUDE", []))
    return [p for p in prefixes if p and p.startswith("/")]


def is_public_page(path_info: str) -> bool:
    return not any(path_info.startswith(p) for p in _excluded_prefixes())


def request_is_cacheable(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    return is_public_page(request.path_info)


def response_is_cacheable(request: HttpRequest, response: HttpResponse) -> bool:
    if request.method != "GET" or response.status_code != 200:
        return False
    if response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower().replace(" ", "")
    if any(d in cache_control.split(",") for d in UNCACHEABLE_DIRECTIVES):
        return False
    return "*" not in response.get("Vary", "")


def page_key(request: HttpRequest) -> str | None:
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    # Only what the page reads keys it: a shared link's tracking parameters
    # would give every click a page of its own, each a miss and one more
    # copy of the page in the cache. The query string is kept as sent
    # (raw bytes, as WSGI gives them): two that Django reads differently
    # never share a key.
    url = f"{request.scheme}://{host}{escape_uri_path(request.path)}"
    query = http.page_query(request.path_info, request.META.get("QUERY_STRING", ""))
    if query:
        url += f"?{query}"
    digest = hashlib.md5(url.encode("utf-8", "surrogatepass")).hexdigest()
    return f"pagecache:page:{pagecache.release_key()}:{digest}"


def _public_headers(seconds: int) -> dict[str, str]:
    """Browsers revalidate every time (cheap 304s); shared caches may keep the
    page for a short, configurable while, never past the entry's own time."""
    proxy = min(seconds, int(getattr(settings, "WARDNEWS_PROXY_CACHE_SECONDS", 0)))
    stale = int(getattr(settings, "WARDNEWS_STALE_WHILE_REVALIDATE", 0))
    directives = ["max-age=0", "public", f"s-maxage={proxy}"]
    if proxy and stale:
        directives.append(f"stale-while-revalidate={stale}")
    return {
        "Cache-Control": ", ".join(directives),
        "Expires": http_date(pagecache.now()),
    }


def _conditional(request, response, etag, stored_at):
    return get_conditional_response(
        request, etag=etag, last_modified=int(stored_at), response=response
    )


def _gzipped(response: HttpResponse) -> bytes | None:
    """The page gzipped, when that makes it smaller."""
    content = response.content
    if len(content) < GZIP_MIN_BYTES or response.has_header("Content-Encoding"):
        return None
    gzipped = compress_string(content)
    return gzipped if len(gzipped) < len(content) else None


def _variant(entry: tuple, accept_encoding: str) -> tuple[bytes, dict[str, str]]:
    """The body to send for a request's ``Accept-Encoding``, and the headers
    that differ from the stored ones."""
    content, _status, _headers, _stored_at, _expires_at, etag, gzipped = entry
    if gzipped is None or not accepts_gzip(accept_encoding):
        return content, {}
    return gzipped, {
        "Content-Encoding": "gzip",
        "Content-Length": str(len(gzipped)),
        # Another representation of the same page: a weak validator, as
        # Django's GZipMiddleware gives.
        "ETag": f"W/{etag}",
    }


def _hit_headers(entry: tuple, limit: int, variant: dict) -> list[tuple[str, str]]:
    headers, expires_at = entry[2], entry[4]
    fresh = _public_headers(pagecache.seconds_left(expires_at, limit))
    fresh["X-Cache"] = "HIT"
    fresh.update(variant)
    return [(n, v) for n, v in headers if n not in fresh] + list(fresh.items())


def _hit(request: HttpRequest, entry: tuple, limit: int) -> HttpResponse:
    body, variant = _variant(entry, request.headers.get("Accept-Encoding", ""))
    response = HttpResponse(body, status=entry[1])
    for name, value in _hit_headers(entry, limit, variant):
        response[name] = value
    return _conditional(request, response, response["ETag"], entry[3])


def _staff_write(request) -> bool:
    """A request by staff that may change what public pages show (logging
    in or out, or changing one's password, does not)."""
    match = request.resolver_match
    return (
        request.method not in ("GET", "HEAD", "OPTIONS", "TRACE")
        and getattr(getattr(request, "user", None), "is_staff", False)
        and not (match and match.view_name in ACCOUNT_VIEWS)
    )


class PageCacheMiddleware:
    """Serves and stores anonymous GETs of public pages; see module docstring.

    First in ``MIDDLEWARE``: a hit costs one small cache read and runs no
    other middleware, and a stored page keeps the headers every other
    middleware gave it (security headers, content security policy).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD"):
            query = request.META.get("QUERY_STRING", "")
            if query and is_public_page(request.path_info):
                # A public page sees its address with only the parameters
                # that key it, as though sent that way.
                request.META["QUERY_STRING"] = http.page_query(request.path_info, query)
            held = pagecache.request_generation.set([])
            try:
                return self._read(request)
            finally:
                pagecache.request_generation.reset(held)
        response = self.get_response(request)
        # Admin actions may write with queryset.update(), which sends no
        # signal: a successful staff write always starts a new generation,
        # page cache or not (list frames and counts are kept under it).
        if response.status_code < 400 and _staff_write(request):
            try:
                pagecache.bump_generation()
            except pagecache.GenerationNotRenewed as error:
                return self.process_exception(request, error)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        """Refuse a staff write before it runs while the shared cache is out
        of reach: it could not start the new generation it needs, and a
        write outside a transaction could not be undone afterwards."""
        if request.method in ("GET", "HEAD") or not _staff_write(request):
            return None
        try:
            pagecache.check_renewable()
        except pagecache.GenerationNotRenewed as error:
            return self.process_exception(request, error)
        return None

    def process_exception(self, request, exception):
        """A write that could not start a new generation (refused before it
        ran, or the save's own bump failed and its transaction with it): say
        so, in a page of its own, instead of a server error."""
        if not isinstance(exception, pagecache.GenerationNotRenewed):
            return None
        logger.error("Write refused, page cache unreachable: %r", exception)
        return HttpResponse(render_to_string("cache_unavailable.html"), status=503)

    def _read(self, request):
        limit = pagecache.max_seconds()
        missed = request.META.get(WSGI_MISS)
        if missed is not None:
            # WSGIPageCache looked the page up a moment ago.
            key, gen = missed
            pagecache.request_generation.get().append(gen)
        else:
            if not limit or not request_is_cacheable(request):
                return self.get_response(request)
            key = page_key(request)
            if key is None:
                return self.get_response(request)
            gen, entry = pagecache.lookup(key)
            if entry is not None:
                return _hit(request, entry, limit)
        response = self.get_response(request)
        if not response_is_cacheable(request, response):
            return response
        stored_at = pagecache.now()
        timeout = pagecache.entry_seconds(gen, limit)
        etag = f'"{hashlib.md5(response.content).hexdigest()}"'
        response["ETag"] = etag
        response["Last-Modified"] = http_date(stored_at)
        for name, value in _public_headers(timeout).items():
            response[name] = value
        patch_vary_headers(response, ("Accept-Encoding",))
        entry = (
            response.content,
            response.status_code,
            [
                (name, value)
                for name, value in response.items()
                if name.lower() not in UNSTORED_HEADERS
            ],
            stored_at,
            stored_at + timeout,
            etag,
            _gzipped(response),
        )
        if timeout:
            pagecache.keep(key, gen, entry, timeout, stored_at + timeout)
        body, variant = _variant(entry, request.headers.get("Accept-Encoding", ""))
        if variant:
            response.content = body
            for name, value in variant.items():
                response[name] = value
        response["X-Cache"] = "MISS"
        return _conditional(request, response, response["ETag"], stored_at)


class WSGIPageCache:
    """Answers page-cache hits before Django's request handling starts.

    Wraps the WSGI application: for a plain GET that the page cache holds,
    no middleware, URL resolving or request signals run. Everything else,
    including every miss and every conditional GET (which
    ``PageCacheMiddleware`` answers with a 304), goes to the wrapped
    application; a miss carries its key and generation there
    (``WSGI_MISS``), so the middleware stores the page without reading the
    cache again.
    """

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        limit = pagecache.max_seconds()
        if (
            limit
            and environ.get("REQUEST_METHOD") == "GET"
            and "HTTP_IF_NONE_MATCH" not in environ
            and "HTTP_IF_MODIFIED_SINCE" not in environ
        ):
            # A copy: WSGIRequest writes the decoded path back into the
            # environ it is given, which Django would then decode again and
            # fail on (a path in Vietnamese, /tin-tuc/hội-nghị/).
            request = WSGIRequest(dict(environ))
            key = request_is_cacheable(request) and page_key(request)
            if key:
                gen, entry = pagecache.lookup(key)
                if entry is not None:
                    body, variant = _variant(
                        entry, environ.get("HTTP_ACCEPT_ENCODING", "")
                    )
                    start_response("200 OK", _hit_headers(entry, limit, variant))
                    return [body]
                environ[WSGI_MISS] = (key, gen)
        return self.application(environ, start_response)
