"""Public pages in a real Chromium at phone size: zero axe-core violations,
zero Nu HTML checker errors, nothing fetched from another host, no CSP
violation."""

import re
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import expect

from tests.e2e.checks import axe_violations, vnu_errors

pytestmark = pytest.mark.django_db(transaction=True)

OFFICIAL = "/can-bo/nguyen-thi-nhai/"

SEED = (
    "/tin-tuc/hoi-nghi-ban-chap-hanh-dang-bo-phuong-lan-thu-21-khoa-vi-nhiem-ky-"
    "2020-2025/"
)


def pages_to_check() -> dict[str, str]:
    pages = {
        "home": "/",
        "list": "/tin-tuc/",
        "category": "/chuyen-muc/hoat-dong-dang-uy-uy-ban/",
        "meetings": "/hoi-nghi/?khoa=6",
        "article": SEED,
        "official": OFFICIAL,
        # A record of many pages: the pager and the year index.
        "official, page 2": OFFICIAL + "?page=2",
        "officials": "/can-bo/",
        "intro": "/gioi-thieu/lanh-dao-phuong/",
        "archive": "/luu-tru/2024/7/",
        "404": "/khong-co-trang-nay/",
    }
    try:
        pages["search"] = reverse("articles:search") + "?q=dang+bo+cat+lai"
    except NoReverseMatch:
        pass
    return pages


@pytest.fixture
def demo_site(demo_site):
    """The demo ward, with sixty older reports that its Standing Deputy
    Secretary attended in 2022 and 2023: her page then runs to two pages,
    with a year index, and the news list (``list``) has a pager."""
    import datetime

    from articles.models import Article, Attendance, Category, Official

    official = Official.objects.get(slug="nguyen-thi-nhai")
    category = Category.objects.get(slug="hoat-dong-dang-uy-uy-ban")
    for index in range(60):
        year, step = (2023, index) if index < 55 else (2022, index - 55)
        article = Article.objects.create(
            title=f"Hội nghị giao ban Đảng ủy số {index + 1}",
            category=category,
            status=Article.Status.PUBLISHED,
            publish_at=datetime.datetime(year, 12, 20, 2, tzinfo=datetime.UTC)
            - datetime.timedelta(days=6 * step),
        )
        Attendance.objects.create(
            article=article,
            official=official,
            role=Attendance.Role.CHAIR if index % 5 == 0 else Attendance.Role.ATTENDEE,
        )
    return demo_site


def served_html(url: str) -> str:
    try:
        with urllib.request.urlopen(url) as response:
            return response.read().decode()
    except urllib.error.HTTPError as error:
        if error.code != 404:
            raise
        return error.read().decode()


def open_lightbox(page):
    page.locator(".gallery a.gallery-link").first.click()
    lightbox = page.locator("dialog.lightbox")
    expect(lightbox).to_be_visible()
    expect(lightbox.locator(".lightbox-image")).to_have_js_property("complete", True)


def test_public_pages_have_no_axe_violations(demo_site, page, screenshot):
    found = {}
    for name, path in pages_to_check().items():
        page.goto(demo_site.url + path)
        found[name] = axe_violations(page)
        if name == "article":
            open_lightbox(page)
            screenshot("quality-article-lightbox", full_page=False)
            found["article with lightbox open"] = axe_violations(page)
    assert {name: v for name, v in found.items() if v} == {}
    assert "search" in found, "the search page does not exist yet"


def test_public_pages_are_valid_html(demo_site, page):
    documents = {
        name: served_html(demo_site.url + path)
        for name, path in pages_to_check().items()
    }
    page.goto(demo_site.url + SEED)
    open_lightbox(page)
    documents["article with lightbox open"] = page.content()
    assert vnu_errors(documents) == {}


def test_only_our_own_host_and_no_csp_violation(demo_site, page):
    host = urlsplit(demo_site.url).netloc
    foreign, refused = [], []
    page.on(
        "request",
        lambda request: (
            urlsplit(request.url).scheme in ("http", "https")
            and urlsplit(request.url).netloc != host
            and foreign.append(request.url)
        ),
    )
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and refused.append(message.text)
        ),
    )
    for path in pages_to_check().values():
        page.goto(demo_site.url + path)
        page.wait_for_load_state("networkidle")
    page.goto(demo_site.url + SEED)
    open_lightbox(page)
    assert foreign == []
    assert refused == []


def test_readable_from_360_px_without_sideways_scrolling(demo_site, page):
    page.set_viewport_size({"width": 360, "height": 740})
    too_wide = {}
    for name, path in pages_to_check().items():
        page.goto(demo_site.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            too_wide[name] = width
        font_size = page.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('main')).fontSize)"
        )
        assert font_size >= 16, (name, font_size)
    assert too_wide == {}


def test_an_officials_year_index_leads_to_that_year(demo_site, page, screenshot):
    page.goto(demo_site.url + OFFICIAL)
    expect(page.locator("#hoi-nghi-tham-du + p")).to_contain_text("61 hội nghị")
    page.get_by_role("navigation", name="Hội nghị theo năm").get_by_role(
        "link", name="2022"
    ).click()
    expect(page).to_have_url(re.compile(r"\?page=2#nam-2022$"))
    first_of_2022 = page.locator("#nam-2022")
    expect(first_of_2022).to_be_in_viewport()
    expect(first_of_2022).to_contain_text("Hội nghị giao ban Đảng ủy số 56")
    expect(page.locator("[aria-current=page]")).to_have_text("Trang 2 / 2")
    screenshot("official-year-2022", full_page=False)
    page.get_by_role("link", name="‹ Trang trước").click()
    expect(page).to_have_url(re.compile(r"\?page=1#hoi-nghi-tham-du$"))
    expect(page.locator("#hoi-nghi-tham-du")).to_be_in_viewport()
