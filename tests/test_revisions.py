import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, AuditEntry
from tests.adminform import change_form_data
from tests.conftest import jpeg_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def approver(make_staff):
    return make_staff("nguoiduyet", "Người duyệt")


@pytest.fixture
def report(make_report):
    return make_report(
        "Hội nghị sơ kết 6 tháng", status=Article.Status.DRAFT, attendees=4, photos=3
    )


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def save_in_admin(client, article, **changes):
    data = change_form_data(client.get(change_url(article)))
    data.update(changes)
    response = client.post(change_url(article), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    return data


def attendee_names(article):
    return list(
        article.attendances.order_by("order", "id").values_list("name", flat=True)
    )


def photo_captions(article):
    return list(
        article.photos.order_by("order", "id").values_list("caption", flat=True)
    )


@pytest.fixture
def two_revisions(client, approver, report):
    """Revision 1 as made; revision 2 with attendees reordered and one
    removed, photos reversed and a new title."""
    client.force_login(approver)
    save_in_admin(client, report)
    original = {"names": attendee_names(report), "captions": photo_captions(report)}

    data = change_form_data(client.get(change_url(report)))
    for index in range(4):
        data[f"attendances-{index}-order"] = str(4 - index)
    data["attendances-0-DELETE"] = "on"
    for index in range(3):
        data[f"photos-{index}-order"] = str(3 - index)
    data["title"] = "Tiêu đề đã đổi"
    assert client.post(change_url(report), data).status_code == 302

    versions = list(Version.objects.get_for_object(report))
    assert len(versions) == 2
    return {"newer": versions[0], "older": versions[1], **original}


def test_every_admin_save_stores_a_revision(two_revisions, report):
    assert attendee_names(report) == list(reversed(two_revisions["names"]))[:3]
    assert photo_captions(report) == list(reversed(two_revisions["captions"]))
    followed = {
        v.content_type.model for v in two_revisions["older"].revision.version_set.all()
    }
    assert {"article", "meeting", "attendance", "photo"} <= followed


def test_history_lists_revisions_with_compare_choices(client, two_revisions, report):
    url = reverse("admin:articles_article_history", args=[report.pk])
    html = client.get(url).content.decode()
    assert html.count('type="radio" name="a"') == 2
    assert "So sánh hai phiên bản đã chọn" in html
    assert "giờ Việt Nam" in html


def test_compare_shows_changed_fields(client, two_revisions, report):
    url = reverse("admin:articles_article_compare", args=[report.pk])
    response = client.get(
        url, {"a": two_revisions["older"].pk, "b": two_revisions["newer"].pk}
    )
    assert response.status_code == 200
    rows = {row["label"]: row for row in response.context["rows"]}
    assert rows["Tiêu đề"]["changed"]
    assert rows["Tiêu đề"]["old"] == "Hội nghị sơ kết 6 tháng"
    assert rows["Tiêu đề"]["new"] == "Tiêu đề đã đổi"
    assert rows["Thành phần tham dự"]["changed"]
    assert rows["Thành phần tham dự"]["old"].startswith(
        f"1. {two_revisions['names'][0]}"
    )
    assert rows["Ảnh"]["changed"]
    assert not rows["Sapo"]["changed"]
    assert not rows["Hội nghị – tên hội nghị"]["changed"]
    html = response.content.decode()
    assert "(đã đổi)" in html or 'class="changed"' in html


def test_compare_with_bad_ids_falls_back_to_the_last_two(client, two_revisions, report):
    url = reverse("admin:articles_article_compare", args=[report.pk])
    response = client.get(url, {"a": "abc", "b": "999999"})
    assert response.status_code == 200
    assert response.context["older"] == two_revisions["older"]


def test_restoring_brings_back_attendees_and_photo_order(client, two_revisions, report):
    url = reverse(
        "admin:articles_article_revision", args=[report.pk, two_revisions["older"].pk]
    )
    page = client.get(url)
    assert page.status_code == 200
    assert "trạng thái duyệt của bài giữ nguyên" in page.content.decode()
    assert "không còn trên máy chủ" not in page.content.decode()
    # Looking at an old revision changes nothing.
    report.refresh_from_db()
    assert report.title == "Tiêu đề đã đổi"

    response = client.post(url, change_form_data(page))
    assert response.status_code == 302

    report.refresh_from_db()
    assert report.title == "Hội nghị sơ kết 6 tháng"
    assert attendee_names(report) == two_revisions["names"]
    assert photo_captions(report) == two_revisions["captions"]
    assert AuditEntry.objects.filter(
        article=report, action=AuditEntry.Action.RESTORE
    ).exists()


def test_restoring_never_changes_the_workflow_state(client, two_revisions, report):
    report.publish()
    url = reverse(
        "admin:articles_article_revision", args=[report.pk, two_revisions["older"].pk]
    )
    page = client.get(url)
    assert client.post(url, change_form_data(page)).status_code == 302
    report.refresh_from_db()
    assert report.status == Article.Status.PUBLISHED
    assert report.title == "Hội nghị sơ kết 6 tháng"


def test_recovering_a_deleted_article_brings_it_back_as_a_draft(
    client, two_revisions, report, make_staff
):
    report.publish()
    client.post(
        reverse("admin:articles_article_delete", args=[report.pk]), {"post": "yes"}
    )
    assert not Article.objects.filter(pk=report.pk).exists()
    deleted = Version.objects.get_deleted(Article).first()

    client.force_login(make_staff("bientap", "Biên tập viên"))
    url = reverse("admin:articles_article_recover", args=[deleted.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert client.post(url, change_form_data(page)).status_code == 302

    recovered = Article.objects.get(pk=report.pk)
    assert recovered.status == Article.Status.DRAFT
    assert attendee_names(recovered) == list(reversed(two_revisions["names"]))[:3]
    assert not Article.objects.published().exists()
    assert AuditEntry.objects.filter(
        article=recovered, action=AuditEntry.Action.RESTORE
    ).exists()


def media_names(media_root):
    return {p.relative_to(media_root).as_posix() for p in media_root.rglob("*.*")}


def test_restoring_brings_back_the_files_taken_off_since(
    client, approver, report, media_root, django_capture_on_commit_callbacks
):
    report.attachments.create(
        title="Thông báo số 15", file=ContentFile(b"%PDF-1.4", name="tb.pdf")
    )
    client.force_login(approver)
    save_in_admin(client, report)
    older = Version.objects.get_for_object(report).first()
    before = media_names(media_root)
    with django_capture_on_commit_callbacks(execute=True):
        report.attachments.get().delete()
        report.photos.first().delete()
    taken_off = before - media_names(media_root)
    assert len(taken_off) == 3  # the attachment, a photo and its rendition
    url = reverse("admin:articles_article_revision", args=[report.pk, older.pk])

    # Looking at the revision reverts it and rolls back: nothing moves.
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(url)
    html = page.content.decode()
    assert "2 tệp của phiên bản này đã được gỡ khỏi trang" in html
    assert "khôi phục sẽ đưa chúng trở lại" in html
    assert "không còn trên máy chủ" not in html
    assert not taken_off & media_names(media_root)

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, change_form_data(page)).status_code == 302
    assert media_names(media_root) == before
    assert not any((media_root.parent / "trash").rglob("*.*"))
    attachment = report.attachments.get()
    assert attachment.file.read() == b"%PDF-1.4"


def test_restoring_swaps_back_a_file_replaced_since(
    client, approver, report, media_root, django_capture_on_commit_callbacks
):
    """A row whose file was replaced after the revision gets the older file
    back; the newer one leaves the site, as a deleted row's file does."""
    attachment = report.attachments.create(
        title="Thông báo", file=ContentFile(b"%PDF-1.4 cu", name="tb.pdf")
    )
    photo = report.photos.first()
    client.force_login(approver)
    save_in_admin(client, report)
    older = Version.objects.get_for_object(report).first()
    before = media_names(media_root)
    with django_capture_on_commit_callbacks(execute=True):
        attachment.file = ContentFile(b"%PDF-1.4 moi", name="tb-moi.pdf")
        attachment.save()
        photo.image = jpeg_upload("anh-moi.jpg", width=80, height=60)
        photo.save()
    newer = {attachment.file.name, *photo.file_names()}
    assert newer <= media_names(media_root)

    url = reverse("admin:articles_article_revision", args=[report.pk, older.pk])
    page = client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, change_form_data(page)).status_code == 302
    assert media_names(media_root) == before
    trash = media_root.parent / "trash"
    assert all((trash / name).is_file() for name in newer)
    assert report.attachments.get().file.read() == b"%PDF-1.4 cu"


def test_restoring_names_the_files_no_longer_kept(
    client, approver, report, django_capture_on_commit_callbacks
):
    report.attachments.create(
        title="Thông báo số 15", file=ContentFile(b"%PDF-1.4", name="tb.pdf")
    )
    client.force_login(approver)
    save_in_admin(client, report)
    older = Version.objects.get_for_object(report).first()
    with django_capture_on_commit_callbacks(execute=True):
        report.attachments.get().delete()
        gone = report.photos.first()
        gone_pk = gone.pk
        gone.delete()
    call_command("purge_trash", "--all", stdout=io.StringIO())

    url = reverse("admin:articles_article_revision", args=[report.pk, older.pk])
    page = client.get(url)
    html = page.content.decode()
    assert "2 tệp của phiên bản này không còn trên máy chủ" in html
    assert "đã gỡ khỏi trang quá 30 ngày" in html
    assert "Thông báo số 15" in html
    assert gone.image.name.rsplit("/", 1)[-1] in html

    # Restoring still works: the rows come back without their files (it
    # used to fail reading the photo's size from the missing file).
    assert client.post(url, change_form_data(page)).status_code == 302
    assert report.photos.filter(pk=gone_pk).exists()
    assert report.attachments.get().title == "Thông báo số 15"


def test_recovering_a_deleted_article_brings_back_its_files(
    client, approver, report, media_root, django_capture_on_commit_callbacks
):
    client.force_login(approver)
    save_in_admin(client, report)
    before = media_names(media_root)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:articles_article_delete", args=[report.pk]), {"post": "yes"}
        )
    assert media_names(media_root) == set()
    deleted = Version.objects.get_deleted(Article).first()

    url = reverse("admin:articles_article_recover", args=[deleted.pk])
    page = client.get(url)
    assert "3 tệp của phiên bản này đã được gỡ khỏi trang" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, change_form_data(page)).status_code == 302
    assert media_names(media_root) == before
    recovered = Article.objects.get(pk=report.pk)
    page = client.get(recovered.get_absolute_url()).content.decode()
    for photo in recovered.photos.all():
        assert photo.image.storage.exists(photo.image.name)
        assert photo.image.storage.url(photo.renditions[0]["name"]) in page
