"""Abstract bases shared by the app's models."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .. import vietnamese


def validate_calendar_year(moment) -> None:
    """A moment the database can hold: in UTC, whatever the time zone (year
    1 in Vietnam is year 0 in UTC), and within what people mean."""
    if moment is not None and not 1900 <= moment.year <= 2999:
        raise ValidationError(_("Năm phải từ 1900 đến 2999."), code="year")


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
