"""Rich text: one project-owned model field, a swappable editor, nh3 cleaning.

Migrations reference ``articles.richtext.RichTextField`` only, so the editor
package (django-ckeditor today) can be replaced through the
``WARDNEWS_RICHTEXT_EDITOR`` setting without touching the schema
(widgets in ``articles/editors.py``, imported only when a form is built).

The allowlist is the contract: whatever either editor produces, only these
tags and attributes reach a page; links get ``rel="noopener noreferrer"``
and images must come from our own media.
"""

import nh3
from django import forms
from django.conf import settings
from django.db import models
from django.utils.module_loading import import_string

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "ul", "ol", "li", "blockquote", "a", "img", "figure", "figcaption",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def _own_media_only(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        media_url = settings.MEDIA_URL
        if (
            not value.startswith(media_url)
            or value.startswith("//")
            or "\\" in value
            or ".." in value
        ):
            return None
    return value


def clean_html(html: str) -> str:
    """Sanitise editor HTML against the allowlist. Idempotent."""
    if not html:
        return ""
    return nh3.clean(
        # PostgreSQL refuses NUL in text, and no browser needs it.
        html.replace("\x00", ""),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        attribute_filter=_own_media_only,
        strip_comments=True,
    )


class RichTextFormField(forms.CharField):
    def clean(self, value):
        return clean_html(super().clean(value))


class RichTextField(models.TextField):
    """A TextField whose value is always sanitised HTML when saved."""

    def formfield(self, **kwargs):
        # The admin passes its own textarea widget for TextFields; the editor
        # named in settings always wins.
        kwargs["widget"] = import_string(settings.RICHTEXT_WIDGET)
        kwargs["form_class"] = RichTextFormField
        return super().formfield(**kwargs)

    def pre_save(self, model_instance, add):
        value = clean_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value
