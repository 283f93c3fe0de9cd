"""Article list pagination that stays cheap at 100,000 articles.

Readers keep ``?page=N`` URLs, but the "next" and "previous" links also carry
a cursor (the date and id of the last or first article shown), so following
them seeks straight to the rows through the ``(status, publish_at)`` index
instead of making the database skip ``N × 12`` rows. A hand-typed ``?page=N``
without a cursor still works: it seeks to the nearest *mark* before it (the
edge row of every ``MARK_EVERY`` rows, found once per content generation),
then skips the rest of the way in the index only and fetches the page's
twelve rows by key. The total, needed for "Trang N / M", is counted once per
content generation (see ``pagecache.remember``), not on every request.
"""

import datetime
import re

from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from . import pagecache
from .http import AFTER, BEFORE, NotFound

# A typed page number is reached from the nearest mark before it, so it
# skips fewer than this many rows; past DEFERRED_JOIN_FROM of them, in the
# index alone.
MARK_EVERY = 1200
DEFERRED_JOIN_FROM = 120
# ?page= as the pager writes it (``requested_number``).
is_page_number = re.compile(r"[1-9][0-9]{0,17}").fullmatch


EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def encode_cursor(article) -> str:
    micros = (article.publish_at - EPOCH) // datetime.timedelta(microseconds=1)
    return f"{micros}.{article.pk}"


def decode_cursor(value: str) -> tuple[datetime.datetime, int] | None:
    """``(publish_at, id)`` from a cursor, or None for anything malformed."""
    micros, _sep, pk = (value or "").partition(".")
    if not (micros.isdigit() and pk.isdigit()) or len(micros) > 18 or len(pk) > 18:
        return None
    try:
        return EPOCH + datetime.timedelta(microseconds=int(micros)), int(pk)
    except OverflowError:
        return None


def from_mark(offset: int, marks: list[tuple]) -> tuple[int, tuple]:
    """Row ``offset`` of a list as ``(skip, edge)``: ``skip`` rows past the
    nearest of ``marks`` before it (the list's rows numbered ``MARK_EVERY``,
    ``2 × MARK_EVERY``, …), or from the top (``edge`` empty)."""
    index = min(offset // MARK_EVERY, len(marks))
    if not index:
        return offset, ()
    return offset - index * MARK_EVERY, marks[index - 1]


def beyond(queryset, edge: tuple, side: str):
    """The rows of ``queryset`` older (``side`` ``"lt"``) or newer
    (``"gt"``) than ``edge`` (moment, id); as ``cardlists.Scope.where``."""
    moment, pk = edge
    # The bare bound first: the database seeks the index to it instead of
    # walking every row on the other side to test the OR.
    return queryset.filter(
        Q(**{f"publish_at__{side}": moment})
        | Q(**{"publish_at": moment, f"pk__{side}": pk}),
        **{f"publish_at__{side}e": moment},
    )


class CursorPage(Page):
    """A page whose "next"/"previous" links carry cursors."""

    def __init__(self, object_list, number, paginator):
        super().__init__(list(object_list), number, paginator)
        self.other_params = ""  # filters of the list, kept across pages

    def _query(self, number: int, cursor: str = "") -> str:
        query = f"?{self.other_params}&" if self.other_params else "?"
        return f"{query}page={number}{cursor}"

    def next_query(self) -> str:
        cursor = ""
        if self.object_list:
            cursor = f"&{AFTER}={encode_cursor(self.object_list[-1])}"
        return self._query(self.next_page_number(), cursor)

    def previous_query(self) -> str:
        number = self.previous_page_number()
        cursor = ""
        if number > 1 and self.object_list:
            cursor = f"&{BEFORE}={encode_cursor(self.object_list[0])}"
        return self._query(number, cursor)


def requested_number(paginator: Paginator, value) -> int:
    """The page of ``paginator`` that ``?page=value`` asks for ("last" for
    the last); a Vietnamese 404 for one that does not exist.

    A number is taken only as the pager writes it. Python's ``int`` also
    reads ``02``, ``+2``, `` 2``, ``0_2`` and other scripts' digits: each
    would be one more address, and one more cached copy, of the same page.
    """
    if value == "last":
        value = paginator.num_pages
    elif value and not is_page_number(value):
        raise NotFound(_("Trang không tồn tại: số trang không hợp lệ."))
    try:
        return paginator.validate_number(value or 1)
    except InvalidPage as error:
        raise NotFound(_("Trang không tồn tại: %(error)s") % {"error": error}) from None


class CursorPaginator(Paginator):
    """Pages of a queryset ordered by ``-publish_at, -pk``."""

    def __init__(self, *args, count_key: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self):
        return pagecache.remember(
            f"count:{self.count_key}", lambda: Paginator.count.func(self)
        )

    def marks(self) -> list[tuple]:
        """The edge row (moment, id) of every ``MARK_EVERY`` rows."""
        numbered = self.object_list.annotate(
            row=Window(RowNumber(), order_by=(F("publish_at").desc(), F("pk").desc()))
        ).annotate(mark=F("row") % MARK_EVERY)
        return list(
            numbered.filter(mark=0).order_by("row").values_list("publish_at", "pk")
        )

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = self.object_list
        if bottom >= MARK_EVERY:
            marks = pagecache.remember(f"marks:{self.count_key}", self.marks)
            bottom, edge = from_mark(bottom, marks)
            if edge:
                rows = beyond(rows, edge, "lt")
        rows = rows[bottom : bottom + self.per_page]
        if bottom >= DEFERRED_JOIN_FROM:
            # Skip rows in the index alone, then fetch the page's rows by key.
            keys = list(rows.values_list("pk", flat=True))
            found = {row.pk: row for row in self.object_list.filter(pk__in=keys)}
            rows = [found[key] for key in keys if key in found]
        return CursorPage(rows, number, self)
