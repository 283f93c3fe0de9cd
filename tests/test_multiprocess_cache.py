"""Two real app processes, one PostgreSQL, and Redis or (without REDIS_URL)
the cache files of their machine: a publish through one is on the other's
next response, although both serve pages from the cache."""

import gzip
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from articles.models import Article, Category

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("WARDNEWS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
PASSWORD = "mat-khau-bien-tap-2024"
# Behind the reverse proxy every process sees the site's own host name.
HOST = "localhost"


def redis_problem() -> str | None:
    try:
        import redis
    except ImportError:
        return "the redis package is not installed"
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except redis.RedisError as error:
        return f"Redis at {REDIS_URL} is unreachable ({error})"
    return None


pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql")),
        reason="needs DATABASE_URL pointing at PostgreSQL (two processes, one DB)",
    ),
    pytest.mark.django_db(transaction=True),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """A visitor or editor talking HTTP to one app process."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
            NoRedirect,
        )

    def get(self, path: str, **sent):
        """Status, headers and text of ``path``, sent with headers ``sent``."""
        request = urllib.request.Request(
            self.base + path, headers={"Host": HOST, **sent}
        )
        try:
            with self.opener.open(request, timeout=15) as response:
                status, headers, body = (
                    response.status,
                    dict(response.headers),
                    response.read(),
                )
        except urllib.error.HTTPError as error:
            status, headers, body = error.code, dict(error.headers), error.read()
        if headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        return status, headers, body.decode()

    def post(self, path: str, data: dict, token_from: str):
        _status, _headers, page = self.get(token_from)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
        body = urllib.parse.urlencode(
            {**data, "csrfmiddlewaretoken": token}, doseq=True
        ).encode()
        request = urllib.request.Request(
            self.base + path,
            data=body,
            headers={"Host": HOST, "Referer": f"http://{HOST}{token_from}"},
        )
        try:
            with self.opener.open(request, timeout=15) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def log_in(self, username: str):
        status = self.post(
            "/admin/login/?next=/admin/",
            {"username": username, "password": PASSWORD, "next": "/admin/"},
            token_from="/admin/login/",
        )
        assert status == 302, "editor could not log in"

    def action(self, name: str, article: Article):
        changelist = "/admin/articles/article/"
        status = self.post(
            changelist,
            {"action": name, "_selected_action": [str(article.pk)], "index": "0"},
            token_from=changelist,
        )
        assert status == 302, f"admin action {name} answered {status}"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def redis_prefix():
    problem = redis_problem()
    if problem:
        pytest.skip(problem)
    prefix = f"wardnews-test-{uuid.uuid4().hex}"
    yield prefix
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(match=f"{prefix}*", count=500):
        client.delete(key)


@pytest.fixture(scope="module")
def served_static(tmp_path_factory):
    """Static files collected as ``make serve`` does (DEBUG off serves the
    hashed, compressed copies)."""
    root = tmp_path_factory.mktemp("static")
    env = {**os.environ, **SERVE_ENV, "DJANGO_STATIC_ROOT": str(root)}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    return root


# DEBUG off over plain HTTP on loopback, as `make serve` runs by default.
SERVE_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "test-only-secret-key-" + "0" * 40,
    "DJANGO_ALLOWED_HOSTS": f"{HOST},127.0.0.1",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_SECURE_COOKIES": "0",
    "DJANGO_SECURE_HSTS_SECONDS": "0",
}


@pytest.fixture(params=["redis", "files"])
def shared_cache(request, tmp_path):
    """What the processes share the page cache through: Redis (REDIS_URL
    set), or, without it, files on the machine they both run on."""
    if request.param == "redis":
        prefix = request.getfixturevalue("redis_prefix")
        return {
            "REDIS_URL": REDIS_URL,
            "WARDNEWS_CACHE_PREFIX": prefix,
            "DJANGO_DEBUG": "1",
        }
    static = request.getfixturevalue("served_static")
    return {**SERVE_ENV, "DJANGO_STATIC_ROOT": str(static)}


@pytest.fixture
def app_processes(transactional_db, shared_cache, tmp_path):
    database = settings.DATABASES["default"]
    url = (
        f"postgres://{database['USER']}:{database.get('PASSWORD') or ''}"
        f"@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
        f"/{database['NAME']}"
    )
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"} | {
        "DATABASE_URL": url,
        "WARDNEWS_PAGE_CACHE_SECONDS": "600",
        "WARDNEWS_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        **shared_cache,
    }
    processes, bases = [], []
    for name in ("a", "b"):
        port = free_port()
        log = open(tmp_path / f"gunicorn-{name}.log", "w")  # noqa: SIM115
        processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "wardnews.wsgi",
                    "--workers",
                    "1",
                    "--bind",
                    f"127.0.0.1:{port}",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
        bases.append(f"http://127.0.0.1:{port}")
    try:
        for base, process in zip(bases, processes, strict=True):
            deadline = time.monotonic() + 40
            while True:
                if process.poll() is not None:
                    pytest.fail(f"app process exited; see {tmp_path}")
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=2)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        pytest.fail(f"app process did not start; see {tmp_path}")
                    time.sleep(0.3)
        yield bases
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def test_publish_through_one_process_is_visible_through_the_other(
    app_processes, django_user_model
):
    django_user_model.objects.create_user(
        "bientap", password=PASSWORD, is_staff=True, is_superuser=True
    )
    category = Category.objects.create(name="Thông báo")
    Article.objects.create(
        title="Bài đã đăng từ trước",
        category=category,
        status=Article.Status.PUBLISHED,
        publish_at=timezone.now() - timezone.timedelta(days=1),
    )
    draft = Article.objects.create(
        title="Thông báo cúp nước ngày mai",
        category=category,
        status=Article.Status.DRAFT,
        publish_at=timezone.now() - timezone.timedelta(hours=1),
    )
    first, second = app_processes
    citizen_a, citizen_b = Browser(first), Browser(second)

    status, headers, page = citizen_b.get("/tin-tuc/")
    assert status == 200 and "Thông báo cúp nước ngày mai" not in page
    status, headers, page = citizen_b.get("/tin-tuc/")
    assert headers["X-Cache"] == "HIT"
    # The other process reads the same entry from the shared cache, and sends
    # it compressed to a browser that accepts gzip.
    assert citizen_a.get("/tin-tuc/")[1]["X-Cache"] == "HIT"
    status, headers, unpacked = citizen_a.get(
        "/tin-tuc/", **{"Accept-Encoding": "gzip"}
    )
    assert (headers["X-Cache"], headers["Content-Encoding"]) == ("HIT", "gzip")
    assert unpacked == page

    editor = Browser(first)
    editor.log_in("bientap")
    editor.action("make_published", draft)

    status, headers, page = citizen_b.get("/tin-tuc/")
    assert "Thông báo cúp nước ngày mai" in page
    assert headers["X-Cache"] == "MISS"
    assert citizen_b.get(f"/tin-tuc/{draft.slug}/")[0] == 200

    # And back the other way: unpublished through the second process.
    editor_b = Browser(second)
    editor_b.log_in("bientap")
    editor_b.action("make_draft", draft)
    status, headers, page = citizen_a.get("/tin-tuc/")
    assert "Thông báo cúp nước ngày mai" not in page
    assert citizen_a.get(f"/tin-tuc/{draft.slug}/")[0] == 404
