"""A page cache for anonymous visitors that never serves stale news.

Every cached page is stored under the site's *content generation*: a counter
kept in the shared cache (Redis in production) and bumped whenever a row of
the articles app or the site settings is saved or deleted, and whenever staff
change something through a POST. One edit therefore makes every page fresh in
every app process at once; old entries are never read again and simply age
out.

Visibility also changes without anyone saving: a scheduled article appears at
its ``publish_at`` and disappears at its ``expire_at``. No entry outlives the
next such moment: it is computed from the database once per generation and
every entry's timeout is capped at it.

Only anonymous GETs of public pages are served from or stored in the cache: a
request with a session cookie (staff, or anyone who logged in or got a flash
message) always reaches the views, and a response that sets a cookie or says
``private``, ``no-cache`` or ``no-store`` (previews, drafts, forms with a CSRF
token) is never stored.
"""

import hashlib
import math
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_response_headers,
)
from django.utils.http import http_date

from .models import Article

GENERATION_KEY = "pagecache:generation"
NO_CHANGE = "none"
UNCACHEABLE_DIRECTIVES = ("private", "no-cache", "no-store", "max-age=0")
# Headers that describe one delivery, not the page.
UNSTORED_HEADERS = {"set-cookie", "x-cache", "date"}
# Apps whose rows appear on public pages; any save or delete in them counts.
CONTENT_APPS = {"articles"}


def _cache():
    return caches[getattr(settings, "WARDNEWS_PAGE_CACHE_ALIAS", "default")]


def max_seconds() -> int:
    return int(getattr(settings, "WARDNEWS_PAGE_CACHE_SECONDS", 0) or 0)


def now() -> float:
    """Wall-clock seconds; one name so tests can move time forward."""
    return time.time()


def generation() -> int:
    """The current content generation, created on first use.

    A fresh generation starts from the clock in nanoseconds, so a counter
    lost to eviction or a Redis restart never returns to a value that old
    entries were stored under.
    """
    cache = _cache()
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = time.time_ns()
        if not cache.add(GENERATION_KEY, value, timeout=None):
            value = cache.get(GENERATION_KEY, value)
    return value


def bump_generation() -> None:
    """Make every cached page and count stale, in every process."""
    cache = _cache()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)


def bump_generation_now_and_on_commit() -> None:
    """Bump now (this process sees the change at once) and again when the
    transaction commits, so a page rendered by another process between the
    save and the commit is not kept under the new generation."""
    bump_generation()
    connection = transaction.get_connection()
    if connection.in_atomic_block and not getattr(
        connection, "_pagecache_bump_pending", False
    ):
        connection._pagecache_bump_pending = True

        def after_commit():
            connection._pagecache_bump_pending = False
            bump_generation()

        transaction.on_commit(after_commit)


def _seconds_left(until: float | None, limit: int) -> int:
    if until is None:
        return limit
    return max(0, min(limit, math.floor(until - now())))


def _next_change_key(gen: int) -> str:
    return f"pagecache:next:{gen}"


def _next_change(gen: int) -> float | None:
    """Epoch seconds of the next scheduled change, cached per generation."""
    cache = _cache()
    value = cache.get(_next_change_key(gen))
    if value is None:
        moment = Article.objects.next_visibility_change()
        value = moment.timestamp() if moment else NO_CHANGE
        timeout = _seconds_left(
            None if value == NO_CHANGE else value, max(max_seconds(), 3600)
        )
        if timeout:
            cache.set(_next_change_key(gen), value, timeout)
    return None if value == NO_CHANGE else value


def _lookup(key: str) -> tuple[int, Any]:
    """The current generation and what ``key`` holds for it, in one round trip.

    Entries carry the generation they were made under; one made under an
    older generation is as good as absent.
    """
    found = _cache().get_many([GENERATION_KEY, key])
    gen = found.get(GENERATION_KEY)
    if gen is None:
        return generation(), None
    stored = found.get(key)
    if stored is not None and stored[0] == gen:
        return gen, stored[1]
    return gen, None


def _store(key: str, gen: int, value: Any, limit: int) -> int:
    """Keep ``value`` for at most ``limit`` seconds and never past the next
    scheduled change; returns the timeout used (0: not stored)."""
    timeout = _seconds_left(_next_change(gen), limit)
    if timeout:
        _cache().set(key, (gen, value), timeout)
    return timeout


def remember(name: str, compute: Callable[[], Any]) -> Any:
    """``compute()``, cached until the content changes or the next scheduled
    publish or expiry, whichever comes first (counts of long lists).

    Works with the page cache off too: a list's count is needed on every
    render of every page of it.
    """
    limit = int(getattr(settings, "WARDNEWS_COUNT_CACHE_SECONDS", 600))
    if not limit:
        return compute()
    key = f"pagecache:value:{hashlib.md5(name.encode()).hexdigest()}"
    gen, value = _lookup(key)
    if value is None:
        value = compute()
        _store(key, gen, value, limit)
    return value


def _content_changed(sender, **kwargs) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is None:
        return
    if kwargs.get("raw"):
        return
    if meta.app_label in CONTENT_APPS or meta.model_name == "sitesettings":
        bump_generation_now_and_on_commit()


def _m2m_changed(sender, action, **kwargs) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        _content_changed(sender)


def connect_signals() -> None:
    """Receivers for every model, filtered by app: models added later by
    anyone are covered without touching this module."""
    post_save.connect(_content_changed, dispatch_uid="pagecache-save")
    post_delete.connect(_content_changed, dispatch_uid="pagecache-delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="pagecache-m2m")
    try:
        from .signals import article_visibility_changed
    except ImportError:
        return
    article_visibility_changed.connect(
        _visibility_changed, dispatch_uid="pagecache-visibility"
    )


def _visibility_changed(sender, **kwargs) -> None:
    bump_generation()


def _excluded_prefixes() -> list[str]:
    prefixes = [settings.STATIC_URL, settings.MEDIA_URL, "/admin/"]
    prefixes += list(getattr(settings, "WARDNEWS_PAGE_CACHE_EXCLUDE", []))
    return [p for p in prefixes if p and p.startswith("/")]


def request_is_cacheable(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    return not any(request.path.startswith(p) for p in _excluded_prefixes())


def response_is_cacheable(request: HttpRequest, response: HttpResponse) -> bool:
    if request.method != "GET" or response.status_code != 200:
        return False
    if response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower().replace(" ", "")
    if any(d in cache_control.split(",") for d in UNCACHEABLE_DIRECTIVES):
        return False
    return "*" not in response.get("Vary", "")


def _page_key(request: HttpRequest) -> str | None:
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    url = f"{request.scheme}://{host}{request.get_full_path()}"
    return f"pagecache:page:{hashlib.md5(url.encode()).hexdigest()}"


def _public_headers(response: HttpResponse, seconds: int) -> None:
    """Browsers revalidate every time (cheap 304s); shared caches may keep the
    page for a short, configurable while."""
    proxy = min(seconds, int(getattr(settings, "WARDNEWS_PROXY_CACHE_SECONDS", 0)))
    stale = int(getattr(settings, "WARDNEWS_STALE_WHILE_REVALIDATE", 0))
    patch_response_headers(response, cache_timeout=0)
    directives = {"public": True, "max_age": 0, "s_maxage": proxy}
    if proxy and stale:
        directives["stale_while_revalidate"] = stale
    patch_cache_control(response, **directives)


def _conditional(request, response, etag, stored_at):
    return get_conditional_response(
        request, etag=etag, last_modified=int(stored_at), response=response
    )


class PageCacheMiddleware:
    """Serves and stores anonymous GETs of public pages; see module docstring.

    Sits right after WhiteNoise, before sessions, so a hit costs two cache
    reads and no database query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = max_seconds()
        if not limit:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD", "OPTIONS", "TRACE"):
            response = self.get_response(request)
            user = getattr(request, "user", None)
            # Admin actions may write with queryset.update(), which sends no
            # signal: a successful staff write always starts a new generation.
            if response.status_code < 400 and getattr(user, "is_staff", False):
                bump_generation()
            return response
        if not request_is_cacheable(request):
            return self.get_response(request)

        key = _page_key(request)
        if key is None:
            return self.get_response(request)
        gen, entry = _lookup(key)
        if entry is not None:
            content, status, headers, stored_at, expires_at, etag = entry
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            _public_headers(response, _seconds_left(expires_at, limit))
            response["X-Cache"] = "HIT"
            return _conditional(request, response, etag, stored_at)

        response = self.get_response(request)
        if not response_is_cacheable(request, response):
            return response
        stored_at = now()
        timeout = _seconds_left(_next_change(gen), limit)
        etag = f'"{hashlib.md5(response.content).hexdigest()}"'
        response["ETag"] = etag
        response["Last-Modified"] = http_date(stored_at)
        _public_headers(response, timeout)
        if timeout:
            headers = [
                (name, value)
                for name, value in response.items()
                if name.lower() not in UNSTORED_HEADERS
            ]
            entry = (
                response.content,
                response.status_code,
                headers,
                stored_at,
                stored_at + timeout,
                etag,
            )
            _cache().set(key, (gen, entry), timeout)
        response["X-Cache"] = "MISS"
        return _conditional(request, response, etag, stored_at)
