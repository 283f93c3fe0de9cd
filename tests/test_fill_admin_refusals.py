"""Admin "Điền từ nội dung": bad input and people who may not fill — a clear
message, nothing saved, never a 500."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from articles.models import (
    Article,
    Official,
)
from tests.fill_data import SEED, fill_url, nothing_saved, review_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text", ["", "   ", "<p> </p>"])
def test_empty_text_is_a_clear_message(admin_client, seed_article, text):
    response = admin_client.post(fill_url(seed_article), {"step": "read", "text": text})
    assert response.status_code == 200
    assert "Chưa có nội dung để đọc" in response.content.decode()
    assert nothing_saved()


def test_nothing_found_is_a_clear_message(admin_client, seed_article):
    response = admin_client.post(
        fill_url(seed_article), {"step": "read", "text": "Xin chào bà con khu phố."}
    )
    assert response.status_code == 200
    assert "Không tìm thấy ngày họp" in response.content.decode()
    assert not response.context.get("reviewing")


def test_garbage_post_never_500s(admin_client, seed_article):
    for data in (
        {"step": "confirm"},
        {"step": "confirm", "text": "Ngày 1/2/2024 họp.", "rows-TOTAL_FORMS": "x"},
        {"step": "bogus", "text": "abc"},
        {
            "step": "confirm",
            "text": SEED.read_text(),
            "meeting-name": "Hội nghị",
            "meeting-kind": "hoi-nghi",
            "rows-TOTAL_FORMS": "1",
            "rows-INITIAL_FORMS": "0",
            "rows-0-include": "on",
            "rows-0-name": "Nguyễn Văn An",
            "rows-0-role": "chair",
            "rows-0-official": "999999",
        },
    ):
        response = admin_client.post(fill_url(seed_article), data)
        assert response.status_code == 200, data
    assert nothing_saved()
    assert admin_client.get(fill_url(seed_article) + "?step=read").status_code == 200


def test_missing_article_redirects(admin_client):
    response = admin_client.get(reverse("admin:articles_article_fill", args=[987654]))
    assert response.status_code == 302


def test_view_only_staff_is_refused(client, seed_article):
    user = get_user_model().objects.create_user("xem", password="mat-khau-dai-123")
    user.is_staff = True
    user.save()
    user.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(user)
    assert client.get(fill_url(seed_article)).status_code == 403
    response = client.post(
        fill_url(seed_article), {"step": "read", "text": SEED.read_text()}
    )
    assert response.status_code == 403
    assert nothing_saved()


def test_non_staff_goes_to_login(client, seed_article):
    user = get_user_model().objects.create_user("dan", password="mat-khau-dai-123")
    client.force_login(user)
    response = client.post(fill_url(seed_article), {"step": "read", "text": "x"})
    assert response.status_code == 302
    assert "/login/" in response.url


def test_post_without_csrf_token_is_refused(seed_article):
    client = Client(enforce_csrf_checks=True)
    user = get_user_model().objects.create_superuser("bt", "", "mat-khau-dai-123")
    client.force_login(user)
    response = client.post(
        fill_url(seed_article), {"step": "read", "text": SEED.read_text()}
    )
    assert response.status_code == 403
    assert nothing_saved()


def test_add_page_needs_a_category(admin_client, category):
    review = admin_client.post(fill_url(), {"step": "read", "text": SEED.read_text()})
    data = review_data(review)
    data.pop("category", None)
    response = admin_client.post(fill_url(), data)
    assert response.status_code == 200
    assert "Hãy chọn chuyên mục" in response.content.decode()
    assert not Article.objects.exists()


def test_editor_without_official_permission_creates_no_official(client, seed_article):
    user = get_user_model().objects.create_user("bt2", password="mat-khau-dai-123")
    user.is_staff = True
    user.save()
    for codename in ("view_article", "change_article", "view_official"):
        user.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(user)
    review = client.post(
        fill_url(seed_article), {"step": "read", "text": SEED.read_text()}
    )
    assert review.status_code == 200
    assert "không có quyền tạo hồ sơ cán bộ" in review.content.decode()
    data = review_data(review)
    data["rows-0-create_official"] = "on"  # forged
    response = client.post(fill_url(seed_article), data)
    assert response.status_code == 302
    assert not Official.objects.exists()
    assert seed_article.attendances.filter(official__isnull=True).count() == 12


def test_overlong_name_for_a_new_official_is_refused(admin_client, seed_article):
    review = admin_client.post(
        fill_url(seed_article), {"step": "read", "text": SEED.read_text()}
    )
    data = review_data(review)
    data["rows-0-name"] = "Nguyễn " * 30
    response = admin_client.post(fill_url(seed_article), data)
    assert response.status_code == 200
    assert "Họ tên quá dài để tạo hồ sơ cán bộ" in response.content.decode()
    assert nothing_saved()


def test_editor_role_fills_drafts_but_not_published_reports(
    client, make_staff, seed_article, make_article
):
    client.force_login(make_staff("bientapvien", "Biên tập viên"))
    read = {"step": "read", "text": SEED.read_text()}
    assert client.post(fill_url(seed_article), read).status_code == 200
    published = make_article("Bài đã đăng", status=Article.Status.PUBLISHED)
    assert client.get(fill_url(published)).status_code == 403
    assert client.post(fill_url(published), read).status_code == 403
    assert not published.attendances.exists()
