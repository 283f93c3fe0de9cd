"""Sharing and discovery: OpenGraph, canonical URLs, JSON-LD, feeds, sitemap,
robots.txt."""

import datetime
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.templatetags.static import static
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import pagination
from articles.models import Article, Attendance, Category, Official, Page
from articles.sitemaps import ArticleSitemap

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def meta(html: str, key: str) -> str:
    match = re.search(
        rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', html
    )
    assert match, f"no <meta> {key}"
    return match.group(1)


def json_ld(html: str) -> list[dict]:
    blocks = re.findall(
        r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S
    )
    return [json.loads(block) for block in blocks]


def test_article_has_sharing_tags_and_canonical_url(client, make_report):
    article = make_report("Hội nghị Ban Chấp hành", summary="Tóm tắt & sapo.")
    html = client.get(article.get_absolute_url() + "?utm_source=zalo").content.decode()
    url = "http://testserver" + article.get_absolute_url()
    assert f'<link rel="canonical" href="{url}">' in html
    assert meta(html, "og:url") == url
    assert meta(html, "og:type") == "article"
    assert meta(html, "og:title") == "Hội nghị Ban Chấp hành"
    assert meta(html, "og:description") == "Tóm tắt &amp; sapo."
    assert meta(html, "og:image").startswith("http://testserver/media/")
    assert meta(html, "og:image:width").isdigit()
    assert meta(html, "twitter:card") == "summary_large_image"
    assert meta(html, "og:locale") == "vi_VN"


def test_page_without_photo_shares_the_site_image(client, make_article):
    article = make_article("Thông báo không ảnh")
    html = client.get(article.get_absolute_url()).content.decode()
    assert meta(html, "og:image") == "http://testserver/static/img/share.png"
    assert meta(html, "og:image:width") == "1200"


def test_list_canonical_keeps_only_the_page_number(client, make_article):
    for index in range(14):
        make_article(f"Tin {index}")
    html = client.get("/tin-tuc/?page=2&x=1").content.decode()
    assert '<link rel="canonical" href="http://testserver/tin-tuc/?page=2">' in html


def test_meeting_report_json_ld(client, make_report):
    article = make_report("Hội nghị Ban Chấp hành", summary="Sapo.")
    html = client.get(article.get_absolute_url()).content.decode()
    (data,) = json_ld(html)
    news, event = data["@graph"]
    assert news["@type"] == "NewsArticle"
    assert news["headline"] == "Hội nghị Ban Chấp hành"
    assert news["datePublished"].endswith("+07:00")
    assert news["inLanguage"] == "vi"
    assert news["publisher"]["@type"] == "GovernmentOrganization"
    assert news["publisher"]["logo"]["url"].startswith("http://testserver/")
    assert news["image"][0]["url"].startswith("http://testserver/media/")
    assert news["image"][0]["width"] == article.cover.width
    assert event["@type"] == "Event"
    assert event["name"].endswith("lần thứ 21, khóa VI, nhiệm kỳ 2020 – 2025")
    assert event["startDate"] == "2024-07-05"
    assert event["organizer"]["name"] == "Đảng ủy phường Cát Lái"


def test_json_ld_cannot_close_its_script(client, make_article):
    article = make_article("Tiêu đề </script><script>alert(1)</script>")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    (data,) = json_ld(html)
    assert data["@graph"][0]["headline"].startswith("Tiêu đề </script>")


def test_official_json_ld_is_a_person(client, make_official):
    official = make_official("Nguyễn Thị Nhài", "Phó Bí thư Thường trực Đảng ủy")
    html = client.get(official.get_absolute_url()).content.decode()
    (person,) = json_ld(html)
    assert person["@type"] == "Person"
    assert person["name"] == "Nguyễn Thị Nhài"
    assert person["jobTitle"] == ["Phó Bí thư Thường trực Đảng ủy"]
    assert person["worksFor"][0]["@type"] == "GovernmentOrganization"
    assert meta(html, "og:type") == "profile"


def test_home_describes_the_website(client, db):
    (site,) = json_ld(client.get("/").content.decode())
    assert site["@type"] == "WebSite"
    assert site["publisher"]["@type"] == "GovernmentOrganization"


def test_rss_feed_lists_published_articles(client, make_article):
    make_article("Tin đã đăng", summary="Sapo tin.", byline="Văn phòng")
    make_article("Bản nháp", status=Article.Status.DRAFT)
    response = client.get(reverse("articles:feed"))
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    assert channel.findtext("language") == "vi"
    titles = [item.findtext("title") for item in channel.iter("item")]
    assert titles == ["Tin đã đăng"]
    item = channel.find("item")
    assert item.findtext("description") == "Sapo tin."
    assert item.findtext("link").startswith("http://testserver/tin-tuc/")
    assert item.findtext("pubDate")


def test_atom_feed_is_valid_atom(client, make_article):
    make_article("Tin Atom")
    response = client.get(reverse("articles:feed-atom"))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}title")
    for required in ("id", "updated"):
        assert root.findtext(f"{ATOM}{required}"), required
    assert root.find(f"{ATOM}author").findtext(f"{ATOM}name")
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Tin Atom"]
    for required in ("id", "updated"):
        assert entries[0].findtext(f"{ATOM}{required}"), required
    assert entries[0].find(f"{ATOM}link").get("href").startswith("http://testserver/")


def test_category_feeds(client, make_article, category):
    other = Category.objects.create(name="Thông báo")
    make_article("Tin của chuyên mục")
    make_article("Tin chuyên mục khác", category=other)
    rss = client.get(reverse("articles:category-feed", args=[category.slug]))
    titles = [i.findtext("title") for i in ET.fromstring(rss.content).iter("item")]
    assert titles == ["Tin của chuyên mục"]
    atom = client.get(reverse("articles:category-feed-atom", args=[other.slug]))
    root = ET.fromstring(atom.content)
    assert [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")] == [
        "Tin chuyên mục khác"
    ]
    assert client.get("/chuyen-muc/khong-co/rss/").status_code == 404
    html = client.get(category.get_absolute_url()).content.decode()
    assert f'href="/chuyen-muc/{category.slug}/rss/"' in html


def sitemap_urls(client, address: str) -> dict[str, str]:
    """Every address the sitemap index at ``address`` leads to, with its
    lastmod."""
    index = ET.fromstring(client.get(address).content)
    urls = {}
    for sitemap in index.findall(f"{SITEMAP}sitemap"):
        section = sitemap.findtext(f"{SITEMAP}loc").removeprefix("http://testserver")
        root = ET.fromstring(client.get(section).content)
        for url in root.findall(f"{SITEMAP}url"):
            loc = url.findtext(f"{SITEMAP}loc")
            assert loc not in urls, f"{loc} twice"
            urls[loc] = url.findtext(f"{SITEMAP}lastmod")
    return urls


def test_sitemap_has_everything_public_with_lastmod(
    client, make_report, make_article, django_assert_max_num_queries
):
    article = make_report("Hội nghị")
    make_article("Bản nháp", status=Article.Status.DRAFT)
    Page.objects.create(title="Tổng quan")
    for address in ["/sitemap.xml", "/sitemap-articles.xml", "/sitemap-categories.xml"]:
        with django_assert_max_num_queries(8):
            assert client.get(address).status_code == 200
    urls = sitemap_urls(client, "/sitemap.xml")
    base = "http://testserver"
    index = client.get("/sitemap.xml").content.decode()
    assert "/sitemap-articles.xml</loc><lastmod>" in index
    assert urls[base + article.get_absolute_url()]
    assert urls[base + article.category.get_absolute_url()]
    assert urls[base + "/gioi-thieu/tong-quan/"]
    official = article.attendances.first().official
    assert urls[base + official.get_absolute_url()]
    assert urls[base + "/"]
    assert not any("ban-nhap" in loc for loc in urls)


def test_an_officials_lastmod_is_their_latest_published_report(
    client, make_report, make_article
):
    """An official's page lists the reports they attended: one published or
    edited later changes the page, and the sitemap says so; a draft or a
    report not yet due does not."""

    def day(month, date):
        return datetime.datetime(2025, month, date, 5, tzinfo=datetime.UTC)

    def lastmod():
        return sitemap_urls(client, "/sitemap.xml")[address]

    def changed(model, row, moment):
        model.objects.filter(pk=row.pk).update(updated_at=moment)

    report = make_report("Hội nghị tháng ba", publish_at=day(3, 5))
    official = report.attendances.get().official
    address = "http://testserver" + official.get_absolute_url()
    changed(Official, official, day(1, 10))
    changed(Article, report, day(3, 5))
    assert lastmod() == "2025-03-05"
    draft = make_article("Dự thảo", status=Article.Status.DRAFT)
    due = make_article("Sắp đăng", publish_at=timezone.now() + datetime.timedelta(1))
    for article in (draft, due):
        Attendance.objects.create(article=article, official=official)
    assert lastmod() == "2025-03-05"
    changed(Article, report, day(4, 2))
    assert lastmod() == "2025-04-02"
    later = make_article("Hội nghị tháng sáu", publish_at=day(6, 9))
    Attendance.objects.create(article=later, official=official)
    changed(Article, later, day(6, 1))  # written before it was due
    assert lastmod() == "2025-06-09"
    changed(Official, official, day(7, 20))
    assert lastmod() == "2025-07-20"


def test_an_officials_lastmod_moves_when_a_report_leaves_their_page(
    client, make_article
):
    """The page also changes when a report leaves it: unpublished, expired,
    deleted, or the official taken off it or replaced by another."""
    old = datetime.datetime(2025, 3, 5, 5, tzinfo=datetime.UTC)
    today = timezone.localdate().isoformat()

    def report_with(official, title):
        report = make_article(title, publish_at=old)
        Attendance.objects.create(article=report, official=official)
        Article.objects.filter(pk=report.pk).update(updated_at=old)
        Official.objects.filter(pk=official.pk).update(updated_at=old)
        return Article.objects.get(pk=report.pk)

    def lastmod(official):
        url = "http://testserver" + official.get_absolute_url()
        return sitemap_urls(client, "/sitemap.xml")[url]

    official = Official.objects.create(full_name="Lê Văn Tám")
    other = Official.objects.create(full_name="Võ Thị Sáu")

    report = report_with(official, "Gỡ về bản nháp")
    assert lastmod(official) == "2025-03-05"
    report.unpublish()
    assert lastmod(official) == today

    report = report_with(official, "Hết hạn")
    expiry = datetime.datetime(2025, 5, 1, 5, tzinfo=datetime.UTC)
    Article.objects.filter(pk=report.pk).update(expire_at=expiry)
    assert lastmod(official) == "2025-05-01"
    report.delete()
    assert lastmod(official) == today

    report = report_with(official, "Gỡ tên khỏi bài")
    assert lastmod(official) == "2025-03-05"
    report.attendances.get().delete()
    assert lastmod(official) == today

    report = report_with(official, "Đổi người tham dự")
    Official.objects.filter(pk=other.pk).update(updated_at=old)
    row = report.attendances.get()
    row.official = other
    row.save()
    assert lastmod(official) == today
    assert lastmod(other) == "2025-03-05"


def test_an_officials_lastmod_moves_with_the_next_report(
    client, page_cache, make_report, make_article
):
    """Kept per content generation, the lastmod moves on the next request
    after a report they attended is published."""
    report = make_report("Hội nghị tháng ba")
    official = report.attendances.get().official
    address = "http://testserver" + official.get_absolute_url()
    moment = datetime.datetime(2025, 3, 5, 5, tzinfo=datetime.UTC)
    Official.objects.filter(pk=official.pk).update(updated_at=moment)
    Article.objects.filter(pk=report.pk).update(updated_at=moment, publish_at=moment)
    page_cache.clear()
    assert sitemap_urls(client, "/sitemap.xml")[address] == "2025-03-05"
    later = make_article("Hội nghị tháng tư")
    Attendance.objects.create(article=later, official=official)
    today = timezone.localdate().isoformat()
    assert sitemap_urls(client, "/sitemap.xml")[address] == today


def test_sitemap_lists_a_large_archive_in_pages_from_marks(
    client, make_article, monkeypatch
):
    """However many articles, each is in one page of the articles' sitemap,
    and every page starts at a mark of the list instead of skipping rows."""
    monkeypatch.setattr(pagination, "MARK_EVERY", 4)
    monkeypatch.setattr(ArticleSitemap, "limit", 4)
    articles = [make_article(f"Bài số {index:02d}") for index in range(11)]
    index = client.get("/sitemap.xml").content.decode()
    assert "/sitemap-articles.xml?p=3<" in index
    assert "/sitemap-articles.xml?p=4<" not in index
    with CaptureQueriesContext(connection) as queries:
        urls = sitemap_urls(client, "/sitemap.xml")
    assert {f"http://testserver{a.get_absolute_url()}" for a in articles} <= set(urls)
    assert not any("OFFSET" in q["sql"] for q in queries)
    assert client.get("/sitemap-articles.xml?p=4").status_code == 404


def test_sitemap_shares_the_news_lists_count_and_marks(
    client, make_article, settings, monkeypatch
):
    """The sitemap pages the rows of /tin-tuc/: what the list counted and
    marked in this content generation is not counted or marked again."""
    from django.core.cache import cache

    cache.clear()
    settings.WARDNEWS_COUNT_CACHE_SECONDS = 600
    monkeypatch.setattr(pagination, "MARK_EVERY", 4)
    monkeypatch.setattr(ArticleSitemap, "limit", 4)
    for index in range(30):
        make_article(f"Bài số {index:02d}")
    assert client.get("/tin-tuc/?page=3").status_code == 200  # counts and marks
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/sitemap.xml").status_code == 200
        assert client.get("/sitemap-articles.xml?p=3").status_code == 200
    assert not any("COUNT(" in q["sql"] or "ROW_NUMBER" in q["sql"] for q in queries)
    assert client.get("/sitemap-khong-co.xml").status_code == 404


def test_robots_txt_points_to_the_sitemap(client, db):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text


def test_favicon_ico_leads_to_the_emblem(client, admin_client, db):
    """Bots and browsers that find no icon named ask for /favicon.ico."""
    response = client.get("/favicon.ico")
    assert response.status_code == 302  # the emblem's address follows its content
    assert response["Location"] == static("img/emblem.svg")
    assert response["Cache-Control"] == "max-age=86400"
    # The admin names it, as the public pages do.
    icon = f'<link rel="icon" href="{static("img/emblem.svg")}" type="image/svg+xml">'
    for url in ("/admin/", "/admin/articles/article/", "/admin/articles/article/add/"):
        assert icon in admin_client.get(url).content.decode(), url
    assert icon in client.get("/admin/login/").content.decode()
