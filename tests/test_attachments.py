"""Files attached to an article: what the admin takes, how they are stored
and shown, and that a removed file stops being served."""

import importlib
import re

import pytest
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles import images
from articles.models import Article, Attachment
from tests.adminform import change_form_data
from tests.conftest import upload_folders
from tests.test_admin import article_form, inline_management

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n" + b"0" * 2491  # 2,500 bytes
LONG_NAME = (
    "Thông báo số 15-TB-UBND về việc tạm ngừng cấp nước khu phố 3 phường "
    "Cát Lái thành phố Thủ Đức năm 2024 gửi các hộ dân.pdf"
)


def with_attachment(people, name, data=PDF, title=""):
    form = article_form(**people, **inline_management("attachments", 1))
    form["attachments-0-order"] = ""
    form["attachments-0-title"] = title
    form["attachments-0-file"] = SimpleUploadedFile(name, data)
    return form


def stored_files(media_root):
    return {p.relative_to(media_root).as_posix() for p in media_root.rglob("*.pdf")}


def test_a_long_vietnamese_name_is_taken_stored_short_and_titled(admin_client, people):
    assert len(LONG_NAME) > 100  # Django's own limit for the name
    response = admin_client.post(
        reverse("admin:articles_article_add"), with_attachment(people, LONG_NAME)
    )
    assert response.status_code == 302, response.context["errors"]

    attachment = Attachment.objects.get()
    assert re.fullmatch(
        r"attachments/\d{4}/\d{2}/[a-z0-9]{10}/thong-bao-so-15-tb-ubnd-ve-viec-"
        r"tam-ngung-cap-nuoc-khu-pho-3\.pdf",
        attachment.file.name,
    )
    assert attachment.file.name.isascii()
    assert attachment.title == LONG_NAME.removesuffix(".pdf")
    assert attachment.size == len(PDF)
    assert attachment.file.read() == PDF


def test_a_title_typed_by_the_editor_is_kept(admin_client, people):
    admin_client.post(
        reverse("admin:articles_article_add"),
        with_attachment(people, "tb15.pdf", title="Thông báo số 15/TB-UBND"),
    )
    assert Attachment.objects.get().title == "Thông báo số 15/TB-UBND"


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("Kế_hoạch  tháng 7.PDF", "ke_hoach-thang-7.pdf"),
        ("!!!.pdf", "tep-dinh-kem.pdf"),
    ],
)
def test_odd_names_are_stored_as_plain_ascii(admin_client, people, name, stored):
    response = admin_client.post(
        reverse("admin:articles_article_add"), with_attachment(people, name)
    )
    assert response.status_code == 302, response.context["errors"]
    assert Attachment.objects.get().file.name.rsplit("/", 1)[-1] == stored


@pytest.mark.parametrize(
    "name", ["trang.html", "hinh.svg", "cai-dat.exe", "tai-lieu", ".pdf"]
)
def test_pages_scripts_and_programs_are_refused_and_the_form_kept(
    admin_client, people, name
):
    data = with_attachment(people, name, data=b"<script>alert(1)</script>")
    response = admin_client.post(reverse("admin:articles_article_add"), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Chỉ nhận văn bản (PDF, Word, Excel" in page
    assert "Hội nghị Ban chấp hành Đảng bộ phường lần thứ 21" in page  # kept
    assert not Article.objects.exists()


def test_a_file_too_large_is_refused(admin_client, people, monkeypatch):
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", len(PDF) - 1)
    response = admin_client.post(
        reverse("admin:articles_article_add"), with_attachment(people, "lon.pdf")
    )
    assert response.status_code == 200
    assert "Tệp quá lớn (hơn 0 MB)" in response.content.decode()
    assert not Attachment.objects.exists()


def test_the_file_box_offers_the_kinds_taken(admin_client, make_article):
    article = make_article()
    page = admin_client.get(
        reverse("admin:articles_article_change", args=[article.pk])
    ).content.decode()
    assert 'accept=".pdf,.doc,.docx,' in page


def test_the_page_shows_each_file_s_kind_and_size(client, make_article):
    article = make_article()
    article.attachments.create(
        title="Kế hoạch tổng vệ sinh", file=ContentFile(PDF, name="ke-hoach.docx")
    )
    article.attachments.create(title="Tệp cũ", file="attachments/cu.pdf")
    article.attachments.create(title="Không đuôi", file="attachments/x", size=99)

    page = client.get(article.get_absolute_url()).content.decode()
    assert "Kế hoạch tổng vệ sinh (DOCX, 2,4\xa0KB)</a>" in page
    # One stored before sizes were kept shows its title alone.
    assert ">Tệp cũ</a>" in page
    assert ">Không đuôi (99\xa0byte)</a>" in page


def test_an_old_attachment_does_not_block_saving_its_article(
    admin_client, make_article
):
    """A file stored before these rules (an .html, since gone from the
    disk) is not checked again when the article is saved."""
    article = make_article(status=Article.Status.DRAFT)
    article.attachments.create(title="Trang cũ", file="attachments/2020/01/cu.html")
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = change_form_data(admin_client.get(url))
    data["title"] = "Tiêu đề mới"

    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    assert Article.objects.get().title == "Tiêu đề mới"


def test_a_removed_or_replaced_file_stops_being_served(
    make_article, media_root, django_capture_on_commit_callbacks
):
    article = make_article()
    first = article.attachments.create(file=ContentFile(PDF, name="danh-sach.pdf"))
    kept = article.attachments.create(file=ContentFile(PDF, name="lich.pdf"))
    assert first.title == "danh-sach"
    old_name = first.file.name

    with django_capture_on_commit_callbacks(execute=True):
        first.file = ContentFile(b"%PDF-1.4 v2", name="danh-sach-moi.pdf")
        first.save()
    assert stored_files(media_root) == {first.file.name, kept.file.name}
    assert old_name not in stored_files(media_root)
    assert first.size == len(b"%PDF-1.4 v2")

    with django_capture_on_commit_callbacks(execute=True):
        first.delete()
    assert stored_files(media_root) == {kept.file.name}

    with django_capture_on_commit_callbacks(execute=True):
        article.delete()
    assert stored_files(media_root) == set()
    assert upload_folders(media_root) == set()  # no empty folder left behind


def test_a_draft_s_file_cannot_be_found_by_its_name_and_month(make_article):
    """Each file gets a folder of its own with a random part, so knowing a
    notice's file name and month is not enough to download it before the
    article is published; the file keeps its readable name."""
    draft = make_article(status=Article.Status.DRAFT)
    first = draft.attachments.create(file=ContentFile(PDF, name="Thông báo 15.pdf"))
    second = draft.attachments.create(file=ContentFile(PDF, name="Thông báo 15.pdf"))

    pattern = r"attachments/\d{4}/\d{2}/([a-z0-9]{10})/thong-bao-15\.pdf"
    first_folder = re.fullmatch(pattern, first.file.name).group(1)
    second_folder = re.fullmatch(pattern, second.file.name).group(1)
    assert first_folder != second_folder


def test_files_stored_before_sizes_were_kept_are_measured(make_article, media_root):
    article = make_article()
    stored = article.attachments.create(file=ContentFile(PDF, name="cu.pdf"))
    gone = article.attachments.create(title="Đã mất", file="attachments/mat.pdf")
    Attachment.objects.update(size=0)

    migration = importlib.import_module("articles.migrations.0011_attachment_size")
    migration.measure_stored_files(apps, None)

    assert Attachment.objects.get(pk=stored.pk).size == len(PDF)
    assert Attachment.objects.get(pk=gone.pk).size == 0


def attachment_upload_url(article) -> str:
    return reverse("admin:articles_article_attachment_upload", args=[article.pk])


def test_the_upload_box_stores_one_file_per_request(admin_client, make_article):
    article = make_article(status=Article.Status.DRAFT)
    article.attachments.create(title="Đã có", file=ContentFile(PDF, name="co.pdf"))

    response = admin_client.post(
        attachment_upload_url(article),
        {"file": SimpleUploadedFile("Kế hoạch tháng 7.docx", PDF)},
    )
    assert response.status_code == 201
    assert response.json() == {
        "status": "stored",
        "message": "Đã lưu: Kế hoạch tháng 7.",
    }
    first, added = article.attachments.all()
    assert (added.title, added.size, added.kind) == ("Kế hoạch tháng 7", 2500, "DOCX")
    assert added.order > first.order
    assert re.fullmatch(
        r"attachments/\d{4}/\d{2}/[a-z0-9]{10}/ke-hoach-thang-7\.docx", added.file.name
    )
    assert LogEntry.objects.filter(object_id=str(article.pk)).exists()


def test_the_upload_box_refuses_in_vietnamese(admin_client, make_article):
    article = make_article()
    url = attachment_upload_url(article)
    response = admin_client.post(url, {"file": SimpleUploadedFile("x.html", b"<p>")})
    assert response.status_code == 400
    assert response.json()["status"] == "refused"
    assert "Chỉ nhận văn bản (PDF, Word" in response.json()["message"]

    response = admin_client.post(url, {"file": SimpleUploadedFile("rong.pdf", b"")})
    assert response.json()["message"] == "Tệp “rong.pdf” rỗng (0 byte)."

    two = [SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.pdf", PDF)]
    response = admin_client.post(url, {"file": two})
    assert response.json()["message"] == "Mỗi lần gửi đúng một tệp đính kèm."
    response = admin_client.post(url)
    assert response.status_code == 400
    assert not Attachment.objects.exists()

    gone = reverse("admin:articles_article_attachment_upload", args=[article.pk + 1])
    response = admin_client.post(gone, {"file": SimpleUploadedFile("a.pdf", PDF)})
    assert response.status_code == 404
    assert "Không tìm thấy bài viết" in response.json()["message"]


@pytest.mark.parametrize(
    ("codenames", "status"),
    [
        (("view_article", "change_article"), 403),
        (("view_article", "add_attachment"), 403),
        (("view_article", "change_article", "add_attachment"), 201),
    ],
)
def test_the_upload_box_needs_change_article_and_add_attachment(
    staff_with, make_article, codenames, status
):
    article = make_article(status=Article.Status.DRAFT)
    client = staff_with(*codenames)
    response = client.post(
        attachment_upload_url(article), {"file": SimpleUploadedFile("a.pdf", PDF)}
    )
    assert response.status_code == status
    assert Attachment.objects.exists() == (status == 201)


def test_the_article_page_has_the_upload_box(admin_client, make_article):
    article = make_article()
    change = admin_client.get(
        reverse("admin:articles_article_change", args=[article.pk])
    ).content.decode()
    assert f'data-url="{attachment_upload_url(article)}" data-field="file"' in change
    assert "js/admin-uploads.js" in change
    add = admin_client.get(reverse("admin:articles_article_add")).content.decode()
    assert "nhiều tệp cùng lúc vào đây" in add


@pytest.mark.parametrize(
    ("codenames", "fields"),
    [
        (("view_article", "view_photo", "view_attachment"), []),
        (("view_article", "change_article", "add_attachment"), ["file"]),
        (("view_article", "change_article", "add_photo", "add_attachment"),
         ["image", "file"]),
    ],
)  # fmt: skip
def test_the_upload_boxes_show_only_to_who_may_add(
    staff_with, make_article, codenames, fields
):
    article = make_article(status=Article.Status.DRAFT)
    client = staff_with(*codenames)
    page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert (
        re.findall(r'class="upload-box".*?data-field="(\w+)"', page.content.decode())
        == fields
    )
