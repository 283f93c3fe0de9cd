"""An approver sends a report back, the editor reads why, and a leader reads
the draft on a phone through a preview link."""

import pytest

from articles.models import Article

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "mat-khau-dai-123"


def log_in(page, live_server, user):
    user.set_password(PASSWORD)
    user.save()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def test_send_back_and_preview_link(browser, live_server, make_staff, make_report):
    article = make_report(
        "Hội nghị chờ duyệt", status=Article.Status.REVIEW, attendees=2, photos=1
    )
    change = f"{live_server.url}/admin/articles/article/{article.pk}/change/"

    approver = browser.new_context(viewport={"width": 1280, "height": 900})
    page = approver.new_page()
    log_in(page, live_server, make_staff("nguoiduyet", "Người duyệt"))
    assert "Hội nghị chờ duyệt" in page.locator("#workflow-dashboard").inner_text()
    page.goto(change)
    page.fill("#id_send_back_comment", "Bổ sung chức vụ người chủ trì.")
    page.locator("input[name=_send_back]").first.click()
    page.wait_for_load_state()
    assert "Đã trả bài" in page.locator(".messagelist").inner_text()
    page.locator("input[name=_preview_create]").first.click()
    page.wait_for_load_state()
    link = page.locator(".messagelist a").first.get_attribute("href")
    approver.close()

    editor = browser.new_context(viewport={"width": 1280, "height": 900})
    page = editor.new_page()
    log_in(page, live_server, make_staff("bientap", "Biên tập viên"))
    page.goto(change)
    assert "Bổ sung chức vụ người chủ trì." in page.inner_text(".workflow-comment")
    assert page.locator("input[name=_publish]").count() == 0
    editor.close()

    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, locale="vi-VN"
    )
    page = phone.new_page()
    response = page.goto(link)
    assert response.status == 200
    assert "no-store" in response.headers["cache-control"]
    assert "Bản nháp" in page.locator(".draft-banner").text_content()
    assert page.locator("h1").inner_text() == "Hội nghị chờ duyệt"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    page.emulate_media(media="print")  # a printed draft still says so
    assert page.locator(".draft-banner").is_visible()
    phone.close()
