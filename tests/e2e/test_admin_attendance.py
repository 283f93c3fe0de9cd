import pytest
from playwright.sync_api import expect

from articles.models import Article, Category, Official, Position

pytestmark = pytest.mark.django_db(transaction=True)


def test_picking_an_official_copies_name_and_positions(
    page, live_server, admin_login, screenshot
):
    Category.objects.create(name="Thông báo")
    nhai = Official.objects.create(full_name="Nguyễn Thị Nhài")
    Position.objects.create(official=nhai, title="Phó Bí thư Thường trực Đảng ủy")
    admin_login()

    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.fill("#id_title", "Hội nghị Ban chấp hành lần thứ 21")
    page.select_option("#id_category", label="Thông báo")
    # The attendee row's official field is the admin's select2 autocomplete.
    page.click("#attendances-0 .select2-selection")
    page.fill(".select2-search__field", "Nhài")
    page.click(".select2-results__option >> text=Nguyễn Thị Nhài")
    # No string-evaluating waits: the admin's CSP forbids eval.
    expect(page.locator("#id_attendances-0-positions")).not_to_have_value("")
    assert page.input_value("#id_attendances-0-name") == "Nguyễn Thị Nhài"
    assert (
        page.input_value("#id_attendances-0-positions")
        == "Phó Bí thư Thường trực Đảng ủy"
    )
    # The copied text is the printed text: the editor may change it.
    page.fill("#id_attendances-0-positions", "Phó Bí thư Thường trực Đảng ủy phường")
    screenshot("admin-attendance-filled")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")

    attendance = Article.objects.get().attendances.get()
    assert attendance.official == nhai
    assert attendance.positions == "Phó Bí thư Thường trực Đảng ủy phường"
