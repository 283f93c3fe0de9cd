import datetime
import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, AuditEntry
from tests.adminform import change_form_data

pytestmark = pytest.mark.django_db

EDITOR, APPROVER, SITE_ADMIN = "Biên tập viên", "Người duyệt", "Quản trị"


@pytest.fixture
def users(make_staff):
    return {
        "editor": make_staff("bientap", EDITOR),
        "approver": make_staff("nguoiduyet", APPROVER),
        "site_admin": make_staff("quantri", SITE_ADMIN),
        "superuser": User.objects.create_superuser("sieuquantri", "", None),
    }


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def form_as_shown(client, user, article):
    """The change form's fields as a superuser's browser would send them, so a
    POST by a less trusted user carries a complete, well-formed form."""
    client.force_login(user)
    response = client.get(change_url(article))
    assert response.status_code == 200
    return change_form_data(response)


def post_as(client, user, article, data):
    client.force_login(user)
    return client.post(change_url(article), data)


START = {
    "_submit_review": Article.Status.DRAFT,
    "_publish": Article.Status.REVIEW,
    "_send_back": Article.Status.REVIEW,
    "_unpublish": Article.Status.PUBLISHED,
    "_archive": Article.Status.PUBLISHED,
}
AFTER = {
    "_submit_review": Article.Status.REVIEW,
    "_publish": Article.Status.PUBLISHED,
    "_send_back": Article.Status.DRAFT,
    "_unpublish": Article.Status.DRAFT,
    "_archive": Article.Status.ARCHIVED,
}
ALLOWED = {
    "editor": {"_submit_review"},
    "approver": set(START),
    "site_admin": set(),
    "superuser": set(START),
}


@pytest.mark.parametrize("role", list(ALLOWED))
@pytest.mark.parametrize("button", list(START))
def test_each_role_can_and_cannot_do_each_transition(
    client, users, make_report, role, button
):
    article = make_report("Tin thử quy trình", status=START[button])
    data = form_as_shown(client, users["superuser"], article)
    data["title"] = "Tiêu đề đã sửa"
    data[button] = "x"
    data["send_back_comment"] = "Sửa lại tên hội nghị cho đúng văn bản."

    response = post_as(client, users[role], article, data)
    article.refresh_from_db()

    if button in ALLOWED[role]:
        assert response.status_code == 302
        assert article.status == AFTER[button]
        assert article.title == "Tiêu đề đã sửa"
        assert AuditEntry.objects.filter(user=users[role]).exists()
    else:
        assert response.status_code == 403
        assert article.status == START[button]
        assert article.title == "Tin thử quy trình"


def test_editor_forged_status_field_does_not_publish(client, users, make_report):
    draft = make_report("Bản nháp của biên tập", status=Article.Status.DRAFT)
    data = form_as_shown(client, users["superuser"], draft)
    data["status"] = "published"
    data["summary"] = "Sapo mới"

    response = post_as(client, users["editor"], draft, data)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.summary == "Sapo mới"
    assert draft.status == Article.Status.DRAFT
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_editor_forged_add_form_creates_a_draft(client, users, category):
    client.force_login(users["editor"])
    management = {
        f"{prefix}-{key}": value
        for prefix in ["meeting", "attendances", "photos", "attachments"]
        for key, value in [
            ("TOTAL_FORMS", "0"),
            ("INITIAL_FORMS", "0"),
            ("MIN_NUM_FORMS", "0"),
            ("MAX_NUM_FORMS", "1000"),
        ]
    }
    response = client.post(
        reverse("admin:articles_article_add"),
        {
            "title": "Thông báo lịch tiếp dân",
            "category": str(category.pk),
            "status": "published",
            "publish_at_0": "01/01/2024",
            "publish_at_1": "08:00",
            **management,
        },
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert article.author == users["editor"]


def test_editor_forged_publish_on_add_is_refused(client, users, category):
    client.force_login(users["editor"])
    response = client.post(
        reverse("admin:articles_article_add"),
        {"title": "Bài lén đăng", "category": str(category.pk), "_publish": "x"},
    )
    assert response.status_code == 403
    assert not Article.objects.exists()


def test_editor_cannot_edit_what_is_published(client, users, make_report):
    published = make_report("Tin đã đăng")
    data = form_as_shown(client, users["superuser"], published)
    data["title"] = "Sửa lén tin đã đăng"

    client.force_login(users["editor"])
    page = client.get(change_url(published)).content.decode()
    assert 'name="_publish"' not in page and 'name="_unpublish"' not in page
    assert post_as(client, users["editor"], published, data).status_code == 403
    published.refresh_from_db()
    assert published.title == "Tin đã đăng"


def test_editor_sees_submit_but_not_publish_buttons(client, users, make_report):
    draft = make_report("Bản nháp", status=Article.Status.DRAFT)
    client.force_login(users["editor"])
    page = client.get(change_url(draft)).content.decode()
    assert 'name="_submit_review"' in page
    assert 'name="_publish"' not in page
    client.force_login(users["approver"])
    page = client.get(change_url(draft)).content.decode()
    assert 'name="_publish"' in page


@pytest.mark.parametrize("action", ["make_published", "make_draft"])
def test_bulk_actions_need_the_publish_permission(client, users, make_report, action):
    start = Article.Status.REVIEW if action == "make_published" else "published"
    articles = [make_report(f"Tin {n}", status=start) for n in range(3)]
    changelist = reverse("admin:articles_article_changelist")
    selected = {"action": action, "_selected_action": [a.pk for a in articles]}

    client.force_login(users["editor"])
    assert action not in client.get(changelist).content.decode()
    client.post(changelist, selected)
    assert {a.status for a in Article.objects.all()} == {start}

    client.force_login(users["approver"])
    assert client.post(changelist, selected).status_code == 302
    expected = "published" if action == "make_published" else "draft"
    assert {a.status for a in Article.objects.all()} == {expected}
    assert AuditEntry.objects.filter(user=users["approver"]).count() == 3


def test_bulk_publish_of_a_future_article_schedules_it(client, users, make_report):
    later = timezone.now() + datetime.timedelta(days=2)
    article = make_report("Tin hẹn giờ", status=Article.Status.REVIEW, publish_at=later)
    client.force_login(users["approver"])
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "make_published", "_selected_action": [article.pk]},
    )
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.is_scheduled
    assert not Article.objects.published().filter(pk=article.pk).exists()
    assert AuditEntry.objects.get(article=article).action == "schedule"


def test_photos_without_description_block_publishing(client, users, make_report):
    article = make_report("Tin có ảnh", status=Article.Status.REVIEW, photos=2)
    article.photos.update(alt_text="")
    client.force_login(users["approver"])
    changelist = reverse("admin:articles_article_changelist")
    selected = {"action": "make_published", "_selected_action": [article.pk]}
    response = client.post(changelist, selected, follow=True)
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW
    assert "Không đổi được trạng thái của: Tin có ảnh" in response.content.decode()

    article.photos.filter(pk=article.photos.first().pk).update(decorative=True)
    article.photos.exclude(decorative=True).update(alt_text="Quang cảnh hội nghị")
    client.post(changelist, selected)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED


def test_send_back_comment_reaches_the_editor(client, users, make_report):
    article = make_report("Tin chờ duyệt", status=Article.Status.REVIEW)
    data = form_as_shown(client, users["approver"], article)
    data["_send_back"] = "x"
    data["send_back_comment"] = "Thiếu chức vụ của đồng chí chủ trì."
    post_as(client, users["approver"], article, data)

    client.force_login(users["editor"])
    page = client.get(change_url(article)).content.decode()
    assert "Thiếu chức vụ của đồng chí chủ trì." in page
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_send_back_without_comment_is_refused_with_a_message(
    client, users, make_report
):
    article = make_report("Tin chờ duyệt", status=Article.Status.REVIEW)
    data = form_as_shown(client, users["approver"], article)
    data["_send_back"] = "x"
    response = post_as(client, users["approver"], article, data)
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW
    page = client.get(response["Location"]).content.decode()
    assert "Hãy ghi ý kiến" in page


def test_approver_status_field_goes_through_the_workflow(client, users, make_report):
    article = make_report("Tin chờ duyệt", status=Article.Status.REVIEW)
    data = form_as_shown(client, users["approver"], article)
    data["status"] = "published"
    assert post_as(client, users["approver"], article, data).status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert AuditEntry.objects.filter(article=article, action="approve").exists()


def test_impossible_status_change_is_a_form_error(client, users, make_report):
    article = make_report("Tin nháp", status=Article.Status.ARCHIVED)
    data = form_as_shown(client, users["approver"], article)
    data["status"] = "review"
    response = post_as(client, users["approver"], article, data)
    assert response.status_code == 200
    assert "Không thể chuyển bài" in response.content.decode()


# Optimistic locking.


def test_concurrent_edit_is_refused_and_nothing_is_lost(client, users, make_report):
    article = make_report("Tin gốc", status=Article.Status.DRAFT, attendees=2)
    first = form_as_shown(client, users["approver"], article)
    second = form_as_shown(client, users["editor"], article)

    first["title"] = "Tiêu đề của người duyệt"
    assert post_as(client, users["approver"], article, first).status_code == 302

    second["title"] = "Tiêu đề biên tập viên vừa gõ"
    second["summary"] = "Đoạn sapo biên tập viên vừa viết xong"
    second["attendances-1-positions"] = "Chức vụ vừa sửa tay"
    response = post_as(client, users["editor"], article, second)

    assert response.status_code == 200
    html = response.content.decode()
    assert "vừa được nguoiduyet lưu" in html
    assert "CHƯA được lưu" in html
    assert "Vui lòng sửa các lỗi bên dưới." in html
    for typed in [
        "Tiêu đề biên tập viên vừa gõ",
        "Đoạn sapo biên tập viên vừa viết xong",
        "Chức vụ vừa sửa tay",
    ]:
        assert typed in html
    article.refresh_from_db()
    assert article.title == "Tiêu đề của người duyệt"
    assert not article.attendances.filter(positions="Chức vụ vừa sửa tay").exists()

    retry = form_as_shown(client, users["editor"], article)
    retry["summary"] = "Đoạn sapo biên tập viên vừa viết xong"
    assert post_as(client, users["editor"], article, retry).status_code == 302
    article.refresh_from_db()
    assert article.title == "Tiêu đề của người duyệt"
    assert article.summary == "Đoạn sapo biên tập viên vừa viết xong"


def test_a_form_without_version_is_refused(client, users, make_report):
    article = make_report("Tin gốc", status=Article.Status.DRAFT)
    data = form_as_shown(client, users["approver"], article)
    del data["version"]
    data["title"] = "Ghi đè"
    response = post_as(client, users["approver"], article, data)
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.title == "Tin gốc"


# Roles and dashboard.


def test_setup_roles_is_idempotent(db):
    for _ in range(2):
        call_command("setup_roles", stdout=io.StringIO())
    editor, approver, site_admin = (
        set(
            f"{p.content_type.app_label}.{p.codename}"
            for p in Group.objects.get(name=name).permissions.select_related(
                "content_type"
            )
        )
        for name in [EDITOR, APPROVER, SITE_ADMIN]
    )
    assert Group.objects.count() == 3
    assert "articles.change_article" in editor
    assert "articles.publish_article" not in editor
    assert "articles.publish_article" in approver
    assert editor < approver
    assert "auth.change_user" in site_admin
    assert "articles.change_category" in site_admin
    assert "articles.change_sitesettings" in site_admin
    assert "articles.view_auditentry" in site_admin
    assert "articles.change_article" not in site_admin
    assert not any(code.endswith("_auditentry") for code in approver)


def test_dashboard_lists_scheduled_review_and_recent(client, users, make_article):
    at = datetime.datetime(2030, 1, 2, 1, 30, tzinfo=datetime.UTC)
    make_article("Bài hẹn giờ", publish_at=at)
    make_article("Bài chờ duyệt", status=Article.Status.REVIEW)
    make_article("Bài mới đăng")
    client.force_login(users["editor"])
    html = client.get(reverse("admin:index")).content.decode()
    assert "Asia/Ho_Chi_Minh" in html
    for title in ["Bài hẹn giờ", "Bài chờ duyệt", "Bài mới đăng"]:
        assert title in html
    assert "08:30 02/01/2030" in html


def test_changelist_shows_and_filters_scheduled(client, users, make_article):
    make_article("Bài hẹn giờ", publish_at=timezone.now() + datetime.timedelta(1))
    make_article("Bài đang hiện")
    client.force_login(users["approver"])
    url = reverse("admin:articles_article_changelist")
    html = client.get(url, {"trang_thai": "scheduled"}).content.decode()
    assert "Bài hẹn giờ" in html and "Hẹn giờ đăng" in html
    assert "Bài đang hiện" not in html


def user_form(user, **changes) -> dict:
    """The user change form as a browser sends it, with ``changes``."""
    return {
        "username": user.username,
        "first_name": user.first_name,
        "is_active": "on",
        "is_staff": "on",
        "groups": [str(g.pk) for g in user.groups.all()],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "01/01/2024",
        "date_joined_1": "08:00",
        **changes,
    }


def test_site_admin_gives_roles_but_not_superuser(client, users, make_staff):
    site_admin = users["site_admin"]
    client.force_login(site_admin)
    newcomer = make_staff("moi", SITE_ADMIN)
    editors = Group.objects.get(name=EDITOR)
    url = reverse("admin:auth_user_change", args=[newcomer.pk])
    response = client.post(url, user_form(newcomer, groups=[editors.pk]))
    assert response.status_code == 302, response.context["errors"]
    assert list(newcomer.groups.values_list("name", flat=True)) == [EDITOR]

    url = reverse("admin:auth_user_change", args=[site_admin.pk])
    response = client.post(url, user_form(site_admin, is_superuser="on"))
    assert response.status_code == 302, response.context["errors"]
    site_admin.refresh_from_db()
    assert not site_admin.is_superuser

    superuser = users["superuser"]
    change = reverse("admin:auth_user_change", args=[superuser.pk])
    assert client.post(change, {"username": "doi-ten"}).status_code == 403
    superuser.refresh_from_db()
    assert superuser.username == "sieuquantri"


def test_only_who_may_publish_gives_the_approver_role(client, users):
    site_admin, approvers = users["site_admin"], Group.objects.get(name=APPROVER)
    url = reverse("admin:auth_user_change", args=[site_admin.pk])
    client.force_login(site_admin)
    page = client.get(url).content.decode()
    assert "Chỉ người có quyền duyệt đăng bài mới giao được" in page
    assert f'<option value="{approvers.pk}"' not in page
    # A forged form is refused, what was typed kept.
    forged = user_form(site_admin, first_name="Lan", groups=[approvers.pk])
    response = client.post(url, forged)
    assert response.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ" in str(response.context["errors"])
    assert 'value="Lan"' in response.content.decode()
    assert not site_admin.groups.filter(pk=approvers.pk).exists()

    client.force_login(users["superuser"])
    response = client.post(url, user_form(site_admin, groups=[approvers.pk]))
    assert response.status_code == 302, response.context["errors"]
    assert site_admin.groups.filter(pk=approvers.pk).exists()


def test_site_admin_editing_an_approver_keeps_the_role(client, users):
    approver = users["approver"]
    client.force_login(users["site_admin"])
    url = reverse("admin:auth_user_change", args=[approver.pk])
    assert "Vai trò được giữ nguyên: Người duyệt." in client.get(url).content.decode()
    # The approver role is not offered, so the browser sends no group.
    response = client.post(url, user_form(approver, first_name="Hoa", groups=[]))
    assert response.status_code == 302, response.context["errors"]
    approver.refresh_from_db()
    assert approver.first_name == "Hoa"
    assert list(approver.groups.values_list("name", flat=True)) == [APPROVER]


def test_approver_can_save_and_publish_a_new_article(client, users, category):
    client.force_login(users["approver"])
    management = {
        f"{prefix}-{key}": value
        for prefix in ["meeting", "attendances", "photos", "attachments"]
        for key, value in [("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0")]
    }
    response = client.post(
        reverse("admin:articles_article_add"),
        {
            "title": "Thông báo khẩn",
            "category": str(category.pk),
            "status": "draft",
            "publish_at_0": "01/01/2024",
            "publish_at_1": "08:00",
            "_publish": "x",
            **management,
        },
    )
    article = Article.objects.get()
    assert response["Location"] == change_url(article)
    assert article.status == Article.Status.PUBLISHED
    assert client.get(article.get_absolute_url()).status_code == 200
    actions = list(
        article.audit_entries.order_by("id").values_list("action", flat=True)
    )
    assert actions == ["create", "publish"]


@pytest.mark.parametrize(
    "start, target, action",
    [
        ("review", "draft", "send_back"),
        ("archived", "draft", "unpublish"),
        ("archived", "published", "publish"),
        ("draft", "archived", "archive"),
    ],
)
def test_status_field_changes_are_logged_as_workflow_steps(
    client, users, make_article, start, target, action
):
    article = make_article("Tin", status=start)
    data = form_as_shown(client, users["approver"], article)
    data["status"] = target
    assert post_as(client, users["approver"], article, data).status_code == 302
    article.refresh_from_db()
    assert article.status == target
    assert article.audit_entries.exclude(action="edit").get().action == action
