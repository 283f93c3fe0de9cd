"""Public pages cost the same number of queries however big the archive is."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Attendance, Category, Official, Position

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive():
    now = timezone.now()
    categories = [
        Category.objects.create(name=name, order=order)
        for order, name in enumerate(["Thông báo", "Hoạt động", "Văn hóa"])
    ]
    articles = Article.objects.bulk_create(
        Article(
            title=f"Bài {category.slug} {index:02d}",
            slug=f"bai-{category.slug}-{index:02d}",
            category=category,
            status=Article.Status.PUBLISHED,
            publish_at=now - datetime.timedelta(hours=index + 1, minutes=order),
            featured=index == 5,
        )
        for order, category in enumerate(categories)
        for index in range(30)
    )
    official = Official.objects.create(full_name="Lê Văn Dự Họp")
    Attendance.objects.bulk_create(
        Attendance(article=article, official=official, name=official.full_name)
        for article in articles[:70]
    )
    return categories, official


def test_home_shows_newest_of_each_category_in_few_queries(
    client, archive, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):  # the cards rendered and stored
        assert client.get("/").status_code == 200
    with django_assert_max_num_queries(5):  # the stored cards
        response = client.get("/")
    page = response.content.decode()
    for slug in ("thong-bao", "hoat-dong", "van-hoa"):
        assert f"Bài {slug} 00" in page
        assert f"Bài {slug} 03" in page
        assert f"Bài {slug} 04" not in page


def meetings(html: str) -> list[str]:
    """The titles of the meetings an official's page lists, in order."""
    listed = html.split('<ul class="meeting-list">', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<a href="/tin-tuc/[^"]+/">([^<]+)</a>', listed)


def test_official_page_pages_through_every_meeting(
    client, archive, django_assert_max_num_queries
):
    _categories, official = archive
    attended = list(
        Article.objects.filter(attendances__official=official)
        .order_by("-publish_at")
        .values_list("title", flat=True)
    )
    with django_assert_max_num_queries(8) as queries:
        first = client.get(official.get_absolute_url())
    html = first.content.decode()
    assert meetings(html) == attended[:50]
    assert "70 hội nghị, mới nhất trước." in html
    assert 'href="?page=2#hoi-nghi-tham-du" rel="next"' in html
    # Publication is checked on each attended article's own row: a subquery
    # of every published article took 62 of 83 ms at 100,000 articles.
    listed = next(q["sql"] for q in queries if "articles_attendance" in q["sql"])
    assert "IN (SELECT" not in listed.upper()

    with django_assert_max_num_queries(8):
        second = client.get(official.get_absolute_url(), {"page": "last"})
    assert meetings(second.content.decode()) == attended[50:]
    assert 'href="?page=1#hoi-nghi-tham-du" rel="prev"' in second.content.decode()

    beyond = client.get(official.get_absolute_url(), {"page": 3})
    assert beyond.status_code == 404
    assert "Trang không tồn tại" in beyond.content.decode()


def test_official_meetings_are_sorted_once_per_generation(
    client, settings, archive, make_report
):
    """Each page of an official's meetings fetches its fifty rows by key;
    the whole list is sorted again only after a change."""
    from django.core.cache import cache

    cache.clear()
    settings.WARDNEWS_COUNT_CACHE_SECONDS = 600
    _categories, official = archive

    def sorts(page=1):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(official.get_absolute_url(), {"page": page})
        assert response.status_code == 200
        return sum("COALESCE" in q["sql"] for q in queries), response

    assert sorts()[0] == 1
    count, response = sorts(2)
    assert count == 0
    assert len(meetings(response.content.decode())) == 20
    report = make_report("Hội nghị vừa đưa tin", attendees=0)
    Attendance.objects.create(article=report, official=official)
    count, response = sorts(2)
    assert count == 1
    assert "71 hội nghị" in response.content.decode()
    # Held in 2024: older than every other meeting of the list.
    assert meetings(response.content.decode())[-1] == report.title


def test_official_page_frame_is_kept_per_generation(client, settings, archive):
    """Around its rows, an official's page is rendered once per content
    generation, and a change to the official shows on the next request."""
    from django.core.cache import cache

    cache.clear()
    settings.WARDNEWS_COUNT_CACHE_SECONDS = 600
    _categories, official = archive
    url = official.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url, {"page": 2}, HTTP_HOST="127.0.0.1").content.decode()
    assert len(queries) == 1  # the page's twenty rows
    assert "<h1>Lê Văn Dự Họp</h1>" in html and "70 hội nghị" in html
    assert "Trang 2 / 2" in html and len(meetings(html)) == 20
    assert '<link rel="canonical" href="http://127.0.0.1/can-bo/' in html
    assert "?page=2" in html.split('rel="canonical"', 1)[1].split(">", 1)[0]
    assert "\ue000" not in html and "wardnews.invalid" not in html

    # Addresses made up cost no query, and keep no entry of their own.
    with CaptureQueriesContext(connection) as queries:
        for index in range(3):
            missing = client.get(f"/can-bo/khong-co-{index}/")
            assert missing.status_code == 404
            assert "Không có cán bộ này." in missing.content.decode()
    assert len(queries) == 0

    official.full_name = "Lê Văn Dự Họp Mới"
    official.save()
    Position.objects.create(official=official, title="Chủ tịch Ủy ban phường")
    html = client.get(url).content.decode()
    assert "<h1>Lê Văn Dự Họp Mới</h1>" in html
    assert "Chủ tịch Ủy ban phường" in html


def test_official_page_shows_a_role_no_longer_offered_as_stored(client, archive):
    _categories, official = archive
    attendance = Attendance.objects.filter(official=official).first()
    Attendance.objects.filter(pk=attendance.pk).update(role="thu-ky-cu")
    pages = [client.get(official.get_absolute_url(), {"page": n}) for n in (1, 2)]
    assert [page.status_code for page in pages] == [200, 200]
    assert any("thu-ky-cu" in page.content.decode() for page in pages)


@pytest.mark.parametrize(
    "url", ["/tin-tuc/", "/tin-tuc/?page=6", "/chuyen-muc/van-hoa/?page=2"]
)
def test_list_pages_query_budget(client, archive, django_assert_max_num_queries, url):
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "url, scan, added",
    [
        # The archive's months: one DISTINCT over every published article.
        ("/luu-tru/", "DISTINCT", "Tháng 1/2001"),
        # The meeting list's filters: every published report's unit and term.
        ("/hoi-nghi/", "DISTINCT", "Khóa IX"),
        # The sitemap's categories: the newest change of each.
        ("/sitemap-categories.xml", "MAX(", "/chuyen-muc/moi/"),
    ],
)
def test_parts_drawn_from_every_article_are_read_once_per_generation(
    client, settings, archive, make_report, url, scan, added
):
    """Whole pages uncached, these parts are kept per content generation,
    not read again on every request, and a change shows at once."""
    from django.core.cache import cache

    cache.clear()
    settings.WARDNEWS_COUNT_CACHE_SECONDS = 600

    def scans():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return sum(scan in q["sql"] for q in queries), response.content.decode()

    assert scans()[0]
    count, html = scans()
    assert count == 0
    assert added not in html
    report = make_report(
        "Hội nghị khóa mới",
        publish_at=datetime.datetime(2001, 1, 15, 3, tzinfo=datetime.UTC),
        category=Category.objects.create(name="Mới"),
    )
    report.meeting.term_number = 9
    report.meeting.save()
    count, html = scans()
    assert count
    assert added in html
