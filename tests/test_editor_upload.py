"""The rich-text editor's image upload: permission, CSRF, the photo pipeline,
and an answer that reflects nothing from the request."""

import io
import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from tests.conftest import jpeg_bytes

pytestmark = pytest.mark.django_db

URL = reverse("editor-image-upload")
PASSWORD = "mat-khau-dai-123"


def staff(*perms):
    user = get_user_model().objects.create_user(
        f"u{len(perms)}", password=PASSWORD, is_staff=True
    )
    for codename in perms:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


def gps_jpeg(width=800, height=600) -> bytes:
    image = Image.new("RGB", (width, height), (30, 120, 60))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° to show upright
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (10.0, 46.0, 30.0)
    gps[3], gps[4] = "E", (106.0, 47.0, 10.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def upload(client, data, name="anh.jpg", **extra):
    file = SimpleUploadedFile(name, data, content_type="image/jpeg")
    return client.post(
        URL + "?CKEditorFuncNum=1);alert(1);//", {"upload": file}, **extra
    )


@pytest.fixture
def editor_client(client):
    client.force_login(staff("change_article"))
    return client


def test_editor_upload_stores_a_clean_upright_image(editor_client, settings):
    response = upload(editor_client, gps_jpeg())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    payload = response.json()
    assert payload["uploaded"] == 1
    assert payload["url"].startswith("/media/editor/")
    assert payload["fileName"] == payload["url"].rsplit("/", 1)[-1]
    stored = Path(settings.MEDIA_ROOT) / payload["url"].removeprefix("/media/")
    with Image.open(stored) as image:
        assert image.format == "WEBP"
        assert image.size == (600, 800)  # turned upright
        assert not image.getexif()  # no GPS, no EXIF at all
    # The same photo twice is stored once.
    assert upload(editor_client, gps_jpeg()).json()["url"] == payload["url"]


def test_size_is_capped(editor_client, settings):
    payload = upload(editor_client, jpeg_bytes(width=3000, height=1000)).json()
    stored = Path(settings.MEDIA_ROOT) / payload["url"].removeprefix("/media/")
    with Image.open(stored) as image:
        assert image.width == 1600


def test_the_answer_reflects_nothing_from_the_request(editor_client):
    response = upload(editor_client, jpeg_bytes(), name='"><script>x</script>.jpg')
    body = response.content.decode()
    assert (
        "<script" not in body and "alert" not in body and "CKEditorFuncNum" not in body
    )
    assert set(json.loads(body)) == {"uploaded", "fileName", "url"}


@pytest.mark.parametrize(
    "name, data",
    [
        ("trang.html", b"<!doctype html><script>alert(1)</script>"),
        ("hinh.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("gia.jpg", b"<svg onload=alert(1)>"),
        ("hong.jpg", jpeg_bytes()[:200]),
        ("rong.jpg", b""),
        ("van-ban.pdf", b"%PDF-1.4\n%..."),
    ],
)
def test_only_real_photos_are_taken(editor_client, settings, name, data):
    response = upload(editor_client, data, name=name)
    assert response.status_code == 200
    payload = response.json()
    assert payload["uploaded"] == 0
    assert payload["error"]["message"]  # a Vietnamese reason for the editor
    assert name not in response.content.decode()
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_missing_file_is_a_clear_error(editor_client):
    response = editor_client.post(URL, {})
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "Chưa chọn ảnh nào để tải lên."


def test_staff_without_change_permission_is_refused(client, settings):
    client.force_login(staff("view_article"))
    response = upload(client, jpeg_bytes())
    assert response.status_code == 403
    assert response.json()["uploaded"] == 0
    assert not Path(settings.MEDIA_ROOT).exists() or not any(
        Path(settings.MEDIA_ROOT).rglob("*.webp")
    )


def test_page_writers_upload_too(client):
    """Introduction pages have a rich-text body of their own: whoever may
    write one may put images in it, without any right over articles."""
    client.force_login(staff("add_page", "change_page"))
    assert upload(client, jpeg_bytes()).json()["uploaded"] == 1
    page_form = client.get(reverse("admin:articles_page_add")).content.decode()
    assert reverse("editor-image-upload") in page_form


def test_anonymous_is_sent_to_login(client):
    response = upload(client, jpeg_bytes())
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_csrf_token_is_required(settings):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff("change_article"))
    assert upload(client, jpeg_bytes()).status_code == 403
    # With the token from the admin form, as editor-upload.js sends it.
    client.get(reverse("admin:index"))
    token = client.cookies["csrftoken"].value
    response = upload(client, jpeg_bytes(), HTTP_X_CSRFTOKEN=token)
    assert response.json()["uploaded"] == 1


def test_foreign_origin_is_refused_even_with_a_token(settings):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff("change_article"))
    client.get(reverse("admin:index"))
    token = client.cookies["csrftoken"].value
    response = upload(
        client, jpeg_bytes(), HTTP_X_CSRFTOKEN=token, HTTP_ORIGIN="https://evil.example"
    )
    assert response.status_code == 403


def test_get_is_not_allowed(editor_client):
    assert editor_client.get(URL).status_code == 405
