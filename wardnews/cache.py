"""Django's cache backends, tuned for the page cache (articles/pagecache.py).

Redis (``RedisCache``): Django's ``RedisCacheClient.get_client`` builds a
new ``redis.Redis`` for every cache call (the connection pool is shared,
the client object is not), which costs more CPU than the round trip itself
on a page-cache hit: about 0.31 ms against 0.13 ms per ``get_many`` here.
One client per pool is kept instead.

That client holds one connection (``single_connection_client``) rather than
taking one from the pool and giving it back around every command: the
pool's lock and its check that the connection is still readable cost
another 20 % of a small ``GET`` (bench/README.md). Without that check, a
connection Redis has dropped (a restart, an idle timeout) fails on its next
command, which is then sent once more on a new connection. Django keeps a
cache object per thread, so the client's connection is never shared
between threads; the key holds the process id, so a process forked from
one that used the cache opens its own connection instead of writing into
its parent's.

Files (``FileBasedCache``): the app processes of one machine without Redis.
"""

import os
import random

from django.core.cache.backends import filebased
from django.core.cache.backends import redis as django_redis
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.retry import Retry


class ReusedClientRedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, servers, **options):
        options.setdefault(
            "retry", Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,))
        )
        # A Redis host that stopped answering costs a page a second or two,
        # not the worker (redis-py waits forever by default); pages are then
        # served uncached (articles/pagecache.py).
        options.setdefault("socket_connect_timeout", 1)
        options.setdefault("socket_timeout", 2)
        super().__init__(servers, **options)

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get((os.getpid(), id(pool)))
        if client is None:
            client = clients[os.getpid(), id(pool)] = self._client(
                connection_pool=pool, single_connection_client=True
            )
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient


class FileBasedCache(filebased.FileBasedCache):
    """Django's cache files, shared by the app processes of one machine.

    Django lists the whole folder on every write to see whether it is full:
    12 ms a write at 5,000 entries here, more than rendering the page being
    stored. This lists it once every ``CULL_EVERY`` writes of a process
    (option, 100 by default), so the folder may go past ``MAX_ENTRIES`` by
    that many entries per process before it is culled.

    Culling deletes a share of the entries at random; the keys in ``KEEP``
    (option) are never among them. The page cache's generation is one: with
    it gone, every cached page becomes a miss at once.
    """

    def __init__(self, dir, params):
        super().__init__(dir, params)
        options = params.get("OPTIONS", {})
        self._cull_every = max(1, int(options.get("CULL_EVERY", 100)))
        self._kept_keys = tuple(options.get("KEEP", ()))
        self._writes = 0

    def _cull(self):
        self._writes += 1
        if (self._writes - 1) % self._cull_every:
            return
        files = self._list_cache_files()
        if len(files) < self._max_entries:
            return
        kept = {self._key_to_file(key) for key in self._kept_keys}
        candidates = [name for name in files if name not in kept]
        if self._cull_frequency == 0:
            doomed = candidates
        else:
            share = len(files) // self._cull_frequency
            doomed = random.sample(candidates, min(share, len(candidates)))
        for name in doomed:
            self._delete(name)
