"""The editorial workflow's records: the append-only audit log and the
preview links that show a draft to someone without an account."""

import datetime
import zoneinfo

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Dashboards and the audit log state times in the ward's own zone, whatever
# the server's settings.
VIETNAM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


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
        "articles.Article",
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
        "articles.Article",
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
