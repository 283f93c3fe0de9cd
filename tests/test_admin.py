import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, Attendance, Category, Meeting, Official
from tests.conftest import jpeg_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("bientap", "", "mat-khau-dai-123")
    client.force_login(user)
    return client


def inline_management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def article_form(category, organization, nhai, hien, **overrides):
    data = {
        "title": "Hội nghị Ban chấp hành Đảng bộ phường lần thứ 21",
        "slug": "",
        "category": str(category.pk),
        "summary": "Ngày 05/7/2024, phường tổ chức Hội nghị Ban chấp hành.",
        "body": "<p>Đánh giá sơ kết công tác 6 tháng đầu năm.</p>",
        "status": "published",
        "publish_at_0": "05/07/2024",
        "publish_at_1": "16:30",
        "expire_at_0": "",
        "expire_at_1": "",
        "byline": "Tin, ảnh: Văn phòng Đảng ủy",
        "cover": "",
        **inline_management("meeting", 1),
        "meeting-0-organization": str(organization.pk),
        "meeting-0-kind": "hoi-nghi",
        "meeting-0-name": "Hội nghị Ban chấp hành Đảng bộ phường",
        "meeting-0-session_number": "21",
        "meeting-0-term_number": "6",
        "meeting-0-term_start_year": "2020",
        "meeting-0-term_end_year": "2025",
        "meeting-0-held_on": "05/07/2024",
        "meeting-0-held_at": "08:00",
        "meeting-0-place": "Hội trường Đảng ủy phường",
        "meeting-0-opinions_count": "11",
        **inline_management("attendances", 3),
        "attendances-0-order": "",
        "attendances-0-official": str(nhai.pk),
        "attendances-0-name": "",
        "attendances-0-positions": "",
        "attendances-0-role": "presenter",
        "attendances-1-order": "",
        "attendances-1-official": str(hien.pk),
        "attendances-1-name": "Nguyễn Đức Hiền",
        "attendances-1-positions": "Chủ tịch UBND phường (khi đó)",
        "attendances-1-role": "attendee",
        "attendances-2-order": "",
        "attendances-2-official": "",
        "attendances-2-name": "Trưởng 11 khu phố",
        "attendances-2-positions": "",
        "attendances-2-role": "attendee",
        **inline_management("photos", 2),
        "photos-0-order": "",
        "photos-0-image": jpeg_upload("quang-canh.jpg", width=120, height=90),
        "photos-0-caption": "Quang cảnh hội nghị",
        "photos-0-alt_text": "Hội trường với các đại biểu",
        "photos-0-credit": "",
        "photos-1-order": "",
        "photos-1-image": jpeg_upload("phat-bieu.jpg", color=(10, 90, 200)),
        "photos-1-caption": "Đồng chí Nguyễn Thị Nhài trình bày báo cáo",
        "photos-1-alt_text": "Người trình bày đứng tại bục",
        "photos-1-credit": "Văn phòng Đảng ủy",
        **inline_management("attachments", 0),
    }
    data.update(overrides)
    return data


def test_admin_add_creates_a_full_meeting_report(admin_client, people, client):
    response = admin_client.post(
        reverse("admin:articles_article_add"), article_form(**people)
    )
    assert response.status_code == 302, response.context["errors"]

    article = Article.objects.get()
    assert article.slug == "hoi-nghi-ban-chap-hanh-dang-bo-phuong-lan-thu-21"
    assert (
        article.publish_at.astimezone(
            datetime.timezone(datetime.timedelta(hours=7))
        ).strftime("%d/%m/%Y %H:%M")
        == "05/07/2024 16:30"
    )
    meeting = article.meeting
    assert meeting.held_on == datetime.date(2024, 7, 5)
    assert meeting.full_title.endswith("lần thứ 21, khóa VI, nhiệm kỳ 2020 – 2025")
    rows = list(article.attendances.all())
    assert [(a.name, a.positions, a.role) for a in rows] == [
        ("Nguyễn Thị Nhài", "Phó Bí thư Thường trực Đảng ủy phường", "presenter"),
        ("Nguyễn Đức Hiền", "Chủ tịch UBND phường (khi đó)", "attendee"),
        ("Trưởng 11 khu phố", "", "attendee"),
    ]
    assert rows[2].is_group
    photos = list(article.photos.all())
    assert [p.caption for p in photos] == [
        "Quang cảnh hội nghị",
        "Đồng chí Nguyễn Thị Nhài trình bày báo cáo",
    ]
    assert (photos[0].width, photos[0].height) == (120, 90)
    assert article.cover == photos[0]
    assert article.author.username == "bientap"

    client.logout()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "lần thứ 21, khóa VI, nhiệm kỳ 2020 – 2025" in html
    assert "Hội trường Đảng ủy phường" in html
    for text in [
        "Nguyễn Thị Nhài",
        "Phó Bí thư Thường trực Đảng ủy phường",
        "Chủ tịch UBND phường (khi đó)",
        "Trưởng 11 khu phố",
        "Quang cảnh hội nghị",
        "Người trình bày đứng tại bục",
        "Tin, ảnh: Văn phòng Đảng ủy",
    ]:
        assert text in html
    assert html.count("<figure") == 2


def test_admin_errors_are_vietnamese_and_keep_what_was_typed(admin_client, people):
    data = article_form(
        **people,
        **{"meeting-0-held_on": "31/02/2024", "meeting-0-term_end_year": "2019"},
    )
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nhập một ngày hợp lệ." in html
    assert "Năm cuối nhiệm kỳ phải sau năm đầu nhiệm kỳ." in html
    assert 'value="Hội nghị Ban chấp hành Đảng bộ phường lần thứ 21"' in html
    assert "Trưởng 11 khu phố" in html
    for official in (people["nhai"], people["hien"]):
        assert f'<option value="{official.pk}" selected>{official}</option>' in html
    assert not Article.objects.exists()


def test_duplicate_slug_is_refused_with_a_message(admin_client, people):
    Article.objects.create(title="Khác", slug="trung-lap", category=people["category"])
    data = article_form(**people, slug="trung-lap")
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert "đã tồn tại" in response.content.decode()
    assert Article.objects.count() == 1


def test_attendee_order_can_be_changed(admin_client, people):
    admin_client.post(reverse("admin:articles_article_add"), article_form(**people))
    article = Article.objects.get()
    rows = list(article.attendances.all())
    data = article_form(
        **people,
        slug=article.slug,
        **inline_management("meeting", 1, initial=1),
        **{
            "meeting-0-id": str(article.meeting.pk),
            "meeting-0-article": str(article.pk),
        },
        **inline_management("attendances", 3, initial=3),
        **inline_management("photos", 0),
        version=str(article.version),
    )
    for index, (row, order) in enumerate(zip(rows, [3, 1, 2], strict=True)):
        data[f"attendances-{index}-id"] = str(row.pk)
        data[f"attendances-{index}-article"] = str(article.pk)
        data[f"attendances-{index}-order"] = str(order)
    response = admin_client.post(
        reverse("admin:articles_article_change", args=[article.pk]), data
    )
    assert response.status_code == 302, response.context["errors"]
    assert [a.name for a in article.attendances.all()] == [
        "Nguyễn Đức Hiền",
        "Trưởng 11 khu phố",
        "Nguyễn Thị Nhài",
    ]


def test_admin_is_in_vietnamese(admin_client, db):
    html = admin_client.get(reverse("admin:articles_article_add")).content.decode()
    assert 'lang="vi"' in html
    for text in ["Thêm bài viết", "Tiêu đề", "Sapo", "Thành phần tham dự", "Lần thứ"]:
        assert text in html
    assert "Add article" not in html


def test_official_printed_text_for_the_attendee_row(admin_client, people):
    url = reverse("admin:articles_official_printed", args=[people["nhai"].pk])
    assert admin_client.get(url).json() == {
        "name": "Nguyễn Thị Nhài",
        "positions": "Phó Bí thư Thường trực Đảng ủy phường",
    }


def test_official_printed_text_needs_staff(client, people):
    url = reverse("admin:articles_official_printed", args=[people["nhai"].pk])
    response = client.get(url)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_official_autocomplete_finds_officials(admin_client, people):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Nhài",
            "app_label": "articles",
            "model_name": "attendance",
            "field_name": "official",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == ["Nguyễn Thị Nhài"]


def test_categories_officials_and_organizations_are_managed(admin_client, people):
    response = admin_client.post(
        reverse("admin:articles_category_add"),
        {"name": "Đảng bộ phường", "slug": "", "description": "", "order": "1"},
    )
    assert response.status_code == 302
    assert Category.objects.get(name="Đảng bộ phường").slug == "dang-bo-phuong"

    response = admin_client.post(
        reverse("admin:articles_official_add"),
        {
            "full_name": "Huỳnh Thị Ngọc Bích",
            "slug": "",
            "bio": "",
            **inline_management("positions", 1),
            "positions-0-title": "Bí thư Đảng ủy phường",
            "positions-0-organization": str(people["organization"].pk),
            "positions-0-start_date": "01/10/2020",
            "positions-0-end_date": "",
            "positions-0-order": "0",
        },
    )
    assert response.status_code == 302, response.context["errors"]
    official = Official.objects.get(full_name="Huỳnh Thị Ngọc Bích")
    assert official.slug == "huynh-thi-ngoc-bich"
    assert official.positions.get().start_date == datetime.date(2020, 10, 1)

    for url in ["admin:articles_organization_changelist",
                "admin:articles_official_changelist",
                "admin:articles_article_changelist"]:  # fmt: skip
        assert admin_client.get(reverse(url)).status_code == 200


def test_publish_action_calls_the_model(admin_client, make_article):
    draft = make_article(status=Article.Status.DRAFT)
    admin_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "make_published", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED


def test_meeting_and_attendee_counts(admin_client, people):
    admin_client.post(reverse("admin:articles_article_add"), article_form(**people))
    assert Meeting.objects.count() == 1
    assert Attendance.objects.count() == 3


def test_change_form_reads_the_chosen_officials_once(admin_client, make_report):
    """Each attendee row shows its official's name; the names are read in
    one query for the whole table, not one per row, and an official chosen
    in a form sent back with an error is shown too."""

    def change_form(report):
        url = reverse("admin:articles_article_change", args=[report.pk])
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(url)
        assert response.status_code == 200
        return response.content.decode(), len(queries)

    small = make_report("Ba người", attendees=3)
    change_form(small)  # the site settings, read once
    _, small_queries = change_form(small)
    large = make_report("Mười hai người", attendees=12)
    html, large_queries = change_form(large)
    assert large_queries == small_queries
    for row in large.attendances.select_related("official"):
        official = row.official
        assert f'<option value="{official.pk}" selected>{official}</option>' in html


def test_a_row_offers_no_link_that_deletes_the_official(admin_client, make_report):
    """The ✖ beside an attendee's official would delete the official from
    the whole site, not the row; rows keep their links to open, change or
    add an official, and the official's own page keeps its delete link."""
    report = make_report("Hai người", attendees=2)
    url = reverse("admin:articles_article_change", args=[report.pk])
    html = admin_client.get(url).content.decode()
    assert 'id="change_id_attendances-0-official"' in html
    assert 'id="add_id_attendances-0-official"' in html
    assert 'id="delete_id_attendances-' not in html
    assert 'id="delete_id_meeting-0-organization"' not in html
    assert 'id="delete_id_category"' in html  # a field of the article itself

    official = report.attendances.first().official
    url = reverse("admin:articles_official_change", args=[official.pk])
    html = admin_client.get(url).content.decode()
    assert 'id="change_id_positions-0-organization"' in html
    assert 'id="delete_id_positions-' not in html
    assert reverse("admin:articles_official_delete", args=[official.pk]) in html


def test_staff_who_may_only_view_see_the_attendees(client, make_report):
    from django.contrib.auth.models import Permission

    report = make_report("Chỉ xem", attendees=2)
    viewer = get_user_model().objects.create_user("chixem", "", "mat-khau-dai-123")
    viewer.is_staff = True
    viewer.save()
    viewer.user_permissions.set(
        Permission.objects.filter(
            codename__in=["view_article", "view_attendance", "view_meeting"]
        )
    )
    client.force_login(viewer)
    response = client.get(reverse("admin:articles_article_change", args=[report.pk]))
    assert response.status_code == 200
    for row in report.attendances.select_related("official"):
        assert str(row.official) in response.content.decode()


def test_a_slug_emptied_beside_an_error_keeps_the_form(admin_client, people):
    """An editor empties the slug of a saved report, to have it made again,
    and makes a mistake elsewhere: the form comes back with the error, and
    the link to the report is its saved address."""
    response = admin_client.post(
        reverse("admin:articles_article_add"), article_form(**people)
    )
    assert response.status_code == 302
    article = Article.objects.get()
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = {
        **article_form(**people, **{"meeting-0-held_on": "31/02/2024"}),
        "title": "Tên đã sửa",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nhập một ngày hợp lệ." in html
    assert f'href="{article.get_absolute_url()}"' in html
    article.refresh_from_db()
    assert article.title != "Tên đã sửa"


@pytest.mark.parametrize("term", ["5000", "99999999999999999999", "-3"])
def test_a_term_out_of_range_is_refused_and_kept(admin_client, people, term):
    """The meeting's heading, shown again with the form's errors, reads
    its term as typed when it has no Roman numeral."""
    response = admin_client.post(
        reverse("admin:articles_article_add"), article_form(**people)
    )
    assert response.status_code == 302
    article = Article.objects.get()
    data = {
        **article_form(**people, **{"meeting-0-term_number": term}),
        **inline_management("attendances", 0),
        **inline_management("photos", 0),
        **inline_management("meeting", 1, 1),
        "meeting-0-id": str(article.meeting.pk),
        "meeting-0-article": str(article.pk),
        "version": str(article.version),
    }
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert f'value="{term}"' in response.content.decode()
    article.meeting.refresh_from_db()
    assert article.meeting.term_number == 6
