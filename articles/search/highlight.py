"""Search results as a visitor reads them: titles and snippets with the
matched words marked, escaped."""

import functools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..vietnamese import strip_tones
from .query import Query
from .text import SHORT_TO_LONG, WORD, html_to_text


def with_highlights(articles: Iterable, query: Query) -> list:
    """The articles (from ``results_page``), each with ``highlighted_title``
    and ``snippet``."""
    articles = list(articles)
    for article in articles:
        article.highlighted_title = highlight(article.title, query)
        meeting = getattr(article, "meeting", None)
        article.snippet = snippet(
            [
                article.summary,
                html_to_text(article.body),
                meeting.full_title if meeting else "",
                "; ".join(article.attendees),
                "; ".join(article.attachment_titles),
            ],
            query,
        )
    return articles


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
            [t for t in query.terms if t in SHORT_TO_LONG],
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
    words = list(WORD.finditer(text or ""))
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
        found = list(WORD.finditer(text))
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
        found = list(WORD.finditer(texts[0]))
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
