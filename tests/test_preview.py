import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, AuditEntry, PreviewLink
from tests.adminform import change_form_data

pytestmark = pytest.mark.django_db


def never_cached(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"private", "no-cache", "no-store"} <= directives


@pytest.fixture
def draft(make_report):
    return make_report(
        "Dự thảo báo cáo hội nghị", status=Article.Status.DRAFT, attendees=3, photos=2
    )


@pytest.fixture
def editor(make_staff):
    return make_staff("bientap", "Biên tập viên")


def create_link_in_admin(client, user, article):
    client.force_login(user)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = change_form_data(client.get(url))
    data["_preview_create"] = "x"
    response = client.post(url, data)
    assert response.status_code == 302
    client.logout()
    return article.preview_links.get()


def test_editor_sees_the_draft_at_its_real_address(client, draft, editor):
    assert client.get(draft.get_absolute_url()).status_code == 404

    client.force_login(editor)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bản nháp" in html and 'class="draft-banner"' in html
    assert "Dự thảo báo cáo hội nghị" in html
    assert never_cached(response)
    assert "noindex" in response["X-Robots-Tag"]


def test_staff_without_article_rights_get_404(client, draft, make_staff):
    client.force_login(make_staff("quantri", "Quản trị"))
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_published_page_is_not_marked_never_cache(client, make_report, editor):
    article = make_report("Tin đã đăng")
    response = client.get(article.get_absolute_url())
    assert not never_cached(response)
    assert "draft-banner" not in response.content.decode()
    client.force_login(editor)
    assert "draft-banner" not in client.get(article.get_absolute_url()).content.decode()


def test_preview_link_lets_anyone_read_the_draft(
    client, draft, editor, django_assert_max_num_queries
):
    link = create_link_in_admin(client, editor, draft)
    assert link.created_by == editor
    assert link.expires_at - link.created_at == datetime.timedelta(days=7)
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.PREVIEW_CREATED, user=editor, article=draft
    ).exists()

    with django_assert_max_num_queries(8):
        response = client.get(link.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dự thảo báo cáo hội nghị" in html
    assert "Bản nháp" in html
    assert html.count("<figure") == 2
    assert "Nguyễn Văn Số2" in html
    assert never_cached(response)
    assert '<meta name="robots" content="noindex, nofollow">' in html
    # The draft itself stays hidden from the public at its real address.
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_preview_link_is_shown_in_the_admin_message(client, draft, editor):
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[draft.pk])
    data = change_form_data(client.get(url))
    data["_preview_create"] = "x"
    page = client.post(url, data, follow=True).content.decode()
    link = draft.preview_links.get()
    assert f"http://testserver{link.get_absolute_url()}" in page
    assert "Thu hồi" in page


def test_preview_link_expires(client, draft):
    link = draft.create_preview_link()
    with time_machine.travel(link.expires_at - datetime.timedelta(minutes=1)):
        assert client.get(link.get_absolute_url()).status_code == 200
    with time_machine.travel(link.expires_at + datetime.timedelta(minutes=1)):
        response = client.get(link.get_absolute_url())
    assert response.status_code == 410
    assert "đã hết hạn" in response.content.decode()
    assert "Dự thảo báo cáo hội nghị" not in response.content.decode()
    assert never_cached(response)


def test_revoked_preview_link_is_refused(client, draft, editor):
    link = create_link_in_admin(client, editor, draft)
    other = draft.create_preview_link(by=editor)
    assert client.get(link.get_absolute_url()).status_code == 200

    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[draft.pk])
    data = change_form_data(client.get(url))
    data["_preview_revoke"] = str(link.pk)
    assert client.post(url, data).status_code == 302
    client.logout()

    response = client.get(link.get_absolute_url())
    assert response.status_code == 410
    assert "thu hồi" in response.content.decode()
    assert never_cached(response)
    assert client.get(other.get_absolute_url()).status_code == 200
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.PREVIEW_REVOKED, user=editor
    ).exists()


def test_forged_or_unknown_tokens_are_404(client, draft):
    link = draft.create_preview_link()
    forged = f"{link.pk + 1}-{draft.pk}:{link.token.split(':', 1)[1]}"
    for token in [forged, "abc", f"{link.pk}-{draft.pk}", "1-1:" + "x" * 27]:
        url = reverse("articles:article-preview", args=[token])
        assert client.get(url).status_code == 404, token
    url = link.get_absolute_url()
    link.delete()
    assert client.get(url).status_code == 404


def test_preview_of_a_scheduled_article_says_when(client, make_report):
    at = datetime.datetime(2030, 1, 2, 1, 30, tzinfo=datetime.UTC)
    article = make_report("Tin hẹn giờ", publish_at=at)
    link = article.create_preview_link()
    html = client.get(link.get_absolute_url()).content.decode()
    assert "08:30 02/01/2030" in html


def test_preview_link_uses_the_current_text(client, draft):
    link = draft.create_preview_link()
    draft.title = "Tiêu đề đã sửa sau khi gửi liên kết"
    draft.slug = "doi-duong-dan"
    draft.save()
    html = client.get(link.get_absolute_url()).content.decode()
    assert "Tiêu đề đã sửa sau khi gửi liên kết" in html


def test_active_links_queryset(draft):
    kept = draft.create_preview_link()
    revoked = draft.create_preview_link()
    revoked.revoke()
    draft.create_preview_link(lifetime=datetime.timedelta(seconds=-1))
    assert list(PreviewLink.objects.active()) == [kept]
    assert timezone.now() < kept.expires_at


@pytest.mark.parametrize("value", ["abc", "999999", ""])
def test_revoking_an_unknown_link_is_a_message_not_an_error(
    client, draft, editor, value
):
    link = draft.create_preview_link()
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[draft.pk])
    data = change_form_data(client.get(url))
    data["_preview_revoke"] = value
    page = client.post(url, data, follow=True).content.decode()
    assert "Không tìm thấy liên kết xem trước này." in page
    link.refresh_from_db()
    assert link.is_active
