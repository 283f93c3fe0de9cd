"""Workflows that touch several models and have side effects."""

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Literal

from django.contrib.auth.models import AbstractBaseUser
from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.utils.html import escape
from django.utils.translation import gettext as _

from . import images, rendered, search
from .extract import name_key
from .models import (
    Article,
    Attendance,
    Category,
    Meeting,
    Official,
    Photo,
    Position,
    delete_stored_files,
)

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
    if any(result.status == "stored" for result in results) and not article.cover_id:
        _give_cover(article)
    return results


def _give_cover(article: Article) -> None:
    """The first photo becomes the cover, as ``Article.ensure_cover`` does,
    but by an UPDATE: saving the article would bump its edit-lock version and
    make the editor's open page refuse its next save."""
    first = article.photos.order_by("order", "id").first()
    if Article.objects.filter(pk=article.pk, cover__isnull=True).update(cover=first):
        article.cover = first
        rendered.mark_stale([article.pk])
        rendered.share_copy_on_commit(first.pk)


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


# Filling a meeting report from its text ------------------------------------


@dataclass(frozen=True)
class FillRow:
    """One confirmed attendee or group line from the review screen."""

    name: str
    positions: str = ""
    role: str = "attendee"
    official_id: int | None = None
    create_official: bool = False
    is_group: bool = False


@dataclass
class FillResult:
    meeting_created: bool = False
    added: int = 0
    skipped: int = 0
    officials_created: int = 0


@transaction.atomic
def meeting_fill(
    *, article: Article, meeting: dict, rows: Iterable[FillRow]
) -> FillResult:
    """Save what the editor confirmed: the meeting's fields and the attendee
    rows, in protocol order after the rows already there.

    A row naming an official or a name already listed in the article is not
    added again, so confirming twice changes nothing the second time. A new
    official is created only when asked, and only if no official with the same
    name (ignoring case, diacritics and spacing) exists yet.
    """
    # One search reindex of the article at the end, not one per row.
    with search.indexing_batch():
        return _meeting_fill(article=article, meeting=meeting, rows=list(rows))


def _meeting_fill(
    *, article: Article, meeting: dict, rows: list[FillRow]
) -> FillResult:
    # Serialises two confirmations of the same article, and counts as an
    # edit for the edit lock: a page opened before the fill cannot save over it.
    Article.objects.select_for_update().filter(pk=article.pk).first()
    Article.objects.filter(pk=article.pk).update(version=F("version") + 1)
    result = FillResult()
    fields = {key: value for key, value in meeting.items() if key in _MEETING_FIELDS}
    record, result.meeting_created = Meeting.objects.get_or_create(
        article=article, defaults=fields
    )
    if not result.meeting_created:
        for key, value in fields.items():
            setattr(record, key, value)
        record.save()

    present = list(Attendance.objects.filter(article=article))
    present_officials = {a.official_id for a in present if a.official_id}
    present_names = {name_key(a.name) for a in present}
    order = max((a.order for a in present), default=0)
    officials = {name_key(o.full_name): o for o in Official.objects.order_by("id")}
    by_id = {o.pk: o for o in officials.values()}
    wanted_ids = {row.official_id for row in rows if row.official_id} - set(by_id)
    by_id.update(Official.objects.in_bulk(wanted_ids))

    for row in rows:
        name = " ".join(row.name.split())
        key = name_key(name)
        if not key:
            continue
        official = None
        if not row.is_group:
            official = by_id.get(row.official_id) if row.official_id else None
            if official is None and row.create_official:
                official = officials.get(key)
                if official is None:
                    official = Official.objects.create(full_name=name)
                    titles = [t.strip() for t in row.positions.split(",")]
                    limit = Position._meta.get_field("title").max_length
                    titles = [t for t in titles if t and len(t) <= limit]
                    for rank, title in enumerate(titles):
                        Position.objects.create(
                            official=official, title=title, order=rank
                        )
                    officials[key] = by_id[official.pk] = official
                    result.officials_created += 1
        if key in present_names or (official and official.pk in present_officials):
            result.skipped += 1
            continue
        order += 1
        Attendance.objects.create(
            article=article,
            official=official,
            name=name,
            positions=" ".join(row.positions.split()),
            role=row.role,
            order=order,
        )
        present_names.add(key)
        if official is not None:
            present_officials.add(official.pk)
        result.added += 1
    return result


_MEETING_FIELDS = (
    "name",
    "kind",
    "session_number",
    "term_number",
    "term_start_year",
    "term_end_year",
    "held_on",
    "held_at",
    "place",
    "opinions_count",
)


@transaction.atomic
def article_from_report(
    *,
    title: str,
    category: Category,
    text: str,
    author: AbstractBaseUser | None,
    meeting: dict,
    rows: Iterable[FillRow],
) -> tuple[Article, FillResult]:
    """A draft article whose body is the pasted report, filled as confirmed."""
    body = "".join(
        f"<p>{escape(line.strip())}</p>" for line in text.splitlines() if line.strip()
    )
    article = Article.objects.create(
        title=title, category=category, body=body, author=author
    )
    return article, meeting_fill(article=article, meeting=meeting, rows=rows)
