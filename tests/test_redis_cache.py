"""The Redis cache backend (``wardnews.cache``) against a real Redis."""

import os
import uuid

import pytest

from articles import pagecache
from wardnews.cache import RedisCache

URL = os.environ.get("WARDNEWS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_cache():
    """Two cache objects on one key prefix: this process's view and
    another's."""
    import redis

    try:
        redis.Redis.from_url(URL, socket_timeout=2).ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis at {URL} is unreachable ({error})")
    prefix = f"wardnews-test-{uuid.uuid4().hex}"
    first = RedisCache(URL, {"KEY_PREFIX": prefix})
    second = RedisCache(URL, {"KEY_PREFIX": prefix})
    yield first, second
    keys = redis.Redis.from_url(URL).keys(f"{prefix}:*")
    if keys:
        redis.Redis.from_url(URL).delete(*keys)


def test_one_client_shares_the_generation(redis_cache):
    first, second = redis_cache
    first.set(pagecache.GENERATION_KEY, 41, None)
    first.incr(pagecache.GENERATION_KEY)
    found = second.get_many([pagecache.GENERATION_KEY, "missing"])
    assert found == {pagecache.GENERATION_KEY: 42}
    client = first._cache.get_client()
    assert first._cache.get_client(write=True) is client


def test_the_kept_connection_comes_back_after_redis_drops_it(redis_cache):
    import redis

    first, _ = redis_cache
    first.set("page", {"html": "<p>Tin</p>"}, None)
    assert first.get("page") == {"html": "<p>Tin</p>"}
    client = first._cache.get_client()
    killed = redis.Redis.from_url(URL).client_kill_filter(
        _id=client.client_id(), skipme=True
    )
    assert killed == 1
    assert first.get("page") == {"html": "<p>Tin</p>"}
    assert first._cache.get_client() is client


def test_a_forked_process_does_not_read_from_its_parents_connection(redis_cache):
    """After a fork, parent and child each read their own key many times at
    once; on one shared socket their replies would cross."""
    first, _ = redis_cache
    first.set("parent", "cha", None)
    first.set("child", "con", None)
    assert first.get("parent") == "cha"  # the parent's connection is open
    pid = os.fork()
    if pid == 0:  # the child
        try:
            good = all(first.get("child") == "con" for _ in range(300))
        except BaseException:
            good = False
        os._exit(0 if good else 1)
    parent_good = all(first.get("parent") == "cha" for _ in range(300))
    _, status = os.waitpid(pid, 0)
    assert parent_good
    assert os.waitstatus_to_exitcode(status) == 0
