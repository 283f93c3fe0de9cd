from django.contrib.sitemaps import Sitemap
from django.db.models import OuterRef, Subquery
from django.urls import reverse

from .models import Article, Category, Official, Page


def newest_update(queryset):
    """The newest ``updated_at`` of published articles in ``queryset``."""
    return queryset.order_by("-updated_at").values("updated_at")[:1]


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

    def lastmod(self, item):
        if not hasattr(self, "_newest"):
            newest = newest_update(Article.objects.published()).first()
            self._newest = newest["updated_at"] if newest else None
        return self._newest


class ArticleSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Article.objects.published().order_by("-publish_at", "-id")

    def lastmod(self, item):
        return item.updated_at


class CategorySitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        articles = Article.objects.published().filter(category=OuterRef("pk"))
        # Small tables are listed, so the paginator does not COUNT them.
        return list(
            Category.objects.annotate(lastmod=Subquery(newest_update(articles)))
        )

    def lastmod(self, item):
        return item.lastmod


class OfficialSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return list(Official.objects.only("slug", "updated_at"))

    def lastmod(self, item):
        return item.updated_at


class PageSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return list(Page.objects.only("slug", "updated_at"))

    def lastmod(self, item):
        return item.updated_at


sitemaps = {
    "static": StaticViewSitemap,
    "articles": ArticleSitemap,
    "categories": CategorySitemap,
    "officials": OfficialSitemap,
    "pages": PageSitemap,
}
