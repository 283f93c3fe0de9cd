"""An official's portrait: made from whatever photo staff upload, small,
upright and without the phone's metadata, and removed with its official."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from articles.models import Official
from tests.conftest import gif_bytes, jpeg_bytes
from tests.test_images import media_files, phone_jpeg

pytestmark = pytest.mark.django_db

ADD = "/admin/articles/official/add/"


def official_form(photo, **fields):
    return {
        "full_name": "Nguyễn Thị Nhài",
        "slug": "",
        "bio": "",
        "photo": photo,
        "positions-TOTAL_FORMS": "0",
        "positions-INITIAL_FORMS": "0",
        "positions-MIN_NUM_FORMS": "0",
        "positions-MAX_NUM_FORMS": "1000",
        **fields,
    }


def test_a_phone_photo_becomes_a_small_upright_portrait_without_gps(admin_client):
    sent = phone_jpeg()  # 4000 x 3000, turned by EXIF, with a GPS position
    response = admin_client.post(
        ADD, official_form(SimpleUploadedFile("IMG_0001.JPG", sent))
    )
    assert response.status_code == 302

    official = Official.objects.get()
    assert official.photo.name.endswith("/nguyen-thi-nhai.webp")
    portrait = Image.open(official.photo.path)
    assert (portrait.format, portrait.size) == ("WEBP", (320, 400))
    assert not portrait.getexif()
    # Upright: the phone's "top" of the stored pixels (red) is on the right.
    rgb = portrait.convert("RGB")
    assert rgb.getpixel((300, 200))[0] > 180
    assert rgb.getpixel((20, 200))[2] > 180
    assert official.photo.size < len(sent) // 5

    page = admin_client.get(official.get_absolute_url()).content.decode()
    assert f'src="{official.photo.url}"' in page


NOT_AN_IMAGE = "Hãy tải lên một hình ảnh hợp lệ"  # Django's own check


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("anh.gif", gif_bytes(), "Chỉ nhận ảnh JPEG, PNG, WebP"),
        ("anh.jpg", b"<html>not a photo</html>", NOT_AN_IMAGE),
        ("anh.jpg", jpeg_bytes()[:200], NOT_AN_IMAGE),
    ],
)
def test_what_is_not_a_photo_is_refused_and_the_form_kept(
    admin_client, name, data, says
):
    response = admin_client.post(
        ADD, official_form(SimpleUploadedFile(name, data), bio="Tiểu sử đã gõ")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert says in page
    assert "Tiểu sử đã gõ" in page
    assert not Official.objects.exists()


def test_a_replaced_cleared_or_deleted_portrait_leaves_the_disk(
    make_official, media_root, django_capture_on_commit_callbacks
):
    official = make_official("Nguyễn Đức Hiền")
    with django_capture_on_commit_callbacks(execute=True):
        official.photo = ContentFile(jpeg_bytes(), name="a.jpg")
        official.save()
    first = official.photo.name
    assert media_files(media_root) == {first}

    with django_capture_on_commit_callbacks(execute=True):
        official.photo = ContentFile(jpeg_bytes(color=(0, 0, 0)), name="b.jpg")
        official.save()
    assert media_files(media_root) == {official.photo.name} != {first}

    with django_capture_on_commit_callbacks(execute=True):
        official.photo = ""
        official.save()
    assert media_files(media_root) == set()

    with django_capture_on_commit_callbacks(execute=True):
        official.photo = ContentFile(jpeg_bytes(), name="c.jpg")
        official.save()
        official.delete()
    assert media_files(media_root) == set()


def test_rebuild_renditions_remakes_portraits_stored_before(
    make_official, media_root, django_capture_on_commit_callbacks
):
    old = make_official("Nguyễn Thị Nhài")
    raw = media_root / "officials" / "2024" / "IMG_0001.JPG"
    raw.parent.mkdir(parents=True)
    raw.write_bytes(phone_jpeg(800, 600))
    Official.objects.filter(pk=old.pk).update(photo="officials/2024/IMG_0001.JPG")
    made = make_official("Nguyễn Đức Hiền")
    made.photo = ContentFile(jpeg_bytes(), name="a.jpg")
    made.save()
    made_name = made.photo.name

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rebuild_renditions", stdout=out)

    assert "Đã làm lại 1 ảnh chân dung cán bộ." in out.getvalue()
    old.refresh_from_db()
    assert Image.open(old.photo.path).size == (320, 400)
    assert not Image.open(old.photo.path).getexif()
    assert media_files(media_root) == {old.photo.name, made_name}

    out = io.StringIO()
    call_command("rebuild_renditions", "--portraits", stdout=out)
    assert out.getvalue() == "Đã làm lại 0 ảnh chân dung cán bộ.\n"
