"""Workflows that touch several models and have side effects."""

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Literal

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from . import images
from .models import Article, Photo, delete_stored_files

IngestStatus = Literal["stored", "duplicate", "refused"]


@dataclass(frozen=True)
class IngestResult:
    name: str
    status: IngestStatus
    message: str
    photo: Photo | None = None

    @property
    def ok(self) -> bool:
        return self.status != "refused"

    def as_json(self) -> dict:
        data = {"name": self.name, "status": self.status, "message": self.message}
        if self.photo is not None:
            data.update(id=self.photo.pk, order=self.photo.order)
            data["thumb"] = self.photo.thumb["url"]
        return data


def photos_ingest(
    *, article: Article, files: Iterable[File], credit: str = ""
) -> list[IngestResult]:
    """Store ``files`` as photos at the end of ``article``'s gallery.

    Each file is judged alone: a refused or duplicate file is reported and
    the others are still stored. Duplicates (same bytes already in this
    article) are skipped. The article gets a cover if it had none.
    """
    results = [
        _ingest_one(article=article, upload=upload, credit=credit) for upload in files
    ]
    if any(result.status == "stored" for result in results):
        article.ensure_cover()
    return results


def _ingest_one(*, article: Article, upload: File, credit: str) -> IngestResult:
    name = PurePath(upload.name or "").name or _("(không tên)")
    size = getattr(upload, "size", None)
    if size is not None and size > images.MAX_UPLOAD_BYTES:
        return _refused(name, images.ImageRefused(_too_big()))
    try:
        upload.seek(0)
        data = upload.read()
    except OSError:
        return IngestResult(name, "refused", _("Không đọc được tệp."))
    sha256 = images.content_hash(data)
    if duplicate := _duplicate(article, sha256, name):
        return duplicate
    try:
        # The heavy part runs before any lock or transaction.
        processed = images.process(data)
    except images.ImageRefused as refusal:
        return _refused(name, refusal)
    return _store(article=article, processed=processed, name=name, credit=credit)


@transaction.atomic
def _store(
    *, article: Article, processed: images.ProcessedImage, name: str, credit: str
) -> IngestResult:
    # Serialises uploads into one article: the duplicate check and the order
    # of the new row stay right when several files arrive at once.
    Article.objects.select_for_update().filter(pk=article.pk).first()
    if duplicate := _duplicate(article, processed.sha256, name):
        return duplicate
    photo = Photo(article=article, credit=credit)
    photo.store(processed, filename=name)
    try:
        photo.save()
    except Exception:
        delete_stored_files(photo.image.storage, photo.file_names())
        raise
    return IngestResult(name, "stored", _("Đã lưu."), photo)


def _duplicate(article: Article, sha256: str, name: str) -> IngestResult | None:
    existing = (
        Photo.objects.filter(article=article, sha256=sha256).order_by("order").first()
    )
    if existing is None:
        return None
    position = Photo.objects.filter(article=article, order__lt=existing.order).count()
    return IngestResult(
        name,
        "duplicate",
        _("Ảnh này đã có trong bài (trùng với ảnh thứ %(n)d), bỏ qua.")
        % {"n": position + 1},
        existing,
    )


def _refused(name: str, refusal: images.ImageRefused) -> IngestResult:
    return IngestResult(name, "refused", str(refusal.message))


def _too_big() -> str:
    return _("Tệp quá lớn (hơn %(mb)d MB). Hãy thu nhỏ ảnh trước khi tải lên.") % {
        "mb": images.MAX_UPLOAD_BYTES // (1024 * 1024)
    }
