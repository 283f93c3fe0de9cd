"""A citizen on a phone: home → category → the seed report → its photos with
the keyboard → an official who attended → back. Screenshots of every step
go to tests/e2e/screenshots/."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

SEED_TITLE = "Hội nghị Ban chấp hành Đảng bộ phường lần thứ 21 khóa VI"
SEED_SLUG = (
    "hoi-nghi-ban-chap-hanh-dang-bo-phuong-lan-thu-21-khoa-vi-nhiem-ky-2020-2025"
)


def test_citizen_journey(demo_site, page, screenshot):
    page.goto(demo_site.url + "/")
    expect(page).to_have_title(re.compile("Trang thông tin điện tử phường Cát Lái"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("footer")).to_contain_text("Chịu trách nhiệm nội dung")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    screenshot("journey-1-home")

    page.locator(".site-nav").get_by_role(
        "link", name="Hoạt động Đảng ủy - Ủy ban"
    ).click()
    expect(page.locator("h1")).to_have_text("Hoạt động Đảng ủy - Ủy ban")
    screenshot("journey-2-category")

    page.get_by_role("link", name=re.compile(SEED_TITLE)).first.click()
    expect(page.locator("h1")).to_contain_text(SEED_TITLE)
    expect(page.locator(".meeting-box")).to_contain_text("Thứ Sáu, 05/07/2024")
    article_url = page.url
    # Scroll through once so the lazy gallery thumbnails are in the picture.
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    for image in page.locator(".gallery img").all():
        expect(image).to_have_js_property("complete", True)
    page.evaluate("window.scrollTo(0, 0)")
    screenshot("journey-3-article")

    first_photo = page.locator(".gallery a.gallery-link").first
    first_photo.focus()
    page.keyboard.press("Enter")
    lightbox = page.locator("dialog.lightbox")
    expect(lightbox).to_be_visible()
    expect(lightbox.locator(".lightbox-position")).to_have_text(
        re.compile(r"^1 / \d+$")
    )
    first_src = lightbox.locator(".lightbox-image").get_attribute("src")
    expect(lightbox.locator(".lightbox-image")).to_have_js_property("complete", True)
    screenshot("journey-4-lightbox", full_page=False)

    page.keyboard.press("ArrowRight")
    expect(lightbox.locator(".lightbox-position")).to_have_text(
        re.compile(r"^2 / \d+$")
    )
    assert lightbox.locator(".lightbox-image").get_attribute("src") != first_src
    expect(lightbox.locator(".lightbox-image")).to_have_js_property("complete", True)
    screenshot("journey-5-next-photo", full_page=False)

    page.keyboard.press("Escape")
    expect(lightbox).to_be_hidden()
    expect(first_photo).to_be_focused()

    page.locator(".attendees").get_by_role("link", name="Nguyễn Thị Nhài").click()
    expect(page.locator("h1")).to_have_text("Nguyễn Thị Nhài")
    expect(page.locator(".positions-list")).to_contain_text(
        "Phó Bí thư Thường trực Đảng ủy phường"
    )
    expect(page.get_by_role("link", name=re.compile(SEED_TITLE))).to_be_visible()
    screenshot("journey-6-official")

    page.go_back()
    assert page.url == article_url
    expect(page.locator("h1")).to_contain_text(SEED_TITLE)
    screenshot("journey-7-back")


def test_meeting_filters_in_the_browser(demo_site, page, screenshot):
    page.goto(demo_site.url + "/hoi-nghi/")
    page.select_option("#id_khoa", label="Khóa VI")
    page.get_by_role("button", name="Lọc").click()
    expect(page).to_have_url(re.compile(r"khoa=6"))
    expect(page.locator(".meeting-list")).to_contain_text(SEED_TITLE)
    screenshot("meetings-filtered")


def test_article_prints_without_navigation(demo_site, page, screenshot):
    page.goto(demo_site.url + "/tin-tuc/" + SEED_SLUG + "/")
    page.emulate_media(media="print")
    expect(page.locator(".site-nav")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    screenshot("article-print")


def test_cached_pages_arrive_compressed(demo_site, browser, page, page_cache):
    """With the page cache on, as in production: the seed report reaches the
    first citizen's browser gzipped as it is rendered, and the next one's
    from the cache, and reads the same for both."""
    url = demo_site.url + "/tin-tuc/" + SEED_SLUG + "/"
    other = browser.new_page(viewport={"width": 390, "height": 844}, locale="vi-VN")
    try:
        for citizen, expected in ((page, "MISS"), (other, "HIT")):
            headers = citizen.goto(url).headers
            assert (headers["x-cache"], headers["content-encoding"]) == (
                expected,
                "gzip",
            )
            expect(citizen.locator("h1")).to_contain_text(SEED_TITLE)
            expect(citizen.locator(".attendees")).to_contain_text("Nguyễn Thị Nhài")
    finally:
        other.close()
