"""Folding Vietnamese text for search: one form for every way of typing it.

``fold`` gives the form both databases index and match (lower case, no
tones, đ → d); ``exact_form`` keeps the diacritics in Telex, so old and new
tone placement agree; ``with_abbreviations`` adds the other form of every
abbreviation (UBND ↔ ủy ban nhân dân).
"""

import functools
import html
import re
import unicodedata

from ..vietnamese import normalize, strip_tones

# Short form, long form (folded). Both directions are stored in the document.
ABBREVIATIONS = [
    ("ubnd", "uy ban nhan dan"),
    ("hdnd", "hoi dong nhan dan"),
    ("mttq", "mat tran to quoc"),
    ("bch", "ban chap hanh"),
    ("tp", "thanh pho"),
    ("ub", "uy ban"),
]
SHORT_TO_LONG = dict(ABBREVIATIONS)

_NON_WORD = re.compile(r"[^a-z0-9]+")
WORD = re.compile(r"\w+")
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
    words = (_telex_word(word) for word in WORD.findall(normalize(text).lower()))
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
