"""Categories, articles, their meetings and attendees, and the editorial
workflow records (audit log, preview links)."""

import datetime
import zoneinfo

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from .. import search, vietnamese
from ..richtext import RichTextField
from ..signals import article_visibility_changed
from .base import ArticleChildModel, NormalizedTextModel, unique_slug
from .people import Official, Organization


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
        """Newest first, with what a list shows; without the search copies,
        which are large and never shown."""
        return (
            self.select_related("category", "cover", "meeting")
            .defer(*search.SEARCH_FIELDS)
            .newest_first()
        )

    def search(self, query: "search.Query"):
        """Ids of the rows matching a parsed query, best first (see
        ``articles.search.rank_matches``)."""
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
