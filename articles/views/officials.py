"""The officials' directory and each official's page."""

from django.core.paginator import Paginator
from django.db.models import F, Prefetch
from django.db.models.functions import Coalesce, TruncDate
from django.http import HttpResponse
from django.template.loader import get_template, render_to_string
from django.utils.translation import gettext as _
from django.views.generic import ListView, View

from .. import cardlists, pagecache, pagination
from ..http import NotFound
from ..models import Attendance, Official, Position, published_q
from .lists import slug_links


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
        # Every official's id by slug, read once per content generation: an
        # address made up is one dictionary lookup, not a query and an entry.
        official_id = pagecache.remember(
            "official-ids", lambda: dict(Official.objects.values_list("slug", "pk"))
        ).get(slug)
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
