"""Public pages in a real Chromium at phone size: zero axe-core violations,
zero Nu HTML checker errors, nothing fetched from another host, no CSP
violation."""

import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import expect

from tests.e2e.checks import axe_violations, vnu_errors

pytestmark = pytest.mark.django_db(transaction=True)

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
        "official": "/can-bo/nguyen-thi-nhai/",
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
