"""Editing an article's gallery and attachments in the admin: the photo
inline's form, the formsets with an upload box above them, and the upload
endpoints the box's script posts to, one file per request.

The endpoints are mounted by ``ArticleAdmin`` behind ``admin_view`` (active
staff, CSRF checked) and also require the right to change this article and
to add photos, or attachments. They answer JSON: ``status`` (stored,
duplicate, refused) and a Vietnamese ``message``.
"""

from django import forms
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_permission_codename
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.forms.models import BaseInlineFormSet
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import images
from .models import Article, Attachment, Photo
from .models.photos import ATTACHMENT_ACCEPT, validate_attachment_upload
from .services import photos_ingest

HTTP_STATUS = {"stored": 201, "duplicate": 200, "refused": 400}


class PhotoInlineForm(forms.ModelForm):
    class Meta:
        model = Photo
        fields = ["order", "image", "caption", "alt_text", "decorative", "credit"]

    def clean_image(self):
        """A photo already in the article; whether it is a photo at all is
        the field's own check (``validate_photo_upload``)."""
        image = self.cleaned_data.get("image")
        if not isinstance(image, UploadedFile):
            return image
        image.seek(0)
        data = image.read()
        image.seek(0)
        article_id = self.instance.article_id
        if (
            article_id
            and Photo.objects.filter(
                article_id=article_id, sha256=images.content_hash(data)
            )
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            raise forms.ValidationError(_("Ảnh này đã có trong bài."))
        return image


class UploadBoxFormSet(BaseInlineFormSet):
    """An inline with an upload box above it
    (``templates/admin/articles/_upload_box.html``)."""

    max_upload_bytes = images.MAX_UPLOAD_BYTES
    max_upload_mb = images.MAX_UPLOAD_BYTES // (1024 * 1024)

    @property
    def upload_parallel(self) -> int:
        """Files sent at once: SQLite takes one writer at a time."""
        return 1 if connection.vendor == "sqlite" else 2


class AttachmentInlineFormSet(UploadBoxFormSet):
    upload_accept = ATTACHMENT_ACCEPT


class PhotoInlineFormSet(UploadBoxFormSet):
    upload_accept = images.ACCEPT_ATTRIBUTE

    def clean(self):
        super().clean()
        if self.instance.status != Article.Status.PUBLISHED:
            return
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if (
                not data
                or data.get("DELETE")
                or not (data.get("image") or form.instance.pk)
            ):
                continue
            if not data.get("alt_text") and not data.get("decorative"):
                form.add_error(
                    "alt_text",
                    gettext_lazy(
                        "Bài đăng công khai thì mỗi ảnh cần mô tả cho người khiếm "
                        "thị, hoặc đánh dấu là ảnh trang trí."
                    ),
                )

    @property
    def missing_alt_count(self) -> int:
        """Saved photos of this page still without a description."""
        return sum(
            1
            for form in self.initial_forms
            if not form.instance.alt_text and not form.instance.decorative
        )


def _answer(status: str, message, http_status: int) -> JsonResponse:
    return JsonResponse({"status": status, "message": str(message)}, status=http_status)


def _one_upload(request, object_id, model_admin, model, field):
    """``((article, file), None)`` for an upload endpoint that adds a
    ``model`` row, or ``(None, refusal)``: the article must exist, the user
    may change it and add such rows, and exactly one file came in
    ``field``."""
    article = model_admin.get_object(request, unquote(object_id))
    if article is None:
        refusal = _("Không tìm thấy bài viết (có thể đã bị xóa).")
        return None, _answer("refused", refusal, 404)
    noun = model._meta.verbose_name
    permission = f"articles.{get_permission_codename('add', model._meta)}"
    if not (
        model_admin.has_change_permission(request, article)
        and request.user.has_perm(permission)
    ):
        refusal = _("Bạn không có quyền thêm %(noun)s vào bài viết này.")
        return None, _answer("refused", refusal % {"noun": noun}, 403)
    uploads = request.FILES.getlist(field)
    if len(uploads) != 1:
        refusal = _("Mỗi lần gửi đúng một %(noun)s.") % {"noun": noun}
        return None, _answer("refused", refusal, 400)
    return (article, uploads[0]), None


def _log_added(request, model_admin, article, row) -> None:
    added = {"name": str(row._meta.verbose_name), "object": str(row)}
    model_admin.log_change(request, article, [{"added": added}])


@require_POST
def photo_upload(request, object_id, model_admin):
    checked, refusal = _one_upload(request, object_id, model_admin, Photo, "image")
    if refusal:
        return refusal
    article, upload = checked
    [result] = photos_ingest(article=article, files=[upload])
    if result.status == "stored":
        _log_added(request, model_admin, article, result.photo)
    return JsonResponse(result.as_json(), status=HTTP_STATUS[result.status])


@require_POST
def attachment_upload(request, object_id, model_admin):
    checked, refusal = _one_upload(request, object_id, model_admin, Attachment, "file")
    if refusal:
        return refusal
    article, upload = checked
    attachment = Attachment(article=article, file=upload)
    try:
        validate_attachment_upload(attachment.file)
    except ValidationError as error:
        return _answer("refused", error.messages[0], 400)
    with transaction.atomic():
        # Serialises uploads into one article: each new row takes the next
        # place (``ArticleChildModel.save``) when several arrive at once.
        Article.objects.select_for_update().filter(pk=article.pk).first()
        attachment.save()
    _log_added(request, model_admin, article, attachment)
    return _answer("stored", _("Đã lưu: %(title)s.") % {"title": attachment.title}, 201)
