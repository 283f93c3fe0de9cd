"""The picture link previews show: a JPEG copy of an article's cover, at
most 1200 px wide, made once (``Photo.share_picture``)."""

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from articles import rendered
from articles.services import photos_ingest
from tests.conftest import jpeg_bytes
from tests.test_discovery import json_ld, meta
from tests.test_images import _near, _png, stored, upload

pytestmark = pytest.mark.django_db


def test_shared_image_is_a_1200_px_jpeg(client, make_article, media_root):
    """Link previews get a JPEG (not every chat app shows WebP) small enough
    for them, made once from the cover's original."""
    article = make_article("Tin có ảnh lớn")
    photos_ingest(
        article=article,
        files=[ContentFile(jpeg_bytes(width=2000, height=1500), name="lon.jpg")],
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert (meta(html, "og:image:width"), meta(html, "og:image:height")) == (
        "1200",
        "900",
    )
    url = meta(html, "og:image")
    assert url.startswith("http://testserver/media/") and url.endswith("-chia-se.jpg")
    shared = media_root / url.removeprefix("http://testserver/media/")
    with Image.open(shared) as image:
        assert (image.format, image.size) == ("JPEG", (1200, 900))
    assert shared.stat().st_size < 300_000
    (data,) = json_ld(html)
    assert data["@graph"][0]["image"][0]["url"] == url
    # Made once, then found by its name.
    made = shared.stat().st_mtime_ns
    rendered.mark_stale([article.pk])  # rendered again
    assert (
        meta(client.get(article.get_absolute_url()).content.decode(), "og:image") == url
    )
    assert shared.stat().st_mtime_ns == made
    assert len(list(shared.parent.glob("*-chia-se*.jpg"))) == 1


def test_the_copy_is_made_when_the_cover_is_saved(
    client, make_article, media_root, django_capture_on_commit_callbacks
):
    """Not by the page's first reader: a GET writes no file."""
    article = make_article("Tin có ảnh")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        photos_ingest(
            article=article,
            files=[ContentFile(jpeg_bytes(width=2000, height=1500), name="lon.jpg")],
        )
    article.refresh_from_db()
    shared = media_root / article.cover.share_name()
    assert shared.exists()
    made = shared.stat().st_mtime_ns
    files = sorted(media_root.rglob("*"))
    html = client.get(article.get_absolute_url()).content.decode()
    assert meta(html, "og:image").endswith(article.cover.share_name())
    assert sorted(media_root.rglob("*")) == files
    assert shared.stat().st_mtime_ns == made
    # Once per cover and transaction, however often the article is saved.
    with django_capture_on_commit_callbacks() as callbacks:
        article.save()
        article.save()
    assert len(callbacks) == 1


def test_share_copy_of_a_transparent_png_is_a_jpeg_on_white(make_article):
    [result] = photos_ingest(
        article=make_article(), files=[upload("so-do.png", _png(200, 100))]
    )
    picture = result.photo.share_picture()
    assert (picture["width"], picture["height"]) == (200, 100)
    shared = stored(result.photo.share_name())
    assert (shared.format, shared.mode) == ("JPEG", "RGB")
    # Half-transparent green on white, not on black.
    assert _near(shared.getpixel((100, 50)), (127, 191, 127))


def test_a_cover_whose_copy_cannot_be_made_shares_its_largest_rendition(
    make_article, media_root
):
    [result] = photos_ingest(
        article=make_article(), files=[upload("lon.jpg", jpeg_bytes(2000, 1500))]
    )
    photo = result.photo
    (media_root / photo.image.name).unlink()  # the original is gone
    picture = photo.share_picture()
    assert picture["url"].endswith("-1600w.webp") and picture["width"] == 1600
    assert not (media_root / photo.share_name()).exists()
