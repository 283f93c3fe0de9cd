"""The cache files of one machine (``wardnews.cache.FileBasedCache``)."""

from wardnews.cache import FileBasedCache

GENERATION = "pagecache:generation"


def files_cache(folder, **options):
    return FileBasedCache(
        str(folder),
        {
            "OPTIONS": {
                "MAX_ENTRIES": 20,
                "CULL_EVERY": 10,
                "KEEP": [GENERATION],
                **options,
            }
        },
    )


def test_the_folder_is_listed_once_every_few_writes_and_stays_bounded(
    tmp_path, monkeypatch
):
    cache = files_cache(tmp_path)
    listed = []
    real = cache._list_cache_files
    monkeypatch.setattr(cache, "_list_cache_files", lambda: listed.append(1) or real())
    for number in range(300):
        cache.set(f"page-{number}", "<p>trang</p>", 600)
        assert len(list(tmp_path.glob("*.djcache"))) <= 20 + 10
    assert len(listed) == 30
    assert cache.get("page-299") == "<p>trang</p>"


def test_culling_never_removes_the_generation(tmp_path):
    cache = files_cache(tmp_path, CULL_EVERY=1)
    cache.set(GENERATION, 1_764_000_000_000_000_000, None)
    # About a hundred culls, each deleting a third of the entries at random.
    for number in range(600):
        cache.set(f"page-{number}", "<p>trang</p>", 600)
    assert cache.get(GENERATION) == 1_764_000_000_000_000_000


def test_culling_everything_keeps_the_generation(tmp_path):
    cache = files_cache(tmp_path, CULL_EVERY=1, CULL_FREQUENCY=0)
    cache.set(GENERATION, 7, None)
    for number in range(25):
        cache.set(f"page-{number}", "<p>trang</p>", 600)
    assert cache.get(GENERATION) == 7
    assert len(list(tmp_path.glob("*.djcache"))) < 20
