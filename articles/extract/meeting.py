"""What a report says of its meeting: date and time, session, term,
opinions, place and name."""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING

from .document import Document
from .text import NUMBER_WORDS, ROMAN, number_value

if TYPE_CHECKING:
    from . import Extraction


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


def find_date(doc: Document, result: Extraction) -> None:
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


def find_numbers(doc: Document, result: Extraction) -> None:
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


def find_place(doc: Document, result: Extraction) -> None:
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


def find_meeting_name(doc: Document, result: Extraction) -> None:
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
