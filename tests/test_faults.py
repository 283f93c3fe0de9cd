"""Faults: a worker killed mid-request loses nothing committed; an ingest
killed half-way leaves no rows, and cleanup_media removes its files.

The server tests start real processes bound to 127.0.0.1, each bounded in
time, against a throw-away SQLite file or PostgreSQL database.
"""

import http.client
import http.cookiejar
import io
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.services import photos_ingest
from articles.uploads import store_editor_image
from tests.conftest import jpeg_bytes, jpeg_upload

ROOT = Path(__file__).resolve().parent.parent

# These start their own processes and databases and never touch the test
# database, so the PostgreSQL pass of CI (DATABASE_URL set) need not repeat
# them.
once_per_ci_run = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")),
    reason="uses its own databases; runs in the SQLite pass",
)


def clean_env(**extra) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "WARDNEWS_", "DATABASE_URL"))
    }
    return env | extra


def manage(args, env, timeout=180, check=True):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


# cleanup_media, in process


def media_files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


@pytest.mark.django_db
def test_cleanup_media_removes_only_orphans(make_article, settings):
    root = Path(settings.MEDIA_ROOT)
    article = make_article("Bài có ảnh")
    [stored] = photos_ingest(article=article, files=[jpeg_upload("hoi-truong.jpg")])
    editor_image = store_editor_image(jpeg_bytes(width=500, height=300))
    article.body = f'<p><img src="{settings.MEDIA_URL}{editor_image}" alt=""></p>'
    article.save()
    kept = media_files(root)
    assert set(stored.photo.file_names()) | {editor_image} <= kept
    orphans = {"photos/2024/07/mo-coi.jpg", "photos/2024/07/mo-coi-400w.webp"}
    for name in orphans:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"x")

    out = io.StringIO()
    call_command("cleanup_media", "--min-age-hours", "0", "--dry-run", stdout=out)
    assert "Sẽ xóa 2 tệp" in out.getvalue()
    assert media_files(root) == kept | orphans

    out = io.StringIO()
    call_command("cleanup_media", "--min-age-hours", "1", stdout=out)
    assert "Đã xóa 0 tệp" in out.getvalue()  # too fresh: may be an upload in flight

    out = io.StringIO()
    call_command("cleanup_media", "--min-age-hours", "0", stdout=out)
    assert "Đã xóa 2 tệp" in out.getvalue()
    assert media_files(root) == kept


# An ingest killed between writing files and committing its rows

KILLED_INGEST = """
import os, signal
from django.core.files.base import ContentFile
from django.db import transaction
from articles.models import Article
from articles.services import photos_ingest
from tests.conftest import jpeg_bytes
article = Article.objects.get(slug="bai-co-anh")
with transaction.atomic():
    photos_ingest(article=article, files=[
        ContentFile(jpeg_bytes(width=900, height=600, color=(i * 40, 90, 30)),
                    name=f"anh-{i}.jpg") for i in range(3)
    ])
    os.kill(os.getpid(), signal.SIGKILL)
"""

SETUP_ARTICLE = """
from articles.models import Article, Category
Article.objects.create(title="Bài có ảnh", slug="bai-co-anh",
                       category=Category.objects.create(name="Tin"))
"""

COUNT_PHOTOS = (
    "from articles.models import Photo; print('photos', Photo.objects.count())"
)


@once_per_ci_run
def test_killed_ingest_leaves_no_rows_and_cleanup_removes_its_files(tmp_path):
    media = tmp_path / "media"
    env = clean_env(WARDNEWS_VAR_DIR=str(tmp_path), DJANGO_MEDIA_ROOT=str(media))
    manage(["migrate", "--noinput", "-v", "0"], env)
    manage(["shell", "-c", SETUP_ARTICLE], env)

    killed = manage(["shell", "-c", KILLED_INGEST], env, check=False)
    assert killed.returncode == -signal.SIGKILL
    assert "photos 0" in manage(["shell", "-c", COUNT_PHOTOS], env).stdout
    left = media_files(media)
    assert len(left) >= 3  # originals (and renditions) written before the kill

    out = manage(["cleanup_media", "--min-age-hours", "0"], env).stdout
    assert f"Đã xóa {len(left)} tệp" in out
    assert media_files(media) == set()


# gunicorn + PostgreSQL: SIGKILL a worker while requests are in flight


def postgres_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def worker_pids(master: int) -> list[int]:
    pids = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master}$", text, re.M):
            pids.append(int(status.parent.name))
    return pids


class AdminSession:
    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar)
        )

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=10) as response:
            return response.read().decode()

    def post(self, path: str, data: dict) -> str:
        """POST with the page's CSRF token; returns the final URL."""
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.get(path))
        body = urllib.parse.urlencode(
            data | {"csrfmiddlewaretoken": token.group(1)}
        ).encode()
        request = urllib.request.Request(
            self.base + path, data=body, headers={"Referer": self.base + path}
        )
        with self.opener.open(request, timeout=10) as response:
            response.read()
            return response.geturl()


@once_per_ci_run
@pytest.mark.skipif(not postgres_reachable(), reason="no PostgreSQL at 127.0.0.1")
def test_killing_a_worker_loses_nothing_committed(tmp_path):
    import psycopg2

    name = f"wardnews_fault_{uuid.uuid4().hex[:10]}"
    admin_dsn = "postgres://postgres@127.0.0.1:5432/postgres"
    dsn = f"postgres://postgres@127.0.0.1:5432/{name}"
    subprocess.run(["psql", admin_dsn, "-qc", f"CREATE DATABASE {name}"], check=True)
    port = free_port()
    env = clean_env(
        DATABASE_URL=dsn,
        WARDNEWS_VAR_DIR=str(tmp_path),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SUPERUSER_PASSWORD="mat-khau-dai-123",
    )
    server = None
    try:
        manage(["migrate", "--noinput", "-v", "0"], env)
        manage(
            ["createsuperuser", "--noinput", "--username", "bientap", "--email", ""],
            env,
        )
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "wardnews.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--timeout",
                "20",
                "--graceful-timeout",
                "2",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).read()
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)

        committed, failed = [], []
        lock = threading.Lock()
        sessions = []
        for _ in range(3):
            session = AdminSession(base)
            session.post(
                "/admin/login/?next=/admin/",
                {"username": "bientap", "password": "mat-khau-dai-123"},
            )
            sessions.append(session)
        stop = time.monotonic() + 10

        def writer(number: int, session: AdminSession):
            index = 0
            while time.monotonic() < stop and index < 200:
                index += 1
                label = f"Chuyên mục {number}-{index}"
                try:
                    url = session.post(
                        "/admin/articles/category/add/",
                        {"name": label, "slug": "", "description": "", "order": "0"},
                    )
                except (OSError, http.client.HTTPException):
                    # Refused, or cut off by the kill: saved or not.
                    with lock:
                        failed.append(label)
                    continue
                with lock:
                    (committed if url.endswith("/category/") else failed).append(label)

        threads = [
            threading.Thread(target=writer, args=(n, session))
            for n, session in enumerate(sessions)
        ]
        for thread in threads:
            thread.start()
        while not committed and time.monotonic() < stop:
            time.sleep(0.05)
        killed = []
        for _ in range(3):
            time.sleep(1)
            pids = worker_pids(server.pid)
            if pids:
                os.kill(pids[0], signal.SIGKILL)
                killed.append(pids[0])
        for thread in threads:
            thread.join(timeout=30)

        assert len(killed) == 3
        assert committed, "no request succeeded"
        # The master replaced the killed workers and still serves.
        urllib.request.urlopen(base + "/healthz", timeout=5).read()
        assert not set(killed) & set(worker_pids(server.pid))

        with psycopg2.connect(dsn) as connection, connection.cursor() as cursor:
            cursor.execute("SELECT name, slug FROM articles_category")
            rows = cursor.fetchall()
        connection.close()
        names = [row[0] for row in rows]
        assert set(committed) <= set(names)  # every answered save is there
        assert len(names) == len(set(names))  # none saved twice or half
        assert set(names) <= set(committed) | set(failed)
        assert all(slug for _, slug in rows)
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait(timeout=5)
        subprocess.run(
            [
                "psql",
                admin_dsn,
                "-qc",
                f"DROP DATABASE IF EXISTS {name} WITH (FORCE)",
            ],
            timeout=60,
        )
