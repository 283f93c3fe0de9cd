"""Production settings, Content-Security-Policy and how uploads are served."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.conftest import jpeg_bytes

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_SECRET = "k3J9q-" + "x7Vb2Lm8Rt4Zp6Wc1Ns5Hd0Fg3Yj9Qa2Ek7Uo4Ti1Ry8Pw6Sl"


def manage(args, env_overrides, tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "WARDNEWS_", "DATABASE_URL"))
    }
    env.update({"WARDNEWS_VAR_DIR": str(tmp_path / "var")})
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": PRODUCTION_SECRET,
    "DJANGO_ALLOWED_HOSTS": "catlai.example.vn",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://catlai.example.vn",
}


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = manage(
        ["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV, tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_is_clean_behind_a_proxy(tmp_path):
    env = PRODUCTION_ENV | {"DJANGO_SECURE_PROXY_SSL_HEADER": "1"}
    result = manage(["check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_turning_https_off_in_production_is_reported(tmp_path):
    env = PRODUCTION_ENV | {"DJANGO_SECURE_SSL_REDIRECT": "0"}
    result = manage(["check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    assert result.returncode != 0
    assert "security.W008" in result.stderr + result.stdout


@pytest.mark.parametrize(
    "missing, message",
    [
        ("DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY must be set"),
        ("DJANGO_ALLOWED_HOSTS", "DJANGO_ALLOWED_HOSTS must be set"),
    ],
)
def test_production_without_secret_or_hosts_refuses_to_start(
    tmp_path, missing, message
):
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != missing}
    result = manage(["check"], env, tmp_path)
    assert result.returncode != 0
    assert message in result.stderr


def test_unknown_editor_name_refuses_to_start(tmp_path):
    result = manage(["check"], {"WARDNEWS_RICHTEXT_EDITOR": "tinymce"}, tmp_path)
    assert result.returncode != 0
    assert "WARDNEWS_RICHTEXT_EDITOR must be one of: ckeditor, prose" in result.stderr


def test_production_cookies_and_headers(tmp_path):
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS, s.SECURE_REFERRER_POLICY,"
        " getattr(s, 'SECURE_PROXY_SSL_HEADER', None))"
    )
    result = manage(["shell", "-c", code], PRODUCTION_ENV, tmp_path)
    assert result.stdout.strip().splitlines()[-1].split() == [
        "True",
        "True",
        "True",
        "31536000",
        "strict-origin-when-cross-origin",
        "None",
    ], result.stderr


# Content-Security-Policy


@pytest.mark.django_db
def test_public_pages_get_the_strict_policy(client, make_article):
    article = make_article("Bài viết")
    for url in ["/", "/tin-tuc/", article.get_absolute_url(), "/khong-co/"]:
        policy = client.get(url)["Content-Security-Policy"]
        assert policy == settings.WARDNEWS_CSP
        assert "unsafe-inline" not in policy
        assert "script-src 'self';" in policy and "style-src 'self';" in policy


@pytest.mark.django_db
def test_admin_gets_the_relaxed_policy(client):
    user = get_user_model().objects.create_superuser("bientap", "", "mat-khau-123")
    client.force_login(user)
    policy = client.get(reverse("admin:index"))["Content-Security-Policy"]
    assert policy == settings.WARDNEWS_CSP_ADMIN
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert "script-src 'self';" in policy


@pytest.mark.django_db
def test_only_admin_pages_with_ckeditor_allow_inline_script(client, settings):
    settings.RICHTEXT_WIDGET = "articles.editors.CKEditorWidget"
    user = get_user_model().objects.create_superuser("bientap", "", "mat-khau-123")
    client.force_login(user)
    response = client.get(reverse("admin:articles_article_add"))
    script_src = response["Content-Security-Policy"].split(";")[1]
    assert script_src == " script-src 'self' 'unsafe-inline'"
    response = client.get(reverse("admin:articles_category_add"))
    assert "script-src 'self';" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_prose_editor_import_map_is_allowed_by_hash(client, settings):
    settings.RICHTEXT_WIDGET = "articles.editors.ProseEditorWidget"
    user = get_user_model().objects.create_superuser("bientap", "", "mat-khau-123")
    client.force_login(user)
    response = client.get(reverse("admin:articles_article_add"))
    assert '<script type="importmap"' in response.content.decode()
    script_src = response["Content-Security-Policy"].split(";")[1]
    assert "'sha256-" in script_src
    assert "unsafe-inline" not in script_src


# Uploaded media is never served as a page


@pytest.fixture
def media_file(settings, db):
    def write(name: str, content: bytes) -> str:
        path = Path(settings.MEDIA_ROOT) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        return settings.MEDIA_URL + name

    return write


def test_photos_are_served_inline_with_nosniff(client, media_file):
    response = client.get(media_file("photos/anh.jpg", jpeg_bytes()))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    "name",
    ["tep/trang.html", "tep/hinh.svg", "tep/trang.htm", "tep/hinh.xhtml", "tep/x"],
)
def test_html_and_svg_uploads_are_downloads_not_pages(client, media_file, name):
    url = media_file(name, b"<svg onload=alert(1)><script>alert(1)</script></svg>")
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_media_outside_the_folder_is_not_served(client, media_file):
    media_file("photos/anh.jpg", jpeg_bytes())
    for url in [
        "/media/../wardnews/settings.py",
        "/media/photos/%2e%2e/%2e%2e/manage.py",
        "/media/photos/anh.jpg%00.html",
        "/media/photos/",
    ]:
        assert client.get(url).status_code in (400, 404), url
