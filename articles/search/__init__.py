"""Search that forgives how people type Vietnamese.

``text`` folds text, ``index`` keeps each article's search copies and the
database's index current, ``query`` cleans, matches and ranks a visitor's
query, ``highlight`` marks the matches in results.

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

from .highlight import highlight, snippet, with_highlights
from .index import (
    FTS_TABLE,
    SEARCH_FIELDS,
    SEARCH_TABLE,
    article_changed,
    article_parts,
    connect_signals,
    index_articles,
    indexing_batch,
    rebuild,
    search_fields,
)
from .query import (
    MAX_QUERY_LENGTH,
    MAX_TERMS,
    Query,
    filter_articles,
    parse_query,
    rank_matches,
    results_page,
)
from .text import ABBREVIATIONS, exact_form, fold, html_to_text, with_abbreviations

__all__ = [
    "ABBREVIATIONS",
    "FTS_TABLE",
    "MAX_QUERY_LENGTH",
    "MAX_TERMS",
    "SEARCH_FIELDS",
    "SEARCH_TABLE",
    "Query",
    "article_changed",
    "article_parts",
    "connect_signals",
    "exact_form",
    "filter_articles",
    "fold",
    "highlight",
    "html_to_text",
    "index_articles",
    "indexing_batch",
    "parse_query",
    "rank_matches",
    "rebuild",
    "results_page",
    "search_fields",
    "snippet",
    "with_abbreviations",
    "with_highlights",
]
