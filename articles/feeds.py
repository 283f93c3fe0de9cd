from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from .models import Article, Category, SiteSettings


class LatestArticlesFeed(Feed):
    """RSS 2.0 feed of the newest published articles."""

    language = "vi"
    limit = 30

    def title(self):
        return SiteSettings.load().full_name

    def link(self):
        return reverse("articles:article-list")

    def description(self):
        site = SiteSettings.load()
        return site.intro or _("Tin bài mới nhất của %(name)s") % {"name": site.name}

    def feed_url(self):
        return reverse("articles:feed")

    def author_name(self):
        # Atom requires an author for the feed when entries may lack one.
        return SiteSettings.load().full_name

    def items(self):
        return Article.objects.published().for_listing()[: self.limit]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or strip_tags(item.body)[:300]

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.byline or None

    def item_categories(self, item):
        return [item.category.name]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed

    def feed_url(self):
        return reverse("articles:feed-atom")

    def subtitle(self):
        return self.description()


class CategoryFeed(LatestArticlesFeed):
    """RSS 2.0 feed of one category."""

    def get_object(self, request, slug):
        return get_object_or_404(Category, slug=slug)

    def title(self, obj):
        return f"{obj.name} – {SiteSettings.load().full_name}"

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return obj.description or obj.name

    def feed_url(self, obj):
        return reverse("articles:category-feed", kwargs={"slug": obj.slug})

    def items(self, obj):
        return (
            Article.objects.published().for_listing().filter(category=obj)[: self.limit]
        )


class CategoryAtomFeed(CategoryFeed):
    feed_type = Atom1Feed

    def feed_url(self, obj):
        return reverse("articles:category-feed-atom", kwargs={"slug": obj.slug})

    def subtitle(self, obj):
        return self.description(obj)
