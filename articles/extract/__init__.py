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
from dataclasses import dataclass, field

from .attendees import Attendee, AttendeeReader
from .document import Document
from .meeting import find_date, find_meeting_name, find_numbers, find_place
from .text import fold, name_key, text_from_html


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


__all__ = ["Extraction", "extract", "fold", "name_key", "text_from_html"]


def extract(text: str) -> Extraction:
    """Everything the report says about its meeting, as printed."""
    doc = Document(text or "")
    result = Extraction()
    if not doc.text:
        return result
    find_date(doc, result)
    find_numbers(doc, result)
    find_meeting_name(doc, result)
    find_place(doc, result)
    reader = AttendeeReader(doc)
    reader.read_lists()
    reader.read_roles()
    result.attendees, result.groups = reader.result()
    return result
