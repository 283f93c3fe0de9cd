"""Browser: fill the seed report through the admin's review screen."""

from pathlib import Path

import pytest

from articles.models import Article, Attendance, Category, Meeting, Official, Position
from tests.e2e.conftest import wait_until

pytestmark = pytest.mark.django_db(transaction=True)

SEED = Path(__file__).parent.parent.parent / "articles/demo/catlai-2024-07-05.txt"


def test_fill_seed_report_through_review_screen(
    page, live_server, admin_login, screenshot
):
    category = Category.objects.create(name="Hoạt động Đảng ủy - Ủy ban")
    body = "".join(f"<p>{line}</p>" for line in SEED.read_text().splitlines())
    article = Article.objects.create(
        title="Hội nghị Ban chấp hành lần thứ 21",
        category=category,
        body=body,
        status=Article.Status.DRAFT,
    )
    nhai = Official.objects.create(full_name="Nguyễn Thị Nhài")
    Position.objects.create(
        official=nhai, title="Phó Bí thư Thường trực Đảng ủy phường"
    )
    hien = Official.objects.create(full_name="Nguyễn Đức Hiền")
    Position.objects.create(official=hien, title="Phó Chủ tịch UBND phường")
    admin_login()

    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    page.click("text=Điền từ nội dung")
    textarea = page.locator("textarea[name=text]")
    assert textarea.input_value().startswith("Ngày 05/7/2024, phường Cát Lái")
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot("admin-fill-input")
    page.click("button[value=read]")

    page.wait_for_selector("table.fill-rows")
    assert page.input_value("#id_meeting-held_on") == "05/07/2024"
    assert page.input_value("#id_meeting-session_number") == "21"
    assert page.input_value("#id_meeting-term_number") == "6"
    assert page.input_value("#id_meeting-opinions_count") == "11"
    assert page.input_value("#id_rows-2-name") == "Nguyễn Thị Nhài"
    assert page.input_value("#id_rows-2-role") == "presenter"
    assert "Đã có" in page.inner_text("tr[data-row='2']")
    # Hiền's record says Phó Chủ tịch; the report says Chủ tịch.
    assert page.locator("tr[data-row='3'] .fill-differs").count() == 1
    assert page.is_checked("#id_rows-1-create_official")
    screenshot("admin-fill-review")
    # Nothing is saved before the editor confirms.
    assert not Meeting.objects.exists() and not Attendance.objects.exists()

    page.uncheck("#id_rows-1-create_official")
    page.click("button[value=confirm]")
    page.wait_for_selector(".messagelist .success")
    assert "12 dòng" in page.inner_text(".messagelist")
    screenshot("admin-fill-saved")

    meeting = Meeting.objects.get(article=article)
    assert (meeting.session_number, meeting.term_number) == (21, 6)
    rows = list(article.attendances.in_protocol_order())
    assert [r.name for r in rows[:4]] == [
        "Đặng Thị Bích Thuận",
        "Huỳnh Thị Ngọc Bích",
        "Nguyễn Thị Nhài",
        "Nguyễn Đức Hiền",
    ]
    assert rows[2].official == nhai and rows[2].role == "presenter"
    assert rows[1].official is None
    assert not Official.objects.filter(full_name="Huỳnh Thị Ngọc Bích").exists()
    # The change page's attendee inline now lists the saved rows.
    assert page.input_value("#id_attendances-0-name") == "Đặng Thị Bích Thuận"


def test_add_page_reads_the_body_just_pasted(
    page, live_server, admin_login, screenshot
):
    Category.objects.create(name="Hoạt động Đảng ủy - Ủy ban")
    body = "".join(f"<p>{line}</p>" for line in SEED.read_text().splitlines()[:2])
    admin_login()
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.fill("#id_title", "Hội nghị giữa năm 2024")
    page.select_option("#id_category", label="Hoạt động Đảng ủy - Ủy ban")
    # Whatever editor the body uses, it writes back into the textarea on submit.
    # CKEditor starts (and setData completes) asynchronously: wait for both,
    # or the editor later writes its empty content back over the body.
    wait_until(
        page,
        "() => !window.CKEDITOR || (CKEDITOR.instances.id_body"
        " && CKEDITOR.instances.id_body.status === 'ready')",
    )
    page.evaluate(
        """html => {
            const editor = window.CKEDITOR && CKEDITOR.instances.id_body;
            if (editor) { editor.setData(html); }
            else { document.querySelector('#id_body').value = html; }
        }""",
        body,
    )
    wait_until(
        page,
        "() => (window.CKEDITOR ? CKEDITOR.instances.id_body.getData()"
        " : document.querySelector('#id_body').value).includes('05/7/2024')",
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot("admin-fill-add-page")
    page.click("button.fill-from-text-link")

    page.wait_for_selector("table.fill-rows")
    assert page.input_value("#id_title") == "Hội nghị giữa năm 2024"
    assert page.input_value("#id_rows-0-name") == "Đặng Thị Bích Thuận"
    assert not Article.objects.exists()
    page.click("button[value=confirm]")
    page.wait_for_selector(".messagelist .success")

    article = Article.objects.get()
    assert article.title == "Hội nghị giữa năm 2024"
    assert article.status == Article.Status.DRAFT
    assert article.meeting.session_number == 21
    assert article.attendances.count() == 12
