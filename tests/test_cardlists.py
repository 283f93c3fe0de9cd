"""Card lists assembled from a frame kept per content generation, stored
cards and a pager (``articles.cardlists``)."""

import datetime
import pickle
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import cardlists, pagination
from articles.models import Article, Category, Meeting, SiteSettings
from articles.pagination import CursorPaginator

pytestmark = pytest.mark.django_db

MARCH = datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC)


@pytest.fixture
def articles(make_article, category):
    """150 articles in two categories, some sharing a moment, a few not
    visible (draft, scheduled, expired)."""
    other = Category.objects.create(name="Văn hóa - Xã hội")
    made = []
    for index in range(150):
        # Pairs share a publish_at: the id breaks the tie.
        moment = MARCH - datetime.timedelta(hours=index // 2 * 7)
        made.append(
            make_article(
                f"Bài số {index:03d}",
                publish_at=moment,
                category=category if index % 3 else other,
                featured=index % 17 == 5,
            )
        )
    now = timezone.now()
    make_article("Bản nháp", status="draft")
    make_article("Sắp đăng", publish_at=now + datetime.timedelta(days=1))
    make_article(
        "Đã hết hạn",
        publish_at=now - datetime.timedelta(days=2),
        expire_at=now - datetime.timedelta(hours=1),
    )
    return made


def scopes(category):
    april = datetime.datetime(2025, 4, 1, tzinfo=datetime.UTC)
    return [
        cardlists.Scope(),
        cardlists.Scope(category_id=category.pk),
        cardlists.Scope(since=MARCH - datetime.timedelta(days=14), until=april),
        cardlists.Scope(featured=True),
        cardlists.Scope(category_id=category.pk, excluded=(1, 2, 4, 7)),
    ]


@pytest.fixture
def remembered(settings):
    """Frames and counts kept per generation, whole pages not cached: every
    request reaches the view."""
    from django.core.cache import cache

    cache.clear()
    settings.WARDNEWS_COUNT_CACHE_SECONDS = 600


def orm_articles(scope: cardlists.Scope):
    """The articles of ``scope`` through the ORM, newest first."""
    articles = Article.objects.published().newest_first()
    if scope.category_id is not None:
        articles = articles.filter(category_id=scope.category_id)
    if scope.since is not None:
        articles = articles.filter(publish_at__gte=scope.since)
    if scope.until is not None:
        articles = articles.filter(publish_at__lt=scope.until)
    if scope.featured:
        articles = articles.filter(featured=True)
    return articles.exclude(pk__in=scope.excluded)


def ids(rows) -> list[int]:
    return [row.pk for row in rows]


@pytest.mark.parametrize(
    "mark_every, deferred_from",
    # No mark in reach; marks on page edges; marks inside pages; a skip past
    # a mark long enough to be taken in the index alone.
    [(1200, 120), (24, 120), (30, 120), (60, 24)],
)
def test_raw_rows_equal_the_orm_pages(
    articles, category, monkeypatch, mark_every, deferred_from
):
    """Every way of reaching a page gives what ``CursorPaginator`` gives
    through the ORM: typed pages (near, deep, from a mark), and pages sought
    from the neighbouring page's edge, both ways."""
    monkeypatch.setattr(pagination, "MARK_EVERY", mark_every)
    monkeypatch.setattr(pagination, "DEFERRED_JOIN_FROM", deferred_from)
    for scope in scopes(category):
        assert_same_pages(scope, orm_articles(scope))


def assert_same_pages(scope: cardlists.Scope, articles) -> None:
    orm = CursorPaginator(articles, 12, count_key=repr(scope))
    assert scope.marks() == orm.marks()
    assert scope.count() == orm.count
    for number in orm.page_range:
        expected = orm.page(number)
        assert ids(scope.rows((number - 1) * 12, 12)) == ids(expected)
        if number > 1:
            edge = orm.page(number - 1).object_list[-1]
            after = (edge.publish_at, edge.pk)
            assert ids(scope.rows_after(after, 12)) == ids(expected)
        if number < orm.num_pages:
            edge = orm.page(number + 1).object_list[0]
            before = (edge.publish_at, edge.pk)
            assert ids(scope.rows_before(before, 12)) == ids(expected)


def test_meeting_rows_equal_the_orm_pages(articles, organization, monkeypatch):
    """The meeting list's rows are those of the ORM's meeting reports, with
    what the list shows of each."""
    monkeypatch.setattr(pagination, "MARK_EVERY", 24)
    monkeypatch.setattr(pagination, "DEFERRED_JOIN_FROM", 12)
    for index, article in enumerate(articles[::2]):
        Meeting.objects.create(
            article=article,
            name="Hội nghị",
            organization=organization if index % 3 else None,
            term_number=6 if index % 2 else 7,
            held_on=datetime.date(2024, 7, 5) if index % 5 else None,
        )
    reports = Article.objects.published().newest_first().filter(meeting__isnull=False)
    for scope, expected in [
        (cardlists.MeetingScope(), reports),
        (
            cardlists.MeetingScope(organization_id=organization.pk),
            reports.filter(meeting__organization=organization),
        ),
        (
            cardlists.MeetingScope(organization_id=organization.pk, term_number=6),
            reports.filter(meeting__organization=organization, meeting__term_number=6),
        ),
        (cardlists.MeetingScope(term_number=99), reports.none()),
    ]:
        assert_same_pages(scope, expected)
    row = cardlists.MeetingScope(organization_id=organization.pk).rows(0, 1)[0]
    report = reports.filter(meeting__organization=organization).first()
    assert (row.pk, row.title, row.slug, row.held_on, row.organization) == (
        report.pk,
        report.title,
        report.slug,
        report.meeting.held_on,
        organization.name,
    )


def test_newest_of_each_equals_the_orm(articles, category):
    chosen = scopes(category)
    for size in (1, 4, 12):
        # An article in several of the scopes comes once.
        expected = {a for scope in chosen for a in orm_articles(scope)[:size]}
        expected = sorted(expected, key=lambda a: (a.publish_at, a.pk), reverse=True)
        assert ids(cardlists.newest_of_each(chosen, size)) == ids(expected)
    assert cardlists.newest_of_each([], 4) == []


def test_rows_carry_what_cards_and_the_pager_need(articles):
    newest = articles[1]  # shares its moment with articles[0], a higher id
    row = cardlists.Scope().rows(0, 1)[0]
    assert (row.pk, row.publish_at, row.cover_id, row.category_id) == (
        newest.pk,
        newest.publish_at,
        None,
        newest.category_id,
    )
    assert row.publish_at.tzinfo is not None


def test_frame_is_rendered_once_per_content_generation(
    client, remembered, category, make_article
):
    make_article("Bài thứ nhất")
    client.get(category.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        page = client.get(category.get_absolute_url()).content.decode()
    assert "Bài thứ nhất" in page
    assert len(queries) == 1  # the cards, nothing for the frame

    category.description = "Tin về hoạt động của Đảng ủy và Ủy ban phường."
    category.save()
    site = SiteSettings.load()
    site.address = "99 đường Nguyễn Thị Định"
    site.save()
    page = client.get(category.get_absolute_url()).content.decode()
    assert "Tin về hoạt động của Đảng ủy và Ủy ban phường." in page
    assert "99 đường Nguyễn Thị Định" in page


def test_any_query_string_shares_the_lists_count(client, remembered, make_article):
    """Links shared with tracking parameters are new addresses for the page
    cache, but not new lists: one count is kept for them all."""
    make_article("Bài thứ nhất")
    client.get("/tin-tuc/")
    for query in ("?utm_source=zalo", "?utm_source=facebook&page=1", "?x=1"):
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/tin-tuc/" + query).content.decode()
        assert "Bài thứ nhất" in page
        assert len(queries) == 1, query  # the cards; the count is kept


def test_new_article_joins_the_list_and_the_archive_links(
    client, remembered, make_article
):
    make_article("Tháng ba", publish_at=MARCH)
    march = client.get("/luu-tru/2025/3/").content.decode()
    assert "/luu-tru/2025/4/" not in march
    make_article("Tháng tư", publish_at=MARCH + datetime.timedelta(days=40))
    march = client.get("/luu-tru/2025/3/").content.decode()
    assert 'href="/luu-tru/2025/4/"' in march
    assert "Tháng tư" in client.get("/tin-tuc/").content.decode()


def test_frame_carries_the_request_address_and_page(client, remembered, articles):
    first = client.get("/tin-tuc/", HTTP_HOST="localhost").content.decode()
    assert '<link rel="canonical" href="http://localhost/tin-tuc/">' in first
    third = client.get("/tin-tuc/?page=3", HTTP_HOST="127.0.0.1").content.decode()
    assert '<link rel="canonical" href="http://127.0.0.1/tin-tuc/?page=3">' in third
    assert '<meta property="og:url" content="http://127.0.0.1/tin-tuc/?page=3">' in (
        third
    )
    for page in (first, third):
        assert "wardnews.invalid" not in page
        assert "\ue000" not in page
    assert "Trang 3 / 13" in third


def test_pager_leaves_out_parameters_no_page_reads(client, articles, category):
    page = client.get(category.get_absolute_url() + "?page=2&nguon=zalo")
    html = page.content.decode()
    assert re.search(r'href="\?page=3&amp;sau=[\d.]+" rel="next"', html)
    assert "nguon" not in html


def test_empty_lists_say_so(client, category):
    for url in ("/tin-tuc/", category.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200
        assert "Chưa có bài viết nào." in response.content.decode()


def test_home_frame_follows_its_sections(client, remembered, make_article, category):
    """The home page's frame is kept per generation and per set of sections:
    featured cards and each category's, added as articles come."""
    assert "Chưa có bài viết nào." in client.get("/").content.decode()
    make_article("Tin thường", category=category)
    home = client.get("/").content.decode()
    assert "Chưa có bài viết nào." not in home
    assert "Tin thường" in home and 'id="tin-noi-bat"' not in home
    make_article("Tin nổi bật", featured=True)
    home = client.get("/").content.decode()
    featured = home[
        home.index('id="tin-noi-bat"') : home.index(f'id="cm-{category.slug}"')
    ]
    assert "Tin nổi bật" in featured and "Tin thường" not in featured
    assert "\ue000" not in home and "wardnews.invalid" not in home
    assert kept_frames() == 3


def test_months_without_articles_are_not_in_the_archive(
    client, remembered, make_article
):
    """Any month of any year is a valid address: one with nothing published
    answers 404 and renders no frame to keep."""
    make_article("Bản nháp tháng ba", publish_at=MARCH, status="draft")
    for url in ("/luu-tru/2025/3/", "/luu-tru/1950/6/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Không tìm thấy trang" in response.content.decode()
    assert kept_frames() == 0
    make_article("Tin tháng ba", publish_at=MARCH)
    assert "Tin tháng ba" in client.get("/luu-tru/2025/3/").content.decode()
    assert kept_frames() == 1


def kept_frames() -> int:
    from django.core.cache import cache

    kept = [pickle.loads(value) for value in cache._cache.values()]
    return sum(
        isinstance(v, tuple) and isinstance(v[-1], cardlists.Frame) for v in kept
    )


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's prepared statements"
)
@pytest.mark.django_db(transaction=True)
def test_list_rows_run_prepared_with_one_plan(
    client, make_article, persistent_connections
):
    """Planned once per session: left to choose, PostgreSQL planned every
    EXECUTE again."""
    make_article("Bài thứ nhất")
    for _ in range(3):
        assert "Bài thứ nhất" in client.get("/tin-tuc/").content.decode()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE %s",
            ["%r.card, r.card_version%"],
        )
        assert cursor.fetchall() == [(3, 0)]


def test_pagers_are_rendered_once_for_each_distinct_pager(rf, articles, monkeypatch):
    request = rf.get("/tin-tuc/?page=2")
    second = cardlists.page(request, cardlists.Scope(), 12)
    html = cardlists.pager_html(second)
    assert 'rel="prev"' in html and 'rel="next"' in html and "Trang 2 / 13" in html
    assert cardlists.pager_html(cardlists.page(request, cardlists.Scope(), 12)) is html
    third = cardlists.page(rf.get("/tin-tuc/?page=3"), cardlists.Scope(), 12)
    assert "Trang 3 / 13" in cardlists.pager_html(third)
    # A new release renders its own.
    monkeypatch.setattr(cardlists.release, "version", lambda: "phien-ban-moi")
    again = cardlists.pager_html(second)
    assert again == html and again is not html
