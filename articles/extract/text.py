"""Text helpers of the report reader: folding, canonical tone placement,
plain text from HTML, numbers written as digits, words or Roman numerals."""

from __future__ import annotations

import html.parser
import re
import unicodedata

_UNITS = {
    "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5,
    "nhăm": 5, "sáu": 6, "bảy": 7, "bẩy": 7, "tám": 8, "chín": 9,
}  # fmt: skip
_NUMBER_WORD = (
    r"(?:một|mốt|hai|ba|bốn|tư|năm(?!\s+\d)|lăm|nhăm|sáu|bảy|bẩy|tám|chín|mười|"
    r"mươi|trăm|linh|lẻ)"
)
NUMBER_WORDS = rf"(?:nhất|{_NUMBER_WORD}(?:\s+{_NUMBER_WORD})*)\b"
ROMAN = r"(?=[IVXLC])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def fold(text: str) -> str:
    """Lower case, no diacritics, đ→d, single spaces: for comparing names."""
    text = unicodedata.normalize("NFC", text or "").replace("đ", "d").replace("Đ", "D")
    text = "".join(
        c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)
    )
    return " ".join(text.lower().split())


def name_key(name: str) -> str:
    return fold(name)


def _tone_moves() -> dict[str, str]:
    # "hoà" → "hòa", "Uỷ" → "Ủy": the old and the new tone placement differ
    # only in open syllables ending in oa, oe, uy.
    moves = {}
    for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
        for mark in "\u0300\u0301\u0303\u0309\u0323":
            for a, b in ((first, second), (first.upper(), second)):
                old = unicodedata.normalize("NFC", a + b + mark)
                new = unicodedata.normalize("NFC", a + mark + b)
                moves[old] = new
    return moves


_TONE_MOVES = _tone_moves()
_OLD_TONES = re.compile("(" + "|".join(_TONE_MOVES) + r")(?!\w)")


def canonical(text: str) -> str:
    """Same length as ``text``; new-style tone placement for matching."""
    return _OLD_TONES.sub(lambda m: _TONE_MOVES[m.group(1)], text)


class _TextOf(html.parser.HTMLParser):
    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.parts.append("\n- " if tag == "li" else "\n")

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def text_from_html(value: str) -> str:
    """Plain text of editor HTML: one paragraph a line, list items as "- "."""
    if "<" not in (value or ""):
        return value or ""
    parser = _TextOf()
    parser.feed(value)
    parser.close()
    text = re.sub(r"[ \t]*\n\s*", "\n", "".join(parser.parts))
    return text.strip()


def clean_text(text: str) -> str:
    text = text_from_html(unicodedata.normalize("NFC", text or ""))
    text = re.sub(r"[\u00a0\u2002-\u200b\u202f\ufeff\t]", " ", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[ ]+", " ", text)
    return re.sub(r" *\n *", "\n", text).strip()


def roman_value(numeral: str) -> int | None:
    if not numeral or not re.fullmatch(ROMAN, numeral):
        return None
    total = 0
    for char, following in zip(numeral, numeral[1:] + " ", strict=True):
        value = _ROMAN_VALUES[char]
        total += -value if _ROMAN_VALUES.get(following, 0) > value else value
    return total


def words_value(words: str) -> int | None:
    """ "hai mươi mốt" → 21, "mười lăm" → 15, "thứ nhất" → 1."""
    tokens = words.lower().split()
    if tokens == ["nhất"]:
        return 1
    total = current = 0
    for token in tokens:
        if token in _UNITS:
            current += _UNITS[token]
        elif token == "mười":
            current += 10
        elif token == "mươi":
            current = (current or 1) * 10
        elif token == "trăm":
            total += (current or 1) * 100
            current = 0
        elif token in ("linh", "lẻ"):
            continue
        else:
            return None
    return (total + current) or None


def number_value(value: str) -> int | None:
    value = value.strip()
    if value.isdigit():
        return int(value)
    return roman_value(value) or words_value(value)
