"""Who attended, with positions and roles, and the groups named."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from .document import (
    FAMILY_NAMES,
    WORD,
    Document,
    NameRun,
    Span,
    name_runs,
    preceded_by_place,
    starts_title,
)
from .text import name_key

# fmt: off
RANKS = r"""(?:đại|thượng|trung|thiếu|chuẩn)\s+(?:tướng|tá|úy)|
    (?:phó\s+)?giáo\s+sư|tiến\s+sĩ|thạc\s+sĩ|bác\s+sĩ|dược\s+sĩ|kỹ\s+sư|luật\s+sư|
    nhà\s+giáo\s+(?:ưu\s+tú|nhân\s+dân)|nhà\s+báo|nghệ\s+sĩ\s+(?:ưu\s+tú|nhân\s+dân)|
    (?:pgs|gs|ts|ths|th\.s|bs|ks|cn|ngưt|ngnd|nsưt|nsnd|bsckii|bscki|tskh)
    (?:\s*\.\s*(?:ts|tskh|bs|ckii|cki|ths))*\.?"""
# fmt: on
F = re.IGNORECASE | re.VERBOSE
ROLES = ("chair", "directing", "presenter", "attendee", "guest")
_ROLE_RANK = {"chair": 5, "directing": 4, "presenter": 3, "guest": 2, "attendee": 1}


@dataclass
class Attendee:
    name: str
    positions: list[str] = field(default_factory=list)
    role: str = "attendee"

    @property
    def key(self) -> str:
        return name_key(self.name)


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


class AttendeeReader:
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
            if not plural and starts_title(doc.low, pos):
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
        words = list(WORD.finditer(self.doc.text, run.start, run.end))
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
            if not (run.family or honored) or preceded_by_place(doc, run.start):
                continue
            if not honored and run.words < 3:
                continue
            positions = []
            after = doc.text[run.end : run.end + 3].lstrip(" ")
            if after[:1] in ("-", "–", "—", ",", "("):
                positions = self._positions_after(run, sentence)
            name = doc.get(run.start, run.end)
            found.append(
                Mention(self.add(name, positions, "attendee", run.start), run.start)
            )
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
