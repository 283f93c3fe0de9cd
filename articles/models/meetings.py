"""A meeting report's meeting and its attendees, in protocol order."""

from django.db import models
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import vietnamese
from .base import ArticleChildModel, NormalizedTextModel
from .content import Article
from .people import Official, Organization


class Meeting(NormalizedTextModel):
    class Kind(models.TextChoices):
        CONFERENCE = "hoi-nghi", _("Hội nghị")
        SESSION = "ky-hop", _("Kỳ họp")
        CONGRESS = "dai-hoi", _("Đại hội")
        GATHERING = "hop-mat", _("Họp mặt")
        MEETING = "cuoc-hop", _("Cuộc họp")
        DIALOGUE = "doi-thoai", _("Đối thoại, tiếp xúc cử tri")
        OTHER = "khac", _("Khác")

    article = models.OneToOneField(
        Article,
        verbose_name=_("bài viết"),
        on_delete=models.CASCADE,
        related_name="meeting",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("cơ quan tổ chức"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
    )
    kind = models.CharField(
        _("loại"), max_length=20, choices=Kind.choices, default=Kind.CONFERENCE
    )
    name = models.CharField(
        _("tên hội nghị"),
        max_length=300,
        help_text=_(
            "Như in trên văn bản, không gồm lần thứ, khóa, nhiệm kỳ (tự ghép khi "
            "hiển thị). Ví dụ: Hội nghị Ban Chấp hành Đảng bộ phường."
        ),
    )
    session_number = models.PositiveSmallIntegerField(
        _("lần thứ"), null=True, blank=True
    )
    term_number = models.PositiveSmallIntegerField(
        _("khóa"),
        null=True,
        blank=True,
        help_text=_("Nhập số (6); trang tin hiển thị số La Mã (VI)."),
    )
    term_start_year = models.PositiveSmallIntegerField(
        _("nhiệm kỳ từ năm"), null=True, blank=True
    )
    term_end_year = models.PositiveSmallIntegerField(
        _("nhiệm kỳ đến năm"), null=True, blank=True
    )
    held_on = models.DateField(
        _("ngày họp"), null=True, blank=True, help_text=_("Ví dụ: 05/07/2024.")
    )
    held_at = models.TimeField(
        _("giờ họp"), null=True, blank=True, help_text=_("Ví dụ: 08:00.")
    )
    place = models.CharField(_("địa điểm"), max_length=300, blank=True)
    opinions_count = models.PositiveSmallIntegerField(
        _("số lượt ý kiến"),
        null=True,
        blank=True,
        help_text=_("Số lượt ý kiến đóng góp tại hội nghị, nếu bài có nêu."),
    )

    class Meta:
        verbose_name = _("hội nghị")
        verbose_name_plural = _("hội nghị")
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end_year__isnull=True)
                | Q(term_start_year__isnull=True)
                | Q(term_end_year__gt=models.F("term_start_year")),
                name="meeting_term_ends_after_start",
                violation_error_message=_(
                    "Năm cuối nhiệm kỳ phải sau năm đầu nhiệm kỳ."
                ),
            ),
            models.CheckConstraint(
                condition=Q(session_number__isnull=True) | Q(session_number__gte=1),
                name="meeting_session_positive",
                violation_error_message=_("Lần thứ phải từ 1 trở lên."),
            ),
            models.CheckConstraint(
                condition=Q(term_number__isnull=True)
                | (Q(term_number__gte=1) & Q(term_number__lte=100)),
                name="meeting_term_in_range",
                violation_error_message=_("Khóa phải từ 1 đến 100."),
            ),
        ]

    def __str__(self):
        return self.full_title

    @property
    def term_roman(self) -> str:
        # Stored terms are 1 to 100; a form sent back with another (5000)
        # shows it as typed.
        if self.term_number and 0 < self.term_number < 4000:
            return vietnamese.to_roman(self.term_number)
        return str(self.term_number or "")

    @property
    def term_years(self) -> str:
        if self.term_start_year and self.term_end_year:
            return f"{self.term_start_year} – {self.term_end_year}"
        return ""

    @property
    def full_title(self) -> str:
        """ "Hội nghị … lần thứ 21, khóa VI, nhiệm kỳ 2020 – 2025"."""
        parts = []
        if self.session_number:
            parts.append(f"lần thứ {self.session_number}")
        if self.term_number:
            parts.append(f"khóa {self.term_roman}")
        if self.term_years:
            parts.append(f"nhiệm kỳ {self.term_years}")
        if not parts:
            return self.name
        return f"{self.name} {', '.join(parts)}"


def official_pages_changed(officials: models.QuerySet) -> None:
    """Move the ``updated_at`` of ``officials``: their page lost a report
    (taken off it, or no longer published) with no edit of their own, and
    the sitemap dates it by that field (``articles.sitemaps``)."""
    officials.update(updated_at=timezone.now())


class AttendanceQuerySet(models.QuerySet):
    def in_protocol_order(self):
        return self.order_by("order", "id")

    def officials_changed(self) -> None:
        """The officials of these rows lost them from their page."""
        official_pages_changed(
            Official.objects.filter(
                pk__in=self.exclude(official=None).values("official")
            )
        )


class Attendance(ArticleChildModel):
    """One line of "Thành phần tham dự", kept as printed in the report.

    Hangs off the article (not the meeting row) so that the report, its
    meeting and its attendees are edited on one admin page.
    """

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chủ trì")
        DIRECTING = "directing", _("Phát biểu chỉ đạo")
        PRESENTER = "presenter", _("Trình bày báo cáo")
        ATTENDEE = "attendee", _("Tham dự")
        GUEST = "guest", _("Khách mời")

    article = models.ForeignKey(
        Article,
        verbose_name=_("bài viết"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    official = models.ForeignKey(
        Official,
        verbose_name=_("cán bộ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attendances",
        help_text=_("Chọn cán bộ; để trống nếu dòng này là một nhóm đại biểu."),
    )
    name = models.CharField(
        _("họ tên hoặc nhóm"),
        max_length=300,
        blank=True,
        help_text=_(
            "Như in trong bài. Để trống để chép họ tên cán bộ đã chọn. "
            "Với nhóm: ví dụ “trưởng 11 khu phố”."
        ),
    )
    positions = models.CharField(
        _("chức vụ lúc đó"),
        max_length=500,
        blank=True,
        help_text=_(
            "Như in trong bài, cách nhau bằng dấu phẩy. Để trống để chép chức vụ "
            "hiện tại của cán bộ."
        ),
    )
    role = models.CharField(
        _("vai trò"), max_length=20, choices=Role.choices, default=Role.ATTENDEE
    )
    order = models.PositiveIntegerField(_("thứ tự"), default=0, blank=True)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("thành phần tham dự")
        verbose_name_plural = _("thành phần tham dự")
        constraints = [
            models.CheckConstraint(
                condition=Q(official__isnull=False) | ~Q(name=""),
                name="attendance_has_official_or_name",
                violation_error_message=_("Chọn cán bộ hoặc ghi tên nhóm đại biểu."),
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.official_id:
            if not self.name.strip():
                self.name = self.official.full_name
            if not self.positions.strip():
                self.positions = self.official.printed_positions()
        super().save(*args, **kwargs)
        before = getattr(self, "_official_when_loaded", None)
        if before and before != self.official_id:
            official_pages_changed(Official.objects.filter(pk=before))
        self._official_when_loaded = self.official_id

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._official_when_loaded = instance.__dict__.get("official_id")
        return instance

    @property
    def is_group(self) -> bool:
        return self.official_id is None


@receiver(post_delete, sender=Attendance)
def attendance_deleted(sender, instance, **kwargs):
    if instance.official_id:
        official_pages_changed(Official.objects.filter(pk=instance.official_id))
