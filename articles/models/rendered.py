"""Public HTML of an article, rendered once and kept with it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .content import Article


class RenderedArticle(models.Model):
    """The article's public page and list card as last rendered.

    Each part is current when its version equals
    ``articles.rendered.version()``. Any change to what they show sets both
    versions to "" and adds one to ``stamp``, in the same transaction as the
    change; a renderer stores HTML only if ``stamp`` is still what it read
    before loading the article (see ``articles.rendered``).
    """

    article = models.OneToOneField(
        Article,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="rendered",
        verbose_name=_("bài viết"),
    )
    stamp = models.PositiveBigIntegerField(_("lần đổi"), default=0)
    page = models.TextField(_("trang"), blank=True)
    page_version = models.CharField(_("phiên bản trang"), max_length=40, blank=True)
    card = models.TextField(_("thẻ trong danh sách"), blank=True)
    card_version = models.CharField(_("phiên bản thẻ"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("bản dựng sẵn của bài viết")
        verbose_name_plural = _("bản dựng sẵn của bài viết")

    def __str__(self):
        return str(self.article_id)
