import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import pagination
from articles.models import Article, Meeting
from articles.pagination import decode_cursor, encode_cursor

pytestmark = pytest.mark.django_db


@pytest.fixture
def forty_articles(make_article):
    now = timezone.now()
    return [
        make_article(
            f"Bài số {index:02d}",
            publish_at=now - datetime.timedelta(hours=index + 1),
        )
        for index in range(40)
    ]


def titles(response) -> list[str]:
    return re.findall(r"Bài số \d\d", response.content.decode())


def link(response, rel: str) -> str:
    match = re.search(rf'href="([^"]+)" rel="{rel}"', response.content.decode())
    return match[1].replace("&amp;", "&")


def test_next_link_seeks_without_offset(client, forty_articles):
    first = client.get("/tin-tuc/")
    next_url = link(first, "next")
    assert "sau=" in next_url
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/tin-tuc/" + next_url)
    assert titles(second) == [f"Bài số {i:02d}" for i in range(12, 24)]
    article_queries = [q["sql"] for q in queries if "articles_article" in q["sql"]]
    assert not any("OFFSET" in sql for sql in article_queries)
    # A plain upper bound next to the OR: the index is entered at the cursor
    # (without it PostgreSQL walked every newer row: 75 ms at 100,000).
    assert any(sql.count("publish_at <=") == 2 for sql in article_queries)
    assert titles(client.get("/tin-tuc/?page=2")) == titles(second)


def test_previous_link_seeks_back(client, forty_articles):
    page_two = client.get("/tin-tuc/" + link(client.get("/tin-tuc/"), "next"))
    page_three = client.get("/tin-tuc/" + link(page_two, "next"))
    assert titles(page_three) == [f"Bài số {i:02d}" for i in range(24, 36)]
    back_url = link(page_three, "prev")
    assert "truoc=" in back_url
    assert titles(client.get("/tin-tuc/" + back_url)) == titles(page_two)
    assert link(page_two, "prev") == "?page=1"


def test_typed_page_numbers_still_work(client, forty_articles):
    response = client.get("/tin-tuc/?page=4")
    assert titles(response) == [f"Bài số {i:02d}" for i in range(36, 40)]
    assert "Trang 4 / 4" in response.content.decode()


@pytest.mark.parametrize(
    "query", ["?page=2&sau=abc", "?page=2&sau=99999999999999999999.1", "?truoc=1.x"]
)
def test_malformed_cursor_is_ignored(client, forty_articles, query):
    response = client.get("/tin-tuc/" + query)
    assert response.status_code == 200
    assert titles(response)


@pytest.mark.parametrize("query", ["?page=abc", "?page=0", "?page=999999"])
def test_bad_page_number_is_404_not_500(client, forty_articles, query):
    assert client.get("/tin-tuc/" + query).status_code == 404


@pytest.mark.parametrize("number", ["02", "+2", "%202", "2%20", "0_2", "%D9%A2", "2.0"])
def test_a_page_number_is_read_only_as_the_pager_writes_it(
    client, forty_articles, number
):
    """Python's int() reads all of these as 2: each would be another
    address, and another cached copy, of page 2."""
    assert client.get("/tin-tuc/?page=2").status_code == 200
    response = client.get(f"/tin-tuc/?page={number}")
    assert response.status_code == 404
    assert "Trang không tồn tại" in response.content.decode()


def test_count_is_made_once_per_content_generation(
    client, page_cache, forty_articles, make_article
):
    def counts(url):
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return sum("COUNT(" in q["sql"] for q in queries)

    assert counts("/tin-tuc/?page=2") == 1
    assert counts("/tin-tuc/?page=3") == 0
    make_article("Bài mới nhất")
    assert counts("/tin-tuc/?page=3") == 1


def test_deep_page_query_budget(client, forty_articles, django_assert_max_num_queries):
    next_url = link(client.get("/tin-tuc/?page=2"), "next")
    with django_assert_max_num_queries(8):
        assert client.get("/tin-tuc/" + next_url).status_code == 200


def test_cursor_round_trip(forty_articles):
    article = forty_articles[3]
    moment, pk = decode_cursor(encode_cursor(article))
    assert (moment, pk) == (article.publish_at, article.pk)


@pytest.fixture
def many_articles(category):
    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            title=f"Bài số {index:03d}",
            slug=f"bai-so-{index:03d}",
            category=category,
            status=Article.Status.PUBLISHED,
            publish_at=now - datetime.timedelta(hours=index + 1),
        )
        for index in range(150)
    )


def long_titles(response) -> list[str]:
    return re.findall(r"Bài số \d{3}", response.content.decode())


def test_typed_deep_page_skips_rows_in_the_index(client, many_articles):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/tin-tuc/?page=12")
    assert long_titles(response) == [f"Bài số {i:03d}" for i in range(132, 144)]
    offsets = [q["sql"] for q in queries if "OFFSET" in q["sql"]]
    assert len(offsets) == 1
    # The OFFSET walks ids alone; the page's rows are joined by key.
    assert re.search(r"IN \(SELECT \w+\.id FROM .* OFFSET \S+\)", offsets[0])
    assert not re.search(r"\bbody\b|search_", offsets[0])


@pytest.mark.parametrize("path", ["/tin-tuc/", "/hoi-nghi/"])
def test_typed_far_page_starts_from_the_nearest_mark(
    client, page_cache, many_articles, monkeypatch, path
):
    """However far down, a typed page skips fewer than ``MARK_EVERY`` rows:
    it seeks to the mark before it, found once per content generation."""
    monkeypatch.setattr(pagination, "MARK_EVERY", 48)
    if path == "/hoi-nghi/":  # the meeting list shows meeting reports only
        Meeting.objects.bulk_create(
            Meeting(article=article, name="Hội nghị", held_on=datetime.date(2024, 7, 5))
            for article in Article.objects.all()
        )

    def typed(number):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{path}?page={number}")
        assert long_titles(response) == [
            f"Bài số {i:03d}" for i in range((number - 1) * 12, number * 12)
        ]
        return [q["sql"] for q in queries]

    first = typed(11)  # rows 120–131: 24 past the mark at row 96
    assert sum("ROW_NUMBER()" in sql for sql in first) == 1
    offsets = [int(n) for sql in first for n in re.findall(r"OFFSET (\d+)", sql)]
    assert offsets == [24]
    assert not any("ROW_NUMBER()" in sql for sql in typed(12))


def test_lists_leave_the_body_and_search_copies_in_the_database(client, forty_articles):
    with CaptureQueriesContext(connection) as queries:
        client.get("/tin-tuc/")
        client.get("/")
    selects = [q["sql"] for q in queries if q["sql"].startswith("SELECT")]
    article_rows = [sql for sql in selects if "articles_article" in sql]
    assert len(article_rows) >= 2
    for sql in article_rows:
        assert not re.search(r"\bbody\b|search_", sql), sql
