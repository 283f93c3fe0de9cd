"""Files past the upload limit are refused in the browser, before the form
is sent: sent, the reverse proxy would answer with a page of its own and
what the editor typed could be lost."""

import pytest
from playwright.sync_api import expect

from articles import images
from articles.models import Article

pytestmark = pytest.mark.django_db(transaction=True)


def pdf(name, size):
    body = b"%PDF" * (size // 4)
    return {"name": name, "mimeType": "application/pdf", "buffer": body}


def test_files_past_the_limit_never_leave_the_browser(
    page, live_server, admin_login, make_article, monkeypatch, screenshot
):
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", 1000)
    article = make_article("Thông báo lịch tiếp dân", status=Article.Status.DRAFT)
    admin_login()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    page.fill("#id_title", "Thông báo lịch tiếp dân tháng 8")

    add_row = page.locator("#attachments-group .add-row a")
    add_row.click()
    page.set_input_files("#id_attachments-0-file", pdf("quet-ban-goc.pdf", 2000))
    note = page.locator("#attachments-group .upload-limit")
    expect(note).to_contain_text("“quet-ban-goc.pdf” quá lớn (0,0 MB)")
    assert page.eval_on_selector("#id_attachments-0-file", "i => i.files.length") == 0

    # Each under the limit, together past it: nothing is sent.
    page.set_input_files("#id_attachments-0-file", pdf("trang-1.pdf", 600))
    expect(note).to_have_count(0)
    add_row.click()
    page.set_input_files("#id_attachments-1-file", pdf("trang-2.pdf", 600))
    page.locator("input[name=_continue]").first.click()
    total = page.locator("form .upload-limit").first
    expect(total).to_contain_text("Chưa có gì được gửi đi")
    screenshot("admin-upload-limit")
    assert page.input_value("#id_title") == "Thông báo lịch tiếp dân tháng 8"
    assert Article.objects.get().title == "Thông báo lịch tiếp dân"

    # One file less, and the save goes through.
    page.set_input_files("#id_attachments-1-file", [])
    page.locator("input[name=_continue]").first.click()
    expect(page.locator(".messagelist .success")).to_have_count(1)
    article.refresh_from_db()
    assert article.title == "Thông báo lịch tiếp dân tháng 8"
    assert article.attachments.get().title == "trang-1"
