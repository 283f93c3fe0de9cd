"""Weight budgets for a cheap phone on a mobile network: sizes, not times.

HTML of the seed article <= 50 KB, and <= 8 KB as it travels (gzipped), CSS
<= 25 KB, JS <= 15 KB in total, nothing loaded from another host, no
render-blocking script, and the first image of the page sized and fetched
first.
"""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

from articles.models import Article, Official

pytestmark = pytest.mark.django_db

SEED_SLUG = (
    "hoi-nghi-ban-chap-hanh-dang-bo-phuong-lan-thu-21-khoa-vi-nhiem-ky-2020-2025"
)
KB = 1024


class Resources(HTMLParser):
    """What a browser would fetch to render the page, and how."""

    def __init__(self):
        super().__init__()
        self.in_head = False
        self.stylesheets: list[str] = []
        self.scripts: list[dict] = []
        self.images: list[dict] = []
        self.fetched: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "head":
            self.in_head = True
        if tag == "link" and attrs.get("href"):
            rel = attrs.get("rel", "")
            if rel == "stylesheet":
                self.stylesheets.append(attrs["href"])
            if rel in {"stylesheet", "icon", "preload", "modulepreload"}:
                self.fetched.append(attrs["href"])
        if tag == "script":
            self.scripts.append({**attrs, "in_head": self.in_head})
            if attrs.get("src"):
                self.fetched.append(attrs["src"])
        if tag in {"img", "source", "video", "audio", "iframe", "embed"}:
            if tag == "img":
                self.images.append(attrs)
            for name in ("src", "srcset"):
                for candidate in (attrs.get(name) or "").split(","):
                    if candidate.strip():
                        self.fetched.append(candidate.split()[0])

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False


def static_size(url: str) -> int:
    path = finders.find(urlsplit(url).path.removeprefix("/static/"))
    assert path, f"{url} is not a static file"
    with open(path, "rb") as handle:
        return len(handle.read())


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))


def public_pages() -> list[str]:
    pages = [
        "/",
        "/tin-tuc/",
        reverse("articles:article-detail", args=[SEED_SLUG]),
        reverse("articles:meeting-list"),
        Official.objects.get(full_name="Nguyễn Thị Nhài").get_absolute_url(),
        "/gioi-thieu/tong-quan/",
        "/khong-co-trang-nay/",
    ]
    try:
        pages.append(reverse("articles:search") + "?q=dang+bo")
    except NoReverseMatch:
        pass
    return pages


def parse(client, url) -> tuple[bytes, Resources]:
    response = client.get(url)
    assert response.status_code in (200, 404), url
    resources = Resources()
    resources.feed(response.content.decode())
    return response.content, resources


def test_seed_article_html_is_under_50_kb(client, demo):
    html, _ = parse(client, reverse("articles:article-detail", args=[SEED_SLUG]))
    assert len(html) <= 50 * KB, f"{len(html)} bytes"


def test_seed_article_travels_in_under_8_kb(client, demo, page_cache):
    url = reverse("articles:article-detail", args=[SEED_SLUG])
    for _ in ("rendered", "from the cache"):
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        assert response["Content-Encoding"] == "gzip"
        assert len(response.content) <= 8 * KB, f"{len(response.content)} bytes"


def test_css_and_js_stay_within_budget(client, demo):
    for url in public_pages():
        _, resources = parse(client, url)
        css = sum(static_size(href) for href in set(resources.stylesheets))
        scripts = {s["src"] for s in resources.scripts if s.get("src")}
        js = sum(static_size(src) for src in scripts)
        inline = [
            s
            for s in resources.scripts
            if not s.get("src") and s.get("type") != "application/ld+json"
        ]
        assert css <= 25 * KB, f"{url}: {css} bytes of CSS"
        assert js <= 15 * KB, f"{url}: {js} bytes of JS"
        assert not inline, f"{url}: inline script"


def test_nothing_is_loaded_from_another_host(client, demo):
    for url in public_pages():
        _, resources = parse(client, url)
        for fetched in resources.fetched:
            parts = urlsplit(fetched)
            assert not parts.netloc and parts.scheme in ("", "data"), (url, fetched)


def test_no_render_blocking_script(client, demo):
    for url in public_pages():
        _, resources = parse(client, url)
        for script in resources.scripts:
            if not script.get("src"):
                continue
            deferred = (
                "defer" in script
                or "async" in script
                or script.get("type") == "module"
                or not script["in_head"]
            )
            assert deferred, (url, script)


def test_first_image_is_sized_and_fetched_first(client, demo):
    article = Article.objects.get(slug=SEED_SLUG)
    for url in ["/", "/tin-tuc/", article.get_absolute_url()]:
        _, resources = parse(client, url)
        first, *others = resources.images
        assert first.get("width") and first.get("height"), (url, first)
        assert first.get("fetchpriority") == "high", (url, first)
        assert "loading" not in first, (url, first)
        for image in others:
            assert image.get("fetchpriority") != "high", (url, image)
            assert image.get("width") and image.get("height"), (url, image)
