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

This module keeps entries under the generation: whole pages for
``articles.cachedpages`` (which decides what is served and stored, over
HTTP) and values computed from the database (``remember``: counts, list
frames, the menu). A read costs one small read of the shared cache: each
process keeps copies of the entries it read lately (``_LocalCopies``) and
uses one only under the current generation.

When the shared cache cannot be reached (Redis stopped, cache files on a
full disk), pages are rendered from the database and nothing is served
from or kept in the cache; an edit, which cannot start a new generation
then, is refused (``GenerationNotRenewed``).
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
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from redis.exceptions import RedisError

from . import release
from .models import Article
from .transactions import first_in_transaction

# What a cache backend raises when it cannot be reached or written: Redis
# stopped or unreachable, cache files on a full or read-only disk.
CACHE_ERRORS = (OSError, RedisError)
GENERATION_KEY = "pagecache:generation"
NO_CHANGE = "none"
# Apps whose rows appear on public pages; any save or delete in them counts.
CONTENT_APPS = {"articles"}
# Entries each app process keeps a copy of (see _LocalCopies): at 20-60 KB a
# page, and a quarter of that again for its gzipped copy, at most ~20 MB.
LOCAL_COPIES = 256

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
# read of the shared cache between them. Set only by
# cachedpages.PageCacheMiddleware.
request_generation: ContextVar[list | None] = ContextVar(
    "pagecacherequest_generation", default=None
)


def _current_generation() -> int | None:
    """The generation to read and keep entries under; None when the shared
    cache cannot be reached, and then for the rest of the request."""
    held = request_generation.get()
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
    held = request_generation.get()
    if held:
        held.clear()
    try:
        _cache().set(GENERATION_KEY, time.time_ns(), timeout=None)
    except CACHE_ERRORS as error:
        raise GenerationNotRenewed(error) from error


def check_renewable() -> None:
    """Raise ``GenerationNotRenewed`` if the shared cache cannot be reached
    now: asked before a staff write runs, so a write that sends no signal
    (an admin action's ``update()``) is refused before it is made rather
    than after."""
    try:
        _cache().get(GENERATION_KEY)
    except CACHE_ERRORS as error:
        unreachable(error)
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


def seconds_left(until: float | None, limit: int) -> int:
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
        timeout = seconds_left(
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


def lookup(key: str) -> tuple[int | None, Any]:
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


def entry_seconds(gen: int | None, limit: int) -> int:
    """How long an entry made under ``gen`` may be kept: at most ``limit``
    seconds, never past the next scheduled change; 0 when the shared cache
    is out of reach."""
    if gen is None:
        return 0
    try:
        return seconds_left(_next_change(gen), limit)
    except CACHE_ERRORS as error:
        unreachable(error)
        return 0


def keep(key: str, gen: int, value: Any, timeout: int, until: float) -> None:
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
    timeout = entry_seconds(gen, limit)
    if timeout:
        keep(key, gen, value, timeout, now() + timeout)


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
    key = f"pagecache:value:{release_key()}:{hashlib.md5(name.encode()).hexdigest()}"
    gen, value = lookup(key)
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


def release_key() -> str:
    """Entries are kept per release: one whose templates or code changed
    never serves what an older one made, though both share the generation
    (an edit through either reaches both during a rolling release)."""
    return release.version()[:12]
