"""The report as the reader sees it: its canonical text, word positions,
and runs of capitalised words that may be names."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import canonical, clean_text

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
# fmt: on

WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
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


def starts_title(low: str, pos: int) -> str:
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
    words = list(WORD.finditer(doc.text, start, end))
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
                and starts_title(doc.low, nxt.start())
                and re.match(r" [^\W\d_]", doc.text[nxt.end() : nxt.end() + 2])
                and (
                    " " in starts_title(doc.low, nxt.start())
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


def preceded_by_place(doc: Document, pos: int) -> bool:
    before = doc.low[max(0, pos - 12) : pos].rstrip(" .")
    word = before.rsplit(" ", 1)[-1] if before else ""
    return word in PLACE_WORDS
