"""The sitemap: an index at ``/sitemap.xml`` of one sitemap per section
(``/sitemap-articles.xml``, …). The articles' sitemap comes in pages of
``pagination.MARK_EVERY`` addresses, each starting at a mark of the list:
no page skips rows to find its first, and none passes the protocol's
50,000 addresses, however large the archive grows."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Case, Max, When
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from . import cardlists, pagecache, pagination
from .models import Article, Attendance, Category, Official, Page, published_q


def newest_article_update():
    """When a published article last changed, found once per content
    generation."""
    return pagecache.remember(
        "sitemap:newest-update",
        lambda: Article.objects.published().aggregate(Max("updated_at"))[
            "updated_at__max"
        ],
    )


class StaticViewSitemap(Sitemap):
    """Home and the lists, last modified when the newest article changed."""

    changefreq = "daily"

    def items(self):
        return [
            "articles:home",
            "articles:article-list",
            "articles:meeting-list",
            "articles:official-list",
            "articles:page-list",
            "articles:archive-index",
        ]

    def location(self, item):
        return reverse(item)

    @cached_property
    def newest(self):
        return newest_article_update()

    def lastmod(self, item):
        return self.newest


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    limit = pagination.MARK_EVERY

    def items(self):
        return (
            Article.objects.published()
            .newest_first()
            .only("slug", "publish_at", "updated_at")
        )

    @cached_property
    def paginator(self):
        # The rows of the news list (/tin-tuc/): its count and marks, kept
        # once per content generation, serve here too.
        return pagination.CursorPaginator(
            self.items(), self.limit, count_key=repr(cardlists.Scope())
        )

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        # Not the newest of every item read one by one.
        return newest_article_update()


class TableSitemap(Sitemap):
    """A small table's sitemap. Its rows are listed, so the paginator does
    not COUNT them, and listed once per request: the index asks for them
    twice (the newest lastmod, the pages)."""

    def rows(self):
        raise NotImplementedError

    @cached_property
    def listed(self):
        return list(self.rows())

    def items(self):
        return self.listed

    def lastmod(self, item):
        return item.updated_at


class CategorySitemap(TableSitemap):
    changefreq = "daily"

    def rows(self):
        # One pass over the articles, once per content generation.
        return pagecache.remember(
            "sitemap:categories",
            lambda: list(
                Category.objects.annotate(
                    updated_at=Max(
                        "articles__updated_at", filter=published_q("articles__")
                    )
                )
            ),
        )

    def get_latest_lastmod(self):
        # Categories with no article yet have none.
        return max(
            (category.updated_at for category in self.listed if category.updated_at),
            default=None,
        )


class OfficialSitemap(TableSitemap):
    """An official's page changes with the official (and their positions,
    edited with them) and with every report it lists. Last modified at the
    latest of:

    - the official's ``updated_at``, which also moves when a report leaves
      the page: unpublished, or the official taken off it
      (``models.meetings.official_pages_changed``);
    - for each report they attended that has been published, its
      publication, its last edit and, once passed, its expiry.

    The reports are read once per content generation (0.3 s at 100,000
    articles), and kept no later than the next publication or expiry."""

    changefreq = "monthly"

    def rows(self):
        return pagecache.remember("sitemap:officials", self.officials)

    @staticmethod
    def officials() -> list[Official]:
        now = timezone.now()
        expired = Case(
            When(article__expire_at__lte=now, then="article__expire_at"),
            default="article__publish_at",
        )
        changed = dict(
            Attendance.objects.filter(
                article__status=Article.Status.PUBLISHED,
                article__publish_at__lte=now,
                official__isnull=False,
            )
            .values("official")
            .annotate(
                changed=Max(
                    Greatest("article__publish_at", "article__updated_at", expired)
                )
            )
            .order_by()
            .values_list("official", "changed")
        )
        officials = list(Official.objects.only("slug", "updated_at"))
        for official in officials:
            official.report_changed = changed.get(official.pk)
        return officials

    def lastmod(self, item):
        return max(item.updated_at, item.report_changed or item.updated_at)


class PageSitemap(TableSitemap):
    changefreq = "monthly"

    def rows(self):
        return Page.objects.only("slug", "updated_at")


sitemaps = {
    "static": StaticViewSitemap,
    "articles": ArticleSitemap,
    "categories": CategorySitemap,
    "officials": OfficialSitemap,
    "pages": PageSitemap,
}
