"""The search copies of each article, and keeping them current.

Every article carries folded copies of its text (``search_title``,
``search_summary``, ``search_body``) and a Telex copy (``search_exact``).
PostgreSQL indexes them in a side table that triggers keep current
(migration ``0008_search_side_table``); on SQLite ``index_articles``
rewrites an FTS5 table along with the columns.
"""

import threading
from collections.abc import Iterable
from contextlib import contextmanager

from django.core.exceptions import FieldDoesNotExist
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_migrate, post_save, pre_delete

from .text import exact_form, fold, html_to_text, with_abbreviations

# SQLite's FTS5 table (rowid = article id), written by ``index_articles``.
FTS_TABLE = "articles_article_fts"
# PostgreSQL's vectors (one row per article), kept current by triggers.
SEARCH_TABLE = "articles_article_search"


def article_parts(
    article, attendances: Iterable, attachment_titles: Iterable[str]
) -> tuple[str, str, str]:
    """Title, sapo and the rest (body, meeting, attendees, the titles of
    its attached files: "Thông báo số 15/TB-UBND") as plain text."""
    rest = [html_to_text(article.body), *attachment_titles]
    meeting = getattr(article, "meeting", None)
    if meeting is not None:
        rest += [meeting.full_title, meeting.place]
    for attendance in attendances:
        rest += [attendance.name, attendance.positions]
        official = attendance.official
        if official is not None and official.full_name != attendance.name:
            rest.append(official.full_name)
    return article.title, article.summary, "\n".join(part for part in rest if part)


def search_fields(
    article, attendances: Iterable, attachment_titles: Iterable[str]
) -> dict[str, str]:
    title, summary, rest = article_parts(article, attendances, attachment_titles)
    return {
        "search_title": with_abbreviations(fold(title)),
        "search_summary": with_abbreviations(fold(summary)),
        "search_body": with_abbreviations(fold(rest)),
        "search_exact": exact_form(f"{title}\n{summary}\n{rest}"),
    }


SEARCH_FIELDS = ["search_title", "search_summary", "search_body", "search_exact"]


def index_articles(article_ids: Iterable[int], *, batch_size: int = 500) -> int:
    """Recompute the search columns of these articles. Returns how many.

    Per batch, one transaction: articles with their meetings, attendees with
    their officials, attachments' titles, one update (PostgreSQL's triggers
    rewrite the vectors) and, on SQLite, the FTS5 rows.
    """
    ids = sorted(set(article_ids))
    count = 0
    for start in range(0, len(ids), batch_size):
        with transaction.atomic():
            count += _index_chunk(ids[start : start + batch_size])
    return count


def _index_chunk(chunk: list[int]) -> int:
    from ..models import Article, Attachment, Attendance

    articles = list(
        Article.objects.filter(pk__in=chunk)
        .select_related("meeting")
        .defer(*SEARCH_FIELDS)
    )
    attendees: dict[int, list] = {article.pk: [] for article in articles}
    rows = Attendance.objects.filter(article__in=chunk).select_related("official")
    for attendance in rows:
        # During a revision revert attendees may be written before their
        # article row is back; the article's own save reindexes them.
        if attendance.article_id in attendees:
            attendees[attendance.article_id].append(attendance)
    titles: dict[int, list[str]] = {article.pk: [] for article in articles}
    attached = Attachment.objects.filter(article__in=chunk).order_by("order", "id")
    for article_id, title in attached.values_list("article_id", "title"):
        if article_id in titles:
            titles[article_id].append(title)
    for article in articles:
        fields = search_fields(article, attendees[article.pk], titles[article.pk])
        for name, value in fields.items():
            setattr(article, name, value)
    rows = [[*(getattr(a, name) for name in SEARCH_FIELDS), a.pk] for a in articles]
    # One statement, many rows: bulk_update's CASE per row grows quadratically.
    assignments = ", ".join(f"{name} = %s" for name in SEARCH_FIELDS)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE articles_article SET {assignments} WHERE id = %s", rows
        )
    if connection.vendor == "sqlite":
        _sync_fts(chunk, articles)
    return len(articles)


def _sync_fts(ids: list[int], articles: list) -> None:
    """Replace the FTS5 rows of ``ids`` (rows of deleted articles just go)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({', '.join(['%s'] * len(ids))})",
            ids,
        )
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, {', '.join(SEARCH_FIELDS)}) "
            "VALUES (%s, %s, %s, %s, %s)",
            [
                [article.pk, *(getattr(article, name) for name in SEARCH_FIELDS)]
                for article in articles
            ],
        )


def rebuild(*, batch_size: int = 500) -> int:
    """Recompute every article's search columns and the SQLite FTS table,
    and every official's folded name."""
    from ..models import Article, Official

    officials = list(Official.objects.only("full_name", "search_name"))
    for official in officials:
        official.search_name = fold(official.full_name)
    Official.objects.bulk_update(officials, ["search_name"], batch_size=batch_size)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")
    ids = Article.objects.order_by("pk").values_list("pk", flat=True)
    return index_articles(list(ids), batch_size=batch_size)


_pending = threading.local()


@contextmanager
def indexing_batch():
    """Index each touched article once, when the block ends.

    An admin save writes the article, its meeting and dozens of attendee
    rows; inside this block they cost one reindex instead of one per row.
    """
    outer = getattr(_pending, "ids", None)
    if outer is not None:
        yield
        return
    _pending.ids = set()
    try:
        yield
        ids = _pending.ids
    finally:
        _pending.ids = None
    if ids:
        index_articles(ids)


def article_changed(article_id: int | None) -> None:
    """Reindex now, or at the end of the surrounding ``indexing_batch``."""
    if article_id is None:
        return
    pending = getattr(_pending, "ids", None)
    if pending is not None:
        pending.add(article_id)
    else:
        index_articles([article_id])


# ---------------------------------------------------------------------------
# Keeping the index current
#
# An article's search text comes from the article, its meeting, its attendee
# rows, the officials those rows point to and its attachments; a change to any of them
# reindexes the articles it belongs to. Bulk ``update()``/``bulk_create()``
# send no signals: ``manage.py rebuild_search`` covers those.

# Saving only other article fields cannot change its search text.
_TEXT_FIELDS = {"title", "summary", "body"}


def _article_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and not _TEXT_FIELDS & set(update_fields):
        return
    article_changed(instance.pk)


def _article_deleted(sender, instance, **kwargs):
    article_changed(instance.pk)


def _article_part_changed(sender, instance, **kwargs):
    article_changed(instance.article_id)


def _attended_article_ids(official) -> list[int]:
    return list(
        official.attendances.order_by().values_list("article_id", flat=True).distinct()
    )


def _official_saved(sender, instance, created, **kwargs):
    if not created:
        for article_id in _attended_article_ids(instance):
            article_changed(article_id)


def _official_deleting(sender, instance, **kwargs):
    # The attendee rows lose their link (SET_NULL) without signals of their own.
    instance._search_article_ids = _attended_article_ids(instance)


def _official_deleted(sender, instance, **kwargs):
    for article_id in getattr(instance, "_search_article_ids", []):
        article_changed(article_id)


def _index_missing(sender, apps=None, **kwargs):
    """After ``migrate``: index rows written before search existed."""
    from ..models import Article, Official

    try:
        apps.get_model("articles", "Article")._meta.get_field("search_title")
        apps.get_model("articles", "Official")._meta.get_field("search_name")
    except (AttributeError, LookupError, FieldDoesNotExist):
        return
    if connection.vendor == "sqlite":
        # A flush empties the articles table but not the FTS5 table.
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {FTS_TABLE} WHERE rowid NOT IN "
                "(SELECT id FROM articles_article)"
            )
    missing = Article.objects.filter(search_title="").exclude(title="")
    index_articles(list(missing.values_list("pk", flat=True)))
    for official in Official.objects.filter(search_name="").exclude(full_name=""):
        Official.objects.filter(pk=official.pk).update(
            search_name=fold(official.full_name)
        )


def connect_signals(app_config) -> None:
    from ..models import Article, Attachment, Attendance, Meeting, Official

    uid = "articles.search"
    post_save.connect(_article_saved, sender=Article, dispatch_uid=uid)
    post_delete.connect(_article_deleted, sender=Article, dispatch_uid=uid)
    for model in (Meeting, Attendance, Attachment):
        post_save.connect(_article_part_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_article_part_changed, sender=model, dispatch_uid=uid)
    post_save.connect(_official_saved, sender=Official, dispatch_uid=uid)
    pre_delete.connect(_official_deleting, sender=Official, dispatch_uid=uid)
    post_delete.connect(_official_deleted, sender=Official, dispatch_uid=uid)
    post_migrate.connect(_index_missing, sender=app_config, dispatch_uid=uid)
