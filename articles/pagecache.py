"""A page cache for anonymous visitors that never serves stale news.

Every cached page is stored under the site's *content generation*: a value
kept in the shared cache (Redis, or files shared by the processes of one
machine; see ``CACHES`` in the settings) and renewed whenever a row of
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

A hit costs one small read of the shared cache: each process keeps copies of
the entries it read lately (``_LocalCopies``) and uses one only under the
current generation.

When the shared cache cannot be reached (Redis stopped, cache files on a
full disk), pages are rendered from the database and nothing is served
from or kept in the cache; an edit, which cannot start a new generation
then, is refused (``GenerationNotRenewed``).

``WSGIPageCache`` answers plain GET hits before Django's request handling
starts; ``PageCacheMiddleware``, first in ``MIDDLEWARE``, answers
conditional GETs and stores what the views render.
"""

import hashlib
import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from redis.exceptions import RedisError

from . import release
from .models import Article
from .transactions import first_in_transaction

# What a cache backend raises when it cannot be reached or written: Redis
# stopped or unreachable, cache files on a full or read-only disk.
CACHE_ERRORS = (OSError, RedisError)
GENERATION_KEY = "pagecache:generation"
NO_CHANGE = "none"
UNCACHEABLE_DIRECTIVES = ("private", "no-cache", "no-store", "max-age=0")
# Headers that describe one delivery, not the page.
UNSTORED_HEADERS = {"set-cookie", "x-cache", "date"}
# Apps whose rows appear on public pages; any save or delete in them counts.
CONTENT_APPS = {"articles"}
# Entries each app process keeps a copy of (see _LocalCopies): at 20-60 KB a
# page, at most ~15 MB.
LOCAL_COPIES = 256
# Staff writes that change nothing a public page shows.
ACCOUNT_VIEWS = {"admin:login", "admin:logout", "admin:password_change"}
# The environ key of a miss WSGIPageCache hands to PageCacheMiddleware.
WSGI_MISS = "wardnews.pagecache.miss"

logger = logging.getLogger(__name__)


class GenerationNotRenewed(Exception):
    """A change could not start a new generation: the shared cache is out
    of reach, and other processes would go on serving the old pages."""


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


# The generation read once for the GET being answered, so the parts it
# reads from the cache (menu, counts, site-wide fragments) cost one small
# read of the shared cache between them. Set only by PageCacheMiddleware.
_request_generation: ContextVar[list | None] = ContextVar(
    "pagecache_request_generation", default=None
)


def _current_generation() -> int | None:
    """The generation to read and keep entries under; None when the shared
    cache cannot be reached, and then for the rest of the request."""
    held = _request_generation.get()
    if held:
        return held[0]
    value = None
    if reachable():
        try:
            value = generation()
        except CACHE_ERRORS as error:
            unreachable(error)
    if held is not None:
        held.append(value)
    return value


# After a failed read, reads are skipped for a while: a Redis host that
# stopped answering costs one page its timeout, not every page.
RETRY_AFTER_SECONDS = 5
_down_until = -math.inf
_last_warning = -math.inf


@receiver(setting_changed)
def _cache_settings_changed(setting, **kwargs):
    global _down_until
    if setting == "CACHES":
        _down_until = -math.inf


def reachable() -> bool:
    """Whether to read the shared cache: False for a few seconds after a
    read failed. Writes are always tried."""
    return time.monotonic() >= _down_until


def unreachable(error: Exception) -> None:
    """Skip reads for a few seconds; log that pages are served uncached,
    once a minute per process, not once a request."""
    global _down_until, _last_warning
    _down_until = time.monotonic() + RETRY_AFTER_SECONDS
    if time.monotonic() - _last_warning >= 60:
        _last_warning = time.monotonic()
        logger.warning("Page cache unreachable, serving uncached: %r", error)


def bump_generation() -> None:
    """Make every cached page and count stale, in every process.

    The new generation is the clock in nanoseconds, written whole rather
    than incremented: of two processes bumping at once (in a cache whose
    increment is not atomic, such as files), neither bump is lost; each
    leaves a value no entry was stored under.

    Raises ``GenerationNotRenewed`` when the shared cache cannot take it.
    """
    held = _request_generation.get()
    if held:
        held.clear()
    try:
        _cache().set(GENERATION_KEY, time.time_ns(), timeout=None)
    except CACHE_ERRORS as error:
        raise GenerationNotRenewed(error) from error


def bump_generation_now_and_on_commit() -> None:
    """Bump now (this process sees the change at once) and again when the
    transaction commits, so a page rendered by another process between the
    save and the commit is not kept under the new generation."""
    bump_generation()
    if transaction.get_connection().in_atomic_block and first_in_transaction(
        "pagecache-bump"
    ):
        transaction.on_commit(bump_generation)


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


class _LocalCopies:
    """This process's copies of recently read entries, by key.

    A copy is only used while the shared cache says its generation is still
    the current one and its own time is not up, so a hit costs one small
    read (the generation) instead of moving a 20-60 KB page out of Redis and
    unpickling it. Bounded: the least recently used copy goes first.
    """

    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict[str, tuple] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str, gen: int) -> Any:
        with self.lock:
            stored = self.entries.get(key)
            if stored is None or stored[0] != gen or stored[1] <= now():
                return None
            self.entries.move_to_end(key)
            return stored[2]

    def put(self, key: str, stored: tuple) -> None:
        with self.lock:
            self.entries[key] = stored
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


_local = _LocalCopies(LOCAL_COPIES)


def _lookup(key: str) -> tuple[int | None, Any]:
    """The current generation and what ``key`` holds for it: one small read
    when this process holds a live copy made under that generation,
    otherwise a second one for the entry.

    Entries carry the generation they were made under and the moment they
    expire; one made under an older generation is as good as absent. With
    the shared cache out of reach, the generation is None and nothing is
    found.
    """
    gen = _current_generation()
    if gen is None:
        return None, None
    value = _local.get(key, gen)
    if value is not None:
        return gen, value
    try:
        stored = _cache().get(key)
    except CACHE_ERRORS as error:
        unreachable(error)
        return None, None
    # An entry in another shape (written by an older release) is absent.
    if not isinstance(stored, tuple) or len(stored) != 3:
        return gen, None
    if stored[0] != gen or stored[1] <= now():
        return gen, None
    _local.put(key, stored)
    return gen, stored[2]


def _entry_seconds(gen: int | None, limit: int) -> int:
    """How long an entry made under ``gen`` may be kept: at most ``limit``
    seconds, never past the next scheduled change; 0 when the shared cache
    is out of reach."""
    if gen is None:
        return 0
    try:
        return _seconds_left(_next_change(gen), limit)
    except CACHE_ERRORS as error:
        unreachable(error)
        return 0


def _keep(key: str, gen: int, value: Any, timeout: int, until: float) -> None:
    stored = (gen, until, value)
    try:
        _cache().set(key, stored, timeout)
    except CACHE_ERRORS as error:
        unreachable(error)
        return
    _local.put(key, stored)


def _store(key: str, gen: int | None, value: Any, limit: int) -> None:
    """Keep ``value`` for at most ``limit`` seconds and never past the next
    scheduled change."""
    timeout = _entry_seconds(gen, limit)
    if timeout:
        _keep(key, gen, value, timeout, now() + timeout)


# Inside computed_fresh(), remember() computes and keeps nothing.
_fresh: ContextVar[bool] = ContextVar("pagecache_fresh", default=False)


@contextmanager
def computed_fresh():
    """Values ``remember()`` is asked for inside the block are computed from
    the database: for HTML kept beyond the cache (``articles.rendered``),
    which must not take a value another process has not yet seen change."""
    token = _fresh.set(True)
    try:
        yield
    finally:
        _fresh.reset(token)


def remember(name: str, compute: Callable[[], Any]) -> Any:
    """``compute()``, cached until the content changes or the next scheduled
    publish or expiry, whichever comes first (counts of long lists).

    Works with the page cache off too: a list's count is needed on every
    render of every page of it.
    """
    limit = int(getattr(settings, "WARDNEWS_COUNT_CACHE_SECONDS", 600))
    if not limit or _fresh.get():
        return compute()
    key = f"pagecache:value:{_release()}:{hashlib.md5(name.encode()).hexdigest()}"
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
    return f"pagecache:page:{_release()}:{hashlib.md5(url.encode()).hexdigest()}"


def _release() -> str:
    """Entries are kept per release: one whose templates or code changed
    never serves what an older one made, though both share the generation
    (an edit through either reaches both during a rolling release)."""
    return release.version()[:12]


def _public_headers(seconds: int) -> dict[str, str]:
    """Browsers revalidate every time (cheap 304s); shared caches may keep the
    page for a short, configurable while, never past the entry's own time."""
    proxy = min(seconds, int(getattr(settings, "WARDNEWS_PROXY_CACHE_SECONDS", 0)))
    stale = int(getattr(settings, "WARDNEWS_STALE_WHILE_REVALIDATE", 0))
    directives = ["max-age=0", "public", f"s-maxage={proxy}"]
    if proxy and stale:
        directives.append(f"stale-while-revalidate={stale}")
    return {"Cache-Control": ", ".join(directives), "Expires": http_date(now())}


def _conditional(request, response, etag, stored_at):
    return get_conditional_response(
        request, etag=etag, last_modified=int(stored_at), response=response
    )


def _hit_headers(entry: tuple, limit: int) -> list[tuple[str, str]]:
    _content, _status, headers, _stored_at, expires_at, _etag = entry
    fresh = _public_headers(_seconds_left(expires_at, limit))
    fresh["X-Cache"] = "HIT"
    return [(n, v) for n, v in headers if n not in fresh] + list(fresh.items())


def _hit(request: HttpRequest, entry: tuple, limit: int) -> HttpResponse:
    content, status, _headers, stored_at, _expires_at, etag = entry
    response = HttpResponse(content, status=status)
    for name, value in _hit_headers(entry, limit):
        response[name] = value
    return _conditional(request, response, etag, stored_at)


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
            held = _request_generation.set([])
            try:
                return self._read(request)
            finally:
                _request_generation.reset(held)
        response = self.get_response(request)
        user = getattr(request, "user", None)
        # Admin actions may write with queryset.update(), which sends no
        # signal: a successful staff write always starts a new generation,
        # page cache or not (list frames and counts are kept under it).
        match = request.resolver_match
        if (
            request.method not in ("OPTIONS", "TRACE")
            and response.status_code < 400
            and getattr(user, "is_staff", False)
            and not (match and match.view_name in ACCOUNT_VIEWS)
        ):
            try:
                bump_generation()
            except GenerationNotRenewed as error:
                return self.process_exception(request, error)
        return response

    def process_exception(self, request, exception):
        """A write that could not start a new generation (the save's own
        bump failed, and its transaction with it): say so, in a page of its
        own, instead of a server error."""
        if not isinstance(exception, GenerationNotRenewed):
            return None
        logger.error("Write refused, page cache unreachable: %r", exception)
        return HttpResponse(render_to_string("cache_unavailable.html"), status=503)

    def _read(self, request):
        limit = max_seconds()
        missed = request.META.get(WSGI_MISS)
        if missed is not None:
            # WSGIPageCache looked the page up a moment ago.
            key, gen = missed
            _request_generation.get().append(gen)
        else:
            if not limit or not request_is_cacheable(request):
                return self.get_response(request)
            key = _page_key(request)
            if key is None:
                return self.get_response(request)
            gen, entry = _lookup(key)
            if entry is not None:
                return _hit(request, entry, limit)
        response = self.get_response(request)
        if not response_is_cacheable(request, response):
            return response
        stored_at = now()
        timeout = _entry_seconds(gen, limit)
        etag = f'"{hashlib.md5(response.content).hexdigest()}"'
        response["ETag"] = etag
        response["Last-Modified"] = http_date(stored_at)
        for name, value in _public_headers(timeout).items():
            response[name] = value
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
            _keep(key, gen, entry, timeout, stored_at + timeout)
        response["X-Cache"] = "MISS"
        return _conditional(request, response, etag, stored_at)


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
        if (
            environ.get("REQUEST_METHOD") == "GET"
            and "HTTP_IF_NONE_MATCH" not in environ
            and "HTTP_IF_MODIFIED_SINCE" not in environ
        ):
            request = WSGIRequest(environ)
            limit = max_seconds()
            key = limit and request_is_cacheable(request) and _page_key(request)
            if key:
                gen, entry = _lookup(key)
                if entry is not None:
                    start_response("200 OK", _hit_headers(entry, limit))
                    return [entry[0]]
                environ[WSGI_MISS] = (key, gen)
        return self.application(environ, start_response)
