import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from articles.models import Article, Photo
from tests.adminform import change_form_data
from tests.conftest import gif_bytes, jpeg_bytes

pytestmark = pytest.mark.django_db


def upload_url(article) -> str:
    return reverse("admin:articles_article_photo_upload", args=[article.pk])


def photo_file(name="anh.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")


def test_upload_stores_one_photo_and_answers_json(admin_client, make_article):
    article = make_article(status=Article.Status.DRAFT)
    response = admin_client.post(
        upload_url(article), {"image": photo_file(width=1000, height=750)}
    )
    assert response.status_code == 201
    answer = response.json()
    assert answer["status"] == "stored" and answer["message"] == "Đã lưu."
    photo = Photo.objects.get(pk=answer["id"])
    assert photo.article == article
    assert [r["width"] for r in photo.renditions] == [400, 800, 1000]
    assert answer["thumb"].endswith("-400w.webp")
    article.refresh_from_db()
    assert article.cover == photo


def test_upload_refuses_a_fake_photo_in_vietnamese(admin_client, make_article):
    article = make_article()
    fake = SimpleUploadedFile("anh.jpg", b"<html><body>hi</body></html>")
    response = admin_client.post(upload_url(article), {"image": fake})
    assert response.status_code == 400
    assert response.json()["status"] == "refused"
    assert "HTML" in response.json()["message"]
    assert not Photo.objects.exists()


def test_upload_of_the_same_photo_twice_is_skipped(admin_client, make_article):
    article = make_article()
    admin_client.post(upload_url(article), {"image": photo_file()})
    response = admin_client.post(upload_url(article), {"image": photo_file()})
    assert response.status_code == 200
    assert response.json()["status"] == "duplicate"
    assert article.photos.count() == 1


def test_upload_takes_exactly_one_file(admin_client, make_article):
    article = make_article()
    response = admin_client.post(
        upload_url(article),
        {"image": [photo_file("a.jpg"), photo_file("b.jpg", color=(1, 2, 3))]},
    )
    assert response.status_code == 400
    assert response.json()["message"] == "Mỗi lần gửi đúng một ảnh."
    assert admin_client.post(upload_url(article)).status_code == 400


def test_upload_needs_post_and_an_existing_article(admin_client, make_article):
    article = make_article()
    assert admin_client.get(upload_url(article)).status_code == 405
    missing = reverse("admin:articles_article_photo_upload", args=[999999])
    response = admin_client.post(missing, {"image": photo_file()})
    assert response.status_code == 404
    assert "Không tìm thấy" in response.json()["message"]


def test_upload_checks_the_csrf_token(django_user_model, make_article):
    article = make_article()
    user = django_user_model.objects.create_superuser("sieu", "", "mat-khau-dai-123")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(upload_url(article), {"image": photo_file()})
    assert response.status_code == 403
    assert not Photo.objects.exists()


def test_upload_is_for_staff_only(client, django_user_model, make_article):
    article = make_article()
    assert client.post(upload_url(article), {"image": photo_file()}).status_code == 302
    user = django_user_model.objects.create_user("dan", password="mat-khau-dai-123")
    client.force_login(user)
    assert client.post(upload_url(article), {"image": photo_file()}).status_code == 302
    assert not Photo.objects.exists()


@pytest.mark.parametrize(
    "codenames",
    [("view_article", "change_article"), ("view_article", "add_photo")],
)
def test_upload_needs_change_article_and_add_photo(staff_with, make_article, codenames):
    article = make_article(status=Article.Status.DRAFT)
    client = staff_with(*codenames)
    response = client.post(upload_url(article), {"image": photo_file()})
    assert response.status_code == 403
    assert "không có quyền" in response.json()["message"]
    assert not Photo.objects.exists()


def test_upload_with_both_permissions_works(staff_with, make_article):
    article = make_article(status=Article.Status.DRAFT)
    client = staff_with("view_article", "change_article", "add_photo")
    response = client.post(upload_url(article), {"image": photo_file()})
    assert response.status_code == 201


def test_change_page_has_the_upload_box_and_add_page_a_note(admin_client, make_article):
    article = make_article()
    change = admin_client.get(
        reverse("admin:articles_article_change", args=[article.pk])
    ).content.decode()
    assert f'data-url="{upload_url(article)}"' in change
    assert 'type="file" class="upload-files" multiple' in change
    assert "js/admin-photos.js" in change
    add = admin_client.get(reverse("admin:articles_article_add")).content.decode()
    assert "upload-files" not in add
    assert "Lưu bài viết một lần" in add


def test_change_page_warns_about_photos_without_alt_text(admin_client, make_report):
    article = make_report(photos=3)
    first, second, third = article.photos.all()
    Photo.objects.filter(pk=first.pk).update(alt_text="")
    Photo.objects.filter(pk=second.pk).update(alt_text="", decorative=True)
    html = admin_client.get(
        reverse("admin:articles_article_change", args=[article.pk])
    ).content.decode()
    assert "1 ảnh chưa có mô tả cho người khiếm thị" in html
    assert html.count("Chưa có mô tả ảnh") == 1
    assert html.count('class="button photo-cover"') == 3


def inline_post(article, photos, **overrides) -> dict:
    """The change form as the browser posts it, with the photo rows given."""
    article = Article.objects.get(pk=article.pk)
    data = {
        "version": str(getattr(article, "version", "")),
        "title": article.title,
        "slug": article.slug,
        "category": str(article.category_id),
        "summary": article.summary,
        "body": article.body,
        "status": article.status,
        "publish_at_0": article.publish_at.strftime("%d/%m/%Y"),
        "publish_at_1": article.publish_at.strftime("%H:%M"),
        "expire_at_0": "",
        "expire_at_1": "",
        "byline": "",
        "cover": str(article.cover_id or ""),
        "_continue": "1",
    }
    for prefix in ("meeting", "attendances", "attachments"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(
        {
            "photos-TOTAL_FORMS": str(len(photos)),
            "photos-INITIAL_FORMS": str(len(photos)),
            "photos-MIN_NUM_FORMS": "0",
            "photos-MAX_NUM_FORMS": "1000",
        }
    )
    for index, photo in enumerate(photos):
        data.update(
            {
                f"photos-{index}-id": str(photo.pk),
                f"photos-{index}-article": str(article.pk),
                f"photos-{index}-order": str(photo.order),
                f"photos-{index}-caption": photo.caption,
                f"photos-{index}-alt_text": photo.alt_text,
                f"photos-{index}-credit": photo.credit,
            }
        )
        if photo.decorative:
            data[f"photos-{index}-decorative"] = "on"
    data.update(overrides)
    return data


def change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def test_published_article_needs_alt_text_or_decorative(admin_client, make_report):
    article = make_report(photos=2, attendees=0)
    photos = list(article.photos.all())
    response = admin_client.post(
        change_url(article), inline_post(article, photos, **{"photos-1-alt_text": ""})
    )
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"]
    photo_errors = [f for f in errors if f.formset.prefix == "photos"][0].formset.errors
    assert "cần mô tả" in str(photo_errors[1]["alt_text"])

    response = admin_client.post(
        change_url(article),
        inline_post(
            article,
            photos,
            **{"photos-1-alt_text": "", "photos-1-decorative": "on"},
        ),
    )
    assert response.status_code == 302
    assert Photo.objects.get(pk=photos[1].pk).decorative


def test_draft_may_keep_photos_without_alt_text(admin_client, make_report):
    article = make_report(photos=1, attendees=0, status=Article.Status.DRAFT)
    photos = list(article.photos.all())
    response = admin_client.post(
        change_url(article), inline_post(article, photos, **{"photos-0-alt_text": ""})
    )
    assert response.status_code == 302
    assert article.photos.missing_alt().count() == 1


def test_reorder_and_pick_cover_in_place(admin_client, make_report):
    article = make_report(photos=3, attendees=0)
    first, second, third = article.photos.all()
    response = admin_client.post(
        change_url(article),
        inline_post(
            article,
            [first, second, third],
            **{
                "photos-0-order": "3",
                "photos-1-order": "1",
                "photos-2-order": "2",
                "photos-1-caption": "Chú thích mới",
                "cover": str(third.pk),
            },
        ),
    )
    assert response.status_code == 302
    assert list(article.photos.values_list("pk", flat=True)) == [
        second.pk,
        third.pk,
        first.pk,
    ]
    article.refresh_from_db()
    assert article.cover == third
    assert article.photos.get(pk=second.pk).caption == "Chú thích mới"


def test_inline_refuses_a_bad_file_and_a_duplicate(admin_client, make_report):
    article = make_report(photos=1, attendees=0, status=Article.Status.DRAFT)
    [photo] = article.photos.all()
    data = inline_post(article, [photo])
    data.update(
        {
            "photos-TOTAL_FORMS": "2",
            "photos-1-order": "",
            "photos-1-caption": "",
            "photos-1-alt_text": "x",
            "photos-1-credit": "",
            "photos-1-image": SimpleUploadedFile("a.jpg", b"<svg></svg>"),
        }
    )
    response = admin_client.post(change_url(article), data)
    assert response.status_code == 200
    assert article.photos.count() == 1

    data["photos-1-image"] = SimpleUploadedFile("anh.gif", gif_bytes())
    response = admin_client.post(change_url(article), data)
    assert "Chỉ nhận ảnh JPEG, PNG, WebP" in response.content.decode()
    assert article.photos.count() == 1

    data["photos-1-image"] = SimpleUploadedFile("anh-0.jpg", jpeg_bytes())
    response = admin_client.post(change_url(article), data)
    assert response.status_code == 200
    assert "Ảnh này đã có trong bài." in response.content.decode()
    assert article.photos.count() == 1


def test_an_article_whose_photo_file_is_gone_can_still_be_saved(
    admin_client, make_report
):
    """A photo's file lost from the disk (a failed restore of the media
    folder, a file deleted by hand) does not stop its article from being
    edited: the form used to read the photo's size from the file again,
    and failed with a server error."""
    report = make_report("Mất ảnh", status=Article.Status.DRAFT, photos=2)
    photo = report.photos.first()
    photo.image.storage.delete(photo.image.name)
    url = reverse("admin:articles_article_change", args=[report.pk])
    data = change_form_data(admin_client.get(url))
    data["title"] = "Mất ảnh, đã sửa tiêu đề"

    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    report.refresh_from_db()
    assert report.title == "Mất ảnh, đã sửa tiêu đề"
    photo.refresh_from_db()
    assert (photo.width, photo.height) != (None, None)  # kept as stored
