"""The search index stays current: edits to an article, its meeting, its
attendees, its attachments or an official reach it, and ``rebuild_search`` covers bulk
changes. Runs on SQLite (FTS5) and PostgreSQL (side table) alike."""

import pytest
from django.core.management import call_command
from django.db import connection

from articles import search
from articles.models import Article, Attendance, Meeting, Official
from tests.search_data import hits

pytestmark = pytest.mark.django_db


def test_official_rename_updates_the_index(client, seed):
    official = Official.objects.get(full_name="Nguyễn Thị Nhài")
    assert hits(client, "pham thi nhai") == []
    official.full_name = "Phạm Thị Nhài"
    official.save()
    # The report keeps the name as printed, and is found by the new name too.
    assert hits(client, "pham thi nhai") == [seed.title]
    assert hits(client, "nguyen thi nhai") == [seed.title]


def test_official_deletion_updates_the_index(client, seed):
    official = Official.objects.get(full_name="Nguyễn Thị Nhài")
    official.full_name = "Phạm Thị Nhài"
    official.save()
    official.delete()
    assert hits(client, "pham thi nhai") == []
    assert hits(client, "nguyen thi nhai") == [seed.title]  # as printed


def test_attendance_changes_update_the_index(client, seed, other):
    row = Attendance.objects.create(
        article=other, name="Lê Văn Tám", positions="Bí thư Đoàn Thanh niên"
    )
    assert hits(client, "le van tam") == [other.title]
    row.positions = "Chủ tịch Hội Cựu chiến binh phường"
    row.save()
    assert hits(client, "cuu chien binh") == [other.title]
    assert hits(client, "doan thanh nien") == []
    row.delete()
    assert hits(client, "le van tam") == []


def test_meeting_and_article_changes_update_the_index(client, seed, other):
    meeting = Meeting.objects.create(article=other, name="Hội nghị sơ kết vệ sinh")
    assert hits(client, "so ket ve sinh") == [other.title]
    meeting.delete()
    assert hits(client, "so ket ve sinh") == []
    other.title = "Phường ra quân diệt lăng quăng"
    other.save()
    assert hits(client, "lang quang") == [other.title]
    other.delete()
    assert hits(client, "lang quang") == []


def test_attachment_titles_are_found_and_follow_changes(client, seed, other):
    """Citizens search for a document's number: "thông báo số 15"."""
    attachment = other.attachments.create(
        title="Thông báo số 15/TB-UBND về lịch cắt nước", file="attachments/tb15.pdf"
    )
    assert hits(client, "thong bao so 15") == [other.title]
    assert hits(client, "15/TB-UBND") == [other.title]
    attachment.title = "Kế hoạch số 7/KH-UBND"
    attachment.save()
    assert hits(client, "lich cat nuoc") == []
    assert hits(client, "ke hoach so 7") == [other.title]
    attachment.delete()
    assert hits(client, "ke hoach so 7") == []


def test_publishing_makes_a_draft_findable(client, make_article):
    article = make_article("Hiến máu nhân đạo", status=Article.Status.DRAFT)
    assert hits(client, "hien mau") == []
    article.publish()
    assert hits(client, "hien mau") == [article.title]


def test_an_indexing_batch_reindexes_each_article_once(
    seed, django_assert_max_num_queries
):
    rows = list(Attendance.objects.filter(article=seed))
    with django_assert_max_num_queries(len(rows) + 8):
        with search.indexing_batch():
            for row in rows:
                row.positions = f"{row.positions} (dự)"
                row.save(update_fields=["positions"])
    seed.refresh_from_db()
    assert "(dự)" not in seed.search_body and "du" in seed.search_body.split()


def test_rebuild_search_indexes_bulk_changes(client, seed):
    Article.objects.filter(pk=seed.pk).update(title="Tổng kết phong trào thi đua")
    assert hits(client, "tong ket thi dua") == []
    out = call_command("rebuild_search", stdout=None)
    assert out is None
    assert hits(client, "tong ket thi dua") == ["Tổng kết phong trào thi đua"]


def index_ids() -> set[int]:
    """Article ids in the database's own full-text index."""
    if connection.vendor == "postgresql":
        sql = f"SELECT article_id FROM {search.SEARCH_TABLE}"
    else:
        sql = f"SELECT rowid FROM {search.FTS_TABLE}"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {row[0] for row in cursor.fetchall()}


def test_the_full_text_index_follows_saves_and_deletes(make_article):
    first = make_article("Tiêm chủng mở rộng")
    second = make_article("Phòng cháy chữa cháy")
    assert index_ids() == {first.pk, second.pk}
    Article.objects.filter(pk=first.pk).delete()
    assert index_ids() == {second.pk}
    second.title = "Phòng chống thiên tai"
    second.save()
    found = search.filter_articles(
        Article.objects.all(), search.parse_query("thien tai")
    )
    assert list(found) == [second]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's triggers only"
)
def test_postgresql_vectors_follow_a_bulk_update(make_article):
    article = make_article("Tiêm chủng mở rộng")
    Article.objects.filter(pk=article.pk).update(search_title="ve sinh moi truong")
    query = search.parse_query("ve sinh moi truong")
    assert list(search.filter_articles(Article.objects.all(), query)) == [article]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_rebuild_search_vacuums_what_it_rewrote_on_postgresql(make_article):
    make_article("Tiêm chủng mở rộng")
    call_command("rebuild_search", stdout=None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT relname FROM pg_stat_user_tables "
            "WHERE relname IN (%s, %s) AND last_vacuum IS NOT NULL",
            ["articles_article", search.SEARCH_TABLE],
        )
        vacuumed = {row[0] for row in cursor.fetchall()}
    assert vacuumed == {"articles_article", search.SEARCH_TABLE}
