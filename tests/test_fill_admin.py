"""Admin "Điền từ nội dung": read a report, review, confirm — real POSTs."""

import datetime

import pytest
from django.urls import reverse
from reversion.models import Version

from articles.models import (
    Article,
    Attendance,
    AuditEntry,
    Meeting,
    Official,
    Position,
)
from tests.adminform import change_form_data
from tests.fill_data import SEED, fill_url, nothing_saved, review_data


@pytest.fixture
def officials(db):
    """Two of the seed's people already on file, one written differently."""
    nhai = Official.objects.create(full_name="nguyen  thi NHAI")
    Position.objects.create(
        official=nhai, title="Phó Bí thư Thường trực Đảng ủy phường"
    )
    hien = Official.objects.create(full_name="Nguyễn Đức Hiền")
    Position.objects.create(official=hien, title="Phó Chủ tịch UBND phường")
    return {"nhai": nhai, "hien": hien}


pytestmark = pytest.mark.django_db


def test_change_page_has_the_button(admin_client, seed_article):
    response = admin_client.get(
        reverse("admin:articles_article_change", args=[seed_article.pk])
    )
    assert response.status_code == 200
    assert fill_url(seed_article) in response.content.decode()
    assert "Điền từ nội dung" in response.content.decode()


def test_add_page_has_the_button(admin_client, category):
    response = admin_client.get(reverse("admin:articles_article_add"))
    assert f'formaction="{fill_url()}"' in response.content.decode()


def test_add_page_button_reads_the_unsaved_body(admin_client, category):
    body = "".join(f"<p>{line}</p>" for line in SEED.read_text().splitlines())
    add_form = {
        "title": "Hội nghị giữa năm",
        "category": str(category.pk),
        "body": body,
        "step": "read",
    }
    response = admin_client.post(fill_url(), add_form)
    assert response.context["reviewing"]
    assert response.context["article_form"]["title"].value() == "Hội nghị giữa năm"
    assert len(response.context["rows"]) == 12
    data = review_data(response)
    admin_client.post(fill_url(), data)
    article = Article.objects.get()
    assert (article.title, article.category) == ("Hội nghị giữa năm", category)
    assert article.attendances.count() == 12


def test_form_starts_with_the_body_as_text(admin_client, seed_article):
    response = admin_client.get(fill_url(seed_article))
    assert response.status_code == 200
    text = response.context["text_form"]["text"].value()
    assert text.startswith("Ngày 05/7/2024, phường Cát Lái")
    assert "<p>" not in text


def test_review_screen_proposes_and_saves_nothing(
    admin_client, seed_article, officials
):
    before = Official.objects.count()
    response = admin_client.post(
        fill_url(seed_article), {"step": "read", "text": SEED.read_text()}
    )
    assert response.status_code == 200
    assert response.context["reviewing"]
    meeting = response.context["meeting_form"].initial
    assert meeting["held_on"] == datetime.date(2024, 7, 5)
    assert (meeting["session_number"], meeting["term_number"]) == (21, 6)
    assert meeting["opinions_count"] == 11
    rows = {row["form"].initial["name"]: row for row in response.context["rows"]}
    # Matched regardless of case, diacritics and spacing; linked, not proposed.
    assert rows["Nguyễn Thị Nhài"]["official"] == officials["nhai"]
    assert rows["Nguyễn Thị Nhài"]["form"].initial["create_official"] is False
    assert not rows["Nguyễn Thị Nhài"]["differs"]
    # The record says Phó Chủ tịch, the report says Chủ tịch: highlighted.
    assert rows["Nguyễn Đức Hiền"]["differs"]
    assert "Khác hồ sơ cán bộ" in response.content.decode()
    # Not on file: proposed as new.
    assert rows["Huỳnh Thị Ngọc Bích"]["official"] is None
    assert rows["Huỳnh Thị Ngọc Bích"]["form"].initial["create_official"] is True
    assert rows["Trưởng 11 khu phố"]["is_group"]
    assert nothing_saved()
    assert Official.objects.count() == before


def test_confirm_saves_meeting_and_rows_in_order(admin_client, seed_article, officials):
    review = admin_client.post(
        fill_url(seed_article), {"step": "read", "text": SEED.read_text()}
    )
    response = admin_client.post(fill_url(seed_article), review_data(review))
    assert response.status_code == 302
    assert response.url == reverse(
        "admin:articles_article_change", args=[seed_article.pk]
    )

    meeting = Meeting.objects.get(article=seed_article)
    assert meeting.name == "Hội nghị Ban chấp hành Đảng bộ phường"
    assert meeting.held_on == datetime.date(2024, 7, 5)
    assert (meeting.session_number, meeting.term_number) == (21, 6)
    assert (meeting.term_start_year, meeting.term_end_year) == (2020, 2025)
    assert meeting.opinions_count == 11
    assert meeting.place == ""  # the seed report does not say where

    rows = list(seed_article.attendances.in_protocol_order())
    assert [r.name for r in rows[:5]] == [
        "Đặng Thị Bích Thuận",
        "Huỳnh Thị Ngọc Bích",
        "Nguyễn Thị Nhài",
        "Nguyễn Đức Hiền",
        "Đại diện các ban xây dựng Đảng thành ủy Thủ Đức",
    ]
    nhai = rows[2]
    assert nhai.official == officials["nhai"]
    assert nhai.role == Attendance.Role.PRESENTER
    assert nhai.positions == "Phó Bí thư Thường trực Đảng ủy phường"
    # Printed positions are kept as printed, even when the record differs.
    assert rows[3].positions == "Chủ tịch UBND phường"
    assert rows[0].role == Attendance.Role.DIRECTING
    # New officials were created because their boxes were ticked.
    bich = Official.objects.get(full_name="Huỳnh Thị Ngọc Bích")
    assert rows[1].official == bich
    assert bich.printed_positions() == "Bí thư Đảng ủy phường"
    groups = [r for r in rows if r.is_group]
    assert len(groups) == 8
    assert [m.message for m in response.wsgi_request._messages][0].startswith(
        "Đã lưu thông tin hội nghị và 12 dòng"
    )


def test_second_confirm_does_not_duplicate(admin_client, seed_article, officials):
    review = admin_client.post(
        fill_url(seed_article), {"step": "read", "text": SEED.read_text()}
    )
    data = review_data(review)
    admin_client.post(fill_url(seed_article), data)
    counts = (
        Attendance.objects.count(),
        Official.objects.count(),
        Meeting.objects.count(),
    )
    response = admin_client.post(fill_url(seed_article), data)
    assert response.status_code == 302
    assert (
        Attendance.objects.count(),
        Official.objects.count(),
        Meeting.objects.count(),
    ) == counts
    # Read again: every row is marked as already there and left unticked.
    again = admin_client.post(
        fill_url(seed_article), {"step": "read", "text": SEED.read_text()}
    )
    assert all(row["already"] for row in again.context["rows"])
    assert not any(row["form"].initial["include"] for row in again.context["rows"])


def test_unticked_rows_and_unticked_creation(admin_client, seed_article, officials):
    review = admin_client.post(
        fill_url(seed_article), {"step": "read", "text": SEED.read_text()}
    )
    data = review_data(review)
    names = {data[f"rows-{i}-name"]: i for i in range(int(data["rows-TOTAL_FORMS"]))}
    data.pop(f"rows-{names['Đặng Thị Bích Thuận']}-include")
    data.pop(f"rows-{names['Huỳnh Thị Ngọc Bích']}-create_official")
    admin_client.post(fill_url(seed_article), data)
    assert not seed_article.attendances.filter(name="Đặng Thị Bích Thuận").exists()
    assert not Official.objects.filter(full_name="Huỳnh Thị Ngọc Bích").exists()
    row = seed_article.attendances.get(name="Huỳnh Thị Ngọc Bích")
    assert row.official is None and row.positions == "Bí thư Đảng ủy phường"


def test_editor_corrections_are_saved(admin_client, seed_article, officials):
    review = admin_client.post(
        fill_url(seed_article), {"step": "read", "text": SEED.read_text()}
    )
    data = review_data(review)
    data["meeting-opinions_count"] = "12"
    data["meeting-place"] = "Hội trường Đảng ủy phường"
    data["meeting-held_on"] = "06/07/2024"
    data["rows-0-role"] = "chair"
    admin_client.post(fill_url(seed_article), data)
    meeting = Meeting.objects.get()
    assert meeting.opinions_count == 12
    assert meeting.held_on == datetime.date(2024, 7, 6)
    assert meeting.place == "Hội trường Đảng ủy phường"
    assert seed_article.attendances.get(name="Đặng Thị Bích Thuận").role == "chair"


def test_invalid_review_rerenders_and_saves_nothing(
    admin_client, seed_article, officials
):
    review = admin_client.post(
        fill_url(seed_article), {"step": "read", "text": SEED.read_text()}
    )
    data = review_data(review)
    data["meeting-term_start_year"] = "2025"
    data["meeting-term_end_year"] = "2020"
    data["meeting-held_on"] = "31/02/2024"
    response = admin_client.post(fill_url(seed_article), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Năm cuối nhiệm kỳ phải sau năm đầu nhiệm kỳ." in html
    assert response.context["meeting_form"]["held_on"].value() == "31/02/2024"
    assert nothing_saved()


def test_existing_meeting_is_updated_not_duplicated(
    admin_client, seed_article, officials
):
    Meeting.objects.create(article=seed_article, name="Tên cũ", place="Hội trường A")
    review = admin_client.post(
        fill_url(seed_article), {"step": "read", "text": SEED.read_text()}
    )
    assert "Bài đang lưu" in review.content.decode()
    admin_client.post(fill_url(seed_article), review_data(review))
    meeting = Meeting.objects.get()
    assert meeting.name == "Hội nghị Ban chấp hành Đảng bộ phường"
    assert meeting.place == "Hội trường A"


def test_add_page_creates_a_draft_from_pasted_text(admin_client, category):
    response = admin_client.post(
        fill_url(), {"step": "read", "text": SEED.read_text(), "category": category.pk}
    )
    assert response.status_code == 200
    assert not Article.objects.exists()
    data = review_data(response)
    response = admin_client.post(fill_url(), data)
    article = Article.objects.get()
    assert response.url == reverse("admin:articles_article_change", args=[article.pk])
    assert article.status == Article.Status.DRAFT
    assert article.title == "Hội nghị Ban chấp hành Đảng bộ phường"
    assert article.body.startswith("<p>Ngày 05/7/2024")
    assert article.meeting.session_number == 21
    assert article.attendances.count() == 12


def test_review_query_budget(
    admin_client, seed_article, make_official, django_assert_max_num_queries
):
    for index in range(40):
        make_official(f"Trần Văn Số{index}", "Tổ trưởng tổ dân phố")
    with django_assert_max_num_queries(12):
        admin_client.post(
            fill_url(seed_article), {"step": "read", "text": SEED.read_text()}
        )


def test_add_page_review_does_not_nag_for_category(admin_client, category):
    response = admin_client.post(fill_url(), {"step": "read", "text": SEED.read_text()})
    assert response.context["reviewing"]
    assert "Hãy chọn chuyên mục" not in response.content.decode()


def test_confirm_query_budget(
    admin_client, seed_article, django_assert_max_num_queries
):
    given = "An Bình Cường Dũng Em Giang Hà Khánh Lâm Minh".split()
    middle = "Văn Thị Minh Quốc".split()
    people = "; ".join(
        f"Trần {middle[i // 10]} {given[i % 10]} - Tổ trưởng tổ dân phố {i}"
        for i in range(40)
    )
    text = f"Ngày 05/7/2024, phường họp. Tham dự có các đồng chí: {people}."
    review = admin_client.post(fill_url(seed_article), {"step": "read", "text": text})
    data = review_data(review)
    assert data["rows-TOTAL_FORMS"] == "40"
    for index in range(40):
        data.pop(f"rows-{index}-create_official", None)
    # One insert a row; the rest (search index, revision) is once a fill.
    with django_assert_max_num_queries(40 + 35):
        response = admin_client.post(fill_url(seed_article), data)
    assert response.status_code == 302
    assert seed_article.attendances.count() == 40
    orders = list(seed_article.attendances.values_list("order", flat=True))
    assert orders == list(range(1, 41))


def test_namesakes_are_offered_and_the_one_with_matching_titles_chosen(
    admin_client, seed_article
):
    other = Official.objects.create(full_name="Nguyễn Đức Hiền")
    Position.objects.create(official=other, title="Trưởng khu phố 5")
    chairman = Official.objects.create(full_name="Nguyen Duc Hien")
    Position.objects.create(official=chairman, title="Chủ tịch UBND phường")
    review = admin_client.post(
        fill_url(seed_article), {"step": "read", "text": SEED.read_text()}
    )
    row = next(r for r in review.context["rows"] if r["official"] == chairman)
    assert len(row["candidates"]) == 2
    assert "Có 2 cán bộ cùng tên" in review.content.decode()
    data = review_data(review)
    admin_client.post(fill_url(seed_article), data)
    assert seed_article.attendances.get(name="Nguyễn Đức Hiền").official == chairman


def test_fill_is_recorded_in_history_and_audit_log(admin_client, seed_article):
    review = admin_client.post(
        fill_url(seed_article), {"step": "read", "text": SEED.read_text()}
    )
    admin_client.post(fill_url(seed_article), review_data(review))
    version = Version.objects.get_for_object(seed_article).first()
    assert version.revision.comment == "Điền từ nội dung"
    assert version.revision.user.username == "admin"
    entry = AuditEntry.objects.get(article=seed_article)
    assert entry.action == AuditEntry.Action.EDIT
    assert entry.detail == "Điền từ nội dung: 12 dòng thành phần tham dự"


def test_page_opened_before_the_fill_cannot_save_over_it(admin_client, seed_article):
    change_url = reverse("admin:articles_article_change", args=[seed_article.pk])
    stale = change_form_data(admin_client.get(change_url))
    review = admin_client.post(
        fill_url(seed_article), {"step": "read", "text": SEED.read_text()}
    )
    admin_client.post(fill_url(seed_article), review_data(review))
    response = admin_client.post(change_url, {**stale, "_save": "Lưu lại"})
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    assert seed_article.attendances.count() == 12
