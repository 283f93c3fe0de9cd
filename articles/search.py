"""Search that forgives how people type Vietnamese.

Every article carries folded copies of its text (``search_title``,
``search_summary``, ``search_body``: lower case, no tones, đ → d, one space
between ASCII words, abbreviations stored with their long forms and the other
way round) and a diacritic-preserving copy (``search_exact``) written in
Telex, so old and new tone placement (khoá/khóa, uỷ/ủy) agree. The database
indexes those columns with its own full-text engine: on PostgreSQL, a side
table of ``tsvector`` rows with a GIN index, kept current by triggers
(migration ``0008_search_side_table``); on SQLite, an FTS5 table that
``index_articles`` rewrites along with the text columns whenever an
article, its meeting, its attendees or an attending official changes.

Queries are folded the same way and turned into a query for that engine from
``[a-z0-9]`` words only, so quotes, operators and metacharacters typed by a
visitor never reach the database as syntax.

Both databases rank with the same formula, so the same query gives the same
order on either: ``BODY_WEIGHT`` for matching at all, plus ``TITLE_WEIGHT``
if every word is in the title, plus ``SUMMARY_WEIGHT`` if every word is in
the sapo, plus ``EXACT_WEIGHT`` times the share of the visitor's words found
with the same diacritics; newer first on equal rank.
"""

import functools
import html
import re
import threading
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.db import connection, transaction
from django.db.models import F, FloatField, Prefetch, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_delete, post_migrate, post_save, pre_delete
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .vietnamese import normalize, strip_tones

# A visitor's query longer than this is cut: no real query needs more, and a
# 10,000-character paste must not cost 10,000 characters of work.
MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
MAX_TERM_LENGTH = 40
MIN_QUERY_LETTERS = 2
# At most this many matches are ranked (the most recently added ones).
MAX_RANKED = 200

# Short form, long form (folded). Both directions are stored in the document.
ABBREVIATIONS = [
    ("ubnd", "uy ban nhan dan"),
    ("hdnd", "hoi dong nhan dan"),
    ("mttq", "mat tran to quoc"),
    ("bch", "ban chap hanh"),
    ("tp", "thanh pho"),
    ("ub", "uy ban"),
]
_SHORT_TO_LONG = dict(ABBREVIATIONS)

# The rank (see above): a title match counts most, then the sapo, then the
# rest; words written with the visitor's own diacritics add up to 0.5.
TITLE_WEIGHT, SUMMARY_WEIGHT, BODY_WEIGHT = 1.0, 0.4, 0.2
EXACT_WEIGHT = 0.5
# SQLite's FTS5 table (rowid = article id), written by ``index_articles``.
FTS_TABLE = "articles_article_fts"
# PostgreSQL's vectors (one row per article), kept current by triggers.
SEARCH_TABLE = "articles_article_search"

_NON_WORD = re.compile(r"[^a-z0-9]+")
_WORD = re.compile(r"\w+")
_TAG = re.compile(r"<[^>]*>")

_TONE_KEYS = {"\u0300": "f", "\u0309": "r", "\u0303": "x", "\u0301": "s", "\u0323": "j"}
_SHAPE_KEYS = {"\u0306": "w", "\u031b": "w"}  # breve (ă), horn (ơ, ư)
_CIRCUMFLEX = "\u0302"  # â ê ô: Telex doubles the letter


def fold(text: str) -> str:
    """Lower case, no diacritics, đ → d, ASCII words joined by one space.

    "  ĐẢNG BỘ – Cát Lái!" → "dang bo cat lai". Any input form (NFC, NFD,
    Unikey composed, old or new tone placement) gives the same result.
    """
    if not text:
        return ""
    return _NON_WORD.sub(" ", strip_tones(text).lower()).strip()


@functools.lru_cache(maxsize=65536)
def _telex_word(word: str) -> str:
    letters, tone = [], ""
    for char in unicodedata.normalize("NFD", word):
        if char in _TONE_KEYS:
            tone = _TONE_KEYS[char]
        elif char in _SHAPE_KEYS:
            letters.append(_SHAPE_KEYS[char])
        elif char == _CIRCUMFLEX and letters:
            letters.append(letters[-1])
        elif char == "đ":
            letters.append("dd")
        elif not unicodedata.combining(char):
            letters.append(char)
    return _NON_WORD.sub("", "".join(letters)) + tone


def exact_form(text: str) -> str:
    """Diacritics kept, written in Telex with the tone at the end of the word.

    Tone placement no longer matters ("khoá" and "khóa" are both "khoas",
    "uỷ" and "ủy" both "uyr"), while "khóa" and "khoa" stay different.
    """
    if not text:
        return ""
    words = (_telex_word(word) for word in _WORD.findall(normalize(text).lower()))
    return " ".join(word for word in words if word)


def with_abbreviations(folded: str) -> str:
    """Folded text followed by the other form of every abbreviation in it."""
    padded = f" {folded} "
    extra = []
    for short, long in ABBREVIATIONS:
        has_short = f" {short} " in padded
        has_long = f" {long} " in padded
        if has_short and not has_long:
            extra.append(long)
        elif has_long and not has_short:
            extra.append(short)
    return " ".join([folded, *extra]) if extra else folded


def html_to_text(value: str) -> str:
    return html.unescape(_TAG.sub(" ", value or ""))


# ---------------------------------------------------------------------------
# Documents


def article_parts(article, attendances: Iterable) -> tuple[str, str, str]:
    """Title, sapo and the rest (body, meeting, attendees) as plain text."""
    rest = [html_to_text(article.body)]
    meeting = getattr(article, "meeting", None)
    if meeting is not None:
        rest += [meeting.full_title, meeting.place]
    for attendance in attendances:
        rest += [attendance.name, attendance.positions]
        official = attendance.official
        if official is not None and official.full_name != attendance.name:
            rest.append(official.full_name)
    return article.title, article.summary, "\n".join(part for part in rest if part)


def search_fields(article, attendances: Iterable) -> dict[str, str]:
    title, summary, rest = article_parts(article, attendances)
    return {
        "search_title": with_abbreviations(fold(title)),
        "search_summary": with_abbreviations(fold(summary)),
        "search_body": with_abbreviations(fold(rest)),
        "search_exact": exact_form(f"{title}\n{summary}\n{rest}"),
    }


SEARCH_FIELDS = ["search_title", "search_summary", "search_body", "search_exact"]


def index_articles(article_ids: Iterable[int], *, batch_size: int = 500) -> int:
    """Recompute the search columns of these articles. Returns how many.

    Per batch, one transaction: articles with their meetings, attendees with
    their officials, one update (PostgreSQL's triggers rewrite the vectors)
    and, on SQLite, the FTS5 rows.
    """
    ids = sorted(set(article_ids))
    count = 0
    for start in range(0, len(ids), batch_size):
        with transaction.atomic():
            count += _index_chunk(ids[start : start + batch_size])
    return count


def _index_chunk(chunk: list[int]) -> int:
    from .models import Article, Attendance

    articles = list(
        Article.objects.filter(pk__in=chunk)
        .select_related("meeting")
        .defer(*SEARCH_FIELDS)
    )
    attendees: dict[int, list] = {article.pk: [] for article in articles}
    rows = Attendance.objects.filter(article__in=chunk).select_related("official")
    for attendance in rows:
        # During a revision revert attendees may be written before their
        # article row is back; the article's own save reindexes them.
        if attendance.article_id in attendees:
            attendees[attendance.article_id].append(attendance)
    for article in articles:
        for name, value in search_fields(article, attendees[article.pk]).items():
            setattr(article, name, value)
    rows = [[*(getattr(a, name) for name in SEARCH_FIELDS), a.pk] for a in articles]
    # One statement, many rows: bulk_update's CASE per row grows quadratically.
    assignments = ", ".join(f"{name} = %s" for name in SEARCH_FIELDS)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE articles_article SET {assignments} WHERE id = %s", rows
        )
    if connection.vendor == "sqlite":
        _sync_fts(chunk, articles)
    return len(articles)


def _sync_fts(ids: list[int], articles: list) -> None:
    """Replace the FTS5 rows of ``ids`` (rows of deleted articles just go)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({', '.join(['%s'] * len(ids))})",
            ids,
        )
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, {', '.join(SEARCH_FIELDS)}) "
            "VALUES (%s, %s, %s, %s, %s)",
            [
                [article.pk, *(getattr(article, name) for name in SEARCH_FIELDS)]
                for article in articles
            ],
        )


def rebuild(*, batch_size: int = 500) -> int:
    """Recompute every article's search columns and the SQLite FTS table,
    and every official's folded name."""
    from .models import Article, Official

    officials = list(Official.objects.only("full_name", "search_name"))
    for official in officials:
        official.search_name = fold(official.full_name)
    Official.objects.bulk_update(officials, ["search_name"], batch_size=batch_size)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")
    ids = Article.objects.order_by("pk").values_list("pk", flat=True)
    return index_articles(list(ids), batch_size=batch_size)


_pending = threading.local()


@contextmanager
def indexing_batch():
    """Index each touched article once, when the block ends.

    An admin save writes the article, its meeting and dozens of attendee
    rows; inside this block they cost one reindex instead of one per row.
    """
    outer = getattr(_pending, "ids", None)
    if outer is not None:
        yield
        return
    _pending.ids = set()
    try:
        yield
        ids = _pending.ids
    finally:
        _pending.ids = None
    if ids:
        index_articles(ids)


def article_changed(article_id: int | None) -> None:
    """Reindex now, or at the end of the surrounding ``indexing_batch``."""
    if article_id is None:
        return
    pending = getattr(_pending, "ids", None)
    if pending is not None:
        pending.add(article_id)
    else:
        index_articles([article_id])


# ---------------------------------------------------------------------------
# Queries


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
            tuple(_SHORT_TO_LONG[t].split()) for t in self.terms if t in _SHORT_TO_LONG
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


def _rank_postgresql(queryset, query):
    # One statement: the newest MAX_RANKED matches (the planner walks the
    # side table's primary key backwards, or reads the GIN index when the
    # words are rare), then their rank from the same side table.
    newest = filter_articles(queryset, query).order_by("-pk").values("pk")
    test = "(%s * ({column} @@ to_tsquery('simple', %s))::int)"
    vector, exact = f"{SEARCH_TABLE}.vector", f"{SEARCH_TABLE}.exact_vector"
    parts = [test.format(column=vector), test.format(column=vector)]
    params = [
        TITLE_WEIGHT,
        query.tsquery(weight="A"),
        SUMMARY_WEIGHT,
        query.tsquery(weight="B"),
    ]
    share = EXACT_WEIGHT / len(query.exact_terms) if query.exact_terms else 0
    for term in query.exact_terms:
        parts.append(test.format(column=exact))
        params += [share, term]
    rank = RawSQL(f"{BODY_WEIGHT} + " + " + ".join(parts), params, FloatField())
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
    # Walk the FTS5 matches newest first, joined to the visible rows, and
    # stop at the MAX_RANKED-th: no need to collect every match.
    match = query.fts_match()
    matches = queryset.extra(
        tables=[FTS_TABLE],
        where=[f'{FTS_TABLE}.rowid = "articles_article"."id"', f"{FTS_TABLE} MATCH %s"],
        params=[match],
        order_by=[f"-{FTS_TABLE}.rowid"],
    )
    floor = matches.values_list("pk", flat=True)[MAX_RANKED - 1 : MAX_RANKED]
    floor = next(iter(floor), None)
    since, since_params = "", []
    where = [f'{FTS_TABLE}.rowid = "articles_article"."id"', f"{FTS_TABLE} MATCH %s"]
    params = [match]
    if floor is not None:
        queryset = queryset.filter(pk__gte=floor)
        where.append(f"{FTS_TABLE}.rowid >= %s")
        params.append(floor)
        since, since_params = " AND rowid >= %s", [floor]
    # FTS5's bm25() counts every query word over the whole index on each
    # query, which costs ~10 ms per common word at 100,000 articles. The rank
    # is built instead from a few membership tests, each an FTS5 lookup
    # limited to the candidate rows: all words in the title, all in the sapo,
    # and the share of words found with their diacritics.
    member = (
        f"({FTS_TABLE}.rowid IN (SELECT rowid FROM {FTS_TABLE} "
        f"WHERE {FTS_TABLE} MATCH %s{since}))"
    )
    parts = [f"%s * {member}", f"%s * {member}"]
    select_params = [
        TITLE_WEIGHT,
        query.fts_match(columns="search_title"),
        *since_params,
        SUMMARY_WEIGHT,
        query.fts_match(columns="search_summary"),
        *since_params,
    ]
    share = EXACT_WEIGHT / len(query.exact_terms) if query.exact_terms else 0
    for term in query.exact_terms:
        parts.append(f"%s * {member}")
        select_params += [share, f'({match}) AND search_exact : "{term}"']
        select_params += since_params
    ranked = queryset.extra(
        tables=[FTS_TABLE],
        where=where,
        params=params,
        select={"search_rank": f"{BODY_WEIGHT} + " + " + ".join(parts)},
        select_params=select_params,
    ).order_by("-search_rank", "-publish_at", "-id")
    return list(ranked.values_list("pk", flat=True))


def results_page(ids: list[int]) -> list:
    """The articles of ``ids``, in that order, with what a results page
    shows of each (not the search copies)."""
    from .models import Article, Attendance

    articles = (
        Article.objects.filter(pk__in=ids)
        .select_related("category", "cover", "meeting")
        .defer(*SEARCH_FIELDS)
        .prefetch_related(
            Prefetch("attendances", queryset=Attendance.objects.in_protocol_order())
        )
    )
    by_id = {article.pk: article for article in articles}
    return [by_id[pk] for pk in ids if pk in by_id]


def with_highlights(articles: Iterable, query: Query) -> list:
    """The articles, each with ``highlighted_title`` and ``snippet``."""
    articles = list(articles)
    for article in articles:
        article.highlighted_title = highlight(article.title, query)
        meeting = getattr(article, "meeting", None)
        attendees = "; ".join(
            " – ".join(part for part in (a.name, a.positions) if part)
            for a in article.attendances.all()
        )
        article.snippet = snippet(
            [
                article.summary,
                html_to_text(article.body),
                meeting.full_title if meeting else "",
                attendees,
            ],
            query,
        )
    return articles


# ---------------------------------------------------------------------------
# Highlighting


@functools.lru_cache(maxsize=65536)
@functools.lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    return strip_tones(word).lower()


def _marks(words: list[re.Match], query: Query) -> list[tuple[int, int, str]]:
    """Matching runs of ``words``: (first word, word after the last, what
    they matched: a query word, or an abbreviation for its long form)."""
    folded = [_fold_word(m.group()) for m in words]
    terms = set(query.terms)
    last = query.terms[-1] if query.prefix_last else None
    phrases = list(
        zip(
            query.phrases(),
            [t for t in query.terms if t in _SHORT_TO_LONG],
            strict=True,
        )
    )
    marks = []
    index = 0
    while index < len(words):
        length, key = 0, folded[index]
        for phrase, short in phrases:
            if tuple(folded[index : index + len(phrase)]) == phrase:
                length, key = len(phrase), short
                break
        if not length and (key in terms or (last and key.startswith(last))):
            length = 1
            key = key if key in terms else last
        if length:
            marks.append((index, index + length, key))
            index += length
        else:
            index += 1
    return marks


def _spans(words: list[re.Match], marks) -> list[tuple[int, int]]:
    return [(words[first].start(), words[after - 1].end()) for first, after, _ in marks]


def highlight(text: str, query: Query) -> SafeString:
    """The whole text, escaped, with matching words in ``<mark>``."""
    words = list(_WORD.finditer(text or ""))
    return _render(text or "", _spans(words, _marks(words, query)))


def _render(text: str, spans: list[tuple[int, int]], start=0, end=None) -> SafeString:
    end = len(text) if end is None else end
    out, position = [], start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        out.append(escape(text[position:span_start]))
        out.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        position = span_end
    out.append(escape(text[position:end]))
    return mark_safe("".join(out))


def snippet(texts: Iterable[str], query: Query, *, words: int = 40) -> SafeString:
    """About ``words`` words of the passage that matches the most query
    words (the earliest such), escaped and highlighted; the start of the
    first text when nothing matches."""
    texts = [" ".join(text.split()) for text in texts if text and text.strip()]
    best = None  # (distinct words matched, text, words, marks, first word)
    wanted = len(query.terms)
    for text in texts:
        found = list(_WORD.finditer(text))
        marks = _marks(found, query)
        firsts = [first for first, _after, _key in marks]
        afters = [after for _first, after, _key in marks]
        for first in firsts:
            lo = max(0, first - words // 4)
            window = marks[bisect_left(firsts, lo) : bisect_right(afters, lo + words)]
            keys = {key for _first, _after, key in window}
            if best is None or len(keys) > best[0]:
                best = (len(keys), text, found, marks, lo)
                if len(keys) == wanted:
                    break
        if best is not None and best[0] == wanted:
            break
    if best is None:
        if not texts:
            return mark_safe("")
        found = list(_WORD.finditer(texts[0]))
        if len(found) <= words:
            return escape(texts[0])
        return mark_safe(f"{escape(texts[0][: found[words - 1].end()])} …")
    _count, text, found, marks, lo = best
    hi = min(len(found), lo + words)
    lo = max(0, hi - words)
    start = found[lo].start() if lo else 0
    end = found[hi - 1].end() if hi < len(found) else len(text)
    body = _render(text, _spans(found, marks), start, end)
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(f"{prefix}{body}{suffix}")


# ---------------------------------------------------------------------------
# Keeping the index current
#
# An article's search text comes from the article, its meeting, its attendee
# rows and the officials those rows point to; a change to any of them
# reindexes the articles it belongs to. Bulk ``update()``/``bulk_create()``
# send no signals: ``manage.py rebuild_search`` covers those.

# Saving only other article fields cannot change its search text.
_TEXT_FIELDS = {"title", "summary", "body"}


def _article_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and not _TEXT_FIELDS & set(update_fields):
        return
    article_changed(instance.pk)


def _article_deleted(sender, instance, **kwargs):
    article_changed(instance.pk)


def _article_part_changed(sender, instance, **kwargs):
    article_changed(instance.article_id)


def _attended_article_ids(official) -> list[int]:
    return list(
        official.attendances.order_by().values_list("article_id", flat=True).distinct()
    )


def _official_saved(sender, instance, created, **kwargs):
    if not created:
        for article_id in _attended_article_ids(instance):
            article_changed(article_id)


def _official_deleting(sender, instance, **kwargs):
    # The attendee rows lose their link (SET_NULL) without signals of their own.
    instance._search_article_ids = _attended_article_ids(instance)


def _official_deleted(sender, instance, **kwargs):
    for article_id in getattr(instance, "_search_article_ids", []):
        article_changed(article_id)


def _index_missing(sender, apps=None, **kwargs):
    """After ``migrate``: index rows written before search existed."""
    from .models import Article, Official

    try:
        apps.get_model("articles", "Article")._meta.get_field("search_title")
        apps.get_model("articles", "Official")._meta.get_field("search_name")
    except (AttributeError, LookupError, FieldDoesNotExist):
        return
    if connection.vendor == "sqlite":
        # A flush empties the articles table but not the FTS5 table.
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {FTS_TABLE} WHERE rowid NOT IN "
                "(SELECT id FROM articles_article)"
            )
    missing = Article.objects.filter(search_title="").exclude(title="")
    index_articles(list(missing.values_list("pk", flat=True)))
    for official in Official.objects.filter(search_name="").exclude(full_name=""):
        Official.objects.filter(pk=official.pk).update(
            search_name=fold(official.full_name)
        )


def connect_signals(app_config) -> None:
    from .models import Article, Attendance, Meeting, Official

    uid = "articles.search"
    post_save.connect(_article_saved, sender=Article, dispatch_uid=uid)
    post_delete.connect(_article_deleted, sender=Article, dispatch_uid=uid)
    for model in (Meeting, Attendance):
        post_save.connect(_article_part_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_article_part_changed, sender=model, dispatch_uid=uid)
    post_save.connect(_official_saved, sender=Official, dispatch_uid=uid)
    pre_delete.connect(_official_deleting, sender=Official, dispatch_uid=uid)
    post_delete.connect(_official_deleted, sender=Official, dispatch_uid=uid)
    post_migrate.connect(_index_missing, sender=app_config, dispatch_uid=uid)
