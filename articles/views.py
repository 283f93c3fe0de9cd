import datetime
from collections.abc import Callable

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F, Prefetch
from django.db.models.functions import Coalesce, TruncDate
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import get_template, render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView, TemplateView, View

from . import cardlists, pagecache, pagination, rendered, search
from .context_processors import categories
from .forms import MeetingFilterForm
from .http import NotFound, kept_params
from .models import (
    Article,
    Attendance,
    Official,
    Page,
    Position,
    PreviewLink,
    published_q,
)


def slug_links(url_name: str) -> Callable[[str], str]:
    """The address of ``url_name`` (a pattern whose only argument is the
    last part, ``<slug:slug>``) from a slug, for pages of many links: one
    ``reverse()`` for them all, where each would cost as much as its row.
    Slugs are ASCII slug characters, which ``reverse()`` leaves as they
    are."""
    before, _, after = reverse(url_name, kwargs={"slug": "-"}).rpartition("-")
    return lambda slug: f"{before}{slug}{after}"


class HomeView(View):
    """The featured articles, then the newest of each category, as cards
    stored with their articles (see ``articles.rendered``), in a frame kept
    per content generation (see ``articles.cardlists``)."""

    template_name = "articles/home.html"

    per_category = 4

    def get(self, request, *args, **kwargs):
        featured = cardlists.Scope(featured=True).rows(0, 3)
        menu = {category.pk: category for category in categories()}
        not_again = tuple(a.pk for a in featured)
        ranked = cardlists.newest_of_each(
            [cardlists.Scope(category_id=pk, excluded=not_again) for pk in menu],
            self.per_category,
        )
        sections = {}
        for article in ranked:
            sections.setdefault(menu[article.category_id], []).append(article)
        by_category = sorted(
            sections.items(), key=lambda item: (item[0].order, item[0].name)
        )
        shown = featured + [a for _, section in by_category for a in section]
        rendered.fill_cards(shown, level=3)
        slots = {cardlists.slot("cards-featured"): cardlists.cards(featured)}
        for category, section in by_category:
            slots[cardlists.slot(f"cards-{category.pk}")] = cardlists.cards(section)
        frame = cardlists.frame(
            request.path,
            self.template_name,
            lambda: {
                "featured": featured and cardlists.slot("cards-featured"),
                "by_category": [
                    (category, cardlists.slot(f"cards-{category.pk}"))
                    for category, _ in by_category
                ],
            },
            # Which parts the page has: featured cards, and the categories
            # with a section.
            shape=f"home:{bool(featured):d}:"
            + ",".join(str(category.pk) for category, _ in by_category),
        )
        return HttpResponse(frame.fill(request, slots))


class CardListView(View):
    """A list of published article cards, newest first, twelve a page,
    assembled from its stored parts (see ``articles.cardlists``)."""

    template_name = ""
    paginate_by = 12
    # A list with no published article: shown as empty (False: 404).
    allow_empty = True
    empty_message = gettext_lazy("Không có bài viết nào ở đây.")

    def get_scope(self) -> cardlists.Scope:
        """Which articles the list shows; 404 for a list that does not exist."""
        return cardlists.Scope()

    def get_frame_context(self) -> dict:
        """What the template shows around the cards, besides the site: asked
        for only when the frame is rendered."""
        return {}

    def get(self, request, *args, **kwargs):
        scope = self.get_scope()
        page = cardlists.page(request, scope, self.paginate_by)
        if not self.allow_empty and not page.paginator.count:
            raise NotFound(self.empty_message)
        empty = not page.object_list
        frame = cardlists.frame(
            request.path,
            self.template_name,
            lambda: {
                **self.get_frame_context(),
                "card_list": cardlists.card_list(empty),
            },
            shape=f"list:{empty:d}",
        )
        slots = {
            cardlists.CARDS: cardlists.cards(page.object_list),
            cardlists.PAGER: cardlists.pager_html(page),
        }
        return HttpResponse(frame.fill(request, slots))


class ArticleListView(CardListView):
    template_name = "articles/article_list.html"


class CategoryDetailView(CardListView):
    template_name = "articles/category_detail.html"

    def get_scope(self):
        slug = self.kwargs["slug"]
        self.category = next((c for c in categories() if c.slug == slug), None)
        if self.category is None:
            raise NotFound(_("Không có chuyên mục này."))
        return cardlists.Scope(category_id=self.category.pk)

    def get_frame_context(self):
        return {"category": self.category}


class MeetingListView(View):
    """Published meeting reports, newest first, twelve a page, filtered by
    the body that held them and its term (``?don_vi=``, ``?khoa=``): their
    rows in a frame kept per content generation and filters, as the card
    lists are (``articles.cardlists``)."""

    template_name = "articles/meeting_list.html"
    rows_template = "includes/_meeting_rows.html"
    paginate_by = 12

    def get(self, request, *args, **kwargs):
        form = MeetingFilterForm(request.GET)
        page = cardlists.page(request, form.scope(), self.paginate_by)
        chosen = form.canonical_data()
        # Filtered: the address keeps more than its page, cursor and
        # tracking parameters (what the pager keeps of it).
        filtered, empty = bool(page.other_params), not page.object_list
        frame = cardlists.frame(
            request.path,
            self.template_name,
            lambda: {
                "filter_form": MeetingFilterForm(chosen),
                "filtered": filtered,
                "empty": empty,
                "rows": cardlists.CARDS,
                "pager": cardlists.PAGER,
            },
            shape=f"meetings:{chosen['don_vi']}:{chosen['khoa']}:{filtered:d}{empty:d}",
        )
        link = slug_links("articles:article-detail")
        rows = [(row, link(row.slug)) for row in page.object_list]
        slots = {
            cardlists.CARDS: render_to_string(self.rows_template, {"rows": rows}),
            cardlists.PAGER: cardlists.pager_html(page),
        }
        return HttpResponse(frame.fill(request, slots))


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


class OfficialListView(ListView):
    paginate_by = 60

    def get_queryset(self):
        return Official.objects.prefetch_related(
            Prefetch(
                "positions",
                queryset=Position.objects.current(),
                to_attr="current_positions",
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        link = slug_links("articles:official-detail")
        for official in context["object_list"]:
            official.link = link(official.slug)
        return context


class OfficialDetailView(View):
    """An official, their positions, and every published meeting they
    attended, newest first, fifty to a page: the page's rows in a frame kept
    per content generation, as the card lists are (``articles.cardlists``)."""

    template_name = "articles/official_detail.html"
    rows_template = "includes/_attended_meetings.html"
    paginate_by = 50

    def get(self, request, *args, **kwargs):
        slug = kwargs["slug"]
        official_id = pagecache.remember(
            f"official:{slug}",
            lambda: (
                Official.objects.filter(slug=slug).values_list("pk", flat=True).first()
            ),
        )
        if official_id is None:
            raise NotFound(_("Không có cán bộ này."))
        keys, year_starts = self.attended(official_id)
        paginator = Paginator(keys, self.paginate_by)
        page = paginator.page(
            pagination.requested_number(paginator, request.GET.get("page"))
        )
        frame = cardlists.frame(
            request.path,
            self.template_name,
            lambda: self.get_frame_context(official_id, paginator, year_starts),
            shape="official",
        )
        slots = {
            cardlists.CARDS: self.rows_html(page, year_starts),
            cardlists.PAGER: get_template(cardlists.PAGER_TEMPLATE).render(
                {"page_obj": page, "fragment": "hoi-nghi-tham-du"}
            ),
        }
        return HttpResponse(frame.fill(request, slots))

    def attended(self, official_id: int) -> tuple[list[int], dict[int, int]]:
        """The keys of the official's attendances at published meetings,
        newest first by the date the page shows (the meeting's, or the
        report's when it has none), and each year's start among them (year →
        index of its newest): sorted once per content generation, not on
        every page of a list that can run to thousands."""
        shown_on = Coalesce(
            "article__meeting__held_on", TruncDate("article__publish_at")
        )
        attendances = (
            Attendance.objects.filter(published_q("article__"), official=official_id)
            .annotate(shown_on=shown_on)
            .order_by(F("shown_on").desc(), "-article__publish_at", "-pk")
            .values_list("pk", "shown_on")
        )

        def sort():
            keys, year_starts = [], {}
            for pk, day in attendances:
                year_starts.setdefault(day.year, len(keys))
                keys.append(pk)
            return keys, year_starts

        return pagecache.remember(f"attended:{official_id}", sort)

    def get_frame_context(self, official_id, paginator, year_starts) -> dict:
        official = Official.objects.prefetch_related(
            Prefetch(
                "positions", queryset=Position.objects.select_related("organization")
            )
        ).get(pk=official_id)
        # A link to each year's newest meeting, for records of many pages.
        year_pages = []
        if paginator.num_pages > 1 and len(year_starts) > 1:
            year_pages = [
                (year, index // self.paginate_by + 1)
                for year, index in year_starts.items()
            ]
        return {
            "official": official,
            "count": paginator.count,
            "year_pages": year_pages,
            "rows": cardlists.CARDS,
            "pager": cardlists.PAGER,
        }

    def rows_html(self, page, year_starts) -> str:
        """The page's meetings; the newest of each year carries its anchor."""
        found = {
            pk: row
            for pk, *row in Attendance.objects.filter(pk__in=page.object_list)
            .order_by()
            .values_list(
                "pk",
                "role",
                "positions",
                "article__title",
                "article__slug",
                "article__meeting__held_on",
                "article__publish_at",
            )
        }
        starts = {index: year for year, index in year_starts.items()}
        link = slug_links("articles:article-detail")
        # Only a role beyond attending is shown.
        roles = {**dict(Attendance.Role.choices), Attendance.Role.ATTENDEE: ""}
        rows = []
        for index, pk in enumerate(page.object_list, start=page.start_index() - 1):
            if pk not in found:
                continue
            role, positions, title, slug, held_on, publish_at = found[pk]
            rows.append(
                {
                    "starts_year": starts.get(index),
                    "url": link(slug),
                    "title": title,
                    "day": held_on or publish_at,
                    "role": roles.get(role, role),
                    "positions": positions,
                }
            )
        return render_to_string(self.rows_template, {"rows": rows})


def archive_months() -> list[datetime.datetime]:
    """Every month that has published articles, oldest first: one pass over
    the articles, once per content generation."""
    return pagecache.remember(
        "archive-months",
        lambda: list(
            Article.objects.published().datetimes("publish_at", "month", order="ASC")
        ),
    )


class ArchiveIndexView(TemplateView):
    """Every month that has published articles, newest first."""

    template_name = "articles/archive_index.html"

    def get_context_data(self, **kwargs):
        years = {}
        for month in reversed(archive_months()):
            years.setdefault(month.year, []).append(month)
        return super().get_context_data(years=list(years.items()), **kwargs)


class ArchiveMonthView(CardListView):
    """One month of the archive; a month without published articles is not
    in the archive (404, with no frame rendered and kept for it)."""

    template_name = "articles/archive_month.html"
    allow_empty = False
    empty_message = gettext_lazy("Tháng này không có bài viết nào được đăng.")

    def get_scope(self):
        year, month = self.kwargs["year"], self.kwargs["month"]
        if not (1 <= month <= 12 and 1900 <= year <= 2999):
            raise NotFound(_("Không có tháng này trong lưu trữ."))
        zone = timezone.get_current_timezone()
        self.month = datetime.datetime(year, month, 1, tzinfo=zone)
        following = (self.month + datetime.timedelta(days=32)).replace(day=1)
        return cardlists.Scope(since=self.month, until=following)

    def get_frame_context(self):
        months = archive_months()
        key = (self.month.year, self.month.month)
        older = [m for m in months if (m.year, m.month) < key]
        newer = [m for m in months if (m.year, m.month) > key]
        return {
            "month": self.month,
            "previous_month": older[-1] if older else None,
            "next_month": newer[0] if newer else None,
        }


class PageListView(ListView):
    template_name = "articles/page_list.html"

    def get_queryset(self):
        return Page.objects.defer("body")


class PageDetailView(DetailView):
    model = Page
    template_name = "articles/page_detail.html"


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
            # What the pager's links keep of the address.
            search_params=kept_params(self.request.GET),
            **kwargs,
        )


def page_not_found(request, exception):
    """The site's 404 page (``handler404``), with the reason when it was
    written for citizens (``http.NotFound``)."""
    reason = str(exception) if isinstance(exception, NotFound) else ""
    return render(request, "404.html", {"reason": reason}, status=404)


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


@require_GET
def favicon(request):
    """``/favicon.ico``, asked for by bots and by browsers on pages that name
    no icon: the ward's emblem, rather than a 404 page rendered each time.
    Not a permanent redirect: the emblem's address changes with its content."""
    response = HttpResponseRedirect(static("img/emblem.svg"))
    response["Cache-Control"] = "max-age=86400"
    return response
