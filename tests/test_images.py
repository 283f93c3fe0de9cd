import io
import posixpath
import re
import struct
import zlib

import pillow_heif
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from PIL import ExifTags, Image, ImageCms

from articles import images
from articles.models import Article, Photo
from articles.services import photos_ingest
from tests.conftest import jpeg_bytes, upload_folders

pytestmark = pytest.mark.django_db

SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
RED, BLUE = (230, 20, 20), (20, 40, 230)


def phone_jpeg(width=4000, height=3000) -> bytes:
    """As a phone stores a portrait shot: landscape pixels, EXIF orientation 6
    (rotate 90° clockwise to view), GPS position, camera make, sRGB profile.
    The top half of the stored pixels is red, the bottom half blue."""
    image = Image.new("RGB", (width, height), BLUE)
    image.paste(RED, (0, 0, width, height // 2))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "PhoneCo"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (10.0, 46.0, 30.0),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (106.0, 47.0, 12.0),
        }
    )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90, exif=exif.tobytes(), icc_profile=SRGB)
    return buffer.getvalue()


def png_bomb(width=10_000, height=10_000) -> bytes:
    """A valid 1-bit PNG of width x height black pixels, a few KiB on disk."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    row = b"\x00" * (1 + (width + 7) // 8)
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height))
    idat += compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", idat)
        + chunk(b"IEND", b"")
    )


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def stored(name: str) -> Image.Image:
    from django.core.files.storage import default_storage

    with default_storage.open(name, "rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


def media_files(media_root) -> set[str]:
    return {
        str(path.relative_to(media_root))
        for path in media_root.rglob("*")
        if path.is_file()
    }


def test_phone_photo_is_stored_upright_stripped_capped_with_renditions(
    make_article,
):
    article = make_article()
    data = phone_jpeg()
    assert b"PhoneCo" in data

    [result] = photos_ingest(article=article, files=[upload("IMG_0001.JPG", data)])

    assert result.status == "stored", result.message
    photo = Photo.objects.get()
    # Upright: the portrait 3000x4000 view, its long side capped at 2560.
    assert (photo.width, photo.height) == (1920, 2560)
    original = stored(photo.image.name)
    assert original.format == "JPEG"
    assert original.size == (1920, 2560)
    # Rotated clockwise, the red top of the stored pixels is now on the right.
    assert _near(original.getpixel((1800, 1280)), RED)
    assert _near(original.getpixel((100, 1280)), BLUE)
    # No metadata left but the colour profile.
    assert len(original.getexif()) == 0
    assert "exif" not in original.info and "xmp" not in original.info
    assert original.info.get("icc_profile") == SRGB
    raw = (photo.image.path and open(photo.image.path, "rb").read()) or b""
    assert b"PhoneCo" not in raw and b"Exif" not in raw
    assert photo.sha256 == images.content_hash(data)

    assert [(r["width"], r["height"]) for r in photo.renditions] == [
        (400, 533),
        (800, 1067),
        (1600, 2133),
    ]
    for rendition in photo.renditions:
        webp = stored(rendition["name"])
        assert webp.format == "WEBP"
        assert webp.size == (rendition["width"], rendition["height"])
        assert len(webp.getexif()) == 0
        assert webp.info.get("icc_profile") == SRGB
        assert rendition["name"].endswith(f"-{rendition['width']}w.webp")


def _near(pixel, colour, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=False))


def test_bad_files_are_refused_each_with_its_reason_and_good_ones_are_kept(
    make_article, media_root
):
    article = make_article()
    good = jpeg_bytes(320, 240)
    bomb = png_bomb()
    assert len(bomb) < 20 * 1024
    # Pillow alone would only warn at 100 megapixels (its error starts near 179).
    assert 89_478_485 < 10_000 * 10_000 < 2 * 89_478_485
    files = [
        upload("dau.jpg", good),
        upload("bom.png", bomb),
        upload("trang-web.jpg", b"<!DOCTYPE html><html><body>Xin chao</body></html>"),
        upload(
            "logo.svg",
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" '
            b'width="10" height="10"><rect width="10" height="10"/></svg>',
        ),
        upload("rong.jpg", b""),
        upload("cut.jpg", good[: len(good) // 2]),
        upload("cuoi.png", _png(200, 100)),
    ]

    results = photos_ingest(article=article, files=files)

    by_name = {result.name: result for result in results}
    assert [r.status for r in results] == [
        "stored",
        "refused",
        "refused",
        "refused",
        "refused",
        "refused",
        "stored",
    ]
    assert "điểm ảnh" in by_name["bom.png"].message
    assert "HTML" in by_name["trang-web.jpg"].message
    assert "SVG" in by_name["logo.svg"].message
    assert "rỗng" in by_name["rong.jpg"].message
    assert "cắt cụt" in by_name["cut.jpg"].message
    photos = list(article.photos.all())
    assert [p.image.name.rsplit("/", 1)[1] for p in photos] == ["dau.jpg", "cuoi.png"]
    assert [p.order for p in photos] == [1, 2]
    # Only the two good photos and their renditions (one each) reached the disk.
    assert len(media_files(media_root)) == 4


def _png(width, height) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (width, height), (0, 128, 0, 128)).save(buffer, "PNG")
    return buffer.getvalue()


def test_small_png_keeps_its_format_and_transparency(make_article):
    [result] = photos_ingest(
        article=make_article(), files=[upload("so-do.png", _png(200, 100))]
    )
    photo = result.photo
    assert photo.image.name.endswith(".png")
    assert stored(photo.image.name).mode == "RGBA"
    # Narrower than the smallest width: one rendition at its own size.
    assert [(r["width"], r["height"]) for r in photo.renditions] == [(200, 100)]
    assert stored(photo.renditions[0]["name"]).mode == "RGBA"


def test_heic_from_an_iphone_is_stored_as_jpeg(make_article):
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), RED).save(buffer, format="HEIF")
    heic = buffer.getvalue()
    assert heic[4:8] == b"ftyp"
    assert pillow_heif is not None

    [result] = photos_ingest(article=make_article(), files=[upload("IMG_7.HEIC", heic)])

    assert result.status == "stored", result.message
    assert result.photo.image.name.endswith("/img_7.jpg")
    assert stored(result.photo.image.name).format == "JPEG"
    assert [r["width"] for r in result.photo.renditions] == [400, 800, 1200]


def test_same_photo_twice_in_one_article_is_skipped(make_article):
    article, other = make_article("Một"), make_article("Hai")
    data = jpeg_bytes(300, 200)

    first, second = photos_ingest(
        article=article, files=[upload("a.jpg", data), upload("a-copy.jpg", data)]
    )
    [elsewhere] = photos_ingest(article=other, files=[upload("a.jpg", data)])

    assert (first.status, second.status) == ("stored", "duplicate")
    assert "đã có trong bài" in second.message and "ảnh thứ 1" in second.message
    assert second.photo == first.photo
    assert article.photos.count() == 1
    assert elsewhere.status == "stored"


def test_ingest_gives_the_article_a_cover(make_article):
    article = make_article()
    photos_ingest(article=article, files=[upload("a.jpg", jpeg_bytes(300, 200))])
    article.refresh_from_db()
    assert article.cover == article.photos.get()


def test_deleting_a_photo_or_its_article_deletes_its_files(
    make_article, media_root, django_capture_on_commit_callbacks
):
    article = make_article()
    photos_ingest(
        article=article,
        files=[upload("a.jpg", phone_jpeg(1600, 1200)), upload("b.jpg", jpeg_bytes())],
    )
    first, second = article.photos.all()
    first_files = set(first.file_names())
    assert len(first_files) == 4
    assert first_files | set(second.file_names()) == media_files(media_root)

    first.share_picture()  # its link-preview copy goes with it too
    assert len(first.file_names()) == 5
    assert set(first.file_names()) | set(second.file_names()) == media_files(media_root)
    with django_capture_on_commit_callbacks(execute=True):
        first.delete()
    assert media_files(media_root) == set(second.file_names())

    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.filter(pk=article.pk).delete()
    assert media_files(media_root) == set()
    assert upload_folders(media_root) == set()  # no empty folder left behind


def test_a_draft_s_photo_cannot_be_found_by_its_name_and_month(make_article):
    """A phone names its photos in sequence (IMG_1234.JPG): each photo gets
    a folder of its own with a random part, so its address cannot be
    guessed before the article is published."""
    draft = make_article(status=Article.Status.DRAFT)
    photos = [
        result.photo
        for result in photos_ingest(
            article=draft,
            files=[
                upload("IMG_1234.JPG", jpeg_bytes()),
                upload("IMG_1234.JPG", jpeg_bytes(500, 400)),
            ],
        )
    ]
    folders = set()
    for photo in photos:
        match = re.fullmatch(
            r"(photos/\d{4}/\d{2}/([a-z0-9]{10}))/img_1234\.jpg", photo.image.name
        )
        assert match, photo.image.name
        folders.add(match.group(2))
        # Its renditions sit beside it.
        assert {posixpath.dirname(n) for n in photo.file_names()} == {match.group(1)}
    assert len(folders) == 2


def test_replacing_the_file_regenerates_renditions(
    make_article, media_root, django_capture_on_commit_callbacks
):
    [result] = photos_ingest(
        article=make_article(), files=[upload("cu.jpg", jpeg_bytes(900, 600))]
    )
    photo = result.photo
    old_files = set(photo.file_names())

    photo.image = upload("moi.jpg", phone_jpeg(1200, 1000))
    with django_capture_on_commit_callbacks(execute=True):
        photo.save()

    photo.refresh_from_db()
    assert photo.image.name.endswith("/moi.jpg")
    assert (photo.width, photo.height) == (1000, 1200)
    assert [r["width"] for r in photo.renditions] == [400, 800, 1000]
    assert media_files(media_root) == set(photo.file_names())
    assert not old_files & media_files(media_root)


def test_photo_created_with_a_plain_file_goes_through_the_pipeline(make_article):
    photo = Photo.objects.create(
        article=make_article(), image=upload("x.jpg", phone_jpeg(1000, 800))
    )
    photo.refresh_from_db()
    assert (photo.width, photo.height) == (800, 1000)
    assert [r["width"] for r in photo.renditions] == [400, 800]
    assert len(stored(photo.image.name).getexif()) == 0


def test_rebuild_renditions_after_a_size_change(
    make_article, settings, media_root, django_capture_on_commit_callbacks
):
    [result] = photos_ingest(
        article=make_article(), files=[upload("a.jpg", jpeg_bytes(2000, 1500))]
    )
    old = set(result.photo.rendition_names())

    settings.WARDNEWS_PHOTO_WIDTHS = (300, 600)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rebuild_renditions", stdout=out)

    photo = Photo.objects.get()
    assert [(r["width"], r["height"]) for r in photo.renditions] == [
        (300, 225),
        (600, 450),
    ]
    assert "1 ảnh" in out.getvalue()
    assert media_files(media_root) == set(photo.file_names())
    assert not old & media_files(media_root)


def test_rebuild_cleans_a_photo_stored_before_the_pipeline(
    make_article, media_root, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    name = default_storage.save("photos/old/cu.jpg", io.BytesIO(phone_jpeg(1200, 900)))
    photo = Photo(article=make_article(), image=name, width=1200, height=900)
    photo.save()
    assert photo.renditions == [] and photo.sha256 == ""

    with django_capture_on_commit_callbacks(execute=True):
        call_command("rebuild_renditions", stdout=io.StringIO())

    photo.refresh_from_db()
    assert (photo.width, photo.height) == (900, 1200)
    assert len(stored(photo.image.name).getexif()) == 0
    assert [r["width"] for r in photo.renditions] == [400, 800, 900]
    assert media_files(media_root) == set(photo.file_names())


def test_import_photos_prints_a_line_per_file_and_fails_on_refusal(
    make_article, tmp_path
):
    article = make_article("Hội nghị")
    folder = tmp_path / "anh"
    folder.mkdir()
    (folder / "1.jpg").write_bytes(jpeg_bytes(300, 200))
    (folder / "2.jpg").write_bytes(jpeg_bytes(300, 200))  # same bytes as 1.jpg
    (folder / "3.jpg").write_bytes(b"<html>not a photo</html>")
    (folder / "4.png").write_bytes(_png(300, 200))
    out = io.StringIO()

    with pytest.raises(CommandError, match="1 tệp bị từ chối"):
        call_command("import_photos", article.slug, str(folder), stdout=out)

    lines = out.getvalue().splitlines()
    assert len(lines) == 4
    assert lines[0].endswith("1.jpg: đã lưu (ảnh thứ 1)")
    assert "2.jpg: bỏ qua vì trùng" in lines[1]
    assert "3.jpg: từ chối: " in lines[2] and "HTML" in lines[2]
    assert lines[3].endswith("4.png: đã lưu (ảnh thứ 2)")
    assert article.photos.count() == 2


def test_import_photos_exits_zero_when_nothing_is_refused(make_article, tmp_path):
    article = make_article("Hội nghị")
    path = tmp_path / "a.jpg"
    path.write_bytes(phone_jpeg(800, 600))
    out = io.StringIO()
    call_command("import_photos", article.slug, str(path), "--credit=UBND", stdout=out)
    assert "đã lưu" in out.getvalue()
    assert article.photos.get().credit == "UBND"


def test_import_photos_reports_unknown_article_and_missing_file(make_article, tmp_path):
    with pytest.raises(CommandError, match="Không có bài viết"):
        call_command("import_photos", "khong-co", str(tmp_path / "a.jpg"))
    article = make_article("Có")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_photos", article.slug, str(tmp_path / "a.jpg"), stdout=out)
    assert "không tìm thấy tệp" in out.getvalue()


def test_load_demo_photos_go_through_the_pipeline():
    call_command("load_demo", verbosity=0)
    photos = Photo.objects.all()
    assert photos.count() >= 8
    for photo in photos:
        assert photo.sha256 and photo.renditions
        assert photo.alt_text


def test_missing_alt_lists_photos_that_need_a_description(make_article):
    article = make_article()
    photos_ingest(
        article=article,
        files=[upload(f"{i}.jpg", jpeg_bytes(color=(i * 40, 0, 0))) for i in range(3)],
    )
    first, second, third = article.photos.all()
    first.alt_text = "Hội trường"
    first.save()
    second.decorative = True
    second.save()
    assert list(article.photos.missing_alt()) == [third]
    assert second.alt == ""
