import io

import pytest
from django.core.management import call_command

from articles.demo import content
from articles.models import (
    Article,
    Attendance,
    Category,
    Meeting,
    Official,
    Organization,
    Photo,
    Position,
)

pytestmark = pytest.mark.django_db

MODELS = [
    Article,
    Attendance,
    Category,
    Meeting,
    Official,
    Organization,
    Photo,
    Position,
]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)
    return Article.objects.get(title=content.SEED_TITLE)


def test_load_demo_twice_leaves_one_copy_of_everything(demo, media_root):
    before = counts()
    files_before = sorted(p.name for p in media_root.rglob("*") if p.is_file())
    call_command("load_demo", verbosity=0)
    assert counts() == before
    assert sorted(p.name for p in media_root.rglob("*") if p.is_file()) == (
        files_before
    )
    assert 7 <= before["Article"] - 1 <= 11


def test_seed_report_is_a_published_meeting(demo):
    assert demo.title == (
        "Hội nghị Ban chấp hành Đảng bộ phường lần thứ 21 khóa VI, nhiệm kỳ 2020 - 2025"
    )
    assert demo.is_visible()
    meeting = demo.meeting
    assert (meeting.session_number, meeting.term_roman) == (21, "VI")
    assert (meeting.term_start_year, meeting.term_end_year) == (2020, 2025)
    assert meeting.held_on.isoformat() == "2024-07-05"
    assert meeting.opinions_count == 11
    assert meeting.organization.name == "Đảng ủy phường Cát Lái"


def test_seed_attendees_as_printed_in_protocol_order(demo):
    named = [
        (a.name, a.positions, a.role) for a in demo.attendances.all() if not a.is_group
    ]
    assert named == [
        (
            "Đặng Thị Bích Thuận",
            "Thành ủy viên, Phó Trưởng Ban tổ chức thành ủy Thủ Đức",
            "directing",
        ),
        ("Huỳnh Thị Ngọc Bích", "Bí thư Đảng ủy phường", "attendee"),
        ("Nguyễn Thị Nhài", "Phó Bí thư Thường trực Đảng ủy phường", "presenter"),
        ("Nguyễn Đức Hiền", "Chủ tịch UBND phường", "attendee"),
    ]
    groups = [a.name for a in demo.attendances.all() if a.is_group]
    assert "Trưởng 11 khu phố" in groups
    assert "Thường trực UB MTTQ và các đoàn thể phường" in groups
    assert len(groups) >= 6


def test_seed_gallery_has_eight_described_photos(demo):
    photos = list(demo.photos.all())
    assert len(photos) == 8
    assert all(p.caption and p.alt_text and p.width and p.height for p in photos)
    assert demo.cover == photos[0]


def test_seed_article_page(client, demo):
    html = client.get(demo.get_absolute_url()).content.decode()
    for name in ["Đặng Thị Bích Thuận", "Huỳnh Thị Ngọc Bích", "Nguyễn Thị Nhài",
                 "Nguyễn Đức Hiền"]:  # fmt: skip
        official = Official.objects.get(full_name=name)
        assert f'href="{official.get_absolute_url()}"' in html
    assert "Phó Bí thư Thường trực Đảng ủy phường" in html
    assert "lần thứ 21, khóa VI, nhiệm kỳ 2020 – 2025" in html
    assert "Trưởng 11 khu phố" in html
    assert "11 lượt ý kiến" in html
    assert html.count("<figure") == 8
    home = client.get("/").content.decode()
    assert demo.get_absolute_url() in home


def test_ensure_admin_prints_a_login_that_works(client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    out = io.StringIO()
    call_command("ensure_admin", site="http://127.0.0.1:8765/", stdout=out)
    text = out.getvalue()
    assert "Đăng nhập trang quản trị: http://127.0.0.1:8765/admin/" in text
    password = (tmp_path / "admin-password.txt").read_text().strip()
    assert f"Mật khẩu:      {password}" in text
    assert client.login(username="admin", password=password)
    # Run again (every `make run`): the same password, still valid.
    call_command("ensure_admin", stdout=io.StringIO())
    assert client.login(username="admin", password=password)
