import datetime
import unicodedata

import pytest
from django.db import IntegrityError
from django.utils import timezone

from articles.models import Article, Attendance, Meeting, Official, Position

pytestmark = pytest.mark.django_db


def test_text_is_stored_in_nfc(category):
    title = unicodedata.normalize("NFD", "Hội nghị Đảng bộ")
    article = Article.objects.create(title=title, category=category)
    article.refresh_from_db()
    assert article.title == "Hội nghị Đảng bộ"
    assert unicodedata.is_normalized("NFC", article.title)


def test_slug_is_made_from_title_and_kept_unique(category):
    first = Article.objects.create(title="Đảng bộ phường", category=category)
    second = Article.objects.create(title="Đảng bộ phường", category=category)
    assert first.slug == "dang-bo-phuong"
    assert second.slug == "dang-bo-phuong-2"


def test_slug_typed_by_the_editor_is_kept(category):
    article = Article.objects.create(
        title="Thông báo", slug="lich-tiep-dan", category=category
    )
    article.title = "Thông báo mới"
    article.save()
    assert article.slug == "lich-tiep-dan"


def test_published_hides_drafts_future_and_expired(make_article):
    now = timezone.now()
    visible = make_article("Đã đăng")
    make_article("Nháp", status=Article.Status.DRAFT)
    make_article("Hẹn giờ", publish_at=now + datetime.timedelta(minutes=5))
    make_article(
        "Hết hạn",
        publish_at=now - datetime.timedelta(days=2),
        expire_at=now - datetime.timedelta(minutes=1),
    )
    assert list(Article.objects.published()) == [visible]


def test_meeting_full_title_uses_roman_term(make_article):
    meeting = Meeting.objects.create(
        article=make_article(),
        name="Hội nghị Ban chấp hành Đảng bộ phường",
        session_number=21,
        term_number=6,
        term_start_year=2020,
        term_end_year=2025,
    )
    assert meeting.term_roman == "VI"
    assert meeting.full_title == (
        "Hội nghị Ban chấp hành Đảng bộ phường lần thứ 21, khóa VI, "
        "nhiệm kỳ 2020 – 2025"
    )


def test_meeting_term_must_end_after_it_starts(make_article):
    with pytest.raises(IntegrityError):
        Meeting.objects.create(
            article=make_article(), name="Kỳ họp", term_start_year=2025,
            term_end_year=2020,
        )  # fmt: skip


def test_attendance_copies_name_and_current_positions(make_article, make_official):
    official = make_official("Nguyễn Thị Nhài", "Phó Bí thư Thường trực Đảng ủy phường")
    Position.objects.create(
        official=official,
        title="Chủ tịch HĐND phường",
        start_date=datetime.date(2015, 1, 1),
        end_date=datetime.date(2019, 12, 31),
    )
    attendance = Attendance.objects.create(article=make_article(), official=official)
    assert attendance.name == "Nguyễn Thị Nhài"
    assert attendance.positions == "Phó Bí thư Thường trực Đảng ủy phường"


def test_attendance_keeps_printed_text_after_a_reshuffle(make_article, make_official):
    official = make_official("Nguyễn Đức Hiền", "Chủ tịch UBND phường")
    attendance = Attendance.objects.create(article=make_article(), official=official)
    position = official.positions.get()
    position.end_date = timezone.localdate() - datetime.timedelta(days=1)
    position.save()
    Position.objects.create(official=official, title="Bí thư Đảng ủy phường")
    attendance.refresh_from_db()
    assert attendance.positions == "Chủ tịch UBND phường"
    assert official.printed_positions() == "Bí thư Đảng ủy phường"


def test_attendance_needs_an_official_or_a_name(make_article):
    with pytest.raises(IntegrityError):
        Attendance.objects.create(article=make_article())


def test_new_rows_are_appended_in_the_order_they_are_saved(make_article):
    article = make_article()
    rows = [
        Attendance.objects.create(article=article, name=name)
        for name in ["Trưởng 11 khu phố", "Cán bộ, công chức phường", "Đảng ủy viên"]
    ]
    assert [row.order for row in rows] == [1, 2, 3]
    assert list(article.attendances.all()) == rows


def test_attendance_groups_follow_roles_then_protocol_order(make_article):
    article = make_article()
    for name, role in [
        ("A", Attendance.Role.DIRECTING),
        ("B", Attendance.Role.ATTENDEE),
        ("C", Attendance.Role.PRESENTER),
        ("D", Attendance.Role.ATTENDEE),
        ("E", Attendance.Role.CHAIR),
    ]:
        Attendance.objects.create(article=article, name=name, role=role)
    groups = [(label, [a.name for a in rows]) for label, rows in
              article.attendance_groups()]  # fmt: skip
    assert groups == [
        ("Chủ trì", ["E"]),
        ("Phát biểu chỉ đạo", ["A"]),
        ("Trình bày báo cáo", ["C"]),
        ("Tham dự", ["B", "D"]),
    ]


def test_official_directory_is_sorted_by_given_name(db):
    for name in ["Nguyễn Thị Nhài", "Huỳnh Thị Ngọc Bích", "Đặng Thị Bích Thuận",
                 "Nguyễn Đức Hiền"]:  # fmt: skip
        Official.objects.create(full_name=name)
    assert [o.full_name for o in Official.objects.all()] == [
        "Huỳnh Thị Ngọc Bích",
        "Nguyễn Đức Hiền",
        "Nguyễn Thị Nhài",
        "Đặng Thị Bích Thuận",
    ]


def test_cover_defaults_to_first_photo(make_report):
    article = make_report(photos=3)
    assert article.cover == article.photos.order_by("order").first()


def test_publish_and_unpublish(make_article):
    article = make_article(status=Article.Status.DRAFT)
    article.publish()
    assert Article.objects.published().filter(pk=article.pk).exists()
    article.unpublish()
    assert not Article.objects.published().filter(pk=article.pk).exists()
