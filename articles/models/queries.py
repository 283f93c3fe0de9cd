"""The article queries every page is built from: what the public may see,
in which order, with what each kind of page shows."""

import datetime

from django.db import connections, models
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from .. import search


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    REVIEW = "review", _("Chờ duyệt")
    PUBLISHED = "published", _("Đã duyệt đăng")
    ARCHIVED = "archived", _("Đã gỡ, lưu trữ")


def as_aware(value) -> datetime.datetime:
    """A datetime read by raw SQL: SQLite gives the stored text."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


def published_q(path: str = "") -> Q:
    """What the public may see, as a condition on the article at ``path``
    (``"article__"`` from a row that belongs to one). The only place that
    filters on status.

    Rows of a related model are better narrowed by this condition on their
    join than by ``article__in=Article.objects.published()``, which
    PostgreSQL may answer by reading every published article first.
    """
    now = timezone.now()
    return (
        (Q(**{f"{path}expire_at__isnull": True}) | Q(**{f"{path}expire_at__gt": now}))
        & Q(**{f"{path}status": ArticleStatus.PUBLISHED})
        & Q(**{f"{path}publish_at__lte": now})
    )


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What the public may see (``published_q``)."""
        return self.filter(published_q())

    @staticmethod
    def published_sql(alias: str, connection) -> tuple[str, list]:
        """``published()`` as a condition on the article table under
        ``alias``, for the one raw query that runs on every article page
        (``articles.rendered.article_page``): building it with the ORM costs
        several times the query itself. Tests keep the two in step."""
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        return (
            f"{alias}.status = %s AND {alias}.publish_at <= %s"
            f" AND ({alias}.expire_at IS NULL OR {alias}.expire_at > %s)",
            [ArticleStatus.PUBLISHED.value, now, now],
        )

    def newest_first(self):
        return self.order_by("-publish_at", "-id")

    def in_review(self):
        return self.filter(status=ArticleStatus.REVIEW)

    def scheduled(self):
        """Approved for publishing at a time still to come."""
        return self.filter(
            status=ArticleStatus.PUBLISHED, publish_at__gt=timezone.now()
        )

    def expired(self):
        return self.filter(
            status=ArticleStatus.PUBLISHED, expire_at__lte=timezone.now()
        )

    def next_visibility_change(self, at=None) -> datetime.datetime | None:
        """The nearest moment after ``at`` (default now) at which a published
        article appears or disappears with nothing being saved: a cache must
        not outlive it.

        One statement of two index lookups: the soonest future ``publish_at``
        and the soonest future ``expire_at`` of published articles.
        """
        at = at or timezone.now()
        published = self.filter(status=ArticleStatus.PUBLISHED)
        starts = published.filter(publish_at__gt=at).order_by("publish_at")
        ends = published.filter(expire_at__gt=at).order_by("expire_at")
        first_sql, first_params = starts.values_list("publish_at", flat=True)[
            :1
        ].query.sql_with_params()
        second_sql, second_params = ends.values_list("expire_at", flat=True)[
            :1
        ].query.sql_with_params()
        with connections[self.db].cursor() as cursor:
            cursor.execute(
                f"SELECT ({first_sql}), ({second_sql})",
                (*first_params, *second_params),
            )
            moments = [as_aware(value) for value in cursor.fetchone() if value]
        return min(moments, default=None)

    def for_listing(self):
        """Newest first, with what a list shows; without the search copies,
        which are large and never shown."""
        return (
            self.select_related("category", "cover", "meeting")
            .defer(*search.SEARCH_FIELDS)
            .newest_first()
        )

    def with_stored_card(self):
        """Newest first, with only the card stored for each (see
        ``articles.rendered.fill_cards``) and what paging needs."""
        return (
            self.newest_first()
            .select_related("rendered")
            .only(
                "pk",
                "publish_at",
                "category_id",
                "cover_id",
                "rendered__card",
                "rendered__card_version",
                "rendered__stamp",
            )
        )

    def for_page(self):
        """With everything an article's own page shows, in four queries."""
        from .meetings import Attendance

        return self.select_related(
            "category", "cover", "meeting__organization"
        ).prefetch_related(
            "photos",
            "attachments",
            models.Prefetch(
                "attendances", queryset=Attendance.objects.select_related("official")
            ),
        )

    def search(self, query: "search.Query"):
        """Ids of the rows matching a parsed query, best first (see
        ``articles.search.rank_matches``)."""
        return search.rank_matches(self, query)
