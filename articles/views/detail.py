"""An article's page, its preview for a shared link, and the site's own
pages (giới thiệu)."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from .. import rendered
from ..http import NotFound
from ..models import Article, Page, PreviewLink


class ArticleDetailView(DetailView):
    # Published articles are served from their stored rendering (see
    # articles.rendered); editors' views of unpublished ones render here.
    stored_pages = True

    def get(self, request, *args, **kwargs):
        if self.stored_pages:
            page = rendered.article_page(request, kwargs["slug"])
            if page is not None:
                return HttpResponse(page)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return Article.objects.published().for_page()

    def get_object(self, queryset=None):
        try:
            return super().get_object(queryset)
        except Http404:
            # Editors read unpublished articles at their real address.
            if not self.request.user.has_perm("articles.change_article"):
                raise
            return super().get_object(Article.objects.for_page())

    def get_context_data(self, **kwargs):
        kwargs.setdefault("is_draft_view", not self.object.is_visible())
        return super().get_context_data(**kwargs)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["is_draft_view"]:
            add_never_cache_headers(response)
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response


class ArticlePreviewView(ArticleDetailView):
    """An article read through a shared preview link, without an account."""

    template_name = "articles/article_detail.html"
    stored_pages = False

    def get(self, request, *args, **kwargs):
        self.preview_link = PreviewLink.from_token(kwargs["token"])
        if self.preview_link is None:
            raise NotFound(_("Liên kết xem trước không đúng."))
        if not self.preview_link.is_active:
            response = render(
                request,
                "articles/preview_refused.html",
                {"link": self.preview_link},
                status=410,
            )
            add_never_cache_headers(response)
            response["X-Robots-Tag"] = "noindex, nofollow"
            return response
        return super().get(request, *args, **kwargs)

    def get_object(self, queryset=None):
        return get_object_or_404(
            Article.objects.for_page(), pk=self.preview_link.article_id
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            is_draft_view=True, preview_link=self.preview_link, **kwargs
        )


class PageListView(ListView):
    template_name = "articles/page_list.html"

    def get_queryset(self):
        return Page.objects.defer("body")


class PageDetailView(DetailView):
    model = Page
    template_name = "articles/page_detail.html"
