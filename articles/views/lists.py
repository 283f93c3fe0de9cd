"""The lists citizens browse: the home page, the news and each category,
the meeting reports, the archive by month. Each is assembled from parts
made ahead (``articles.cardlists``)."""

import datetime
from collections.abc import Callable

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from .. import cardlists, pagecache, rendered
from ..context_processors import categories
from ..forms import MeetingFilterForm
from ..http import NotFound
from ..models import Article


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
    """A list of published articles, newest first, twelve a page, assembled
    from its parts (see ``articles.cardlists``): the page's rows, by default
    cards stored with their articles, in a frame kept per content generation
    and shape."""

    template_name = ""
    paginate_by = 12
    # A list with no published article: shown as empty (False: 404).
    allow_empty = True
    empty_message = gettext_lazy("Không có bài viết nào ở đây.")

    def get_scope(self) -> cardlists.Scope:
        """Which articles the list shows; 404 for a list that does not exist."""
        return cardlists.Scope()

    def get_frame_context(self) -> dict:
        """What the template shows around the rows, besides the site: asked
        for only when the frame is rendered."""
        return {}

    def frame_shape(self) -> str:
        """What tells this list's frames apart, besides the address."""
        return f"list:{not self.page.object_list:d}"

    def rows_html(self, rows: list) -> str:
        rendered.fill_cards(rows)
        return cardlists.cards(rows)

    def get(self, request, *args, **kwargs):
        self.page = page = cardlists.page(request, self.get_scope(), self.paginate_by)
        if not self.allow_empty and not page.paginator.count:
            raise NotFound(self.empty_message)
        rows = self.rows_html(page.object_list)
        empty = not page.object_list
        frame = cardlists.frame(
            request.path,
            self.template_name,
            lambda: {
                **self.get_frame_context(),
                "card_list": cardlists.card_list(empty),
            },
            shape=self.frame_shape(),
        )
        slots = {cardlists.CARDS: rows, cardlists.PAGER: cardlists.pager_html(page)}
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


class MeetingListView(CardListView):
    """Published meeting reports, filtered by the body that held them and
    its term (``?don_vi=``, ``?khoa=``): a row each (title, day held, body),
    a frame per filter."""

    template_name = "articles/meeting_list.html"
    rows_template = "includes/_meeting_rows.html"

    def get_scope(self):
        scope, self.chosen = MeetingFilterForm.read(self.request.GET)
        return scope

    def frame_shape(self):
        chosen = self.chosen
        return f"meetings:{chosen['don_vi']}:{chosen['khoa']}:{super().frame_shape()}"

    def get_frame_context(self):
        return {
            "filter_form": MeetingFilterForm(self.chosen),
            # "Tất cả" in both fields (?don_vi=&khoa=) is no filter.
            "filtered": any(self.chosen.values()),
            "empty": not self.page.object_list,
            "rows": cardlists.CARDS,
            "pager": cardlists.PAGER,
        }

    def rows_html(self, rows):
        link = slug_links("articles:article-detail")
        linked = [(row, link(row.slug)) for row in rows]
        return render_to_string(self.rows_template, {"rows": linked})


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
