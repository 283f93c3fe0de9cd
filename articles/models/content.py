"""Categories and articles: what the public reads, and the editorial
workflow methods that move an article between states."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import vietnamese
from ..richtext import RichTextField
from ..signals import article_visibility_changed
from .base import NormalizedTextModel, unique_slug, validate_calendar_year
from .queries import ArticleQuerySet, ArticleStatus
from .workflow import VIETNAM, AuditEntry, PreviewLink


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


class Article(NormalizedTextModel):
    Status = ArticleStatus

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
            # Lists, newest first with the id breaking ties, and counting
            # what is visible read this index alone, not the rows (whose
            # bodies are large): a typed deep page skips its entries only.
            models.Index(
                fields=["status", "publish_at", "id", "expire_at"],
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
        errors = {}
        for name in ("publish_at", "expire_at"):
            try:
                validate_calendar_year(getattr(self, name))
            except ValidationError as error:
                errors[name] = error
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
        if was_visible and not visible and after is not None:
            self.attendances.officials_changed()
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

    def attendance_groups(self) -> list[tuple[str, list]]:
        """Attendees grouped by role (chair first), each group in protocol
        order. Uses prefetched ``attendances`` when present."""
        rows = sorted(self.attendances.all(), key=lambda a: (a.order, a.id))
        groups = []
        roles = self.attendances.model.Role
        for role, label in roles.choices:
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


@receiver(post_delete, sender=Article)
def announce_deleted_article(sender, instance, **kwargs):
    instance._announce_visibility(instance._visibility_snapshot(), None)
