"""Browser test of the photo gallery: bulk upload in the admin, reorder,
save, then the public page and its lightbox, by keyboard."""

import io

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from articles.models import Article
from tests.e2e.conftest import SCREENSHOTS, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def shot(page, selector: str, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.locator(selector).screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def photo_files(folder, count: int) -> list[str]:
    paths = []
    for number in range(1, count + 1):
        image = Image.new("RGB", (1600, 1200), (30 + 20 * number, 90, 160))
        draw = ImageDraw.Draw(image)
        draw.rectangle([200, 200, 1400, 1000], outline=(255, 255, 255), width=30)
        draw.text((700, 500), str(number), fill=(255, 255, 255), font_size=300)
        path = folder / f"anh-{number:02d}.jpg"
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=80)
        path.write_bytes(buffer.getvalue())
        paths.append(str(path))
    return paths


def test_upload_ten_reorder_save_and_browse_with_the_keyboard(
    page, live_server, admin_login, make_article, tmp_path
):
    article = make_article("Hội nghị sơ kết 6 tháng", status=Article.Status.PUBLISHED)
    page.set_viewport_size({"width": 1280, "height": 900})
    admin_login()
    change_url = f"{live_server.url}/admin/articles/article/{article.pk}/change/"
    page.goto(change_url)

    page.set_input_files("#anh-bai-viet .upload-files", photo_files(tmp_path, 10))
    # All ten stored: the page saves itself and shows them as rows.
    rows = page.locator("#photos-group tr.form-row.has_original")
    expect(rows).to_have_count(10, timeout=60_000)
    assert article.photos.count() == 10
    expect(page.locator(".photo-alt-warning")).to_contain_text("10 ảnh chưa có mô tả")
    shot(page, "#anh-bai-viet ~ #photos-group", "gallery-admin-uploaded")

    for index in range(10):
        page.fill(f"#id_photos-{index}-caption", f"Chú thích ảnh {index + 1}")
        page.fill(f"#id_photos-{index}-alt_text", f"Mô tả ảnh {index + 1}")
    # Drag the tenth row to the top; the order column is renumbered.
    # Both rows on screen at once, so the drag needs no scrolling.
    page.set_viewport_size({"width": 1280, "height": 2600})
    rows.nth(0).scroll_into_view_if_needed()
    rows.nth(9).locator("img.photo-preview").drag_to(
        rows.nth(0).locator("img.photo-preview"), target_position={"x": 5, "y": 2}
    )
    assert page.input_value("#id_photos-9-order") == "1"
    assert page.input_value("#id_photos-0-order") == "2"
    # The tenth photo becomes the cover.
    rows.nth(0).locator(".photo-cover").click()
    expect(rows.nth(0).locator(".photo-cover")).to_have_attribute(
        "aria-pressed", "true"
    )
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")

    photos = list(article.photos.all())
    assert [p.caption for p in photos][:3] == [
        "Chú thích ảnh 10",
        "Chú thích ảnh 1",
        "Chú thích ảnh 2",
    ]
    article.refresh_from_db()
    assert article.cover == photos[0]

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    thumbnails = page.locator(".gallery a.gallery-link")
    expect(thumbnails).to_have_count(10)
    first = thumbnails.nth(0).locator("img")
    assert first.get_attribute("alt") == "Mô tả ảnh 10"
    assert first.get_attribute("loading") is None
    assert thumbnails.nth(1).locator("img").get_attribute("loading") == "lazy"
    assert page.evaluate("document.querySelector('.gallery img').naturalWidth") > 0

    thumbnails.nth(0).scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "gallery-public-390.png"))
    thumbnails.nth(0).focus()
    page.keyboard.press("Enter")
    dialog = page.locator("dialog.lightbox")
    expect(dialog).to_be_visible()
    position = dialog.locator(".lightbox-position")
    caption = dialog.locator(".lightbox-caption")
    expect(position).to_have_text("1 / 10")
    expect(caption).to_have_text("Chú thích ảnh 10")
    wait_until(
        page,
        "() => document.querySelector('.lightbox-image').complete"
        " && document.querySelector('.lightbox-image').naturalWidth > 0",
    )
    page.screenshot(path=str(SCREENSHOTS / "gallery-lightbox-390.png"))

    page.keyboard.press("ArrowRight")
    expect(position).to_have_text("2 / 10")
    expect(caption).to_have_text("Chú thích ảnh 1")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    expect(position).to_have_text("10 / 10")
    # Focus stays inside the dialog however often Tab is pressed.
    for _ in range(5):
        page.keyboard.press("Tab")
        assert page.evaluate(
            "document.querySelector('dialog.lightbox').contains(document.activeElement)"
        )
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    # Focus is back on the thumbnail that opened it.
    assert page.evaluate(
        "document.activeElement === document.querySelector('.gallery a.gallery-link')"
    )


def test_bad_files_get_their_own_error_and_the_rest_are_stored(
    page, live_server, admin_login, make_article, tmp_path
):
    article = make_article("Tin ảnh", status=Article.Status.DRAFT)
    page.set_viewport_size({"width": 1280, "height": 900})
    admin_login()
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    good = photo_files(tmp_path, 2)
    fake = tmp_path / "khong-phai-anh.jpg"
    fake.write_text("<!DOCTYPE html><html><body>trang web</body></html>")
    empty = tmp_path / "rong.jpg"
    empty.write_bytes(b"")

    page.set_input_files(
        "#anh-bai-viet .upload-files", [good[0], str(fake), str(empty), good[1]]
    )

    summary = page.locator("#anh-bai-viet .upload-summary")
    expect(summary).to_be_visible(timeout=30_000)
    expect(summary).to_contain_text("Đã lưu 2 ảnh, 2 ảnh cần xem lại")
    errors = page.locator("#anh-bai-viet .upload-queue li.is-error")
    expect(errors).to_have_count(2)
    expect(errors.filter(has_text="khong-phai-anh.jpg")).to_contain_text("HTML")
    expect(errors.filter(has_text="rong.jpg")).to_contain_text("rỗng")
    shot(page, "#anh-bai-viet .upload-box", "gallery-admin-errors")
    assert article.photos.count() == 2

    page.click("#anh-bai-viet .upload-show-new")
    expect(page.locator("#photos-group tr.form-row.has_original")).to_have_count(2)
