"""A citizen on a phone searches from the header, typing without diacritics."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

SEED_TITLE = "Hội nghị Ban chấp hành Đảng bộ phường lần thứ 21 khóa VI"


def test_header_search_without_diacritics(demo_site, page, screenshot):
    page.goto(demo_site.url + "/")
    box = page.get_by_role("search").get_by_role("searchbox", name="Tìm bài viết")
    box.fill("nguyen thi nhai")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/tim-kiem/\?q=nguyen\+thi\+nhai"))
    expect(page.locator("h1")).to_have_text("Tìm kiếm")
    result = page.locator(".search-result").first
    expect(result.get_by_role("link", name=re.compile(SEED_TITLE))).to_be_visible()
    expect(result.locator("mark", has_text="Nhài").first).to_be_visible()
    screenshot("search-1-results")

    field = page.get_by_label("Từ khóa")
    field.fill("a")
    field.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Từ khóa quá ngắn")
    screenshot("search-2-too-short")

    result_link = page.get_by_role("link", name=re.compile(SEED_TITLE))
    expect(result_link).to_have_count(0)
    page.get_by_label("Từ khóa").fill("UBND")
    page.get_by_role("button", name="Tìm").last.click()
    expect(page.locator(".search-result mark", has_text="UBND").first).to_be_visible()
