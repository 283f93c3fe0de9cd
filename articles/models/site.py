"""Site-wide settings and introduction pages."""

from django.core.cache import cache
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..richtext import RichTextField
from .base import NormalizedTextModel, unique_slug


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
    def load(cls, *, fresh: bool = False) -> "SiteSettings":
        """The settings row, from the cache when possible (one query otherwise;
        always with ``fresh``).

        Never raises for a missing row (the defaults are a usable site) nor
        for a cache out of reach (the row is read from the database). The
        entry is short-lived so that processes sharing no cache (local
        memory) pick up an edit within minutes.
        """
        from .. import pagecache

        use_cache = pagecache.reachable()
        value = None
        if use_cache and not fresh:
            try:
                value = cache.get(cls.CACHE_KEY)
            except pagecache.CACHE_ERRORS as error:
                pagecache.unreachable(error)
                use_cache = False
        if value is None:
            value = cls.objects.filter(pk=1).first() or cls(pk=1)
            if use_cache:
                try:
                    cache.set(cls.CACHE_KEY, value, 5 * 60)
                except pagecache.CACHE_ERRORS as error:
                    pagecache.unreachable(error)
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
