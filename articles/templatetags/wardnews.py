import datetime

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe

from .. import vietnamese
from ..richtext import clean_html

register = template.Library()


@register.filter
def vi_date(value):
    """ "Thứ Sáu, 05/07/2024", in the site's time zone."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return vietnamese.vi_date(value)


@register.filter
def roman(value):
    try:
        return vietnamese.to_roman(int(value))
    except (TypeError, ValueError):
        return ""


@register.filter
def rich_text(value):
    """Render stored rich text, cleaned again in case a path skipped save()."""
    return mark_safe(clean_html(value))
