"""Organizations, officials and their dated positions."""

import io

from django.core.files.base import ContentFile
from django.db import models
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image

from .. import images, vietnamese
from ..search import fold
from .base import NormalizedTextModel, unique_slug
from .photos import delete_files_on_commit, validate_photo_upload


class Organization(NormalizedTextModel):
    class Kind(models.TextChoices):
        PARTY = "party", _("Đảng ủy, chi bộ")
        COUNCIL = "council", _("Hội đồng nhân dân")
        COMMITTEE = "committee", _("Ủy ban nhân dân")
        FRONT = "front", _("Ủy ban Mặt trận Tổ quốc")
        MASS = "mass", _("Đoàn thể")
        POLICE = "police", _("Công an")
        MILITARY = "military", _("Quân sự")
        NEIGHBOURHOOD = "neighbourhood", _("Khu phố")
        OTHER = "other", _("Khác")

    name = models.CharField(
        _("tên"),
        max_length=200,
        help_text=_("Tên đầy đủ, ví dụ: Đảng ủy phường Cát Lái."),
    )
    short_name = models.CharField(
        _("tên viết tắt"),
        max_length=60,
        blank=True,
        help_text=_("Ví dụ: UBND phường, UB MTTQ phường."),
    )
    kind = models.CharField(
        _("loại"), max_length=20, choices=Kind.choices, default=Kind.OTHER
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("trực thuộc"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("cơ quan, tổ chức")
        verbose_name_plural = _("cơ quan, tổ chức")

    def __str__(self):
        return self.name


class Official(NormalizedTextModel):
    full_name = models.CharField(
        _("họ và tên"), max_length=120, help_text=_("Ví dụ: Nguyễn Thị Nhài.")
    )
    slug = models.SlugField(
        _("đường dẫn"),
        max_length=140,
        unique=True,
        blank=True,
        help_text=_("Để trống để tự tạo từ họ tên."),
    )
    sort_key = models.CharField(max_length=400, editable=False, db_index=True)
    # Folded full name for the admin's search box (articles.search.fold).
    search_name = models.CharField(max_length=200, editable=False, default="")
    # Stored as ``images.portrait`` makes it (see ``save``), whatever was sent.
    photo = models.ImageField(
        _("ảnh chân dung"),
        upload_to="officials/%Y/",
        blank=True,
        validators=[validate_photo_upload],
        help_text=_(
            "Ảnh chụp bằng điện thoại cũng được: ảnh được xoay đúng chiều, cắt "
            "theo khổ 4:5 quanh phần trên giữa ảnh, thu nhỏ và xóa thông tin vị trí."
        ),
    )
    bio = models.TextField(_("tiểu sử ngắn"), blank=True)
    # Also moved when a report leaves their page (meetings.official_pages_changed).
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)

    class Meta:
        ordering = ["sort_key", "id"]
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ")

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.full_name = vietnamese.clean_line(self.full_name)
        self.sort_key = vietnamese.name_sort_key(self.full_name)
        self.search_name = fold(self.full_name)
        if not self.slug:
            self.slug = unique_slug(self, self.full_name)
        uploaded = bool(self.photo) and not self.photo._committed
        if uploaded:
            upload = self.photo.file
            upload.seek(0)
            made = images.portrait(upload.read())
            self.photo = ContentFile(made.content, name=f"{self.slug}.webp")
        before = None
        if self.pk and (uploaded or not self.photo):  # replaced or cleared
            before = (
                type(self).objects.filter(pk=self.pk).values_list("photo", flat=True)
            ).first()
        super().save(*args, **kwargs)
        if before and before != self.photo.name:
            delete_files_on_commit(self.photo.storage, [before])

    def remake_portrait(self) -> bool:
        """Make a portrait stored before portraits were made, as if it were
        uploaded now; False if it already is one."""
        with self.photo.open("rb") as stored:
            data = stored.read()
        with Image.open(io.BytesIO(data)) as image:
            if (image.format, image.size) == ("WEBP", images.PORTRAIT_SIZE):
                return False
        self.photo = ContentFile(data, name=self.photo.name)
        self.save()
        return True

    def get_absolute_url(self):
        return reverse("articles:official-detail", kwargs={"slug": self.slug})

    def positions_on(self, day=None) -> list["Position"]:
        """Positions held on ``day`` (today by default), in their set order.

        Works from prefetched ``positions`` when present.
        """
        day = day or timezone.localdate()
        return [p for p in self.positions.all() if p.is_held_on(day)]

    def printed_positions(self) -> str:
        """Current positions as they would be printed in a report."""
        return ", ".join(p.title for p in self.positions_on())


@receiver(post_delete, sender=Official)
def delete_portrait(sender, instance: Official, **kwargs) -> None:
    delete_files_on_commit(instance.photo.storage, [instance.photo.name])


class PositionQuerySet(models.QuerySet):
    def current(self):
        today = timezone.localdate()
        return self.filter(
            Q(start_date__isnull=True) | Q(start_date__lte=today),
            Q(end_date__isnull=True) | Q(end_date__gte=today),
        )


class Position(NormalizedTextModel):
    official = models.ForeignKey(
        Official,
        verbose_name=_("cán bộ"),
        on_delete=models.CASCADE,
        related_name="positions",
    )
    title = models.CharField(
        _("chức vụ"),
        max_length=200,
        help_text=_(
            "Ghi như trên văn bản, ví dụ: Phó Bí thư Thường trực Đảng ủy phường."
        ),
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("cơ quan, tổ chức"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="positions",
    )
    start_date = models.DateField(_("từ ngày"), null=True, blank=True)
    end_date = models.DateField(
        _("đến ngày"),
        null=True,
        blank=True,
        help_text=_("Để trống nếu đang giữ chức vụ này."),
    )
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    objects = PositionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "-start_date", "id"]
        verbose_name = _("chức vụ")
        verbose_name_plural = _("chức vụ")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="position_ends_after_start",
                violation_error_message=_(
                    "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."
                ),
            )
        ]

    def __str__(self):
        return f"{self.official} – {self.title}"

    def is_held_on(self, day) -> bool:
        return (self.start_date is None or self.start_date <= day) and (
            self.end_date is None or self.end_date >= day
        )

    @property
    def is_current(self) -> bool:
        return self.is_held_on(timezone.localdate())
