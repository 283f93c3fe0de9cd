from django.contrib.sitemaps import Sitemap

from .models import Article, Category, Official


class ArticleSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Article.objects.published().order_by("-publish_at", "-id")

    def lastmod(self, item):
        return item.updated_at


class CategorySitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Category.objects.all()


class OfficialSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Official.objects.all()


sitemaps = {
    "articles": ArticleSitemap,
    "categories": CategorySitemap,
    "officials": OfficialSitemap,
}
