"""The meeting-report extractor: the corpus, the patterns, the command."""

import datetime
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from articles import extract as extract_package
from articles.extract import extract, name_key, text_from_html
from articles.extract.attendees import ROLES
from articles.extract.text import clean_text, number_value

CORPUS = Path(__file__).parent / "extract_corpus"
REPORTS = sorted(CORPUS.glob("*.txt"))
SEED = Path(__file__).parent.parent / "articles/demo/catlai-2024-07-05.txt"


def test_corpus_has_the_seed_and_25_more():
    assert len(REPORTS) >= 26
    assert (CORPUS / "00-catlai-seed.txt").read_text() == SEED.read_text()
    for report in REPORTS:
        assert report.with_suffix(".json").exists(), report.name


@pytest.mark.parametrize("report", REPORTS, ids=[r.stem for r in REPORTS])
def test_corpus_report(report):
    expected = json.loads(report.with_suffix(".json").read_text())
    assert extract(report.read_text()).as_dict() == expected


def test_seed_report_field_by_field():
    result = extract(SEED.read_text())
    assert result.held_on == datetime.date(2024, 7, 5)
    assert (result.session_number, result.term_number) == (21, 6)
    assert (result.term_start_year, result.term_end_year) == (2020, 2025)
    assert result.opinions_count == 11
    assert result.meeting_name == "Hội nghị Ban chấp hành Đảng bộ phường"
    assert result.meeting_kind == "hoi-nghi"
    assert [(a.name, a.role) for a in result.attendees] == [
        ("Đặng Thị Bích Thuận", "directing"),
        ("Huỳnh Thị Ngọc Bích", "attendee"),
        ("Nguyễn Thị Nhài", "presenter"),
        ("Nguyễn Đức Hiền", "attendee"),
    ]
    assert result.attendees[0].positions == [
        "Thành ủy viên",
        "Phó Trưởng Ban tổ chức thành ủy Thủ Đức",
    ]
    assert "trưởng 11 khu phố" in result.groups
    assert not any("khu phố" in p for a in result.attendees for p in a.positions)


def test_json_shape_is_exact():
    data = extract(SEED.read_text()).as_dict()
    assert list(data) == [
        "held_on",
        "session_number",
        "term_number",
        "term_start_year",
        "term_end_year",
        "opinions_count",
        "attendees",
        "groups",
    ]
    assert set(data["attendees"][0]) == {"name", "positions", "role"}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("21", 21),
        ("XXI", 21),
        ("I", 1),
        ("nhất", 1),
        ("hai", 2),
        ("tư", 4),
        ("mười", 10),
        ("mười lăm", 15),
        ("hai mươi mốt", 21),
        ("ba mươi", 30),
        ("một trăm linh năm", 105),
        ("IIII", None),
        ("xyz", None),
    ],
)
def test_number_value(text, value):
    assert number_value(text) == value


@pytest.mark.parametrize(
    ("text", "held_on"),
    [
        ("Ngày 05/7/2024, phường tổ chức hội nghị.", datetime.date(2024, 7, 5)),
        ("Sáng ngày 5/7/2024, phường họp.", datetime.date(2024, 7, 5)),
        ("Chiều 15-8-2024, Công an phường họp.", datetime.date(2024, 8, 15)),
        ("Lúc 8 giờ ngày 5 tháng 7 năm 2024, phường họp.", datetime.date(2024, 7, 5)),
        ("Ngày 5-7, phường họp.", None),
        ("Sáng 5/7, phường họp.", None),
        ("Ngày 31/2/2024, phường họp.", None),
        (
            "Thực hiện Kế hoạch số 3-KH/ĐU ngày 2/1/2024, sáng ngày 9/1/2024 họp.",
            datetime.date(2024, 1, 9),
        ),
    ],
)
def test_dates(text, held_on):
    assert extract(text).held_on == held_on


def test_time_before_the_date():
    result = extract("Vào lúc 14 giờ 30 ngày 3 tháng 10 năm 2024, phường họp.")
    assert result.held_at == datetime.time(14, 30)


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("nhiệm kỳ 2020 - 2025", (2020, 2025)),
        ("nhiệm kỳ 2020–2025", (2020, 2025)),
        ("nhiệm kì 2021 – 2026", (2021, 2026)),
        ("nhiệm kỳ 2025-2020", (None, None)),
    ],
)
def test_term_years(text, years):
    result = extract(f"Hội nghị Ban Chấp hành {text}.")
    assert (result.term_start_year, result.term_end_year) == years


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("đóng góp 11 lượt ý kiến", 11),
        ("có 05 ý kiến phát biểu", 5),
        ("08 lượt đại biểu phát biểu", 8),
        ("nghe 6 tham luận", 6),
        ("đóng góp mười lăm lượt ý kiến", 15),
    ],
)
def test_opinions(text, count):
    assert extract(f"Các đại biểu {text}.").opinions_count == count


def test_old_tone_placement_is_read_but_kept_as_printed():
    result = extract(
        "HĐND phường khoá XII họp. Tham dự có đồng chí Lê Văn Hoà - Chủ tịch "
        "Uỷ ban nhân dân phường."
    )
    assert result.term_number == 12
    assert result.attendees[0].name == "Lê Văn Hoà"
    assert result.attendees[0].positions == ["Chủ tịch Uỷ ban nhân dân phường"]


def test_group_clause_does_not_leak_into_last_person():
    result = extract(
        "Tham dự có đồng chí Trần Văn An - Bí thư Chi bộ khu phố 2 và 40 đảng "
        "viên tham dự."
    )
    assert result.attendees[0].positions == ["Bí thư Chi bộ khu phố 2"]
    assert result.groups == ["40 đảng viên"]


def test_list_of_only_groups_has_no_attendee():
    result = extract(
        "Tham dự có các đồng chí trong Ban Thường vụ Đảng ủy phường; đại diện "
        "các ban ngành, đoàn thể."
    )
    assert result.attendees == []
    assert len(result.groups) == 2


def test_person_mentioned_by_given_name_is_one_attendee():
    result = extract(
        "Tham dự có đồng chí Huỳnh Thị Ngọc Bích - Bí thư Đảng ủy phường. "
        "Đồng chí Bích chủ trì hội nghị."
    )
    assert [(a.name, a.role) for a in result.attendees] == [
        ("Huỳnh Thị Ngọc Bích", "chair")
    ]


def test_place_named_after_a_person_is_not_an_attendee():
    result = extract(
        "Hội nghị học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí "
        "Minh tại hội trường đường Lê Văn Thịnh."
    )
    assert result.attendees == []


def test_html_body_is_read_as_text():
    html = (
        "<p>Ngày 05/7/2024, phường họp.</p><p>Tham dự có các đồng chí:</p>"
        "<ul><li>Nguyễn Văn An - Bí thư Đảng ủy phường;</li>"
        "<li>Lê Thị Bình - Chủ tịch UBND phường.</li></ul>"
    )
    assert "Nguyễn Văn An" in text_from_html(html)
    result = extract(html)
    assert [a.name for a in result.attendees] == ["Nguyễn Văn An", "Lê Thị Bình"]
    assert result.attendees[1].positions == ["Chủ tịch UBND phường"]


@pytest.mark.parametrize("text", ["", "   \n ", "Xin chào.", "<p></p>"])
def test_nothing_found_is_empty_not_an_error(text):
    result = extract(text)
    assert result.is_empty
    assert result.as_dict()["attendees"] == []


def test_name_key_ignores_case_diacritics_and_spacing():
    assert name_key("  Nguyễn  Thị NHÀI ") == name_key("nguyen thi nhai")
    assert name_key("Đặng") == "dang"


def test_module_is_free_of_django():
    for module in Path(extract_package.__file__).parent.glob("*.py"):
        assert "django" not in module.read_text().lower(), module.name


def test_command_prints_the_json(capsys):
    call_command("extract_report", str(SEED))
    data = json.loads(capsys.readouterr().out)
    assert data == json.loads((CORPUS / "00-catlai-seed.json").read_text())


def test_command_reads_standard_input(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO(SEED.read_text()))
    call_command("extract_report", "-")
    out = capsys.readouterr().out
    assert "Nguyễn Thị Nhài" in out  # not escaped: ensure_ascii=False
    assert json.loads(out)["session_number"] == 21


def test_command_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        call_command("extract_report", str(tmp_path / "khong-co.txt"))


def test_command_binary_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "anh.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\xff")
    with pytest.raises(CommandError, match="UTF-8"):
        call_command("extract_report", str(bad))


@pytest.mark.parametrize(
    ("text", "session", "term"),
    [
        ("Hội nghị Ban Chấp hành lần thứ I, khóa XI", 1, 11),
        ("Hội nghị lần thứ XXI khóa 6", 21, 6),
        ("Hội nghị hiệp thương lần thứ nhất", 1, None),
        ("Hội nghị lần thứ hai mươi mốt, khoá VI", 21, 6),
        ("Kỳ họp thứ mười hai HĐND phường khóa XII", 12, 12),
        ("Thứ Sáu, ngày 5/7/2024, phường họp giao ban", None, None),
        ("Hội nghị lần thứ 21 khóa CI", 21, None),
    ],
)
def test_session_and_term(text, session, term):
    result = extract(text + ".")
    assert (result.session_number, result.term_number) == (session, term)


@pytest.mark.parametrize(
    ("text", "place"),
    [
        (
            "Lúc 14 giờ ngày 3/10/2024, tại hội trường UBND phường Bình Thọ, "
            "Hội đồng họp.",
            "Hội trường UBND phường Bình Thọ",
        ),
        ("Sáng 5/7/2024, tại Hội trường Đảng ủy phường diễn ra Hội nghị.", None),
        ("Phát biểu tại hội nghị, đồng chí Lê Văn An cảm ơn.", ""),
    ],
)
def test_place(text, place):
    expected = place if place is not None else "Hội trường Đảng ủy phường"
    assert extract(text).place == expected


WORDS = (
    "Tham dự có các đồng chí : ; , - – ( ) . / Nguyễn Văn Thị An Bí thư Đảng ủy "
    "phường UBND Chủ tịch và cùng 11 khu phố lần thứ XXI khóa VI nhiệm kỳ 2020 "
    "2025 ngày 5/7/2024 tháng năm hai mươi mốt đóng góp lượt ý kiến ông bà đ/c "
    "Thượng tá \n + • chủ trì trình bày phát biểu chỉ đạo trân trọng đón tiếp "
    "Ông Bà Đồng Hồ Chí Minh xã Lê Uỷ khoá"
).split(" ")


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(WORDS), max_size=80).map(" ".join) | st.text(max_size=300)
)
def test_any_text_reads_without_error_and_as_printed(text):
    result = extract(text)
    data = result.as_dict()
    printed = " ".join(clean_text(text).split())
    for attendee in data["attendees"]:
        assert attendee["role"] in ROLES
        assert attendee["name"] in printed
        for position in attendee["positions"]:
            assert position in printed
    for group in data["groups"]:
        assert group in printed
    json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Ngày 1/2/2024, phường tổ chức Hội nghị sơ kết.", "hoi-nghi"),
        ("Ngày 1/2/2024, HĐND phường tổ chức Kỳ họp thứ 15.", "ky-hop"),
        ("Sáng 1/2/2024, Chi bộ tổ chức Đại hội Chi bộ lần thứ IV.", "dai-hoi"),
        ("Ngày 1/2/2024, phường tổ chức Hội nghị đối thoại với Nhân dân.", "doi-thoai"),
        ("Ngày 1/2/2024, phường tổ chức ra quân dọn vệ sinh.", ""),
    ],
)
def test_meeting_kind(text, kind):
    assert extract(text).meeting_kind == kind
