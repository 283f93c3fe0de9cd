"""Visitors' queries: cleaning them, matching, ranking.

Queries are folded like the documents and rebuilt from ``[a-z0-9]`` words
only, so quotes, operators and metacharacters typed by a visitor never reach
the database as syntax. Both databases rank with the same formula (see the
package docstring).
"""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F, FloatField, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from ..vietnamese import normalize
from .index import FTS_TABLE, SEARCH_FIELDS, SEARCH_TABLE
from .text import SHORT_TO_LONG, exact_form, fold

# A visitor's query longer than this is cut: no real query needs more, and a
# 10,000-character paste must not cost 10,000 characters of work.
MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
MAX_TERM_LENGTH = 40
MIN_QUERY_LETTERS = 2
# At most this many matches are ranked (the most recently added ones).
MAX_RANKED = 200

# The rank (see the package docstring): a title match counts most, then the
# sapo, then the rest; words written with the visitor's own diacritics add up
# to 0.5.
TITLE_WEIGHT, SUMMARY_WEIGHT, BODY_WEIGHT = 1.0, 0.4, 0.2
EXACT_WEIGHT = 0.5


@dataclass
class Query:
    """A visitor's query, cleaned: what to show back and what to look for."""

    text: str = ""
    terms: list[str] = field(default_factory=list)
    exact_terms: list[str] = field(default_factory=list)
    truncated: bool = False

    @property
    def problem(self) -> str:
        """Why nothing was searched, in words for the visitor; "" if searched."""
        if not self.text:
            return _("Nhập từ khóa để tìm bài viết, ví dụ: dang bo cat lai.")
        if not self.terms:
            return _(
                "Từ khóa chỉ có dấu câu hoặc ký hiệu. Hãy nhập chữ hoặc số, "
                "có dấu hay không dấu đều được."
            )
        if not self.is_searchable:
            return _("Từ khóa quá ngắn. Hãy nhập ít nhất 2 chữ cái hoặc chữ số.")
        return ""

    @property
    def is_searchable(self) -> bool:
        return sum(len(term) for term in self.terms) >= MIN_QUERY_LETTERS

    @property
    def prefix_last(self) -> bool:
        """Whether the last word also matches longer words ("cat la" finds
        "Cát Lái"): only a word of 2 or 3 letters, which SQLite's FTS5 prefix
        index answers directly; longer Vietnamese words are nearly always
        complete syllables, and unindexed prefixes cost a full doclist merge."""
        return bool(self.terms) and 2 <= len(self.terms[-1]) <= 3

    def phrases(self) -> list[tuple[str, ...]]:
        """Long forms to highlight for the abbreviations in the query."""
        return [
            tuple(SHORT_TO_LONG[t].split()) for t in self.terms if t in SHORT_TO_LONG
        ]

    def tsquery(self, *, prefix_all: bool = False, weight: str = "") -> str:
        """PostgreSQL ``to_tsquery`` text; terms are ``[a-z0-9]+`` only.

        Abbreviations need no expansion here: every document already holds
        both forms (``with_abbreviations``), and a phrase per abbreviation
        would make each such query a phrase search over the whole index.
        """
        groups = []
        last = len(self.terms) - 1
        for index, term in enumerate(self.terms):
            prefix = prefix_all or (index == last and self.prefix_last)
            label = ("*" if prefix else "") + weight
            groups.append(f"{term}:{label}" if label else term)
        return " & ".join(groups)

    def fts_match(
        self,
        *,
        prefix_all: bool = False,
        columns: str = "{search_title search_summary search_body}",
    ) -> str:
        """SQLite FTS5 MATCH text over the folded columns."""
        groups = []
        last = len(self.terms) - 1
        for index, term in enumerate(self.terms):
            prefix = prefix_all or (index == last and self.prefix_last)
            groups.append(f'"{term}"*' if prefix else f'"{term}"')
        return f"{columns} : ({' AND '.join(groups)})"


def parse_query(raw: str | None) -> Query:
    """Clean a visitor's query. Never raises, whatever was typed."""
    if not raw or not isinstance(raw, str):
        return Query()
    text = " ".join(normalize(raw[: MAX_QUERY_LENGTH * 4]).split())
    text = "".join(ch for ch in text if ch.isprintable())
    truncated = len(text) > MAX_QUERY_LENGTH
    text = text[:MAX_QUERY_LENGTH]
    terms = []
    for term in fold(text).split():
        term = term[:MAX_TERM_LENGTH]
        if term not in terms:
            terms.append(term)
    exact_terms = []
    for term in exact_form(text).split():
        term = term[:MAX_TERM_LENGTH]
        if term not in exact_terms:
            exact_terms.append(term)
    return Query(
        text=text.strip(),
        terms=terms[:MAX_TERMS],
        exact_terms=exact_terms[:MAX_TERMS],
        truncated=truncated or len(terms) > MAX_TERMS,
    )


def filter_articles(
    queryset: QuerySet, query: Query, *, prefix_all: bool = False
) -> QuerySet:
    """Articles of ``queryset`` matching every term.

    Abbreviations match their long forms; the last term also matches as the
    start of a word (every term does with ``prefix_all``, for the admin).
    """
    if not query.terms:
        return queryset.none()
    if connection.vendor == "postgresql":
        matched = RawSQL(
            f"SELECT article_id FROM {SEARCH_TABLE} "
            "WHERE vector @@ to_tsquery('simple', %s)",
            (query.tsquery(prefix_all=prefix_all),),
        )
    else:
        matched = RawSQL(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",
            (query.fts_match(prefix_all=prefix_all),),
        )
    return queryset.filter(pk__in=matched)


def rank_matches(queryset: QuerySet, query: Query) -> list[int]:
    """Ids of the matching articles of ``queryset``, best first, newer first
    on equal rank.

    Ranking reads every candidate row, so a query that matches a large
    part of the archive ("phuong") ranks only the ``MAX_RANKED`` most
    recently added matches.
    """
    if not query.terms:
        return []
    if connection.vendor == "postgresql":
        return _rank_postgresql(queryset, query)
    return _rank_sqlite(queryset, query)


def _rank_formula(query, *, title, summary, exact) -> tuple[str, list]:
    """The rank (see the package docstring) as SQL and its parameters, from
    each database's own membership tests: ``title`` and ``summary`` are
    (SQL, parameters) testing that every word is there, ``exact(term)`` that
    one word is there with its diacritics. Each test is 1 or 0."""
    share = EXACT_WEIGHT / len(query.exact_terms) if query.exact_terms else 0
    tests = [(TITLE_WEIGHT, title), (SUMMARY_WEIGHT, summary)]
    tests += [(share, exact(term)) for term in query.exact_terms]
    sql = " + ".join(
        [str(BODY_WEIGHT), *("(%s * (" + test + "))" for _, (test, _) in tests)]
    )
    params = [
        value for weight, (_, test_params) in tests for value in (weight, *test_params)
    ]
    return sql, params


def _rank_postgresql(queryset, query):
    # One statement: the newest MAX_RANKED matches (the planner walks the
    # side table's primary key backwards, or reads the GIN index when the
    # words are rare), then their rank from the same side table.
    newest = filter_articles(queryset, query).order_by("-pk").values("pk")
    test = "({column} @@ to_tsquery('simple', %s))::int"
    vector = test.format(column=f"{SEARCH_TABLE}.vector")
    exact = test.format(column=f"{SEARCH_TABLE}.exact_vector")
    sql, params = _rank_formula(
        query,
        title=(vector, [query.tsquery(weight="A")]),
        summary=(vector, [query.tsquery(weight="B")]),
        exact=lambda term: (exact, [term]),
    )
    rank = RawSQL(sql, params, FloatField())
    ranked = (
        queryset.model.objects.filter(pk__in=newest[:MAX_RANKED])
        .extra(
            tables=[SEARCH_TABLE],
            where=[f'{SEARCH_TABLE}.article_id = "articles_article"."id"'],
        )
        .annotate(search_rank=rank)
        .order_by(F("search_rank").desc(), "-publish_at", "-id")
    )
    return list(ranked.values_list("pk", flat=True))


def _rank_sqlite(queryset, query):
    # The newest MAX_RANKED matches. Matches are tested by membership in one
    # FTS5 lookup: joined to the article table instead, SQLite may walk the
    # visibility index and run the full-text query again for every row.
    match = query.fts_match()
    matches = filter_articles(queryset, query).order_by("-pk")
    floor = matches.values_list("pk", flat=True)[MAX_RANKED - 1 : MAX_RANKED]
    floor = next(iter(floor), None)
    since, since_params = "", []
    if floor is not None:
        queryset = queryset.filter(pk__gte=floor)
        since, since_params = " AND rowid >= %s", [floor]
    # FTS5's bm25() counts every query word over the whole index on each
    # query, which costs ~10 ms per common word at 100,000 articles. The rank
    # is built instead from a few membership tests, each an FTS5 lookup
    # limited to the candidate rows: all words in the title, all in the sapo,
    # and the share of words found with their diacritics.
    found = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s{since}"
    member = f'"articles_article"."id" IN ({found})'
    sql, select_params = _rank_formula(
        query,
        title=(member, [query.fts_match(columns="search_title"), *since_params]),
        summary=(member, [query.fts_match(columns="search_summary"), *since_params]),
        exact=lambda term: (
            member,
            [f'({match}) AND search_exact : "{term}"', *since_params],
        ),
    )
    ranked = (
        queryset.filter(pk__in=RawSQL(found, [match, *since_params]))
        .extra(select={"search_rank": sql}, select_params=select_params)
        .order_by("-search_rank", "-publish_at", "-id")
    )
    return list(ranked.values_list("pk", flat=True))


def results_page(ids: list[int]) -> list:
    """The articles of ``ids``, in that order, with what a results page
    shows of each (not the search copies): its ``attendees`` as printed,
    one "name – positions" line each, and its ``attachment_titles``, read
    as plain values."""
    from ..models import Article, Attachment, Attendance

    articles = (
        Article.objects.filter(pk__in=ids)
        .select_related("category", "meeting")
        .defer(*SEARCH_FIELDS)
    )
    by_id = {article.pk: article for article in articles}
    for article in by_id.values():
        article.attendees = []
        article.attachment_titles = []
    # Both kinds of row in one query: a page's queries stay within budget.
    attendees = (
        Attendance.objects.filter(article__in=ids)
        .order_by()
        .values_list("article_id", Value(False), "name", "positions", "order", "id")
    )
    attached = (
        Attachment.objects.filter(article__in=ids)
        .order_by()
        .values_list("article_id", Value(True), "title", Value(""), "order", "id")
    )
    rows = attendees.union(attached, all=True).order_by("order", "id")
    for article_id, is_file, text, positions, *_sort_key in rows:
        if article_id not in by_id:  # deleted between the two queries
            continue
        if is_file:
            by_id[article_id].attachment_titles.append(text)
        else:
            line = " – ".join(part for part in (text, positions) if part)
            by_id[article_id].attendees.append(line)
    return [by_id[pk] for pk in ids if pk in by_id]
