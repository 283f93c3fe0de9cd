import datetime
import zoneinfo
from pathlib import PurePath

import reversion
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connections, models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from . import images, search, vietnamese
from .richtext import RichTextField
from .search import fold
from .signals import article_visibility_changed


class NormalizedTextModel(models.Model):
    """Stores every text field in NFC, whatever keyboard or paste produced it."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        for field in self._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                value = getattr(self, field.attname)
                if isinstance(value, str):
                    setattr(self, field.attname, vietnamese.normalize(value).strip())
        super().save(*args, **kwargs)


def unique_slug(instance: models.Model, text: str, field_name: str = "slug") -> str:
    """An ASCII slug from ``text`` not used by another row: base, base-2, …"""
    field = instance._meta.get_field(field_name)
    base = vietnamese.slugify_vi(text, max_length=field.max_length - 6) or "bai-viet"
    others = type(instance)._default_manager.exclude(pk=instance.pk)
    slug, number = base, 2
    while others.filter(**{field_name: slug}).exists():
        slug = f"{base}-{number}"
        number += 1
    return slug


class Category(NormalizedTextModel):
    name = models.CharField(_("tên chuyên mục"), max_length=120)
    slug = models.SlugField(
        _("đường dẫn"),
        max_length=140,
        unique=True,
        blank=True,
        help_text=_("Để trống để tự tạo từ tên (không dấu, ví dụ: thong-bao)."),
    )
    description = models.TextField(_("mô tả"), blank=True)
    order = models.PositiveIntegerField(
        _("thứ tự"), default=0, help_text=_("Số nhỏ hiện trước trên thanh menu.")
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("chuyên mục")
        verbose_name_plural = _("chuyên mục")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:category-detail", kwargs={"slug": self.slug})


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
    photo = models.ImageField(_("ảnh chân dung"), upload_to="officials/%Y/", blank=True)
    bio = models.TextField(_("tiểu sử ngắn"), blank=True)
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
        super().save(*args, **kwargs)

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


def _as_aware(value) -> datetime.datetime:
    """A datetime read by raw SQL: SQLite gives the stored text."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What the public may see. The only place that filters on status."""
        now = timezone.now()
        return self.filter(
            Q(expire_at__isnull=True) | Q(expire_at__gt=now),
            status=Article.Status.PUBLISHED,
            publish_at__lte=now,
        )

    def newest_first(self):
        return self.order_by("-publish_at", "-id")

    def in_review(self):
        return self.filter(status=Article.Status.REVIEW)

    def scheduled(self):
        """Approved for publishing at a time still to come."""
        return self.filter(
            status=Article.Status.PUBLISHED, publish_at__gt=timezone.now()
        )

    def expired(self):
        return self.filter(
            status=Article.Status.PUBLISHED, expire_at__lte=timezone.now()
        )

    def next_visibility_change(self, at=None) -> datetime.datetime | None:
        """The nearest moment after ``at`` (default now) at which a published
        article appears or disappears with nothing being saved: a cache must
        not outlive it.

        One statement of two index lookups: the soonest future ``publish_at``
        and the soonest future ``expire_at`` of published articles.
        """
        at = at or timezone.now()
        published = self.filter(status=Article.Status.PUBLISHED)
        starts = published.filter(publish_at__gt=at).order_by("publish_at")
        ends = published.filter(expire_at__gt=at).order_by("expire_at")
        first_sql, first_params = starts.values_list("publish_at", flat=True)[
            :1
        ].query.sql_with_params()
        second_sql, second_params = ends.values_list("expire_at", flat=True)[
            :1
        ].query.sql_with_params()
        with connections[self.db].cursor() as cursor:
            cursor.execute(
                f"SELECT ({first_sql}), ({second_sql})",
                (*first_params, *second_params),
            )
            moments = [_as_aware(value) for value in cursor.fetchone() if value]
        return min(moments, default=None)

    def for_listing(self):
        return self.select_related("category", "cover", "meeting").newest_first()

    def search(self, query: "search.Query"):
        """Rows matching a parsed query, best first (see articles.search)."""
        return search.rank_matches(self, query)


class Article(NormalizedTextModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        REVIEW = "review", _("Chờ duyệt")
        PUBLISHED = "published", _("Đã duyệt đăng")
        ARCHIVED = "archived", _("Đã gỡ, lưu trữ")

    # Which state may follow which; every other change of status is refused.
    TRANSITIONS = {
        Status.DRAFT: {Status.REVIEW, Status.PUBLISHED, Status.ARCHIVED},
        Status.REVIEW: {Status.DRAFT, Status.PUBLISHED, Status.ARCHIVED},
        Status.PUBLISHED: {Status.DRAFT, Status.ARCHIVED},
        Status.ARCHIVED: {Status.DRAFT, Status.PUBLISHED},
    }
    # Moving into these states needs the "publish" permission.
    APPROVER_STATES = {Status.PUBLISHED, Status.ARCHIVED}
    # Not content: restoring an old revision leaves these as they are.
    WORKFLOW_FIELDS = ["status", "review_comment", "version"]

    title = models.CharField(_("tiêu đề"), max_length=300)
    slug = models.SlugField(
        _("đường dẫn"),
        max_length=200,
        unique=True,
        blank=True,
        help_text=_(
            "Phần cuối của địa chỉ bài viết, không dấu. Để trống để tự tạo từ tiêu đề."
        ),
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("chuyên mục"),
        on_delete=models.PROTECT,
        related_name="articles",
    )
    summary = models.TextField(
        _("sapo"),
        blank=True,
        help_text=_("Đoạn tóm tắt ngắn hiện dưới tiêu đề và trong danh sách tin."),
    )
    body = RichTextField(_("nội dung"), blank=True)
    cover = models.ForeignKey(
        "Photo",
        verbose_name=_("ảnh đại diện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Chọn trong các ảnh của bài. Để trống thì dùng ảnh đầu tiên của bài."
        ),
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
    )
    publish_at = models.DateTimeField(
        _("thời gian đăng"),
        default=timezone.now,
        db_index=True,
        help_text=_("Bài chỉ hiện với người dân từ thời điểm này."),
    )
    expire_at = models.DateTimeField(
        _("thời gian gỡ"),
        null=True,
        blank=True,
        help_text=_("Để trống nếu bài không hết hạn."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
        editable=False,
    )
    byline = models.CharField(
        _("tác giả"),
        max_length=200,
        blank=True,
        help_text=_("Dòng ghi nguồn cuối bài, ví dụ: Tin, ảnh: Văn phòng Đảng ủy."),
    )
    featured = models.BooleanField(
        _("tin nổi bật"), default=False, help_text=_("Hiện ở đầu trang chủ.")
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)
    # Search copies of the text, kept current by articles.search.index_articles.
    search_title = models.TextField(editable=False, default="")
    search_summary = models.TextField(editable=False, default="")
    search_body = models.TextField(editable=False, default="")
    search_exact = models.TextField(editable=False, default="")
    review_comment = models.TextField(
        _("ý kiến người duyệt"),
        blank=True,
        editable=False,
        help_text=_("Lý do trả bài về cho biên tập viên sửa."),
    )
    version = models.PositiveIntegerField(
        _("phiên bản"),
        default=1,
        help_text=_("Tăng sau mỗi lần lưu; chống ghi đè khi hai người cùng sửa."),
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-id"]
        verbose_name = _("bài viết")
        verbose_name_plural = _("bài viết")
        permissions = [("publish_article", _("Được duyệt, đăng, hẹn giờ và gỡ bài"))]
        indexes = [
            models.Index(fields=["status", "-publish_at"]),
            # Counting what is visible reads this index alone, not the rows
            # (whose bodies are large).
            models.Index(
                fields=["status", "publish_at", "expire_at"],
                name="article_visibility_idx",
            ),
            models.Index(
                fields=["status", "-publish_at"],
                condition=Q(featured=True),
                name="article_featured_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expire_at__isnull=True)
                | Q(expire_at__gt=models.F("publish_at")),
                name="article_expires_after_publish",
                violation_error_message=_("Thời gian gỡ phải sau thời gian đăng."),
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.title = vietnamese.clean_line(self.title)
        if not self.slug:
            self.slug = unique_slug(self, self.title)
        updating = not self._state.adding
        if updating:
            # Counted in the database, so a stale copy never lowers it.
            self.version = models.F("version") + 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        snapshot = getattr(self, "_visible_when_loaded", None)
        super().save(*args, **kwargs)
        if updating:
            self.refresh_from_db(fields=["version"])
        self._announce_visibility(snapshot, self._visibility_snapshot())

    def get_absolute_url(self):
        return reverse("articles:article-detail", kwargs={"slug": self.slug})

    def clean(self):
        # A date the database cannot convert to UTC (year 1, year 9999 in our
        # time zone) must be a form error, not a crash on save.
        super().clean()
        errors = {
            name: _("Năm phải từ 1900 đến 2999.")
            for name in ("publish_at", "expire_at")
            if getattr(self, name) is not None
            and not 1900 <= getattr(self, name).year <= 2999
        }
        if errors:
            raise ValidationError(errors)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._visible_when_loaded = instance._visibility_snapshot()
        return instance

    # Editorial workflow. Each state change is one method that checks the
    # acting user's permission (``by=None`` is the system itself: demo data,
    # shell) and writes an AuditEntry.

    @staticmethod
    def can_publish(user) -> bool:
        return user is None or user.has_perm("articles.publish_article")

    def check_transition(self, target: str, *, by=None) -> None:
        """Raise PermissionDenied or ValidationError if ``by`` may not move
        this article from its stored status to ``target``."""
        if target in self.APPROVER_STATES and not self.can_publish(by):
            raise PermissionDenied(_("Bạn không có quyền duyệt, đăng hay gỡ bài."))
        current = self.Status(self.status)
        if target != current and target not in self.TRANSITIONS[current]:
            raise ValidationError(
                _("Không thể chuyển bài từ “%(current)s” sang “%(target)s”.")
                % {"current": current.label, "target": self.Status(target).label}
            )

    def submit_for_review(self, *, by=None) -> None:
        if self.status != self.Status.DRAFT:
            raise ValidationError(_("Chỉ gửi duyệt được bài đang là bản nháp."))
        self._change_status(self.Status.REVIEW, AuditEntry.Action.SUBMIT, by=by)

    def publish(self, *, by=None) -> None:
        """Approve and publish; with a future publish time this schedules."""
        if self.status == self.Status.PUBLISHED:
            return
        if self.pk and self.photos.missing_alt().exists():
            raise ValidationError(
                _(
                    "Còn ảnh chưa có mô tả cho người khiếm thị: hãy mô tả ảnh hoặc "
                    "đánh dấu là ảnh trang trí trước khi đăng."
                )
            )
        if self.publish_at and self.publish_at > timezone.now():
            action = AuditEntry.Action.SCHEDULE
        elif self.status == self.Status.REVIEW:
            action = AuditEntry.Action.APPROVE
        else:
            action = AuditEntry.Action.PUBLISH
        self._change_status(self.Status.PUBLISHED, action, by=by)

    approve = publish

    def send_back(self, comment: str, *, by=None) -> None:
        """Return an article in review to its editor, saying why."""
        comment = vietnamese.normalize(comment or "").strip()
        if not self.can_publish(by):
            raise PermissionDenied(_("Bạn không có quyền trả bài."))
        if self.status != self.Status.REVIEW:
            raise ValidationError(_("Chỉ trả lại được bài đang chờ duyệt."))
        if not comment:
            raise ValidationError(_("Hãy ghi ý kiến để biên tập viên biết cần sửa gì."))
        self.review_comment = comment
        self._change_status(
            self.Status.DRAFT, AuditEntry.Action.SEND_BACK, by=by, detail=comment
        )

    def unpublish(self, *, by=None) -> None:
        """Take a published article off the site, back to draft."""
        if not self.can_publish(by):
            raise PermissionDenied(_("Bạn không có quyền gỡ bài."))
        if self.status == self.Status.DRAFT:
            return
        self._change_status(self.Status.DRAFT, AuditEntry.Action.UNPUBLISH, by=by)

    def archive(self, *, by=None) -> None:
        if self.status == self.Status.ARCHIVED:
            return
        self._change_status(self.Status.ARCHIVED, AuditEntry.Action.ARCHIVE, by=by)

    def change_status(self, target: str, *, by=None) -> None:
        """Move to ``target`` through the matching workflow method."""
        if target == self.status:
            return
        if target == self.Status.REVIEW:
            self.submit_for_review(by=by)
        elif target == self.Status.PUBLISHED:
            self.check_transition(target, by=by)
            self.publish(by=by)
        elif target == self.Status.ARCHIVED:
            self.archive(by=by)
        elif self.status in self.APPROVER_STATES:
            self.unpublish(by=by)
        else:
            # Back from review to draft without a written comment.
            if not self.can_publish(by):
                raise PermissionDenied(_("Bạn không có quyền trả bài."))
            self._change_status(target, AuditEntry.Action.SEND_BACK, by=by)

    def _change_status(self, target: str, action: str, *, by=None, detail="") -> None:
        self.check_transition(target, by=by)
        if target == self.Status.REVIEW:
            self.review_comment = ""
        self.status = target
        self.save(update_fields=["status", "review_comment", "updated_at"])
        if action == AuditEntry.Action.SCHEDULE:
            when = timezone.localtime(self.publish_at, VIETNAM)
            detail = _("Hẹn đăng lúc %(when)s (giờ Việt Nam)") % {
                "when": when.strftime("%H:%M %d/%m/%Y")
            }
        AuditEntry.record(action, user=by, article=self, detail=detail)

    def create_preview_link(self, *, by=None, lifetime=None) -> "PreviewLink":
        now = timezone.now()
        link = PreviewLink.objects.create(
            article=self,
            created_by=by,
            created_at=now,
            expires_at=now + (lifetime or PreviewLink.DEFAULT_LIFETIME),
        )
        AuditEntry.record(
            AuditEntry.Action.PREVIEW_CREATED,
            user=by,
            article=self,
            detail=_("Hết hạn lúc %(when)s (giờ Việt Nam)")
            % {"when": link.expires_at_local.strftime("%H:%M %d/%m/%Y")},
        )
        return link

    @property
    def is_scheduled(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.publish_at > timezone.now()

    def _visibility_snapshot(self):
        """(status, publish_at, expire_at) as loaded, or None if deferred."""
        values = self.__dict__
        if not {"status", "publish_at", "expire_at"} <= values.keys():
            return None
        return (values["status"], values["publish_at"], values["expire_at"])

    @classmethod
    def _visible(cls, snapshot, now) -> bool:
        if snapshot is None:
            return False
        status, publish_at, expire_at = snapshot
        return (
            status == cls.Status.PUBLISHED
            and publish_at is not None
            and publish_at <= now
            and (expire_at is None or expire_at > now)
        )

    def _announce_visibility(self, before, after) -> None:
        self._visible_when_loaded = after
        now = timezone.now()
        was_visible, visible = self._visible(before, now), self._visible(after, now)
        if was_visible != visible:
            transaction.on_commit(
                lambda: article_visibility_changed.send(
                    sender=Article, article=self, visible=visible
                )
            )

    def ensure_cover(self) -> None:
        """Use the first photo of the gallery when no cover was chosen."""
        if self.cover_id is None:
            first = self.photos.order_by("order", "id").first()
            if first is not None:
                self.cover = first
                self.save(update_fields=["cover"])

    def attendance_groups(self) -> list[tuple[str, list["Attendance"]]]:
        """Attendees grouped by role (chair first), each group in protocol
        order. Uses prefetched ``attendances`` when present."""
        rows = sorted(self.attendances.all(), key=lambda a: (a.order, a.id))
        groups = []
        for role, label in Attendance.Role.choices:
            members = [a for a in rows if a.role == role]
            if members:
                groups.append((label, members))
        return groups

    def is_visible(self) -> bool:
        now = timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at <= now
            and (self.expire_at is None or self.expire_at > now)
        )


# Dashboards and the audit log state times in the ward's own zone, whatever
# the server's settings.
VIETNAM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


@receiver(post_delete, sender=Article)
def announce_deleted_article(sender, instance, **kwargs):
    instance._announce_visibility(instance._visibility_snapshot(), None)


class AuditEntry(models.Model):
    """One line of the append-only editorial log: who did what, when."""

    class Action(models.TextChoices):
        CREATE = "create", _("Tạo bài")
        EDIT = "edit", _("Sửa bài")
        SUBMIT = "submit", _("Gửi duyệt")
        APPROVE = "approve", _("Duyệt và đăng")
        SEND_BACK = "send_back", _("Trả lại để sửa")
        PUBLISH = "publish", _("Đăng")
        SCHEDULE = "schedule", _("Hẹn giờ đăng")
        UNPUBLISH = "unpublish", _("Gỡ bài về bản nháp")
        ARCHIVE = "archive", _("Gỡ, lưu trữ")
        RESTORE = "restore", _("Khôi phục phiên bản cũ")
        DELETE = "delete", _("Xóa bài")
        PREVIEW_CREATED = "preview_created", _("Tạo liên kết xem trước")
        PREVIEW_REVOKED = "preview_revoked", _("Thu hồi liên kết xem trước")

    created_at = models.DateTimeField(_("thời gian"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(_("tên đăng nhập"), max_length=150, blank=True)
    action = models.CharField(_("việc"), max_length=20, choices=Action.choices)
    article = models.ForeignKey(
        Article,
        verbose_name=_("bài viết"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries",
    )
    article_title = models.CharField(_("tiêu đề bài"), max_length=300, blank=True)
    detail = models.TextField(_("chi tiết"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("nhật ký biên tập")
        verbose_name_plural = _("nhật ký biên tập")
        indexes = [models.Index(fields=["article", "-created_at"])]

    def __str__(self):
        return f"{self.username or '—'}: {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied(_("Nhật ký biên tập không được sửa."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied(_("Nhật ký biên tập không được xóa."))

    @classmethod
    def record(cls, action: str, *, user=None, article=None, detail="") -> "AuditEntry":
        if user is not None and not user.is_authenticated:
            user = None
        return cls.objects.create(
            action=action,
            user=user,
            username=user.get_username() if user else "",
            article=article,
            article_title=article.title[:300] if article else "",
            detail=str(detail),
        )


class PreviewLinkQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class PreviewLink(models.Model):
    """A shareable link to read an unpublished article without an account.

    The URL carries a signed id, so links cannot be guessed; the row lets a
    link expire and be revoked.
    """

    DEFAULT_LIFETIME = datetime.timedelta(days=7)
    SALT = "articles.previewlink"

    article = models.ForeignKey(
        Article,
        verbose_name=_("bài viết"),
        on_delete=models.CASCADE,
        related_name="preview_links",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("liên kết xem trước")
        verbose_name_plural = _("liên kết xem trước")

    def __str__(self):
        return str(_("Xem trước: %(title)s") % {"title": self.article})

    def get_absolute_url(self):
        return reverse("articles:article-preview", kwargs={"token": self.token})

    @property
    def token(self) -> str:
        # The article id is signed too, so a token can never open another
        # article's draft, whatever happens to row ids.
        return signing.Signer(salt=self.SALT).sign(f"{self.pk}-{self.article_id}")

    @classmethod
    def from_token(cls, token: str) -> "PreviewLink | None":
        """The link a token names, whether or not it is still usable."""
        try:
            value = signing.Signer(salt=cls.SALT).unsign(token)
        except signing.BadSignature:
            return None
        pk, _dash, article_id = value.partition("-")
        if not (pk.isdigit() and article_id.isdigit()):
            return None
        return (
            cls.objects.select_related("article")
            .filter(pk=pk, article_id=article_id)
            .first()
        )

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def expires_at_local(self) -> datetime.datetime:
        return timezone.localtime(self.expires_at, VIETNAM)

    def revoke(self, *, by=None) -> None:
        if self.revoked_at is not None:
            return
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])
        AuditEntry.record(
            AuditEntry.Action.PREVIEW_REVOKED, user=by, article=self.article
        )


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
        return vietnamese.to_roman(self.term_number) if self.term_number else ""

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


class ArticleChildModel(NormalizedTextModel):
    """A row listed inside an article in an editor-chosen order.

    A new row left at order 0 (or blank) goes after the rows already there,
    so rows added in one admin save keep the order in which they were typed.
    """

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.order is None or (self._state.adding and not self.order):
            siblings = type(self)._default_manager.filter(article_id=self.article_id)
            last = siblings.aggregate(last=models.Max("order"))["last"]
            self.order = (last or 0) + 1
        super().save(*args, **kwargs)


class AttendanceQuerySet(models.QuerySet):
    def in_protocol_order(self):
        return self.order_by("order", "id")


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

    @property
    def is_group(self) -> bool:
        return self.official_id is None


def photo_upload_to(instance: "Photo", filename: str) -> str:
    return f"photos/{timezone.now():%Y/%m}/{filename}"


def delete_stored_files(storage, names: list[str]) -> None:
    for name in names:
        if name:
            storage.delete(name)


class PhotoQuerySet(models.QuerySet):
    def missing_alt(self):
        """Photos that need a description before their article is published."""
        return self.filter(alt_text="", decorative=False)


class Photo(ArticleChildModel):
    """One photo of an article's gallery.

    A file assigned to ``image`` (an admin upload, ``Photo(image=...)``) goes
    through ``articles.images.process`` on save: the stored original is
    upright and stripped, and ``renditions`` lists the WebP copies as
    ``{"name", "width", "height"}`` so pages render without touching storage.
    """

    article = models.ForeignKey(
        Article,
        verbose_name=_("bài viết"),
        on_delete=models.CASCADE,
        related_name="photos",
    )
    image = models.ImageField(
        _("ảnh"),
        upload_to=photo_upload_to,
        width_field="width",
        height_field="height",
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
            storage = self.image.storage
            transaction.on_commit(lambda: delete_stored_files(storage, replaced))

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
        storage = self.image.storage
        transaction.on_commit(lambda: delete_stored_files(storage, stale))

    def rendition_names(self) -> list[str]:
        return [rendition["name"] for rendition in self.renditions]

    def file_names(self) -> list[str]:
        return [name for name in [self.image.name, *self.rendition_names()] if name]

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
def delete_photo_files(sender, instance: Photo, **kwargs) -> None:
    """Files go once the deletion is committed (a rollback keeps them)."""
    names = instance.file_names()
    storage = instance.image.storage
    transaction.on_commit(lambda: delete_stored_files(storage, names))


class Attachment(ArticleChildModel):
    article = models.ForeignKey(
        Article,
        verbose_name=_("bài viết"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("tệp"), upload_to="attachments/%Y/%m/")
    title = models.CharField(
        _("tên tệp hiển thị"),
        max_length=300,
        help_text=_("Ví dụ: Thông báo số 15/TB-UBND (PDF)."),
    )
    order = models.PositiveIntegerField(_("thứ tự"), default=0, blank=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")

    def __str__(self):
        return self.title


# Every admin save stores a revision of the article with its meeting,
# attendees, photos and attachments. Restoring one keeps the article's
# current WORKFLOW_FIELDS (see ArticleWorkflowMixin.revision_view).
reversion.register(Meeting)
reversion.register(Attendance)
reversion.register(Photo)
reversion.register(Attachment)
reversion.register(
    Article,
    follow=["meeting", "attendances", "photos", "attachments"],
    # The lock version is counted at save time; the search columns are
    # derived and rebuilt after a revert.
    exclude=[
        "version",
        "search_title",
        "search_summary",
        "search_body",
        "search_exact",
    ],
)


class SiteSettings(NormalizedTextModel):
    """The ward's identity and the contact lines a government site must show.

    One row (pk=1), read on every public page through a cache entry that
    ``save()`` drops.
    """

    CACHE_KEY = "wardnews:site-settings"

    name = models.CharField(
        _("tên phường"),
        max_length=120,
        default="Phường Cát Lái",
        help_text=_("Hiện to ở đầu trang, ví dụ: Phường Cát Lái."),
    )
    full_name = models.CharField(
        _("tên đầy đủ của trang"),
        max_length=250,
        default="Trang thông tin điện tử phường Cát Lái",
        help_text=_("Dòng dưới tên phường, cũng là tên trang khi chia sẻ."),
    )
    parent_unit = models.CharField(
        _("đơn vị cấp trên"),
        max_length=200,
        blank=True,
        default="Thành phố Thủ Đức – Thành phố Hồ Chí Minh",
        help_text=_("Hiện ở chân trang, ví dụ: Thành phố Thủ Đức – TP. Hồ Chí Minh."),
    )
    responsible_person = models.CharField(
        _("người chịu trách nhiệm nội dung"),
        max_length=200,
        blank=True,
        help_text=_(
            "Họ tên và chức vụ, ví dụ: Nguyễn Đức Hiền – Chủ tịch UBND phường."
        ),
    )
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=60, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    license_note = models.CharField(
        _("giấy phép"),
        max_length=300,
        blank=True,
        help_text=_("Số giấy phép thiết lập trang, nếu có."),
    )
    intro = models.TextField(
        _("giới thiệu ngắn"),
        blank=True,
        help_text=_("Vài câu giới thiệu phường, hiện ở chân trang và khi chia sẻ."),
    )
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)

    class Meta:
        verbose_name = _("thông tin trang")
        verbose_name_plural = _("thông tin trang")

    def __str__(self):
        return str(_("Thông tin trang"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)
        cache.delete(self.CACHE_KEY)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        cache.delete(self.CACHE_KEY)
        return result

    @classmethod
    def load(cls) -> "SiteSettings":
        """The settings row, from the cache when possible (one query otherwise).

        Never raises for a missing row: the defaults are a usable site. The
        entry is short-lived so that processes sharing no cache (local
        memory) pick up an edit within minutes.
        """
        value = cache.get(cls.CACHE_KEY)
        if value is None:
            value = cls.objects.filter(pk=1).first() or cls(pk=1)
            cache.set(cls.CACHE_KEY, value, 5 * 60)
        return value


class Page(NormalizedTextModel):
    """An introduction page (ward overview, political system, leaders)."""

    title = models.CharField(_("tiêu đề"), max_length=200)
    slug = models.SlugField(
        _("đường dẫn"),
        max_length=140,
        unique=True,
        blank=True,
        help_text=_("Để trống để tự tạo từ tiêu đề (không dấu, ví dụ: tong-quan)."),
    )
    summary = models.TextField(
        _("tóm tắt"),
        blank=True,
        help_text=_("Một hai câu hiện trong mục lục Giới thiệu và khi chia sẻ."),
    )
    body = RichTextField(_("nội dung"), blank=True)
    order = models.PositiveIntegerField(
        _("thứ tự"), default=0, help_text=_("Số nhỏ hiện trước.")
    )
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)

    class Meta:
        ordering = ["order", "title"]
        verbose_name = _("trang giới thiệu")
        verbose_name_plural = _("trang giới thiệu")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:page-detail", kwargs={"slug": self.slug})
