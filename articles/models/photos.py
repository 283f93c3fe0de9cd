"""Gallery photos and attached files of an article."""

import posixpath
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from .. import files, images, vietnamese
from .base import ArticleChildModel
from .content import Article


def photo_upload_to(instance: "Photo", filename: str) -> str:
    return f"{files.upload_folder('photos')}/{filename}"


# What a ward attaches to a notice: documents, spreadsheets, slides, archives
# and scans. Pages, scripts and programs are refused where they come in.
ATTACHMENT_EXTENSIONS = [
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp",
    "rtf", "txt", "csv", "zip", "rar", "7z", "jpg", "jpeg", "png",
]  # fmt: skip
# The file box's ``accept``: the chooser offers only these.
ATTACHMENT_ACCEPT = ",".join(f".{extension}" for extension in ATTACHMENT_EXTENSIONS)


def attachment_upload_to(instance: "Attachment", filename: str) -> str:
    """``attachments/2024/07/k3x9q2mf4z/thong-bao-so-15-tb-ubnd.pdf``: an
    ASCII name that fits the column and reads well in a shared link, however
    long or accented the file's own name was."""
    path = PurePath(filename)
    stem = vietnamese.slugify_vi(path.stem, max_length=60) or "tep-dinh-kem"
    return f"{files.upload_folder('attachments')}/{stem}{path.suffix.lower()}"


def validate_attachment_upload(file) -> None:
    """Checks a file as it is uploaded; one stored before is left alone."""
    if getattr(file, "_committed", True):
        return
    name = PurePath(file.name)
    if name.suffix.lower().lstrip(".") not in ATTACHMENT_EXTENSIONS:
        raise ValidationError(
            _(
                "Không nhận tệp “%(name)s”. Chỉ nhận văn bản (PDF, Word, Excel, "
                "PowerPoint, OpenDocument, RTF, TXT, CSV), tệp nén (ZIP, RAR, 7Z) "
                "và ảnh chụp văn bản (JPG, PNG)."
            ),
            code="extension",
            params={"name": name.name},
        )
    if not file.size:
        raise ValidationError(
            _("Tệp “%(name)s” rỗng (0 byte)."), code="empty", params={"name": name.name}
        )
    # The photos' cap, which the reverse proxy is set to let through.
    if file.size > images.MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("Tệp quá lớn (hơn %(mb)d MB). Hãy nén hoặc chia nhỏ tệp rồi tải lên."),
            code="size",
            params={"mb": images.MAX_UPLOAD_BYTES // (1024 * 1024)},
        )


def validate_photo_upload(file) -> None:
    """A photo as it is uploaded must be one the pipeline takes (JPEG, PNG,
    WebP or HEIC, not a bomb); one stored before is left alone."""
    if getattr(file, "_committed", True):
        return
    file.seek(0)
    try:
        images.open_verified(file.read())
    except images.ImageRefused as refusal:
        raise ValidationError(refusal.message, code="image") from None
    finally:
        file.seek(0)


def title_from_file_name(name: str) -> str:
    """``Thông_báo số 15.pdf`` -> ``Thông báo số 15``."""
    stem = PurePath(name).stem.replace("_", " ")
    return " ".join(vietnamese.normalize(stem).split())


def delete_stored_files(storage, names: list[str]) -> None:
    """Delete the files, and the upload folders they leave empty."""
    names = [name for name in names if name]
    for name in names:
        storage.delete(name)
    files.remove_empty_upload_folders(
        storage, {posixpath.dirname(name) for name in names}
    )


def delete_files_on_commit(storage, names: list[str]) -> None:
    """Delete once the change is committed: a rollback keeps the files."""
    transaction.on_commit(lambda: delete_stored_files(storage, names))


class PhotoQuerySet(models.QuerySet):
    def missing_alt(self):
        """Photos that need a description before their article is published."""
        return self.filter(alt_text="", decorative=False)


class Photo(ArticleChildModel):
    """One photo of an article's gallery.

    A file assigned to ``image`` (an admin upload, ``Photo(image=...)``) goes
    through ``articles.images.process`` on save: the stored original is
    upright and stripped, and ``renditions`` lists the WebP copies as
    ``{"name", "width", "height"}`` so pages render without touching storage
    (but for a cover's link-preview copy, made on its first use).
    """

    article = models.ForeignKey(
        Article,
        verbose_name=_("bài viết"),
        on_delete=models.CASCADE,
        related_name="photos",
    )
    # ``store`` sets the dimensions from what the pipeline made. Django's
    # ``width_field`` would read them again from the file on every form
    # save, and fail with a server error when the file has left the disk.
    image = models.ImageField(
        _("ảnh"),
        upload_to=photo_upload_to,
        validators=[validate_photo_upload],
    )
    width = models.PositiveIntegerField(editable=False, null=True)
    height = models.PositiveIntegerField(editable=False, null=True)
    caption = models.CharField(_("chú thích"), max_length=500, blank=True)
    alt_text = models.CharField(
        _("mô tả ảnh cho người khiếm thị"),
        max_length=300,
        blank=True,
        help_text=_(
            "Tả ngắn gọn những gì trong ảnh, ví dụ: Đồng chí Bí thư phát biểu."
        ),
    )
    decorative = models.BooleanField(
        _("ảnh trang trí"),
        default=False,
        help_text=_(
            "Chọn nếu ảnh không mang thông tin gì (chỉ để trang trí): "
            "khi đó không cần mô tả ảnh."
        ),
    )
    credit = models.CharField(_("nguồn ảnh"), max_length=200, blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=0, blank=True)
    renditions = models.JSONField(default=list, blank=True, editable=False)
    sha256 = models.CharField(max_length=64, blank=True, editable=False)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("ảnh")
        verbose_name_plural = _("ảnh")

    def __str__(self):
        return self.caption or self.image.name

    def save(self, *args, **kwargs):
        replaced, written = [], []
        if self.image and not self.image._committed:
            if self.pk:
                old = type(self).objects.filter(pk=self.pk).first()
                replaced = old.file_names() if old else []
            upload = self.image.file
            upload.seek(0)
            self.store(images.process(upload.read()), filename=self.image.name)
            written = self.file_names()
        try:
            super().save(*args, **kwargs)
        except Exception:
            delete_stored_files(self.image.storage, written)
            raise
        if replaced:
            files.trash_files_on_commit(self.image.storage, replaced)

    @property
    def alt(self) -> str:
        if self.decorative:
            return ""
        return self.alt_text or self.caption

    def store(self, processed: images.ProcessedImage, *, filename: str) -> None:
        """Write a processed original and its renditions to storage and
        describe them on this row (the row itself is not saved)."""
        stem = vietnamese.slugify_vi(PurePath(filename).stem, max_length=60) or "anh"
        self.image.save(
            f"{stem}.{processed.extension}",
            ContentFile(processed.content),
            save=False,
        )
        self.width, self.height = processed.width, processed.height
        self.sha256 = processed.sha256
        self.renditions = self._write_renditions(processed.renditions)

    def _write_renditions(self, renditions: list[images.Rendition]) -> list[dict]:
        storage = self.image.storage
        base = str(PurePath(self.image.name).with_suffix(""))
        return [
            {
                "name": storage.save(
                    f"{base}-{rendition.width}w.webp", ContentFile(rendition.content)
                ),
                "width": rendition.width,
                "height": rendition.height,
            }
            for rendition in renditions
        ]

    def rebuild_renditions(self) -> None:
        """Make the renditions again at the configured widths.

        A photo stored before the pipeline existed (no content hash) has its
        original cleaned too: turned upright, stripped and capped.
        """
        old = self.file_names() if not self.sha256 else self.rendition_names()
        with self.image.open("rb") as original:
            data = original.read()
        if self.sha256:
            self.renditions = self._write_renditions(
                images.renditions_from_original(data)
            )
        else:
            self.store(images.process(data), filename=self.image.name)
        self.save(update_fields=["image", "width", "height", "sha256", "renditions"])
        stale = [name for name in old if name not in self.file_names()]
        delete_files_on_commit(self.image.storage, stale)

    def rendition_names(self) -> list[str]:
        return [rendition["name"] for rendition in self.renditions]

    def file_names(self) -> list[str]:
        """Every file of this photo in storage: the original, its renditions
        and, once made, its link-preview copy."""
        names = [self.image.name, *self.rendition_names()]
        if self.image.name and self.image.storage.exists(self.share_name()):
            names.append(self.share_name())
        return [name for name in names if name]

    def share_name(self) -> str:
        return f"{PurePath(self.image.name).with_suffix('')}-chia-se.jpg"

    def share_picture(self) -> dict:
        """The picture link previews show: ``url``, ``width``, ``height`` of
        a JPEG at most 1200 px wide (``images.share_copy``), made from the
        original the first time it is asked for (only covers are); the
        largest rendition if that cannot be done."""
        storage, name = self.image.storage, self.share_name()
        if not storage.exists(name):
            try:
                with self.image.open("rb") as original:
                    copy = images.share_copy(original.read())
                name = storage.save(name, ContentFile(copy.content))
            except (OSError, ValueError, images.ImageRefused):
                # Unreadable original or read-only storage: the page still
                # renders, with the largest rendition.
                wide = [r for r in self.renditions if r["width"] >= images.SHARE_WIDTH]
                return self._picture(wide[0]) if wide else self.large
            return self._picture(
                {"name": name, "width": copy.width, "height": copy.height}
            )
        width = height = None
        if self.width and self.height:  # the copy's size, as share_copy makes it
            width = min(images.SHARE_WIDTH, self.width)
            height = max(1, round(self.height * width / self.width))
        return self._picture({"name": name, "width": width, "height": height})

    def _picture(self, rendition: dict | None) -> dict:
        if rendition is None:
            return {"url": self.image.url, "width": self.width, "height": self.height}
        return {
            "url": self.image.storage.url(rendition["name"]),
            "width": rendition["width"],
            "height": rendition["height"],
        }

    @property
    def thumb(self) -> dict:
        """The smallest rendition at least 400 px wide: ``url``, ``width``,
        ``height``. Falls back to the original for rows without renditions."""
        wide = [r for r in self.renditions if r["width"] >= 400]
        return self._picture(wide[0] if wide else (self.renditions or [None])[-1])

    @property
    def large(self) -> dict:
        """The largest rendition (for the lightbox), or the original."""
        return self._picture(self.renditions[-1] if self.renditions else None)

    @property
    def srcset(self) -> str:
        storage = self.image.storage
        return ", ".join(
            f"{storage.url(r['name'])} {r['width']}w" for r in self.renditions
        )


@receiver(post_delete, sender=Photo)
def trash_photo_files(sender, instance: Photo, **kwargs) -> None:
    files.trash_files_on_commit(instance.image.storage, instance.file_names())


@receiver(post_save, sender=Photo)
def restore_photo_files(sender, instance: Photo, raw: bool, **kwargs) -> None:
    """A photo brought back by a revision (a raw save) gets its files back
    from the trash."""
    if not (raw and instance.image):
        return
    names = [instance.image.name, *instance.rendition_names(), instance.share_name()]
    files.restore_files_on_commit(instance.image.storage, names)


class Attachment(ArticleChildModel):
    """A file linked under an article, shown with its kind and size so a
    reader on mobile data knows what a tap will cost."""

    article = models.ForeignKey(
        Article,
        verbose_name=_("bài viết"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(
        _("tệp"),
        upload_to=attachment_upload_to,
        validators=[validate_attachment_upload],
    )
    title = models.CharField(
        _("tên tệp hiển thị"),
        max_length=300,
        blank=True,
        help_text=_("Ví dụ: Thông báo số 15/TB-UBND. Để trống thì dùng tên của tệp."),
    )
    size = models.PositiveBigIntegerField(_("cỡ tệp (byte)"), default=0, editable=False)
    order = models.PositiveIntegerField(_("thứ tự"), default=0, blank=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")

    def __str__(self):
        return self.title

    @property
    def kind(self) -> str:
        """``PDF``, ``DOCX``: what the reader's phone needs to open it."""
        return PurePath(self.file.name).suffix.lstrip(".").upper()

    def clean(self):
        super().clean()
        self._fill_title()

    def _fill_title(self) -> None:
        # Read before saving, while the name is still the one uploaded.
        if not self.title.strip() and self.file:
            title = title_from_file_name(self.file.name) or str(_("Tệp đính kèm"))
            self.title = title[: self._meta.get_field("title").max_length]

    def save(self, *args, **kwargs):
        self._fill_title()
        replaced = None
        if self.file and not self.file._committed:
            self.size = self.file.size
            if self.pk:
                replaced = (
                    type(self).objects.filter(pk=self.pk).values_list("file", flat=True)
                ).first()
        super().save(*args, **kwargs)
        if replaced and replaced != self.file.name:
            files.trash_files_on_commit(self.file.storage, [replaced])


@receiver(post_delete, sender=Attachment)
def trash_attachment_file(sender, instance: Attachment, **kwargs) -> None:
    """A removed file stops being served once the deletion is committed: a
    notice taken down by mistake, with someone's details in it, must not
    stay reachable at its old address. It is kept in the trash, out of
    reach, so that restoring a revision brings it back."""
    files.trash_files_on_commit(instance.file.storage, [instance.file.name])


@receiver(post_save, sender=Attachment)
def restore_attachment_file(sender, instance: Attachment, raw: bool, **kwargs) -> None:
    """An attachment brought back by a revision (a raw save) gets its file
    back from the trash, and its size if the revision is from before sizes
    were kept."""
    if not (raw and instance.file):
        return
    files.restore_files_on_commit(instance.file.storage, [instance.file.name])
    if not instance.size:
        transaction.on_commit(lambda: _measure(instance.pk))


def _measure(pk: int) -> None:
    attachment = Attachment.objects.filter(pk=pk, size=0).first()
    if attachment is None:
        return
    try:
        attachment.size = attachment.file.size
    except OSError:  # gone from the disk: the page shows its title alone
        return
    attachment.save(update_fields=["size"])
