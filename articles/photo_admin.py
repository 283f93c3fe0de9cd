"""Editing an article's gallery in the admin: the photo inline's form and
formset, and the bulk upload endpoint its script posts to, one photo per
request.

The endpoint is mounted by ``ArticleAdmin`` behind ``admin_view`` (active
staff, CSRF checked) and also requires the right to change this article and
to add photos. It answers JSON: ``status`` (stored, duplicate, refused) and a
Vietnamese ``message``.
"""

from django import forms
from django.contrib.admin.utils import unquote
from django.core.files.uploadedfile import UploadedFile
from django.db import connection
from django.forms.models import BaseInlineFormSet
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import images
from .models import Article, Photo
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


class PhotoInlineFormSet(BaseInlineFormSet):
    upload_accept = images.ACCEPT_ATTRIBUTE
    max_upload_bytes = images.MAX_UPLOAD_BYTES
    max_upload_mb = images.MAX_UPLOAD_BYTES // (1024 * 1024)

    @property
    def upload_parallel(self) -> int:
        """Photos sent at once: SQLite takes one writer at a time."""
        return 1 if connection.vendor == "sqlite" else 2

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


@require_POST
def photo_upload(request, object_id, model_admin):
    article = model_admin.get_object(request, unquote(object_id))
    if article is None:
        return _answer("refused", _("Không tìm thấy bài viết (có thể đã bị xóa)."), 404)
    if not (
        model_admin.has_change_permission(request, article)
        and request.user.has_perm("articles.add_photo")
    ):
        return _answer(
            "refused", _("Bạn không có quyền thêm ảnh vào bài viết này."), 403
        )
    uploads = request.FILES.getlist("image")
    if len(uploads) != 1:
        return _answer("refused", _("Mỗi lần gửi đúng một ảnh."), 400)
    [result] = photos_ingest(article=article, files=uploads)
    if result.status == "stored":
        model_admin.log_change(
            request,
            article,
            [
                {
                    "added": {
                        "name": str(Photo._meta.verbose_name),
                        "object": str(result.photo),
                    }
                }
            ],
        )
    return JsonResponse(result.as_json(), status=HTTP_STATUS[result.status])
