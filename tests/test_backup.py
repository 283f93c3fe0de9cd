"""backup / restore: one archive brings an empty install to the same state."""

import hashlib
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db.models import Count

from articles import backup
from articles.models import Article, Attachment, Photo
from articles.uploads import store_editor_image
from tests.conftest import jpeg_bytes

ROOT = Path(__file__).resolve().parent.parent

# These start their own processes and databases and never touch the test
# database, so the PostgreSQL pass of CI (DATABASE_URL set) need not repeat
# them.
once_per_ci_run = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")),
    reason="uses its own databases; runs in the SQLite pass",
)


def media_state(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def database_state() -> list:
    out = io.StringIO()
    call_command(
        "dumpdata",
        exclude=backup.EXCLUDED,
        natural_foreign=True,
        stdout=out,
    )
    return sorted(json.loads(out.getvalue()), key=lambda o: (o["model"], str(o["pk"])))


def public_pages(client, urls) -> dict[str, str]:
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    return pages


@pytest.fixture
def ward(db, settings):
    """The demo ward, plus an editor image in a body and an attachment."""
    call_command("load_demo", verbosity=0)
    article = (
        Article.objects.annotate(attendees=Count("attendances"))
        .order_by("-attendees")
        .first()
    )
    name = store_editor_image(jpeg_bytes(width=900, height=600))
    article.body += f'<figure><img src="{settings.MEDIA_URL}{name}" alt="Ảnh">'
    article.body += "<figcaption>Trong bài</figcaption></figure>"
    article.save()
    Attachment.objects.create(
        article=article,
        title="Thông báo kết luận (PDF)",
        file=SimpleUploadedFile("ket-luan.pdf", b"%PDF-1.4\n% ket luan\n"),
    )
    return article


@pytest.mark.django_db(transaction=True)
def test_backup_flush_restore_gives_the_same_site(client, ward, settings, tmp_path):
    media = Path(settings.MEDIA_ROOT)
    assert ward.attendances.count() >= 10 and ward.photos.count() >= 3
    assert all(photo.renditions for photo in Photo.objects.all())
    urls = [
        "/",
        "/tin-tuc/",
        "/hoi-nghi/",
        ward.get_absolute_url(),
        ward.attendances.exclude(official=None).first().official.get_absolute_url(),
    ]
    before_pages = public_pages(client, urls)
    before_media = media_state(media)
    before_data = database_state()

    archive = tmp_path / "saoluu.zip"
    call_command("backup", str(archive), stdout=io.StringIO())
    with zipfile.ZipFile(archive) as opened:
        names = set(opened.namelist())
    assert {"manifest.json", "data.json"} <= names
    assert {f"media/{name}" for name in before_media} <= names

    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media)
    assert not Article.objects.exists()

    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)
    assert "Đã khôi phục" in out.getvalue()

    assert database_state() == before_data
    assert media_state(media) == before_media
    after_pages = public_pages(client, urls)
    assert after_pages == before_pages
    for photo in Photo.objects.all():
        for name in photo.file_names():
            assert (media / name).is_file()


@pytest.mark.django_db(transaction=True)
def test_the_trash_travels_with_the_backup(ward, settings, tmp_path):
    """Files taken off the site and still kept come back to the trash, so a
    revision restored after a move still gets them back."""
    attachment = ward.attachments.get()
    attachment.delete()  # committed: the file moves to the trash
    trash = Path(settings.MEDIA_ROOT).parent / "trash"
    assert (trash / attachment.file.name).is_file()

    archive = tmp_path / "saoluu.zip"
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    assert "(cùng 1 tệp đã gỡ khỏi trang, còn giữ)" in out.getvalue()
    with zipfile.ZipFile(archive) as opened:
        assert f"trash/{attachment.file.name}" in opened.namelist()

    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT)
    shutil.rmtree(trash)
    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)
    assert "(cùng 1 tệp đã gỡ khỏi trang, còn giữ)" in out.getvalue()
    assert (trash / attachment.file.name).read_bytes() == b"%PDF-1.4\n% ket luan\n"
    assert not (Path(settings.MEDIA_ROOT) / attachment.file.name).exists()


@pytest.mark.django_db(transaction=True)
def test_restore_with_the_cache_out_of_reach_says_what_to_do(ward, settings, tmp_path):
    archive = tmp_path / "saoluu.zip"
    call_command("backup", str(archive), stdout=io.StringIO())
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT)
    up = settings.CACHES
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens there once closed
    settings.CACHES = {
        "default": {
            "BACKEND": "wardnews.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
        }
    }
    try:
        with pytest.raises(CommandError, match="Đã khôi phục dữ liệu, nhưng bộ nhớ"):
            call_command("restore", str(archive), stdout=io.StringIO())
    finally:
        settings.CACHES = up
    assert Article.objects.filter(pk=ward.pk).exists()


@pytest.mark.django_db
def test_restore_refuses_a_site_that_has_content(ward, tmp_path):
    archive = tmp_path / "saoluu.zip"
    call_command("backup", str(archive), stdout=io.StringIO())
    with pytest.raises(CommandError, match="khôi phục vào một bản cài mới"):
        call_command("restore", str(archive))


@pytest.mark.django_db
def test_backup_never_overwrites_a_file(ward, tmp_path):
    archive = tmp_path / "saoluu.zip"
    archive.write_bytes(b"old")
    with pytest.raises(CommandError, match="đã có"):
        call_command("backup", str(archive))
    assert archive.read_bytes() == b"old"


def forged_archive(path: Path, member: str, content: bytes, digest=None) -> None:
    digest = digest or hashlib.sha256(content).hexdigest()
    data = b"[]"
    manifest = {
        "format": "wardnews-backup/1",
        "objects": 0,
        "members": {"data.json": hashlib.sha256(data).hexdigest(), member: digest},
    }
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
        archive.writestr("data.json", data)
        archive.writestr(member, content)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "member",
    ["media/../../evil.py", "/etc/evil", "media/a/../../../evil.py", "trash/../x.py"],
)
def test_restore_refuses_paths_outside_media(tmp_path, settings, member):
    archive = tmp_path / "xau.zip"
    forged_archive(archive, member, b"print('x')")
    with pytest.raises(CommandError, match="đường dẫn không hợp lệ"):
        call_command("restore", str(archive))
    assert not (tmp_path / "evil.py").exists()


@pytest.mark.django_db
def test_restore_refuses_a_damaged_archive_and_writes_nothing(tmp_path, settings):
    archive = tmp_path / "hong.zip"
    forged_archive(archive, "media/photos/a.jpg", b"abc", digest="0" * 64)
    with pytest.raises(CommandError, match="bị hỏng"):
        call_command("restore", str(archive))
    assert not (Path(settings.MEDIA_ROOT) / "photos" / "a.jpg").exists()
    not_a_backup = tmp_path / "khac.zip"
    not_a_backup.write_bytes(b"PK nothing")
    with pytest.raises(CommandError, match="Không mở được"):
        call_command("restore", str(not_a_backup))


def postgres_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


def run(args, env, timeout=240):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


PAGE_HTML = (
    "from django.test import Client; import hashlib;"
    "c = Client();"
    "print(*[hashlib.sha256(c.get(u).content).hexdigest() + ' ' + u"
    " for u in ['/', '/tin-tuc/', '/hoi-nghi/', '/can-bo/']], sep='\\n')"
)


@once_per_ci_run
@pytest.mark.skipif(not postgres_reachable(), reason="no PostgreSQL at 127.0.0.1")
def test_moving_a_ward_from_sqlite_to_postgresql(tmp_path):
    """The documented move (docs/backup.md), run end to end in subprocesses."""
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "WARDNEWS_", "DATABASE_URL"))
    }
    base["DJANGO_ALLOWED_HOSTS"] = "testserver"
    sqlite = base | {
        "WARDNEWS_VAR_DIR": str(tmp_path / "old"),
        "DJANGO_MEDIA_ROOT": str(tmp_path / "old" / "media"),
    }
    run(["migrate", "--noinput", "-v", "0"], sqlite)
    run(["load_demo"], sqlite)
    before = run(["shell", "-c", PAGE_HTML], sqlite).strip().splitlines()[-4:]
    archive = tmp_path / "chuyen.zip"
    run(["backup", str(archive)], sqlite)

    name = f"wardnews_move_{uuid.uuid4().hex[:10]}"
    admin_url = "postgres://postgres@127.0.0.1:5432/postgres"
    postgres = base | {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{name}",
        "WARDNEWS_VAR_DIR": str(tmp_path / "new"),
        "DJANGO_MEDIA_ROOT": str(tmp_path / "new" / "media"),
    }
    subprocess.run(
        ["psql", admin_url, "-q", "-c", f"CREATE DATABASE {name}"],
        check=True,
        timeout=60,
    )
    try:
        run(["migrate", "--noinput", "-v", "0"], postgres)
        out = run(["restore", str(archive)], postgres)
        assert "Đã khôi phục" in out
        after = run(["shell", "-c", PAGE_HTML], postgres).strip().splitlines()[-4:]
        assert after == before
        # The sequences moved on: a new article gets a fresh id.
        run(
            [
                "shell",
                "-c",
                "from articles.models import Article, Category;"
                "Article.objects.create(title='Bài mới sau khi chuyển',"
                " category=Category.objects.first())",
            ],
            postgres,
        )
    finally:
        subprocess.run(
            ["psql", admin_url, "-q", "-c", f"DROP DATABASE IF EXISTS {name}"],
            timeout=60,
        )
