import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Attendance, Position

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_articles(make_report):
    """One published report, one draft, one scheduled for later."""
    future = timezone.now() + datetime.timedelta(hours=2)
    return {
        "published": make_report("Tin đã đăng hôm nay"),
        "draft": make_report("Tin còn nháp", status=Article.Status.DRAFT),
        "future": make_report("Tin hẹn giờ đăng", publish_at=future),
    }


def listing_urls(article):
    return [
        reverse("articles:home"),
        reverse("articles:article-list"),
        article.category.get_absolute_url(),
        reverse("articles:meeting-list"),
        article.attendances.first().official.get_absolute_url(),
        reverse("articles:feed"),
        "/sitemap-articles.xml",
    ]


def test_only_published_articles_are_listed(client, three_articles):
    published = three_articles["published"]
    for url in listing_urls(published):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert published.get_absolute_url() in html, url
        assert "Tin còn nháp" not in html, url
        assert "Tin hẹn giờ đăng" not in html, url


def test_unpublished_articles_are_404(client, three_articles):
    assert client.get(three_articles["published"].get_absolute_url()).status_code == 200
    for key in ["draft", "future"]:
        response = client.get(three_articles[key].get_absolute_url())
        assert response.status_code == 404, key


def test_draft_official_meetings_are_hidden(client, three_articles):
    draft = three_articles["draft"]
    official = draft.attendances.first().official
    html = client.get(official.get_absolute_url()).content.decode()
    assert draft.title not in html
    assert "Chưa có hội nghị nào" in html


def test_article_page_shows_the_report(client, make_report, make_official):
    article = make_report("Hội nghị Ban chấp hành lần thứ 21", attendees=0, photos=2)
    thuan = make_official(
        "Đặng Thị Bích Thuận", "Thành ủy viên", "Phó Trưởng Ban tổ chức"
    )
    Attendance.objects.create(
        article=article,
        official=thuan,
        positions="Thành ủy viên, Phó Trưởng Ban tổ chức thành ủy Thủ Đức",
        role=Attendance.Role.DIRECTING,
    )
    Attendance.objects.create(article=article, name="Trưởng 11 khu phố")
    article.body = "<p>Nội dung <strong>báo cáo</strong></p><script>x()</script>"
    article.save()

    html = client.get(article.get_absolute_url()).content.decode()

    published_on = timezone.localtime(article.publish_at).strftime("%d/%m/%Y")
    assert "Thứ " in html and published_on in html
    assert "lần thứ 21, khóa VI, nhiệm kỳ 2020 – 2025" in html
    assert "Thứ Sáu, 05/07/2024" in html
    assert "11 lượt ý kiến" in html
    assert "Phát biểu chỉ đạo" in html
    assert f'href="{thuan.get_absolute_url()}">Đặng Thị Bích Thuận</a>' in html
    assert "Thành ủy viên, Phó Trưởng Ban tổ chức thành ủy Thủ Đức" in html
    assert "Trưởng 11 khu phố" in html
    assert "<strong>báo cáo</strong>" in html
    assert "<script>x()" not in html
    assert html.count("<figure") == 2
    assert "Chú thích ảnh 1" in html and 'alt="Mô tả ảnh 1"' in html


def test_article_page_query_count_does_not_grow(
    client, make_report, django_assert_max_num_queries
):
    small = make_report("Nhỏ", attendees=1, photos=1)
    large = make_report("Lớn", attendees=40, photos=40)
    with django_assert_max_num_queries(8):
        assert client.get(small.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(8):
        response = client.get(large.get_absolute_url())
    assert response.content.decode().count("<figure") == 40


@pytest.mark.parametrize(
    "url_name", ["home", "article-list", "meeting-list", "official-list"]
)
def test_list_pages_query_budget(
    client, make_report, django_assert_max_num_queries, url_name
):
    for index in range(30):
        make_report(f"Bài số {index}", attendees=2, photos=2)
    url = reverse(f"articles:{url_name}")
    with django_assert_max_num_queries(8):  # cards rendered and stored
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(url).status_code == 200


def test_category_and_official_pages_query_budget(
    client, make_report, django_assert_max_num_queries
):
    reports = [make_report(f"Bài số {i}", attendees=3, photos=2) for i in range(15)]
    official = reports[0].attendances.first().official
    for report in reports[1:]:
        Attendance.objects.create(article=report, official=official)
    url = reports[0].category.get_absolute_url()
    with django_assert_max_num_queries(8):  # the cards rendered and stored
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(4):  # the stored cards
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(6):
        response = client.get(official.get_absolute_url())
    assert response.content.decode().count("khi đó:") == 15


def test_lists_are_paginated_newest_first(client, make_article):
    now = timezone.now()
    for day in range(15):
        make_article(f"Tin ngày {day}", publish_at=now - datetime.timedelta(days=day))
    first = client.get(reverse("articles:article-list")).content.decode()
    assert first.index("Tin ngày 0<") < first.index("Tin ngày 1<")
    assert "Tin ngày 14<" not in first
    second = client.get(reverse("articles:article-list"), {"page": 2})
    assert "Tin ngày 14<" in second.content.decode()


@pytest.mark.parametrize("page", ["abc", "-1", "0", "999999", "1" * 30, ""])
def test_bad_page_numbers_never_fail(client, make_article, page):
    make_article()
    response = client.get(reverse("articles:article-list"), {"page": page})
    assert response.status_code in {200, 404}


def test_unknown_slugs_are_404_in_vietnamese(client, db):
    for url in ["/tin-tuc/khong-co/", "/chuyen-muc/khong-co/", "/can-bo/khong-co/"]:
        response = client.get(url)
        assert response.status_code == 404
        assert "Không tìm thấy trang" in response.content.decode()


def test_unknown_official_says_so(client, db):
    response = client.get("/can-bo/khong-co/")
    assert response.status_code == 404
    assert "Không có cán bộ này." in response.content.decode()


def test_official_page_lists_positions_and_meetings(client, make_report):
    older = make_report("Hội nghị cũ")
    official = older.attendances.first().official
    newer = make_report("Hội nghị mới", attendees=0)
    newer.meeting.held_on = datetime.date(2024, 8, 1)
    newer.meeting.save()
    Attendance.objects.create(
        article=newer,
        official=official,
        positions="Bí thư Đảng ủy phường",
        role=Attendance.Role.CHAIR,
    )
    undated = make_report(
        "Hội nghị chưa ghi ngày",
        attendees=0,
        publish_at=datetime.datetime(2024, 7, 20, 9, tzinfo=datetime.UTC),
    )
    undated.meeting.held_on = None
    undated.meeting.save()
    Attendance.objects.create(article=undated, official=official)
    html = client.get(official.get_absolute_url()).content.decode()
    assert "Đảng ủy viên" in html
    # The role, where it is more than attending.
    assert "Thứ Năm, 01/08/2024 · chủ trì · khi đó: Bí thư Đảng ủy phường" in html
    assert html.count("· chủ trì") == 1 and "· tham dự" not in html
    # By the date shown: the meeting's, or the report's when it has none.
    shown = [
        html.index(title)
        for title in ("Hội nghị mới", "Hội nghị chưa ghi ngày", "Hội nghị cũ")
    ]
    assert shown == sorted(shown)
    assert "20/07/2024" in html


def test_official_directory_shows_current_positions(client, make_official):
    nhai = make_official("Nguyễn Thị Nhài", "Phó Bí thư Thường trực", "Đảng ủy viên")
    Position.objects.create(
        official=nhai,
        title="Bí thư Đoàn phường",
        end_date=datetime.date(2019, 12, 31),
    )
    make_official("Huỳnh Thị Ngọc Bích")
    html = client.get(reverse("articles:official-list")).content.decode()
    assert (
        '<a href="/can-bo/nguyen-thi-nhai/">Nguyễn Thị Nhài</a>\n'
        '          <span class="positions">Phó Bí thư Thường trực, Đảng ủy viên</span>'
    ) in html
    assert "Bí thư Đoàn phường" not in html
    assert '<a href="/can-bo/huynh-thi-ngoc-bich/">Huỳnh Thị Ngọc Bích</a>' in html


def test_long_official_record_has_a_year_index(client, make_article, make_official):
    official = make_official("Trần Văn Lâu Năm", "Bí thư Đảng ủy phường")
    for index in range(60):
        # 55 meetings in 2025, newest first, then 5 in 2024.
        year, step = (2025, index) if index < 55 else (2024, index - 55)
        day = datetime.datetime(year, 12, 20, 9, tzinfo=datetime.UTC)
        day -= datetime.timedelta(days=step * 6)
        article = make_article(f"Hội nghị số {index}", publish_at=day)
        Attendance.objects.create(article=article, official=official)
    first = client.get(official.get_absolute_url()).content.decode()
    # Each year links to the page of its newest meeting, and to that row.
    assert 'href="?page=1#nam-2025">2025</a>' in first
    assert 'href="?page=2#nam-2024">2024</a>' in first
    assert re.search(r'<li id="nam-2025">\s*<a href="/tin-tuc/hoi-nghi-so-0/"', first)
    assert 'id="nam-2024"' not in first
    second = client.get(official.get_absolute_url(), {"page": 2}).content.decode()
    assert re.search(r'<li id="nam-2024">\s*<a href="/tin-tuc/hoi-nghi-so-55/"', second)


def test_short_official_record_has_no_year_index(client, make_report):
    report = make_report("Hội nghị duy nhất")
    html = client.get(report.attendances.get().official.get_absolute_url())
    assert "theo năm" not in html.content.decode()


def test_healthz_and_robots(client, db):
    assert client.get("/healthz").content == b"ok"
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots
