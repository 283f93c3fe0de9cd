"""Lists of article cards (the news, a category, a month of the archive,
the home page) assembled from parts made ahead instead of rendered on every
request.

A list page has three parts:

- *the frame*: everything around the cards (head, header, menu, title, a
  category's description, the archive's neighbouring months, the markup
  around the cards and the pager), rendered with the list's own template
  once per content generation and address (``pagecache.remember``), like
  the site-wide parts of every page. The request's own address goes in
  when served, as for stored article pages.
- *the cards*, stored with each article (``articles.rendered``), read with
  the list's twelve rows in one raw query, prepared on PostgreSQL
  (``articles.prepared``).
- *the pager*, rendered once per process for each distinct pager
  (``pager_html``): its links depend only on the page's number, the number
  of pages and its edge rows.

The home page is put together the same way: its frame, with a slot for
the featured cards and one for each category's section, is kept per
generation and per set of sections; its cards come from two raw queries.
So is the meeting list, whose frame is kept per filter and whose rows
(``MeetingScope``) carry what it shows of each report instead of a card,
rendered on every request; and an official's page, around the meetings
they attended.

Pagination is the one of ``articles.pagination`` (links carry a cursor; a
typed deep page starts from the nearest mark, then skips rows in the index),
written as raw SQL because building the ORM query cost several times running
it. Tests keep the two in step.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, NamedTuple

from django.core.paginator import Paginator
from django.db import connection
from django.template.loader import get_template, render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import (
    context_processors,
    http,
    pagecache,
    pagination,
    prepared,
    release,
    rendered,
)
from .http import AFTER, BEFORE, PAGING
from .models import ArticleQuerySet, Meeting, Organization
from .models.queries import as_aware
from .pagination import CursorPage, decode_cursor


def slot(name: str) -> SafeString:
    """The mark of a frame's slot ``name``, filled on every request:
    ``canonical``, ``pager`` or ``cards``, the last with a suffix where a
    page has several lists of cards."""
    return mark_safe(f"\ue000{name}\ue000")


CANONICAL = slot("canonical")
CARDS = slot("cards")
PAGER = slot("pager")
LIST_TEMPLATE = "includes/_article_list.html"
PAGER_TEMPLATE = "includes/_pagination.html"
# Pagers kept per process (see pager_html): a few hundred bytes each.
PAGERS = 2048
SELECT = (
    "SELECT a.id, a.publish_at, a.cover_id, a.category_id,"
    " r.card, r.card_version, r.stamp"
    f" FROM {rendered.ARTICLE_TABLE} a"
    f" LEFT JOIN {rendered.RENDERED_TABLE} r ON r.article_id = a.id"
)
MEETING_TABLE = Meeting._meta.db_table
# The rows of the meeting list: what it shows of each report.
MEETING_SELECT = (
    "SELECT a.id, a.publish_at, a.title, a.slug, m.held_on, o.name"
    f" FROM {rendered.ARTICLE_TABLE} a"
    f" JOIN {MEETING_TABLE} m ON m.article_id = a.id"
    f" LEFT JOIN {Organization._meta.db_table} o ON o.id = m.organization_id"
)
NEWEST = "ORDER BY a.publish_at DESC, a.id DESC"


class StoredCard(NamedTuple):
    card: str
    card_version: str
    stamp: int


class ListRow:
    """One article of a list, as its raw query read it."""

    __slots__ = ("pk", "_publish_at")

    @property
    def publish_at(self) -> datetime.datetime:
        # Only the pager's edge rows need it.
        return as_aware(self._publish_at)


class CardRow(ListRow):
    """What an article's card, the pager and the home page's sections need."""

    __slots__ = ("cover_id", "category_id", "rendered", "card")

    def __init__(
        self, pk, publish_at, cover_id, category_id, card, card_version, stamp
    ):
        self.pk = pk
        self._publish_at = publish_at
        self.cover_id = cover_id
        self.category_id = category_id
        self.rendered = None if stamp is None else StoredCard(card, card_version, stamp)


class MeetingRow(ListRow):
    """What the meeting list shows of a report: its title and link, the day
    the meeting was held and the body that held it."""

    __slots__ = ("title", "slug", "held_on", "organization")

    def __init__(self, pk, publish_at, title, slug, held_on, organization):
        self.pk = pk
        self._publish_at = publish_at
        self.title = title
        self.slug = slug
        # SQLite gives the stored text.
        if isinstance(held_on, str):
            held_on = datetime.date.fromisoformat(held_on)
        self.held_on = held_on
        self.organization = organization


def _sql_moment(value: datetime.datetime):
    return connection.ops.adapt_datetimefield_value(value)


@dataclass(frozen=True)
class Scope:
    """The published articles a list shows: all, one category's, the
    featured ones, or those published in ``[since, until)``; never those in
    ``excluded`` (primary keys)."""

    category_id: int | None = None
    since: datetime.datetime | None = None
    until: datetime.datetime | None = None
    featured: bool = False
    excluded: tuple[int, ...] = ()

    # What the rows of its list read, and as what.
    select: ClassVar[str] = SELECT
    row: ClassVar[type[ListRow]] = CardRow

    def where(
        self, alias: str = "a", *, older: tuple = (), newer: tuple = ()
    ) -> tuple[str, list]:
        """The condition on ``alias``, with the rows older or newer than an
        edge row (moment, id) where given."""
        sql, params = ArticleQuerySet.published_sql(alias, connection)
        parts = [sql]
        if self.category_id is not None:
            parts.append(f"{alias}.category_id = %s")
            params.append(self.category_id)
        if self.since is not None:
            parts.append(f"{alias}.publish_at >= %s")
            params.append(_sql_moment(self.since))
        if self.until is not None:
            parts.append(f"{alias}.publish_at < %s")
            params.append(_sql_moment(self.until))
        if self.featured:
            parts.append(f"{alias}.featured")
        if self.excluded:
            parts.append(
                f"{alias}.id NOT IN ({', '.join(['%s'] * len(self.excluded))})"
            )
            params.extend(self.excluded)
        for edge, side in ((older, "<"), (newer, ">")):
            if edge:
                # The bare bound first: the database seeks the index to it
                # instead of walking every row on the other side to test
                # the OR.
                parts.append(
                    f"{alias}.publish_at {side}= %s AND ({alias}.publish_at {side} %s"
                    f" OR ({alias}.publish_at = %s AND {alias}.id {side} %s))"
                )
                moment = _sql_moment(edge[0])
                params.extend([moment, moment, moment, edge[1]])
        return " AND ".join(parts), params

    def count(self) -> int:
        where, params = self.where()
        sql = f"SELECT COUNT(*) FROM {rendered.ARTICLE_TABLE} a WHERE {where}"
        return _fetch(sql, params)[0][0]

    def marks(self) -> list[tuple[datetime.datetime, int]]:
        """The edge row (moment, id) of every ``MARK_EVERY`` rows, newest
        first: where a typed page far down starts from. One pass over the
        index, made once per content generation, like the count."""
        where, params = self.where()
        sql = (
            "SELECT publish_at, id FROM (SELECT a.publish_at, a.id,"
            f" ROW_NUMBER() OVER ({NEWEST}) AS n"
            f" FROM {rendered.ARTICLE_TABLE} a WHERE {where}) AS numbered"
            f" WHERE n %% {pagination.MARK_EVERY:d} = 0 ORDER BY n"
        )
        # Not prepared (``_fetch``): it runs once per generation, and its
        # modulo would need escaping differently in a PREPARE.
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [(as_aware(moment), pk) for moment, pk in cursor.fetchall()]

    def rows(self, offset: int, limit: int, *, older: tuple = ()) -> list[ListRow]:
        """Rows ``offset`` to ``offset + limit``, newest first, of those
        older than the edge row ``older`` if given. Far down, the rows are
        counted from the nearest mark, skipped in the index alone and the
        page's rows joined by key."""
        if offset >= pagination.MARK_EVERY and not older:
            marks = pagecache.remember(f"marks:{self!r}", self.marks)
            offset, older = pagination.from_mark(offset, marks)
        skip = " OFFSET %s" if offset else ""
        if offset < pagination.DEFERRED_JOIN_FROM:
            where, params = self.where(older=older)
            sql = f"{self.select} WHERE {where} {NEWEST} LIMIT {limit:d}{skip}"
        else:
            where, params = self.where("b", older=older)
            sql = (
                f"{self.select} WHERE a.id IN (SELECT b.id FROM"
                f" {rendered.ARTICLE_TABLE} b WHERE {where}"
                f" ORDER BY b.publish_at DESC, b.id DESC LIMIT {limit:d}{skip})"
                f" {NEWEST}"
            )
        return self._rows(sql, [*params, offset] if offset else params)

    def rows_after(self, edge: tuple, limit: int) -> list[ListRow]:
        """The ``limit`` rows just older than ``edge`` (moment, id)."""
        return self.rows(0, limit, older=edge)

    def rows_before(self, edge: tuple, limit: int) -> list[ListRow]:
        """The ``limit`` rows just newer than ``edge``, newest first."""
        where, params = self.where(newer=edge)
        sql = (
            f"{self.select} WHERE {where}"
            f" ORDER BY a.publish_at ASC, a.id ASC LIMIT {limit:d}"
        )
        return self._rows(sql, params)[::-1]

    def _rows(self, sql: str, params: list) -> list[ListRow]:
        return [self.row(*row) for row in _fetch(sql, params)]


@dataclass(frozen=True)
class MeetingScope(Scope):
    """The published meeting reports, of one organization or one term where
    given, as rows of the meeting list."""

    organization_id: int | None = None
    term_number: int | None = None

    select: ClassVar[str] = MEETING_SELECT
    row: ClassVar[type[ListRow]] = MeetingRow

    def where(self, alias: str = "a", **edges) -> tuple[str, list]:
        sql, params = super().where(alias, **edges)
        meeting = f"{alias}m"
        parts = [f"{meeting}.article_id = {alias}.id"]
        for column in ("organization_id", "term_number"):
            if getattr(self, column) is not None:
                parts.append(f"{meeting}.{column} = %s")
                params.append(getattr(self, column))
        exists = (
            f"EXISTS (SELECT 1 FROM {MEETING_TABLE} {meeting}"
            f" WHERE {' AND '.join(parts)})"
        )
        return f"{sql} AND {exists}", params


def newest_of_each(scopes: list[Scope], size: int) -> list[CardRow]:
    """The ``size`` newest rows of each of ``scopes``, newest first, in one
    query: a UNION ALL of one LIMIT-ed index scan per scope, joined back by
    key, so its cost does not grow with the archive."""
    if not scopes:
        return []
    parts, params = [], []
    for index, scope in enumerate(scopes):
        where, scope_params = scope.where("b")
        parts.append(
            f"SELECT * FROM (SELECT b.id FROM {rendered.ARTICLE_TABLE} b"
            f" WHERE {where} ORDER BY b.publish_at DESC, b.id DESC"
            f" LIMIT {size:d}) AS s{index}"
        )
        params.extend(scope_params)
    sql = f"{SELECT} WHERE a.id IN ({' UNION ALL '.join(parts)}) {NEWEST}"
    return [CardRow(*row) for row in _fetch(sql, params)]


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        prepared.execute(cursor, sql, params)
        return cursor.fetchall()


class _Counted(Paginator):
    """A paginator that knows its count and holds no rows itself."""

    def __init__(self, count: int, per_page: int):
        super().__init__((), per_page)
        self.count = count


def page(request, scope: Scope, per_page: int) -> CursorPage:
    """The page of ``scope`` that ``request`` asks for (``?page=``, with a
    cursor from the pager's links); 404 for a page that does not exist.
    Cards are the caller's to fill (``rendered.fill_cards``)."""
    params = request.GET
    other_params = http.other_params(params) if params.keys() - PAGING else ""
    # Kept per scope: any query string (?utm_source=…) shares one count.
    count = pagecache.remember(f"count:{scope!r}", scope.count)
    paginator = _Counted(count, per_page)
    number = pagination.requested_number(paginator, params.get("page"))
    after = decode_cursor(params.get(AFTER, ""))
    before = decode_cursor(params.get(BEFORE, ""))
    rows = []
    if after:
        rows = scope.rows_after(after, per_page)
    elif before:
        rows = scope.rows_before(before, per_page)
    if not rows:  # no cursor, or one that leads nowhere
        rows = scope.rows((number - 1) * per_page, per_page)
    result = CursorPage(rows, number, paginator)
    result.other_params = other_params
    return result


class Frame(NamedTuple):
    """A page around its cards, rendered for ``rendered.RENDER_ROOT``: the
    HTML split at its slots (the site's address, the canonical link, the
    cards, a pager), which are every other part."""

    parts: tuple[str, ...]

    def fill(self, request, slots: dict[str, str]) -> str:
        """The page for ``request``, ``slots`` (by their marks) filled."""
        canonical = context_processors.canonical_url(request)
        slots = {
            rendered.RENDER_ROOT: "/".join(canonical.split("/", 3)[:3]),
            CANONICAL: escape(canonical),
            **slots,
        }
        parts = list(self.parts)
        parts[1::2] = [slots[mark] for mark in parts[1::2]]
        return "".join(parts)


SLOTS = re.compile(
    f"({re.escape(rendered.RENDER_ROOT)}"
    "|\ue000(?:canonical|pager|cards(?:-[a-z0-9]+)?)\ue000)"
)


def frame(
    path: str, template_name: str, context: Callable[[], dict], *, shape: str
) -> Frame:
    """The frame of the page at ``path``, rendered from ``template_name``
    with ``context()`` once per content generation and ``shape``: what else
    decides its markup (whether a list is empty, which sections the home
    page has)."""

    def render() -> Frame:
        html = render_to_string(
            template_name,
            {**context(), "canonical_url": CANONICAL},
            request=rendered.RenderRequest(path),
        )
        return Frame(tuple(SLOTS.split(html)))

    return pagecache.remember(f"frame:{shape}:{path}", render)


def card_list(empty: bool) -> SafeString:
    """A list's cards and pager, as slots; for an empty list, its message."""
    return mark_safe(
        render_to_string(
            LIST_TEMPLATE, {"cards": "" if empty else CARDS, "pager": PAGER}
        )
    )


def cards(rows) -> str:
    """The cards of ``rows`` (filled by ``rendered.fill_cards``), in order."""
    return "".join(row.card for row in rows)


_pagers: dict[tuple, str] = {}


def pager_html(page: CursorPage) -> str:
    """The pager of ``page``, rendered once per process for each distinct
    pager: its links depend on nothing but the page's number, the number of
    pages and the cursors of its edge rows, all in the key."""
    key = (
        release.version(),
        page.number,
        page.paginator.num_pages,
        page.has_previous() and page.previous_query(),
        page.has_next() and page.next_query(),
    )
    html = _pagers.get(key)
    if html is None:
        if len(_pagers) >= PAGERS:
            _pagers.clear()
        html = _pagers[key] = get_template(PAGER_TEMPLATE).render({"page_obj": page})
    return html
