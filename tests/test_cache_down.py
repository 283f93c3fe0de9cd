"""The shared cache out of reach (Redis stopped, cache files on a disk that
refuses them): citizens still get every page, fresh from the database; an
edit, which cannot start a new generation then, is refused with a page
saying so instead of leaving other processes serving the old pages."""

import gzip
import socket
import threading

import pytest
from django.urls import reverse

from articles import cachedpages, pagecache
from articles.models import Article
from tests.adminform import change_form_data
from tests.test_page_delivery import wsgi_get

pytestmark = pytest.mark.django_db


def _redis_down(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens there once closed
    return {
        "BACKEND": "wardnews.cache.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{port}/0",
    }


def _files_refused(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    return {
        "BACKEND": "wardnews.cache.FileBasedCache",
        "LOCATION": str(blocker / "cache"),
    }


@pytest.fixture(params=[_redis_down, _files_refused], ids=["redis", "files"])
def cache_down(request, settings, tmp_path):
    """Call to put the cache out of reach, with the page cache on."""
    up = settings.CACHES

    def down():
        settings.CACHES = {"default": request.param(tmp_path)}
        settings.WARDNEWS_PAGE_CACHE_SECONDS = 600
        settings.WARDNEWS_COUNT_CACHE_SECONDS = 600

    yield down
    settings.CACHES = up


def test_public_pages_are_served_fresh(client, cache_down, make_article):
    article = make_article(title="Lịch tiếp công dân tháng 12")
    cache_down()
    for url in ("/", "/tin-tuc/", "/tin-tuc/?page=1", article.get_absolute_url()):
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 200, url
            assert "Lịch tiếp công dân tháng 12" in response.content.decode()
            assert response["X-Cache"] == "MISS"
            assert "s-maxage=0" in response["Cache-Control"]
        status, headers, body = wsgi_get(url.partition("?")[0])
        assert (status, headers["X-Cache"]) == (200, "MISS")
        assert "Lịch tiếp công dân tháng 12" in body.decode()
        # Still compressed for a phone, though kept nowhere.
        status, headers, body = wsgi_get(
            url.partition("?")[0], HTTP_ACCEPT_ENCODING="gzip"
        )
        assert (status, headers["Content-Encoding"]) == (200, "gzip")
        assert "Lịch tiếp công dân tháng 12" in gzip.decompress(body).decode()


def refused_edit(admin_client, cache_down, url, field, value):
    """Send the change form at ``url`` with ``field`` changed, the cache
    down: the page that says why answers."""
    data = change_form_data(admin_client.get(url))
    data[field] = value
    cache_down()
    response = admin_client.post(url, data)
    assert response.status_code == 503
    page = response.content.decode()
    assert "Chưa lưu được thay đổi" in page
    assert "có thể chưa được lưu" in page


def test_an_edit_is_refused_before_it_runs(admin_client, cache_down, make_article):
    article = make_article(title="Thông báo cũ")
    url = reverse("admin:articles_article_change", args=[article.pk])
    refused_edit(admin_client, cache_down, url, "title", "Thông báo mới")
    assert Article.objects.get(pk=article.pk).title == "Thông báo cũ"


def test_a_write_that_sends_no_signal_is_refused_too(
    admin_client, cache_down, django_user_model
):
    # A user's save starts no new generation itself: only the middleware's
    # bump after the response would, too late to undo it.
    user = django_user_model.objects.create_user("bientap", first_name="An")
    url = reverse("admin:auth_user_change", args=[user.pk])
    refused_edit(admin_client, cache_down, url, "first_name", "Bình")
    user.refresh_from_db()
    assert user.first_name == "An"


def test_a_cache_lost_during_the_save_rolls_it_back(
    admin_client, cache_down, make_article, monkeypatch
):
    # The cache answered the check before the view, then went away.
    monkeypatch.setattr(pagecache, "check_renewable", lambda: None)
    article = make_article(title="Thông báo cũ")
    url = reverse("admin:articles_article_change", args=[article.pk])
    refused_edit(admin_client, cache_down, url, "title", "Thông báo mới")
    # Rolled back with its failed bump: no page anywhere can show the old
    # title under a generation that knows the new one.
    assert Article.objects.get(pk=article.pk).title == "Thông báo cũ"


def test_staff_can_still_log_in(client, cache_down, django_user_model):
    django_user_model.objects.create_user(
        "bientap", password="mat-khau-dai-123", is_staff=True
    )
    cache_down()
    response = client.post(
        reverse("admin:login"),
        {"username": "bientap", "password": "mat-khau-dai-123", "next": "/admin/"},
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


@pytest.fixture
def silent_redis():
    """A server that accepts connections and never answers, as a Redis host
    that hangs does; ``accepted`` counts the connections made to it."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    accepted, held, stop = [], [], threading.Event()

    def serve():
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            accepted.append(1)
            held.append(connection)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], accepted
    stop.set()
    thread.join(timeout=5)
    for connection in held:
        connection.close()
    server.close()


def test_a_hanging_redis_costs_one_page_its_timeout(
    client, settings, silent_redis, make_article
):
    article = make_article(title="Lịch tiếp công dân tháng 12")
    port, accepted = silent_redis
    up = settings.CACHES
    settings.CACHES = {
        "default": {
            "BACKEND": "wardnews.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_timeout": 0.2},
        }
    }
    settings.WARDNEWS_PAGE_CACHE_SECONDS = 600
    try:
        for url in ("/", "/tin-tuc/", article.get_absolute_url()):
            response = client.get(url)
            assert response.status_code == 200
            assert "Lịch tiếp công dân tháng 12" in response.content.decode()
    finally:
        settings.CACHES = up
    # The first page's read timed out; the other reads waited for nothing.
    assert len(accepted) == 1


def test_other_failures_are_not_blamed_on_the_cache(rf):
    """A full media disk is an OSError too; it is not reported as the cache
    being out of reach."""
    middleware = cachedpages.PageCacheMiddleware(lambda request: None)
    request = rf.post("/admin/articles/photo/add/")
    assert middleware.process_exception(request, OSError(28, "No space")) is None
    refused = pagecache.GenerationNotRenewed(OSError(28, "No space"))
    assert middleware.process_exception(request, refused).status_code == 503
