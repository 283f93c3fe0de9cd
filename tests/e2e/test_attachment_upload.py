"""Many attachments at once through the box above the attachments: one
request per file, so each file has the whole upload limit to itself."""

import pytest
from playwright.sync_api import expect

from articles.models import Article

pytestmark = pytest.mark.django_db(transaction=True)


def pdf(name, size=3000):
    return {
        "name": name,
        "mimeType": "application/pdf",
        "buffer": b"%PDF" * (size // 4),
    }


def test_drop_several_files_then_see_them_as_rows_and_on_the_page(
    page, live_server, admin_login, make_article, screenshot
):
    article = make_article("Thông báo lịch tiếp dân", status=Article.Status.DRAFT)
    admin_login()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    page.fill("#id_title", "Thông báo lịch tiếp dân tháng 8")

    box = page.locator("#tep-dinh-kem .upload-box")
    page.set_input_files(
        "#tep-dinh-kem .upload-files",
        [
            pdf("Thông báo số 15-TB-UBND.pdf"),
            {"name": "cai-dat.exe", "mimeType": "application/octet-stream",
             "buffer": b"MZ" * 100},
            pdf("Lịch tiếp dân tháng 8.pdf", 5000),
        ],
    )  # fmt: skip
    summary = box.locator(".upload-summary")
    expect(summary).to_be_visible(timeout=30_000)
    expect(summary).to_contain_text("Đã lưu 2 tệp, 1 tệp cần xem lại")
    refused = box.locator(".upload-queue li.is-error")
    expect(refused).to_have_count(1)
    expect(refused).to_contain_text("cai-dat.exe")
    expect(refused).to_contain_text("Chỉ nhận văn bản")
    box.scroll_into_view_if_needed()
    screenshot("attachments-admin-upload", full_page=False)
    assert article.attachments.count() == 2

    # Saving shows the new rows, and keeps what was typed meanwhile.
    box.locator(".upload-show-new").click()
    rows = page.locator("#attachments-group tr.form-row.has_original")
    expect(rows).to_have_count(2)
    article.refresh_from_db()
    assert article.title == "Thông báo lịch tiếp dân tháng 8"
    # Sent two at a time on PostgreSQL, so stored in either order.
    assert set(article.attachments.values_list("title", flat=True)) == {
        "Thông báo số 15-TB-UBND",
        "Lịch tiếp dân tháng 8",
    }

    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    expect(page.locator("main")).to_contain_text(
        "Thông báo số 15-TB-UBND (PDF, 2,9 KB)"
    )
