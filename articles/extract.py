"""Read a meeting report's text: date, session, term, attendees, groups.

Rule-based and dependency-free on purpose: Vietnamese NER models tag
position words ("Bí thư", "Phường") as names, while ward reports follow a
small set of house patterns that rules cover exactly.

All matching runs on a *canonical* copy of the text that has the same length
as the original (old-style tone placement such as "Uỷ"/"khoá" moved to
"Ủy"/"khóa"), and every string returned is sliced from the original, so
names, positions and abbreviations come back as printed.
"""

from __future__ import annotations

import datetime
import html.parser
import re
import unicodedata
from dataclasses import dataclass, field
from itertools import pairwise

ROLES = ("chair", "directing", "presenter", "attendee", "guest")
_ROLE_RANK = {"chair": 5, "directing": 4, "presenter": 3, "guest": 2, "attendee": 1}

# fmt: off
FAMILY_NAMES = frozenset("""
nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý lí
đinh đoàn lâm mai trương tô hà tạ cao lưu châu quách thái từ la kiều lương
trịnh tăng nghiêm triệu khúc doãn kim mạc chu giang tôn thân vương lạc âu
diệp hứa phùng quan lại thạch đào đàm đồng ông bạch hàn khổng mã tiêu ninh
nông lò sơn trình lục cù cung hầu lữ mạch nhan phí tào thi thiều tống vi
viên trang khưu tất thới huỳnh hoàng văn lều mẫn ân bế hoàng quản quang
ôn đường đái hồng lưu thạch tiết trà mông ma cầm lô hà vòng sầm lăng
""".split()) - {"văn", "hồng", "quang"}
PLACE_WORDS = frozenset("""
phường xã quận huyện tỉnh phố tp tx thị trấn đường ấp trường chùa cầu chợ
viện sân hẻm kiệt mang tên bác thcs thpt th mn mg học non
""".split())
PLACE_NAMES = ("hồ chí minh", "tôn đức thắng")
# Words that open a title, so a capitalised run stops before them.
TITLE_HEADS = ("phó", "bí thư", "chủ tịch", "trưởng", "ủy viên", "thành ủy",
               "quận ủy", "huyện ủy", "tỉnh ủy", "đảng ủy", "giám đốc", "chánh",
               "thường trực", "chỉ huy", "đại biểu", "tổng", "hiệu trưởng",
               "chủ nhiệm", "ban", "hội", "ủy ban", "đoàn", "tổ trưởng", "thư ký")
RANKS = r"""(?:đại|thượng|trung|thiếu|chuẩn)\s+(?:tướng|tá|úy)|
    (?:phó\s+)?giáo\s+sư|tiến\s+sĩ|thạc\s+sĩ|bác\s+sĩ|dược\s+sĩ|kỹ\s+sư|luật\s+sư|
    nhà\s+giáo\s+(?:ưu\s+tú|nhân\s+dân)|nhà\s+báo|nghệ\s+sĩ\s+(?:ưu\s+tú|nhân\s+dân)|
    (?:pgs|gs|ts|ths|th\.s|bs|ks|cn|ngưt|ngnd|nsưt|nsnd|bsckii|bscki|tskh)
    (?:\s*\.\s*(?:ts|tskh|bs|ckii|cki|ths))*\.?"""
# fmt: on

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

F = re.IGNORECASE | re.VERBOSE


@dataclass
class Attendee:
    name: str
    positions: list[str] = field(default_factory=list)
    role: str = "attendee"

    @property
    def key(self) -> str:
        return name_key(self.name)


@dataclass
class Extraction:
    held_on: datetime.date | None = None
    held_at: datetime.time | None = None
    meeting_name: str = ""
    meeting_kind: str = ""
    place: str = ""
    session_number: int | None = None
    term_number: int | None = None
    term_start_year: int | None = None
    term_end_year: int | None = None
    opinions_count: int | None = None
    attendees: list[Attendee] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        """The published JSON shape (``extract_report`` prints exactly this)."""
        return {
            "held_on": self.held_on.isoformat() if self.held_on else None,
            "session_number": self.session_number,
            "term_number": self.term_number,
            "term_start_year": self.term_start_year,
            "term_end_year": self.term_end_year,
            "opinions_count": self.opinions_count,
            "attendees": [
                {"name": a.name, "positions": list(a.positions), "role": a.role}
                for a in self.attendees
            ],
            "groups": list(self.groups),
        }

    @property
    def is_empty(self) -> bool:
        return not (
            self.attendees
            or self.groups
            or self.held_on
            or self.session_number
            or self.term_number
            or self.term_start_year
            or self.opinions_count
        )


# --- text helpers -----------------------------------------------------------


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


# --- the document ------------------------------------------------------------


_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_ABBREVIATIONS = frozenset(
    "tp p q tx tt ths th.s ts pgs gs bs ks cn đ/c ub pgs.ts gs.ts bs.ckii ct bt pct "
    "pbt p.ct p.bt uv tv".split()
)


@dataclass
class Span:
    start: int
    end: int


class Document:
    def __init__(self, text: str):
        self.text = clean_text(text)
        self.canon = canonical(self.text)
        self.low = self.canon.lower()
        assert len(self.low) == len(self.text)

    def get(self, start: int, end: int) -> str:
        return self.text[start:end]

    def strip(self, start: int, end: int, chars: str = " ,;:.-–—\n") -> Span:
        while start < end and self.text[start] in chars:
            start += 1
        while end > start and self.text[end - 1] in chars:
            end -= 1
        return Span(start, end)

    def sentences(self) -> list[Span]:
        """Sentence spans. Bulleted lines after a colon stay in one sentence."""
        spans = []
        start = 0
        text = self.text
        index = 0
        while index < len(text):
            char = text[index]
            boundary = False
            if char == "\n":
                # A list goes on over lines after "…:" and lines ending in ";"
                # or ",", with or without bullets (Word drops them on paste).
                following = text[index + 1 : index + 2]
                boundary = following not in ("-", "–", "+", "•", "*")
                boundary = boundary and text[index - 1 : index] not in (":", ";", ",")
            elif char in ".!?…" and text[index + 1 : index + 2] in (" ", "\n", ""):
                before = text[start:index].rsplit(" ", 1)[-1].lower()
                nxt = text[index + 2 : index + 3]
                boundary = before not in _ABBREVIATIONS and len(before) != 1
                boundary = boundary and (not nxt or not nxt.islower())
            if boundary:
                spans.append(Span(start, index + 1))
                start = index + 1
            index += 1
        spans.append(Span(start, len(text)))
        spans = [self.strip(s.start, s.end, " \n") for s in spans]
        return [s for s in spans if s.end > s.start]


def _is_title_word(word: str) -> bool:
    return word[0].isupper() and (len(word) == 1 or word[1:].islower())


def _starts_title(low: str, pos: int) -> str:
    """The title word(s) that open ``low`` at ``pos``, or ""."""
    tail = low[pos : pos + 20]
    for head in TITLE_HEADS:
        if tail.startswith(head) and (
            len(tail) == len(head) or not tail[len(head)].isalpha()
        ):
            return head
    return ""


@dataclass
class NameRun:
    start: int
    end: int
    words: int
    family: bool


def name_runs(doc: Document, start: int, end: int) -> list[NameRun]:
    """Capitalised word runs that may be a person's name, left to right."""
    runs: list[NameRun] = []
    words = list(_WORD.finditer(doc.text, start, end))
    index = 0
    while index < len(words):
        first = words[index]
        if not _is_title_word(first.group()):
            index += 1
            continue
        last = index
        while last + 1 < len(words):
            nxt = words[last + 1]
            gap = doc.text[words[last].end() : nxt.start()]
            if gap != " " or not _is_title_word(nxt.group()):
                break
            if (
                last - index >= 1
                and _starts_title(doc.low, nxt.start())
                and re.match(r" [^\W\d_]", doc.text[nxt.end() : nxt.end() + 2])
                and (
                    " " in _starts_title(doc.low, nxt.start())
                    or doc.text[nxt.end() + 1].isupper()
                )
            ):
                # "Nguyễn Văn A Bí thư …" runs into a title; "Đoàn Văn Hội -"
                # ends with a given name that is also a title word.
                break
            last += 1
        if (
            last - index >= 2
            and first.group() in ("Ông", "Bà")
            and doc.low[words[index + 1].start() : words[index + 1].end()]
            in FAMILY_NAMES
        ):
            index += 1
            first = words[index]
        run_start, run_end = first.start(), words[last].end()
        family = doc.low[first.start() : first.end()] in FAMILY_NAMES
        if doc.low[run_start:run_end] in PLACE_NAMES:
            family = False
        runs.append(NameRun(run_start, run_end, last - index + 1, family))
        index = last + 1
    return runs


def _preceded_by_place(doc: Document, pos: int) -> bool:
    before = doc.low[max(0, pos - 12) : pos].rstrip(" .")
    word = before.rsplit(" ", 1)[-1] if before else ""
    return word in PLACE_WORDS


# --- numbers, dates, names of the meeting -------------------------------------


_DOC_REFERENCE = re.compile(
    r"(?:số|nghị\s+quyết|quyết\s+định|kế\s+hoạch|chỉ\s+thị|công\s+văn|thông\s+báo|"
    r"hướng\s+dẫn|ban\s+hành|kết\s+luận|[A-ZĐ]{2,}(?:/[A-ZĐ-]+)+)[^.;]{0,25}$",
    re.IGNORECASE,
)
_DATE_NUMERIC = re.compile(
    r"(?<![\d/.-])(\d{1,2})\s*([/.-])\s*(\d{1,2})(?:\s*\2\s*(\d{4}))?(?![\d/])"
)
_DATE_WORDS = re.compile(
    r"\bngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s+năm\s+(\d{4}))?", re.IGNORECASE
)
_TIME = re.compile(
    r"(?<!\d)(\d{1,2})\s*(?:giờ|h|g)\s*(\d{2})?(?:\s*phút)?(?![\w/])", re.IGNORECASE
)


def _find_date(doc: Document, result: Extraction) -> None:
    candidates = []
    for match in _DATE_WORDS.finditer(doc.canon):
        candidates.append((match.start(), match.end(), match.group(1, 2, 3)))
    for match in _DATE_NUMERIC.finditer(doc.canon):
        before = doc.low[max(0, match.start() - 40) : match.start()]
        day_word = re.search(
            r"(?:ngày|sáng|chiều|tối|trưa|hôm\s+nay|vào|lúc|\d\s*(?:giờ|h))\s*$",
            before,
        )
        if not day_word and not (match.group(4) and match.start() < 3):
            continue
        candidates.append((match.start(), match.end(), match.group(1, 3, 4)))
    for start, end, (day, month, year) in sorted(candidates):
        before = doc.canon[max(0, start - 45) : start]
        if _DOC_REFERENCE.search(before):
            continue
        if not year:
            return
        try:
            result.held_on = datetime.date(int(year), int(month), int(day))
        except ValueError:
            continue
        window = doc.canon[max(0, start - 40) : end + 25]
        for time in _TIME.finditer(window):
            hour, minute = int(time.group(1)), int(time.group(2) or 0)
            if hour < 24 and minute < 60:
                result.held_at = datetime.time(hour, minute)
                break
        return


_SESSION = re.compile(
    rf"(?:lần|kỳ\s+họp|kì\s+họp|phiên(?:\s+họp)?|hội\s+nghị|đợt)\s+thứ\s+"
    rf"(\d{{1,3}}\b|{ROMAN}\b|{NUMBER_WORDS})",
    re.IGNORECASE,
)
_TERM = re.compile(rf"\bkhóa\s+(\d{{1,3}}\b|{ROMAN}\b)", re.IGNORECASE)
_YEARS = re.compile(
    r"\bnhiệm\s+k[ỳì]\s*:?\s*(\d{4})\s*[-–—]\s*(\d{4})\b", re.IGNORECASE
)
_OPINIONS = re.compile(
    rf"(?<![\d.,/])(\d{{1,4}}|{NUMBER_WORDS})\s+(?:lượt\s+)?(?:ý\s+kiến|tham\s+luận|"
    r"lượt\s+(?:đại\s+biểu\s+)?phát\s+biểu|đại\s+biểu\s+phát\s+biểu)",
    re.IGNORECASE,
)
_MEETING = re.compile(
    r"\b(hội\s+nghị|kỳ\s+họp|kì\s+họp|đại\s+hội|họp\s+mặt|hội\s+thảo|cuộc\s+họp|"
    r"phiên\s+họp|hội\s+nghị\s+đối\s+thoại)\b",
    re.IGNORECASE,
)
_KINDS = {
    "hội nghị": "hoi-nghi",
    "kỳ họp": "ky-hop",
    "kì họp": "ky-hop",
    "đại hội": "dai-hoi",
    "họp mặt": "hop-mat",
    "cuộc họp": "cuoc-hop",
    "phiên họp": "cuoc-hop",
    "hội thảo": "khac",
}


def _find_numbers(doc: Document, result: Extraction) -> None:
    if match := _SESSION.search(doc.canon):
        result.session_number = number_value(match.group(1))
    if match := _TERM.search(doc.canon):
        value = number_value(match.group(1))
        result.term_number = value if value and value <= 100 else None
    if match := _YEARS.search(doc.canon):
        start, end = int(match.group(1)), int(match.group(2))
        if end > start:
            result.term_start_year, result.term_end_year = start, end
    for match in _OPINIONS.finditer(doc.canon):
        value = number_value(match.group(1))
        if value:
            result.opinions_count = value
            break


_PLACE = re.compile(
    r"\btại\s+((?:hội\s+trường|trụ\s+sở|nhà\s+văn\s+hóa|phòng\s+họp|"
    r"văn\s+phòng|trung\s+tâm|sân|trường|khu\s+phố|ấp)\b[^,.;:()\n]{0,80})",
    re.IGNORECASE,
)


def _find_place(doc: Document, result: Extraction) -> None:
    for sentence in doc.sentences()[:3]:
        if match := _PLACE.search(doc.canon, sentence.start, sentence.end):
            span = doc.strip(match.start(1), match.end(1))
            end = span.end
            if stop := re.search(
                r"\s(?:tổ\s+chức|diễn\s+ra|đã|được|long\s+trọng)\b",
                doc.low[span.start : span.end],
            ):
                end = span.start + stop.start()
            place = " ".join(doc.get(span.start, end).split())
            result.place = place[:1].upper() + place[1:]
            return


def _find_meeting_name(doc: Document, result: Extraction) -> None:
    for sentence in doc.sentences()[:3]:
        match = _MEETING.search(doc.canon, sentence.start, sentence.end)
        if not match:
            continue
        organised = re.search(r"tổ\s+chức\s+$", doc.low[: match.start()])
        if not doc.text[match.start()].isupper() and not organised:
            continue
        stop = re.compile(
            r"\s*(?:[,.;:(]|\s(?:lần|khóa|nhiệm\s+kỳ|nhằm|để|với|tại|vào|năm\s+\d|"
            r"diễn\s+ra|được|đã|do|ngày|sáng|chiều|vinh\s+dự|trân\s+trọng|có|gồm)\b)",
            re.IGNORECASE,
        )
        stop_at = stop.search(doc.canon, match.end(), sentence.end)
        end = stop_at.start() if stop_at else sentence.end
        name = doc.get(match.start(), end)
        name = re.sub(rf"\s+thứ\s+(?:\d+|{ROMAN}|{NUMBER_WORDS})", "", name)
        name = " ".join(name.split())
        result.meeting_name = name[:1].upper() + name[1:]
        kind = " ".join(doc.low[match.start() : match.end()].split())
        result.meeting_kind = _KINDS.get(kind, "khac")
        if re.search(r"đối\s+thoại|tiếp\s+xúc\s+cử\s+tri", name.lower()):
            result.meeting_kind = "doi-thoai"
        return


# --- attendees ----------------------------------------------------------------

_NOUNS = (
    r"hội\s+nghị|kỳ\s+họp|kì\s+họp|đại\s+hội|buổi\s+\w+(?:\s+\w+)?|lễ\s+\w+|"
    r"cuộc\s+họp|phiên\s+họp|chương\s+trình|hội\s+thảo|tọa\s+đàm|họp\s+mặt"
)
INTRO = re.compile(
    rf"""(?:
        (?P<verb>(?:cùng\s+)?(?:tham\s+dự|đến\s+dự|về\s+dự|dự)
            (?P<directing>\s+và\s+(?:chỉ\s+đạo|phát\s+biểu\s+chỉ\s+đạo))?
            |(?P<chair>chủ\s+trì)|(?P<guest1>khách\s+mời))
        (?:\s+(?:{_NOUNS})[^.;:]{{0,40}}?)?\s+(?:có|gồm)
        (?:\s+sự\s+(?:tham\s+dự|hiện\s+diện)\s+của)?
      |về\s+phía\s+[^.;:]{{0,40}}?\s+có
      |(?P<guest2>(?:trân\s+trọng|vinh\s+dự)\s+(?:được\s+)?(?:đón\s+tiếp|chào\s+đón))
      |(?:với|có)\s+sự\s+(?:tham\s+dự|tham\s+gia|hiện\s+diện)\s+của
    )
    (?:\s*(?:các\s+)?(?:đồng\s+chí|vị\s+đại\s+biểu|đại\s+biểu)(?=\s*[:A-ZĐ]))?\s*:?""",
    F,
)
HONORIFIC = re.compile(
    r"(?:(?:các\s+)?đồng\s+chí|đ/c|đc\.|ông|bà)\s*:?\s*(?=[A-ZĐÀ-Ỹ])", re.IGNORECASE
)
HONORIFIC_START = re.compile(
    r"(?i:đồng\s+chí|đ/c|đc\.)\s*:?\s*|(?:ông|bà|Ông|Bà)\s+(?=[A-ZĐÀ-Ỹ])"
)
HONORIFIC_BEFORE = re.compile(r"(?:đồng\s+chí|đ/c|đc\.|ông|bà)\s*:?\s*$", re.I)
RANK = re.compile(rf"(?:{RANKS})\s*(?=[A-ZĐÀ-Ỹ])", F)
GROUP_START = re.compile(
    r"""(?:cùng\s+(?:với\s+)?(?:sự\s+tham\s+dự\s+của\s+)?|và\s+(?!các\s+(?!đồng\s+chí|vị))|(?:có\s+)?sự\s+tham\s+dự\s+của\s+)?
    (?:các\s+đồng\s+chí\s+(?![A-ZĐ][^\s]*\s+[A-ZĐ])|các\s+vị|các\s+|đại\s+diện|
        lãnh\s+đạo|toàn\s+thể|đông\s+đảo|\d+|(?:hơn|gần|trên|khoảng)\s+\d+|cán\s+bộ|
        đảng\s+viên|đoàn\s+viên|hội\s+viên|nhân\s+dân|người\s+dân|bà\s+con|
        trưởng\s+(?:\d+|các)|bí\s+thư\s+(?:\d+|các)|tổ\s+trưởng\s+(?:\d+|các)|(?:cùng\s+)?(?:tham|đến|về)\s+dự|dự\s+họp)""",
    F,
)
GROUP_LEAD = re.compile(
    r"(?:(?:và|cùng)\s+(?:với\s+)?)?"
    r"(?:(?:có\s+)?sự\s+(?:tham\s+dự|tham\s+gia|hiện\s+diện)\s+của\s+)?"
)
TRAILING_VERB = re.compile(
    rf"""\s*(?:cùng\s+|đã\s+|đều\s+)?(?:tham\s+dự|đến\s+dự|về\s+dự|cùng\s+dự|dự\s+họp|
        dự\s+và|chủ\s+trì|đồng\s+chủ\s+trì|phát\s+biểu|trình\s+bày|thông\s+qua|
        tới\s+dự|có\s+mặt)\b(?:\s+(?:{_NOUNS}))?.*$""",
    F | re.DOTALL,
)
ROLE_CUES = [
    ("chair", re.compile(r"\b(?:đồng\s+)?chủ\s+trì|\bchủ\s+tọa", re.IGNORECASE)),
    (
        "directing",
        re.compile(r"phát\s+biểu\s+chỉ\s+đạo|\bdự\s+và\s+chỉ\s+đạo", re.IGNORECASE),
    ),
    (
        "presenter",
        re.compile(
            r"\btrình\s+bày|\bthông\s+qua\s+(?:dự\s+thảo\s+|toàn\s+văn\s+)?"
            r"(?:các\s+)?(?:báo\s+cáo|nghị\s+quyết|tờ\s+trình|kế\s+hoạch|chương\s+trình)"
            r"|\bbáo\s+cáo\s+(?:tóm\s+tắt|sơ\s+kết|tổng\s+kết|kết\s+quả|tình\s+hình)"
            r"(?=[^.]{0,12}$)",
            re.IGNORECASE,
        ),
    ),
]
_VERB_STOP = re.compile(
    r"""\s+(?:trình\s+bày|thông\s+qua|phát\s+biểu|chủ\s+trì|đồng\s+chủ\s+trì|báo\s+cáo|
    đánh\s+giá|ghi\s+nhận|nhấn\s+mạnh|đề\s+nghị|yêu\s+cầu|chúc\s+mừng|khẳng\s+định|
    điều\s+hành|kết\s+luận|quán\s+triệt|triển\s+khai|biểu\s+dương|trao|tặng|
    cho\s+biết|nêu|giải\s+trình|tiếp\s+thu|thay\s+mặt|đã|đến\s+dự|tham\s+dự|về\s+dự|
    dự\s+và|cũng|tại\s+hội\s+nghị)\b""",
    F,
)


@dataclass
class Mention:
    attendee: Attendee
    start: int
    role: str | None = None


class _AttendeeReader:
    def __init__(self, doc: Document):
        self.doc = doc
        self.by_key: dict[str, Attendee] = {}
        self.first_seen: dict[str, int] = {}
        self.groups: list[tuple[int, str]] = []

    # People ---------------------------------------------------------------

    def add(self, name: str, positions: list[str], role: str, at: int) -> Attendee:
        key = name_key(name)
        found = self.by_key.get(key)
        if found is None:
            found = Attendee(name=name, positions=positions, role=role)
            self.by_key[key] = found
            self.first_seen[key] = at
        else:
            if not found.positions:
                found.positions = positions
            self.promote(found, role)
        return found

    def promote(self, attendee: Attendee, role: str) -> None:
        if _ROLE_RANK[role] > _ROLE_RANK[attendee.role]:
            attendee.role = role

    def known_by_given_name(self, word: str) -> Attendee | None:
        given = name_key(word)
        matches = [
            a for key, a in self.by_key.items() if key.rsplit(" ", 1)[-1] == given
        ]
        return matches[0] if len(matches) == 1 else None

    def positions(self, start: int, end: int) -> list[str]:
        span = self.doc.strip(start, end, " ,;:-–—()\n")
        if span.end <= span.start:
            return []
        text = self.doc.get(span.start, span.end)
        parts = re.split(r"\s*[,/()]\s*", text)
        return [" ".join(p.split()).strip(" .") for p in parts if p.strip(" .")]

    # Lists ----------------------------------------------------------------

    def read_lists(self) -> None:
        doc = self.doc
        for sentence in doc.sentences():
            intros = list(INTRO.finditer(doc.canon, sentence.start, sentence.end))
            intros = [m for m in intros if self._at_clause_start(m.start(), sentence)]
            for index, intro in enumerate(intros):
                end = (
                    intros[index + 1].start()
                    if index + 1 < len(intros)
                    else sentence.end
                )
                role = (
                    "chair"
                    if intro.group("chair")
                    else "directing"
                    if intro.group("directing")
                    else "guest"
                    if intro.group("guest1") or intro.group("guest2")
                    else "attendee"
                )
                self.read_list(intro.end(), end, role)

    def _at_clause_start(self, pos: int, sentence: Span) -> bool:
        before = self.doc.low[sentence.start : pos]
        # "Hội nghị trân trọng đón tiếp …", "Tham dự có …": an intro opens a
        # sentence or follows a comma; inside an item it is a group clause.
        return ";" not in before and before.count(" - ") == 0

    def read_list(self, start: int, end: int, role: str) -> None:
        doc = self.doc
        end = doc.strip(start, end, " .;:\n").end
        items = []
        item_start = start
        for match in re.finditer(r";|\n", doc.text[start:end]):
            items.append((item_start, start + match.start()))
            item_start = start + match.end()
        items.append((item_start, end))
        for a, b in items:
            span = doc.strip(a, b, " ,;:.-–•+*\n")
            if span.end > span.start:
                for chunk in self.split_item(span.start, span.end):
                    self.read_chunk(chunk.start, chunk.end, role)

    def _person_start(self, pos: int, end: int) -> bool:
        doc = self.doc
        end = min(end, pos + 120)  # a name and its separator, no further
        if m := HONORIFIC.match(doc.canon, pos, end):
            plural = m.group().lower().startswith("các") or doc.low[
                max(0, pos - 4) : pos
            ].endswith("các ")
            pos = m.end()
            if not plural and _starts_title(doc.low, pos):
                return True  # "đồng chí Chủ tịch UBND phường Lê Văn An"
        if m := RANK.match(doc.canon, pos, end):
            pos = m.end()
        runs = name_runs(doc, pos, end)
        if not runs or runs[0].start != pos or runs[0].words < 2:
            return False
        if not runs[0].family and not self._honored(pos):
            return False
        after = doc.text[runs[0].end : runs[0].end + 3].lstrip(" ")
        return not after or after[0] in "-–—(,;:"

    def _honored(self, pos: int) -> bool:
        return bool(HONORIFIC_BEFORE.search(self.doc.low, max(0, pos - 12), pos))

    def split_item(self, start: int, end: int) -> list[Span]:
        doc = self.doc
        cuts = [start]
        pattern = re.compile(r",\s*|\s+(?=(?:và|cùng)\s)|\s+(?=đồng\s+chí\s|đ/c\s)")
        for match in pattern.finditer(doc.canon, start, end):
            nxt = match.end()
            lead = re.match(r"(?:và|cùng(?:\s+với)?)\s+", doc.low[nxt:end])
            person_at = nxt + (lead.end() if lead else 0)
            if doc.low.startswith("cùng ", nxt) or GROUP_START.match(
                doc.canon, nxt, end
            ):
                if not self._person_start(person_at, end):
                    cuts.append(match.start())
                    continue
            if self._person_start(person_at, end):
                cuts.append(match.start())
        cuts.append(end)
        chunks = [doc.strip(a, b, " ,;:\n") for a, b in pairwise(cuts)]
        return [c for c in chunks if c.end > c.start]

    def read_chunk(self, start: int, end: int, role: str) -> None:
        doc = self.doc
        pos = start
        lead = GROUP_LEAD.match(doc.low, start, end)
        if lead and lead.end() > start:
            pos = lead.end()
        honorific = HONORIFIC_START.match(doc.canon, pos, end)
        if honorific:
            pos = honorific.end()
        if rank := RANK.match(doc.canon, pos, end):
            pos = rank.end()
        chunk_role = role
        tail = TRAILING_VERB.search(doc.canon, pos, end)
        body_end = end
        if tail:
            body_end = tail.start()
            chunk_role = self._role_in(tail.start(), end) or role
        runs = [r for r in name_runs(doc, pos, body_end) if r.words >= 2]
        group_like = GROUP_START.match(doc.canon, start, end) and not honorific
        first = runs[0] if runs else None
        if first and first.start == pos and (first.family or honorific):
            if group_like and not first.family:
                first = None
            else:
                self.add(
                    doc.get(first.start, first.end),
                    self.positions(first.end, body_end),
                    chunk_role,
                    first.start,
                )
                return
        trailing = [r for r in runs if r.family and r.end == body_end]
        if not trailing and honorific and runs and runs[-1].end == body_end:
            trailing = runs[-1:]
        if trailing and not group_like:
            run = self._split_long_run(trailing[-1])
            self.add(
                doc.get(run.start, run.end),
                self.positions(pos, run.start),
                chunk_role,
                run.start,
            )
            return
        self.add_group(start, body_end)

    def _split_long_run(self, run: NameRun) -> NameRun:
        # "phường Võ Thị Sáu Nguyễn Văn An": the name is the last family-name
        # run of two to four words.
        if run.words <= 4:
            return run
        words = list(_WORD.finditer(self.doc.text, run.start, run.end))
        for size in (4, 3, 2):
            word = words[-size]
            if self.doc.low[word.start() : word.end()] in FAMILY_NAMES:
                return NameRun(word.start(), run.end, size, True)
        return run

    def add_group(self, start: int, end: int) -> None:
        doc = self.doc
        lead = GROUP_LEAD.match(doc.low, start, end)
        span = doc.strip(lead.end() if lead else start, end, " ,;:.-–\n")
        if span.end - span.start < 3:
            return
        if tail := TRAILING_VERB.search(doc.canon, span.start, span.end):
            span = doc.strip(span.start, tail.start(), " ,;:.-–\n")
        text = " ".join(doc.get(span.start, span.end).split())
        if text and not any(text == g for _, g in self.groups):
            self.groups.append((span.start, text))

    def _role_in(self, start: int, end: int) -> str | None:
        for role, cue in ROLE_CUES:
            if cue.search(self.doc.canon, start, end):
                return role
        return None

    # Roles from the rest of the report -------------------------------------

    def mentions(self, sentence: Span) -> list[Mention]:
        doc = self.doc
        found: list[Mention] = []
        for run in name_runs(doc, sentence.start, sentence.end):
            honored = self._honored(run.start)
            if run.words == 1:
                known = honored and self.known_by_given_name(
                    doc.get(run.start, run.end)
                )
                if known:
                    found.append(Mention(known, run.start))
                continue
            key = name_key(doc.get(run.start, run.end))
            if key in self.by_key:
                found.append(Mention(self.by_key[key], run.start))
                continue
            if not (run.family or honored) or _preceded_by_place(doc, run.start):
                continue
            if not honored and run.words < 3:
                continue
            positions = []
            after = doc.text[run.end : run.end + 3].lstrip(" ")
            if after[:1] in ("-", "–", "—", ",", "("):
                positions = self._positions_after(run, sentence)
            name = doc.get(run.start, run.end)
            found.append(Mention(self.add(name, positions, "attendee", run.start), 0))
            found[-1].start = run.start
        return found

    def _positions_after(self, run: NameRun, sentence: Span) -> list[str]:
        """Titles printed after a name met outside a list, up to the verb."""
        doc = self.doc
        end = sentence.end
        if stop := _VERB_STOP.search(doc.canon, run.end, end):
            end = stop.start()
        if (semicolon := doc.text.find(";", run.end, end)) != -1:
            end = semicolon
        chunks = self.split_item(run.start, end)
        end = chunks[0].end if chunks else end
        if tail := TRAILING_VERB.search(doc.canon, run.end, end):
            end = tail.start()
        return self.positions(run.end, end)

    def read_roles(self) -> None:
        doc = self.doc
        for sentence in doc.sentences():
            mentions = self.mentions(sentence)
            if not mentions:
                continue
            for role, cue in ROLE_CUES:
                for match in cue.finditer(doc.canon, sentence.start, sentence.end):
                    for attendee in self._cue_targets(match, mentions, sentence):
                        self.promote(attendee, role)

    def _cue_targets(
        self, cue: re.Match, mentions: list[Mention], sentence: Span
    ) -> list[Attendee]:
        doc = self.doc
        before = [m for m in mentions if m.start < cue.start()]
        after = [m for m in mentions if m.start > cue.end()]
        ahead = doc.low[cue.end() : cue.end() + 30]
        behind = doc.low[max(sentence.start, cue.start() - 12) : cue.start()]
        points_ahead = re.match(
            rf"(?:\s+(?:{_NOUNS}))?\s*(?:là|có|gồm|của|:)|\s*(?:tại|trong)\b", ahead
        ) or re.search(r"(?:sự|do)\s*$", behind)
        if points_ahead and after:
            return [after[0].attendee]
        if "đồng chủ trì" in doc.low[cue.start() : cue.end()] and before:
            return [m.attendee for m in before]
        if before:
            return [before[-1].attendee]
        return [after[0].attendee] if after else []

    def result(self) -> tuple[list[Attendee], list[str]]:
        people = sorted(self.by_key.items(), key=lambda item: self.first_seen[item[0]])
        return [a for _, a in people], [g for _, g in sorted(self.groups)]


def extract(text: str) -> Extraction:
    """Everything the report says about its meeting, as printed."""
    doc = Document(text or "")
    result = Extraction()
    if not doc.text:
        return result
    _find_date(doc, result)
    _find_numbers(doc, result)
    _find_meeting_name(doc, result)
    _find_place(doc, result)
    reader = _AttendeeReader(doc)
    reader.read_lists()
    reader.read_roles()
    result.attendees, result.groups = reader.result()
    return result
