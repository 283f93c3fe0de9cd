import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, AuditEntry
from tests.adminform import change_form_data

pytestmark = pytest.mark.django_db

Action = AuditEntry.Action


@pytest.fixture
def editor(make_staff):
    return make_staff("bientap", "Biên tập viên")


@pytest.fixture
def approver(make_staff):
    return make_staff("nguoiduyet", "Người duyệt")


@pytest.fixture
def site_admin(make_staff):
    return make_staff("quantri", "Quản trị")


def press(client, user, article, button, **extra):
    client.force_login(user)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = change_form_data(client.get(url))
    data.update({button: "x", **extra})
    response = client.post(url, data)
    assert response.status_code == 302
    article.refresh_from_db()


def test_a_whole_story_is_logged(client, editor, approver, category):
    client.force_login(editor)
    management = {
        f"{prefix}-{key}": value
        for prefix in ["meeting", "attendances", "photos", "attachments"]
        for key, value in [("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0")]
    }
    client.post(
        reverse("admin:articles_article_add"),
        {
            "title": "Thông báo tiếp công dân",
            "category": str(category.pk),
            "publish_at_0": "01/01/2024",
            "publish_at_1": "08:00",
            **management,
        },
    )
    article = Article.objects.get()
    press(client, editor, article, "_save", summary="Lịch tiếp công dân tháng 1")
    press(client, editor, article, "_submit_review")
    press(client, approver, article, "_send_back", send_back_comment="Thiếu giờ tiếp")
    press(client, editor, article, "_submit_review")
    press(client, approver, article, "_publish")
    press(client, approver, article, "_unpublish")
    later = timezone.localtime() + datetime.timedelta(days=2)
    press(
        client,
        approver,
        article,
        "_publish",
        publish_at_0=later.strftime("%d/%m/%Y"),
        publish_at_1=later.strftime("%H:%M"),
    )
    press(client, approver, article, "_preview_create")
    link = article.preview_links.get()
    press(client, approver, article, "_preview_revoke", _preview_revoke=str(link.pk))
    press(client, approver, article, "_archive")

    client.force_login(approver)
    client.post(
        reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}
    )
    assert not Article.objects.exists()

    log = list(
        AuditEntry.objects.order_by("created_at", "id").values_list(
            "username", "action"
        )
    )
    # Saves that change nothing add no "edit" line.
    assert log == [
        ("bientap", Action.CREATE),
        ("bientap", Action.EDIT),
        ("bientap", Action.SUBMIT),
        ("nguoiduyet", Action.SEND_BACK),
        ("bientap", Action.SUBMIT),
        ("nguoiduyet", Action.APPROVE),
        ("nguoiduyet", Action.UNPUBLISH),
        ("nguoiduyet", Action.EDIT),
        ("nguoiduyet", Action.SCHEDULE),
        ("nguoiduyet", Action.PREVIEW_CREATED),
        ("nguoiduyet", Action.PREVIEW_REVOKED),
        ("nguoiduyet", Action.ARCHIVE),
        ("nguoiduyet", Action.DELETE),
    ]
    entries = AuditEntry.objects.all()
    # The article is gone but its log keeps its title.
    assert {e.article_title for e in entries} == {"Thông báo tiếp công dân"}
    assert entries.get(action=Action.SEND_BACK).detail == "Thiếu giờ tiếp"
    assert "giờ Việt Nam" in entries.get(action=Action.SCHEDULE).detail
    edits = entries.filter(action=Action.EDIT).order_by("id")
    assert [e.detail for e in edits] == ["Đã sửa: sapo", "Đã sửa: thời gian đăng"]


def test_site_admins_browse_and_filter_the_log(client, site_admin, make_article):
    article = make_article("Tin một", status=Article.Status.DRAFT)
    article.publish()
    AuditEntry.record(Action.EDIT, article=article, detail="Đã sửa: tiêu đề")
    client.force_login(site_admin)
    url = reverse("admin:articles_auditentry_changelist")

    html = client.get(url).content.decode()
    assert "Tin một" in html
    filtered = client.get(url, {"action__exact": "publish"})
    assert [e.action for e in filtered.context["cl"].result_list] == ["publish"]
    found = client.get(url, {"q": "tiêu đề"})
    assert [e.action for e in found.context["cl"].result_list] == ["edit"]


def test_nobody_edits_the_log_from_the_admin(client, make_article, django_user_model):
    superuser = django_user_model.objects.create_superuser("goc", "", None)
    entry = AuditEntry.record(Action.CREATE, article=make_article("Tin"))
    client.force_login(superuser)
    change = reverse("admin:articles_auditentry_change", args=[entry.pk])
    page = client.get(change)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(change, {"action": "delete", "detail": "x"}).status_code == 403
    assert client.get(reverse("admin:articles_auditentry_add")).status_code == 403
    delete = reverse("admin:articles_auditentry_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:articles_auditentry_changelist")
    client.post(
        changelist, {"action": "delete_selected", "_selected_action": [entry.pk]}
    )
    entry.refresh_from_db()
    assert entry.action == Action.CREATE and entry.detail == ""


def test_editors_and_approvers_cannot_read_the_log(client, editor, approver):
    url = reverse("admin:articles_auditentry_changelist")
    for user in [editor, approver]:
        client.force_login(user)
        assert client.get(url).status_code == 403


def test_log_rows_are_append_only_in_code(make_article):
    entry = AuditEntry.record(Action.CREATE, article=make_article("Tin"))
    entry.detail = "sửa lén"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
    assert AuditEntry.objects.get().detail == ""


def test_saving_unchanged_adds_no_edit_line(client, editor, make_article):
    """An article made outside the admin (the demo, the extractor, an
    import) holds what the form does not send back as it is: a publish time
    to the microsecond, whitespace around the text. Saving it unchanged
    is not an edit."""
    article = make_article(
        "Thông báo lịch tiếp công dân",
        status=Article.Status.DRAFT,
        publish_at=timezone.now().replace(second=37, microsecond=123456),
        summary="Lịch tiếp công dân tháng 1. ",
        body="<p>Ủy ban phường tiếp công dân vào thứ Năm hằng tuần.</p>\n",
    )
    press(client, editor, article, "_save")
    assert not AuditEntry.objects.filter(action=Action.EDIT).exists()
    press(client, editor, article, "_save", summary="Lịch tiếp công dân tháng 2")
    assert AuditEntry.objects.get(action=Action.EDIT).detail == "Đã sửa: sapo"
