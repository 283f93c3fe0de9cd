from django.db import connection
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView, TemplateView

from .models import Article, Attendance, Category, Official, Position


class PublishedArticlesMixin:
    """Lists of what the public may see, newest first, with their covers."""

    paginate_by = 12

    def get_queryset(self):
        return Article.objects.published().for_listing()


class HomeView(PublishedArticlesMixin, TemplateView):
    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        articles = self.get_queryset()
        featured = list(articles.filter(featured=True)[:3])
        latest = articles.exclude(pk__in=[a.pk for a in featured])[:10]
        return super().get_context_data(featured=featured, latest=latest, **kwargs)


class ArticleListView(PublishedArticlesMixin, ListView):
    template_name = "articles/article_list.html"


class CategoryDetailView(PublishedArticlesMixin, ListView):
    template_name = "articles/category_detail.html"

    def get_queryset(self):
        self.category = get_object_or_404(Category, slug=self.kwargs["slug"])
        return super().get_queryset().filter(category=self.category)

    def get_context_data(self, **kwargs):
        return super().get_context_data(category=self.category, **kwargs)


class MeetingListView(PublishedArticlesMixin, ListView):
    template_name = "articles/meeting_list.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .filter(meeting__isnull=False)
            .select_related("meeting__organization")
        )


class ArticleDetailView(DetailView):
    def get_queryset(self):
        return (
            Article.objects.published()
            .select_related("category", "cover", "meeting__organization")
            .prefetch_related(
                "photos",
                "attachments",
                Prefetch(
                    "attendances",
                    queryset=Attendance.objects.select_related("official"),
                ),
            )
        )


class OfficialListView(ListView):
    paginate_by = 60

    def get_queryset(self):
        return Official.objects.prefetch_related(
            Prefetch("positions", queryset=Position.objects.current())
        )


class OfficialDetailView(DetailView):
    def get_queryset(self):
        return Official.objects.prefetch_related(
            Prefetch(
                "positions", queryset=Position.objects.select_related("organization")
            )
        )

    def get_context_data(self, **kwargs):
        attendances = (
            Attendance.objects.filter(
                official=self.object,
                article__in=Article.objects.published(),
            )
            .select_related("article__meeting")
            .order_by("-article__meeting__held_on", "-article__publish_at")
        )
        return super().get_context_data(attendances=attendances, **kwargs)


@never_cache
@require_GET
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def robots_txt(request):
    sitemap = request.build_absolute_uri("/sitemap.xml")
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain")
