"""Vietnamese text helpers: normalisation, slugs, sort keys, numerals, dates."""

import datetime
import re
import unicodedata

from django.utils.text import slugify

# Combining tone marks, in dictionary order: ngang (none), huyền, hỏi, ngã,
# sắc, nặng. Breve, circumflex and horn are part of the letter, not tones.
TONE_MARKS = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k",
    "l", "m", "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w",
    "x", "y", "z",
]  # fmt: skip
_LETTER_CODES = {letter: f"{index + 10:02d}" for index, letter in enumerate(ALPHABET)}
_DIGIT_CODES = {str(d): f"{d + 50:02d}" for d in range(10)}

WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]

_ROMAN = [
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
]  # fmt: skip


def normalize(text: str) -> str:
    """NFC form, whatever the keyboard or word processor produced.

    Unikey's "Unicode tổ hợp" and macOS paste arrive decomposed, sometimes
    with marks in a non-canonical order; NFC reorders and composes them.
    """
    return unicodedata.normalize("NFC", text) if text else text


def strip_tones(text: str) -> str:
    """Remove all diacritics and map đ/Đ to d/D."""
    text = normalize(text).replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def slugify_vi(text: str, max_length: int = 200) -> str:
    """ASCII slug that keeps đ as d: "Đảng bộ phường" -> "dang-bo-phuong"."""
    slug = slugify(strip_tones(text))
    return slug[:max_length].strip("-")


def to_roman(number: int) -> str:
    if not 0 < number < 4000:
        raise ValueError("Roman numerals cover 1 to 3999.")
    parts = []
    for value, numeral in _ROMAN:
        count, number = divmod(number, value)
        parts.append(numeral * count)
    return "".join(parts)


def _letter_and_tone(char: str) -> tuple[str, int]:
    decomposed = unicodedata.normalize("NFD", char.lower())
    tone = 0
    base = []
    for part in decomposed:
        if part in TONE_MARKS:
            tone = TONE_MARKS[part]
        else:
            base.append(part)
    return unicodedata.normalize("NFC", "".join(base)), tone


def _collation_key(words: list[str]) -> str:
    primary, tones = [], []
    for word_index, word in enumerate(words):
        if word_index:
            primary.append("01")
        for char in word:
            letter, tone = _letter_and_tone(char)
            code = _LETTER_CODES.get(letter) or _DIGIT_CODES.get(letter)
            if code is None:
                continue
            primary.append(code)
            tones.append(str(tone))
    return "".join(primary) + "00" + "".join(tones)


def name_sort_key(full_name: str) -> str:
    """Sort key for a Vietnamese personal name: given name first.

    Vietnamese directories sort by the given name (the last word), then by
    family and middle names, in the Vietnamese alphabet (a ă â b c d đ e ê …)
    with tones deciding only between otherwise equal names. The key is made
    of digits only, so every database collation orders it the same way.
    """
    words = normalize(full_name).split()
    if not words:
        return ""
    return _collation_key([words[-1], *words[:-1]])


def vi_date(value: datetime.date | datetime.datetime | None) -> str:
    """ "Thứ Sáu, 05/07/2024"."""
    if value is None:
        return ""
    return f"{WEEKDAYS[value.weekday()]}, {value:%d/%m/%Y}"


_SPACES = re.compile(r"\s+")


def clean_line(text: str) -> str:
    """NFC and single spaces, for names and titles typed or pasted by hand."""
    return _SPACES.sub(" ", normalize(text or "")).strip()
