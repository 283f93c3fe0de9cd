"""Image upload for the rich-text editor, in place of ``ckeditor_uploader``.

Mounted beside the admin (``wardnews/urls.py``) behind its ``admin_view``
(staff login, CSRF token and Origin checked by Django's CSRF middleware), for
anyone who may write in a rich-text field: articles and introduction pages
alike. Every file goes through the
photo pipeline (``articles.images.process``): verified by Pillow, turned
upright, metadata (GPS included) dropped, size capped, re-encoded. The answer
is the JSON that CKEditor 4's ``uploadimage`` and ``filebrowser`` (xhr) expect;
nothing from the request is echoed back.
"""

from django.apps import apps
from django.contrib.auth import get_permission_codename
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import images
from .richtext import RichTextField

UPLOAD_DIR = "editor"
BODY_IMAGE_WIDTH = 1600


def _refused(message, status=200) -> JsonResponse:
    # CKEditor 4 shows the message only from a 200 answer; 4xx gives a
    # generic "HTTP error" text.
    return JsonResponse(
        {"uploaded": 0, "error": {"message": str(message)}}, status=status
    )


def store_editor_image(data: bytes) -> str:
    """Run ``data`` through the photo pipeline and store it; returns the
    storage name. Raises ``images.ImageRefused``."""
    processed = images.process(data, widths=(BODY_IMAGE_WIDTH,))
    # A body image is shown at most column-wide: the one WebP rendition is
    # what we keep.
    rendition = processed.renditions[-1]
    name = f"{UPLOAD_DIR}/{timezone.now():%Y/%m}/{processed.sha256[:20]}.webp"
    if default_storage.exists(name):  # the same photo uploaded again
        return name
    return default_storage.save(name, ContentFile(rendition.content))


def may_write_rich_text(user) -> bool:
    """Whether ``user`` may add or change something with a rich-text field:
    the only places the editor, and so its uploads, appear."""
    for model in apps.get_models():
        if not any(isinstance(f, RichTextField) for f in model._meta.fields):
            continue
        for action in ("add", "change"):
            codename = get_permission_codename(action, model._meta)
            if user.has_perm(f"{model._meta.app_label}.{codename}"):
                return True
    return False


@require_POST
def editor_image_upload(request):
    if not may_write_rich_text(request.user):
        return _refused(
            _(
                "Bạn không có quyền sửa bài viết hay trang giới thiệu nên không"
                " tải ảnh lên được."
            ),
            403,
        )
    upload = request.FILES.get("upload")
    if upload is None:
        return _refused(_("Chưa chọn ảnh nào để tải lên."), 400)
    if upload.size > images.MAX_UPLOAD_BYTES:
        return _refused(
            _("Tệp quá lớn (hơn %(mb)d MB). Hãy thu nhỏ ảnh trước khi tải lên.")
            % {"mb": images.MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    try:
        name = store_editor_image(upload.read())
    except images.ImageRefused as refusal:
        return _refused(refusal.message)
    return JsonResponse(
        {
            "uploaded": 1,
            "fileName": name.rsplit("/", 1)[-1],
            "url": default_storage.url(name),
        }
    )
