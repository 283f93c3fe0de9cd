"""The search page (``/tim-kiem/``)."""

from django.utils import timezone
from django.views.generic import ListView

from .. import pagecache, search
from ..context_processors import categories
from ..models import Article


class SearchView(ListView):
    """Published articles matching ``?q=``, best first, filtered by category
    (``?chuyen_muc=<slug>``) and year (``?nam=2024``). Bad values of any
    parameter are ignored or explained, never an error."""

    template_name = "articles/search.html"
    paginate_by = 10

    def get_queryset(self):
        params = self.request.GET
        self.query = search.parse_query(params.get("q"))
        self.categories = categories()
        chosen = params.get("chuyen_muc")
        self.category = next((c for c in self.categories if c.slug == chosen), None)
        year = params.get("nam", "")
        self.year = int(year) if year.isdigit() and 1900 <= int(year) <= 2999 else None
        if not self.query.is_searchable:
            return Article.objects.none()
        articles = Article.objects.published()
        if self.category:
            articles = articles.filter(category=self.category)
        if self.year:
            articles = articles.filter(publish_at__year=self.year)
        return articles.search(self.query)

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        found = search.results_page(list(page.object_list))
        page.object_list = search.with_highlights(found, self.query)
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        # From this year back to the oldest article's: one indexed lookup
        # per content generation.
        oldest = pagecache.remember(
            "oldest-published",
            lambda: (
                Article.objects.published()
                .order_by("publish_at")
                .values_list("publish_at", flat=True)
                .first()
            ),
        )
        this_year = timezone.localdate().year
        first_year = timezone.localtime(oldest).year if oldest else this_year
        return super().get_context_data(
            query=self.query,
            categories=self.categories,
            category=self.category,
            year=self.year,
            years=list(range(this_year, first_year - 1, -1)),
            max_ranked=search.query.MAX_RANKED,
            # What the pager's links keep of the address: all the page reads.
            search_params=self.request.GET,
            **kwargs,
        )
