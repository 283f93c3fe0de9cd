from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.html import strip_tags

from .models import Article


class LatestArticlesFeed(Feed):
    link = reverse_lazy("articles:article-list")

    def title(self):
        return settings.WARDNEWS_SITE_NAME

    def description(self):
        return settings.WARDNEWS_SITE_TAGLINE

    def items(self):
        return Article.objects.published().for_listing()[:30]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or strip_tags(item.body)[:300]

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.updated_at
